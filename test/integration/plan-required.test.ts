import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newYorkDate } from '../../src/domain/market-calendar.js';
import { Metrics } from '../../src/observability/metrics.js';
import { AlphaVantageClient } from '../../src/providers/alpha-vantage/alpha-vantage.client.js';
import type { AlphaVantageRequest } from '../../src/providers/alpha-vantage/alpha-vantage.request.js';
import { alphaVantageCacheKey, alphaVantageTtlMs } from '../../src/providers/alpha-vantage/cache-policy.js';
import { CachedSource } from '../../src/providers/cached-source.js';
import { UpstreamPlanRequiredError } from '../../src/providers/provider-errors.js';
import { createStore, type Store } from '../../src/store/create-store.js';
import { seededCacheDir } from '../support/embedded-store-template.js';
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';

const PREMIUM_INFORMATION = {
  Information:
    'Thank you for using Alpha Vantage! This is a premium endpoint. You may subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly unlock all premium endpoints',
};

describe('a free key on a premium function', () => {
  let fake: FakeAlphaVantage;
  let store: Store;
  const logger = pino({ level: 'silent' });

  beforeAll(async () => {
    fake = await startFakeAlphaVantage();
    store = createStore({ redisUrl: undefined, cacheDir: seededCacheDir('wheel-plan-'), namespace: 'wheel', timeoutMs: 1000 }, logger);
    await store.ready;
  });
  afterAll(async () => {
    await store?.close();
    await fake?.close();
  });

  it('is UPSTREAM_PLAN_REQUIRED naming the function and what to set, is not cached, and spends no budget when asked again', async () => {
    fake.setBody('REALTIME_OPTIONS', 'AAPL', PREMIUM_INFORMATION);
    const { cache } = store;
    const metrics = new Metrics();
    const budget = store.budgets({
      provider: 'Alpha Vantage', perMinute: 600, perDay: 3, maxWaitMs: 1000, keyPrefix: 'test:budget:plan', tradingDayOf: newYorkDate,
    });
    const client = new AlphaVantageClient({ baseUrl: fake.url, apiKey: 'free-key-1234', timeoutMs: 2000, retries: 2, budget, logger, metrics });
    const source = new CachedSource({ cache, fetcher: client, keyOf: alphaVantageCacheKey, ttlMs: alphaVantageTtlMs, metrics, labelOf: (r: AlphaVantageRequest) => r.fn });
    const request: AlphaVantageRequest = { fn: 'REALTIME_OPTIONS', symbol: 'AAPL', params: { require_greeks: 'true' } };

    const [first] = await source.loadMany([request]);
    expect(first).toBeInstanceOf(UpstreamPlanRequiredError);
    expect((first as UpstreamPlanRequiredError).code).toBe('UPSTREAM_PLAN_REQUIRED');
    expect((first as Error).message).toMatch(/^REALTIME_OPTIONS needs a premium Alpha Vantage plan; set ALPHAVANTAGE_OPTIONS_FUNCTION=HISTORICAL_OPTIONS/);
    expect(fake.callCount({ function: 'REALTIME_OPTIONS' })).toBe(1);
    expect(await cache.get(alphaVantageCacheKey(request))).toBeUndefined();

    const [again] = await source.loadMany([request]);
    expect(again).toBeInstanceOf(UpstreamPlanRequiredError);
    expect(fake.callCount({ function: 'REALTIME_OPTIONS' })).toBe(1);
    // Two of the day's three calls are still there: the refusal spent one, the second ask none.
    await budget.acquire();
    await budget.acquire();
    await expect(budget.acquire()).rejects.toThrow(/daily Alpha Vantage budget of 3 calls is spent/);
  });
});
