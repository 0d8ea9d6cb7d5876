import type { Metrics } from '../observability/metrics.js';
import type { AlphaVantageRequest, AlphaVantageSource } from '../providers/alpha-vantage/alpha-vantage.request.js';
import { alphaVantageCacheKey } from '../providers/alpha-vantage/cache-policy.js';
import { notFoundKey } from '../providers/cached-source.js';
import type { Cache } from '../store/cache.js';
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
  /**
   * Which of these requests the cache answers (data, or a remembered unknown symbol), in one
   * store read; the data found primes `alphaVantage`, so the resolvers do not read it again.
   */
  cachedAnswers: (requests: readonly AlphaVantageRequest[]) => Promise<boolean[]>;
}

export interface LoaderDeps {
  source: AlphaVantageSource;
  curatedStocks: CuratedStocks;
  valuationNotes: readonly string[];
  metrics: Metrics;
  valuations: ValuationMemo;
  scanSnapshot: () => Promise<ScanSnapshot>;
  cache: Cache;
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
    cachedAnswers: async (requests) => {
      const keys = requests.map(alphaVantageCacheKey);
      // A store that does not answer: nothing is cached, the estimate stays the worst case.
      const found = await deps.cache.getMany<unknown>([...keys, ...keys.map(notFoundKey)]);
      return requests.map((request, index) => {
        const body = found[index];
        if (body !== undefined) alphaVantage.prime(request, body as Record<string, unknown>);
        return body !== undefined || found[keys.length + index] !== undefined;
      });
    },
    intrinsicValue: createIntrinsicValueLoader({ alphaVantage, savedStocks, notes: deps.valuationNotes, metrics: deps.metrics, valuations: deps.valuations }),
  };
}
