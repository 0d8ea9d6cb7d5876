import type { ScreenedContract } from '../domain/contract-filter.js';
import { passesFilter, type ContractFilterValues } from '../domain/contract-filter.js';
import { newYorkDate } from '../domain/market-calendar.js';
import type { MarketEvents } from '../providers/alpha-vantage/market-events.js';
import type { ScanSnapshot } from '../store/scan-records.port.js';
import type { ContractNeeds } from './contract-needs.js';
import { loadTickerFacts, screenTicker, type FactSources } from './screening.js';

export interface ScreenedTicker {
  symbol: string;
  scannedAt: Date;
  /** the ticker's kept contracts that pass the filter, in the stored order (expiration, then strike) */
  contracts: ScreenedContract[];
}

export interface ScreenRequest {
  filter: ContractFilterValues;
  /** what the answer needs beyond the stored contracts (its selection, its filter and its orders) */
  needs: ContractNeeds;
  /** only these tickers (scanResult); default every ticker of the snapshot */
  symbols?: readonly string[];
}

/**
 * The last scan's contracts with every figure of the contract file, after the query's
 * filter: one batched load per data kind for all tickers, only of what the query needs;
 * the probabilities at the rate the scan ran with.
 */
export async function screenSnapshot(
  snapshot: ScanSnapshot,
  sources: FactSources,
  riskFreeRate: number,
  request: ScreenRequest,
): Promise<ScreenedTicker[]> {
  const symbols = (request.symbols ?? Object.keys(snapshot.tickerOptions)).filter((symbol) => (snapshot.tickerOptions[symbol]?.length ?? 0) > 0).sort();
  const facts = await loadTickerFacts(sources, symbols, request.needs);
  return symbols.map((symbol) => {
    const scannedAt = new Date(snapshot.scanTimes[symbol] ?? snapshot.progress?.startedAt ?? 0);
    // The day its days to expiration were counted from, so the event dates agree with them.
    const todayNy = newYorkDate(scannedAt);
    const screened = screenTicker(symbol, snapshot.tickerOptions[symbol] ?? [], facts.get(symbol), { riskFreeRate, todayNy });
    return { symbol, scannedAt, contracts: screened.filter((contract) => passesFilter(contract, request.filter)) };
  });
}

/** The rate of the scan whose results these are; before any scan (or for an older record), the current one. */
export async function snapshotRiskFreeRate(snapshot: ScanSnapshot, events: Pick<MarketEvents, 'riskFreeRate'>): Promise<number> {
  return snapshot.criteria?.riskFreeRate?.rate ?? (await events.riskFreeRate()).rate;
}
