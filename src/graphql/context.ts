import type { Logger } from '../logger.js';
import type { MarketEvents } from '../providers/alpha-vantage/market-events.js';
import type { RequestLoaders } from '../loaders/request-loaders.js';
import type { Scanner } from '../scanner/scanner.js';
import type { CuratedStocks } from '../store/curated-stocks.js';

/** What every resolver of one GraphQL request sees. */
export interface GraphQLContext {
  loaders: RequestLoaders;
  curatedStocks: CuratedStocks;
  scanner: Scanner;
  /** the earnings calendar and the risk-free rate (one per process) */
  marketEvents: MarketEvents;
  /** a valid bearer token came with the request */
  authenticated: boolean;
  logger: Logger;
}
