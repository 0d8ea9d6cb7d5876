import DataLoader from 'dataloader';
import type { Metrics } from '../../observability/metrics.js';
import type { AlphaVantageBody, AlphaVantageRequest, AlphaVantageSource } from './alpha-vantage.request.js';
import { alphaVantageCacheKey } from './cache-policy.js';

export type AlphaVantageLoader = DataLoader<AlphaVantageRequest, AlphaVantageBody, string>;

/**
 * One loader for every Alpha Vantage function, made per GraphQL request: whatever the
 * resolvers ask for in one tick (EARNINGS, OVERVIEW, CASH_FLOW, GLOBAL_QUOTE… of any
 * number of symbols) becomes one batch, hence one cache read.
 */
export function createAlphaVantageLoader(source: AlphaVantageSource, metrics: Metrics): AlphaVantageLoader {
  return new DataLoader<AlphaVantageRequest, AlphaVantageBody, string>(
    (requests) => {
      metrics.batch('alphavantage', requests.length);
      return source.loadMany(requests);
    },
    { cacheKeyFn: alphaVantageCacheKey, maxBatchSize: 1000 },
  );
}
