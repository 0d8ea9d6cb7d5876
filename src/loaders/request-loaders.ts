import type { Metrics } from '../observability/metrics.js';
import type { AlphaVantageSource } from '../providers/alpha-vantage/alpha-vantage.request.js';
import type { UpstreamAllowance } from '../providers/upstream-allowance.js';
import type { ScanSnapshot } from '../store/scan-records.port.js';
import type { CuratedStocks, SavedStock } from '../store/curated-stocks.js';
import { createAlphaVantageLoader, type AlphaVantageLoader } from '../providers/alpha-vantage/alpha-vantage.loader.js';
import { createIntrinsicValueLoader, type IntrinsicValueLoader } from './intrinsic-value.loader.js';
import type { ValuationMemo } from './valuation-memo.js';

export interface RequestLoaders {
  alphaVantage: AlphaVantageLoader;
  intrinsicValue: IntrinsicValueLoader;
  /** the curated list with saved assumptions, read once per request */
  savedStocks: () => Promise<readonly SavedStock[]>;
  /** the scan's records, read once per request (the cost estimate and scanResults share it) */
  scanSnapshot: () => Promise<ScanSnapshot>;
}

export interface LoaderDeps {
  source: AlphaVantageSource;
  curatedStocks: CuratedStocks;
  valuationNotes: readonly string[];
  metrics: Metrics;
  valuations: ValuationMemo;
  scanSnapshot: () => Promise<ScanSnapshot>;
}

/**
 * Fresh loaders for each GraphQL request: batching and de-duplication never leak between
 * callers, and every upstream call they make is charged to the caller's allowance.
 */
export function createRequestLoaders(deps: LoaderDeps, allowance: UpstreamAllowance): RequestLoaders {
  const alphaVantage = createAlphaVantageLoader(deps.source, deps.metrics, allowance);
  let saved: Promise<readonly SavedStock[]> | undefined;
  const savedStocks = () => (saved ??= deps.curatedStocks.list());
  let snapshot: Promise<ScanSnapshot> | undefined;
  return {
    alphaVantage,
    savedStocks,
    scanSnapshot: () => (snapshot ??= deps.scanSnapshot()),
    intrinsicValue: createIntrinsicValueLoader({ alphaVantage, savedStocks, notes: deps.valuationNotes, metrics: deps.metrics, valuations: deps.valuations }),
  };
}
