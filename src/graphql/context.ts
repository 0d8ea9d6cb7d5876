import type { Logger } from '../logger.js';
import type { MarketEvents } from '../providers/alpha-vantage/market-events.js';
import type { RequestLoaders } from '../loaders/request-loaders.js';
import type { Scanner } from '../scanner/scanner.js';
import type { CuratedStocks } from '../services/curated-stocks.js';
import type { ValuationHistory } from '../services/valuation-history.js';

/** What every resolver of one GraphQL request sees. */
export interface GraphQLContext {
  loaders: RequestLoaders;
  curatedStocks: CuratedStocks;
  /** valuation snapshots: recording, history, analytics */
  valuationHistory: ValuationHistory;
  scanner: Scanner;
  /** the earnings calendar and the risk-free rate (one per process) */
  marketEvents: MarketEvents;
  /** a valid bearer token came with the request */
  authenticated: boolean;
  logger: Logger;
}
