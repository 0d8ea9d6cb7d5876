import DataLoader from 'dataloader';
import type { Metrics } from '../../observability/metrics.js';
import { NotCachedError } from '../not-cached.error.js';
import { UNMETERED, type UpstreamAllowance } from '../upstream-allowance.js';
import type { AlphaVantageBody, AlphaVantageRequest, AlphaVantageSource } from './alpha-vantage.request.js';
import { alphaVantageCacheKey } from './cache-policy.js';

export type AlphaVantageLoader = DataLoader<AlphaVantageRequest, AlphaVantageBody, string>;

/**
 * One loader for every Alpha Vantage function, made per GraphQL request: whatever the
 * resolvers ask for in one tick (EARNINGS, OVERVIEW, CASH_FLOW, GLOBAL_QUOTE… of any
 * number of symbols) becomes one batch, hence one cache read. Calls that go upstream are
 * charged to the request's allowance (a scan's loaders are not charged).
 */
export function createAlphaVantageLoader(source: AlphaVantageSource, metrics: Metrics, allowance: UpstreamAllowance = UNMETERED): AlphaVantageLoader {
  return new DataLoader<AlphaVantageRequest, AlphaVantageBody, string>(
    (requests) => {
      metrics.batch('alphavantage', requests.length);
      return source.loadMany(requests, allowance);
    },
    { cacheKeyFn: alphaVantageCacheKey, maxBatchSize: 1000 },
  );
}

/**
 * A loader that answers from the cache only: a miss is a NotCachedError, never an upstream
 * call nor a wait for one in flight (the curated list's valuations while the background
 * refresher keeps them warm).
 */
export function createCachedAlphaVantageLoader(source: AlphaVantageSource, metrics: Metrics): AlphaVantageLoader {
  return new DataLoader<AlphaVantageRequest, AlphaVantageBody, string>(
    async (requests) => {
      metrics.batch('alphavantage', requests.length);
      const found = await source.cachedMany(requests);
      return requests.map((request, index) => found[index] ?? new NotCachedError(alphaVantageCacheKey(request)));
    },
    { cacheKeyFn: alphaVantageCacheKey, maxBatchSize: 1000 },
  );
}
