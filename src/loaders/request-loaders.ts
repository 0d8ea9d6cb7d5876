import type { Metrics } from '../observability/metrics.js';
import type { AlphaVantageSource } from '../providers/alpha-vantage/alpha-vantage.request.js';
import type { CuratedStocks, SavedStock } from '../store/curated-stocks.js';
import { createAlphaVantageLoader, type AlphaVantageLoader } from '../providers/alpha-vantage/alpha-vantage.loader.js';
import { createIntrinsicValueLoader, type IntrinsicValueLoader } from './intrinsic-value.loader.js';
import type { ValuationMemo } from './valuation-memo.js';

export interface RequestLoaders {
  alphaVantage: AlphaVantageLoader;
  intrinsicValue: IntrinsicValueLoader;
  /** the curated list with saved assumptions, read once per request */
  savedStocks: () => Promise<readonly SavedStock[]>;
}

export interface LoaderDeps {
  source: AlphaVantageSource;
  curatedStocks: CuratedStocks;
  valuationNotes: readonly string[];
  metrics: Metrics;
  valuations: ValuationMemo;
}

/** Fresh loaders for each GraphQL request: batching and de-duplication never leak between callers. */
export function createRequestLoaders(deps: LoaderDeps): RequestLoaders {
  const alphaVantage = createAlphaVantageLoader(deps.source, deps.metrics);
  let saved: Promise<readonly SavedStock[]> | undefined;
  const savedStocks = () => (saved ??= deps.curatedStocks.list());
  return {
    alphaVantage,
    savedStocks,
    intrinsicValue: createIntrinsicValueLoader({ alphaVantage, savedStocks, notes: deps.valuationNotes, metrics: deps.metrics, valuations: deps.valuations }),
  };
}
