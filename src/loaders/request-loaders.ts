import { isStaleQuote, type PricedQuote } from '../domain/market-quote.js';
import type { Metrics } from '../observability/metrics.js';
import type { AlphaVantageRequest, AlphaVantageSource } from '../providers/alpha-vantage/alpha-vantage.request.js';
import { alphaVantageCacheKey } from '../providers/alpha-vantage/cache-policy.js';
import { notFoundKey } from '../providers/cached-source.js';
import type { Cache } from '../store/cache.js';
import type { UpstreamAllowance } from '../providers/upstream-allowance.js';
import type { ScanSnapshot } from '../store/scan-records.port.js';
import type { CuratedStocks, SavedStock } from '../services/curated-stocks.js';
import { createAlphaVantageLoader, createCachedAlphaVantageLoader, type AlphaVantageLoader } from '../providers/alpha-vantage/alpha-vantage.loader.js';
import { createQuoteLoader } from '../providers/alpha-vantage/quotes.js';
import { createIntrinsicValueLoader, type IntrinsicValueLoader } from './intrinsic-value.loader.js';
import type { ValuationMemo } from './valuation-memo.js';

export interface RequestLoaders {
  alphaVantage: AlphaVantageLoader;
  intrinsicValue: IntrinsicValueLoader;
  /** a symbol's latest price, batched into the Alpha Vantage loader; null when the answer has no price or no date */
  quote: (symbol: string) => Promise<PricedQuote | null>;
  /** CuratedStock.intrinsicValue's: from the cache only while the background refresher keeps the list warm, else intrinsicValue */
  curatedIntrinsicValue: IntrinsicValueLoader;
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
  /** prices from REALTIME_BULK_QUOTES (premium) rather than GLOBAL_QUOTE */
  bulkQuotes: boolean;
  /** decides whether a quote is stale */
  clock: () => Date;
  /** the background refresher runs: the curated list's valuations answer from the cache, never waiting on the budget */
  curatedFromCache: boolean;
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
  const quotes = createQuoteLoader(alphaVantage, deps.bulkQuotes);
  const valuing = { savedStocks, notes: deps.valuationNotes, metrics: deps.metrics, valuations: deps.valuations };
  const intrinsicValue = createIntrinsicValueLoader({ alphaVantage, ...valuing });
  return {
    alphaVantage,
    quote: async (symbol) => {
      const quote = await quotes.load(symbol);
      if (quote === null || quote.asOf === null) return null;
      return { price: quote.price, asOf: quote.asOf, stale: isStaleQuote(quote.asOf, deps.clock()) };
    },
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
    intrinsicValue,
    curatedIntrinsicValue: deps.curatedFromCache
      ? createIntrinsicValueLoader({ alphaVantage: createCachedAlphaVantageLoader(deps.source, deps.metrics), ...valuing })
      : intrinsicValue,
  };
}
