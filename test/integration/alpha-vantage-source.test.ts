import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { RedisClientType } from '@redis/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newYorkDate } from '../../src/domain/market-calendar.js';
import { createLogger } from '../../src/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { createStore, type Store } from '../../src/store/create-store.js';
import { AlphaVantageClient } from '../../src/providers/alpha-vantage/alpha-vantage.client.js';
import type { AlphaVantageFunction } from '../../src/providers/alpha-vantage/alpha-vantage.functions.js';
import type { AlphaVantageBody, AlphaVantageRequest } from '../../src/providers/alpha-vantage/alpha-vantage.request.js';
import { alphaVantageCacheKey, alphaVantageTtlMs } from '../../src/providers/alpha-vantage/cache-policy.js';
import { CachedSource } from '../../src/providers/cached-source.js';
import { quoteTtlMs } from '../../src/providers/quote-ttl.js';
import { UpstreamError } from '../../src/providers/provider-errors.js';
import { startFakeAlphaVantage, type FakeAlphaVantage, type FakeMode } from '../support/fake-alpha-vantage.js';
import { dropDatabase, freshDatabase, redisUrlFor } from '../support/redis.js';

const DATABASE = 4;
setFlagsFromString('--expose-gc');
/** V8's full collection, here without --expose-gc on the command line */
const collectGarbage = runInNewContext('gc') as () => void;
const logger = createLogger('silent');

let fake: FakeAlphaVantage;
let store: Store;
let redis: RedisClientType;
let source: CachedSource<AlphaVantageRequest, AlphaVantageBody>;
/** the source as the service has it: a finished call answers late joiners for a minute here */
let settling: (cache: Store['cache']) => CachedSource<AlphaVantageRequest, AlphaVantageBody>;
/** a store whose Redis is not there: every read misses, every write is refused */
let deadStore: Store;

beforeAll(async () => {
  redis = await freshDatabase(DATABASE);
  fake = await startFakeAlphaVantage();
  store = createStore({ redisUrl: redisUrlFor(DATABASE), cacheDir: '.cache', namespace: 'wheel', timeoutMs: 1000 }, logger);
  await store.ready;
  const budget = store.budgets({
    perMinute: 60_000,
    perDay: 0,
    maxWaitMs: 1000,
    provider: 'Alpha Vantage',
    keyPrefix: 'test:budget',
    tradingDayOf: newYorkDate,
  });
  const metrics = new Metrics();
  const client = new AlphaVantageClient({ baseUrl: fake.url, apiKey: 'k', timeoutMs: 1000, retries: 1, budget, logger, metrics });
  source = new CachedSource({
    cache: store.cache,
    fetcher: client,
    keyOf: alphaVantageCacheKey,
    ttlMs: alphaVantageTtlMs,
    settleMs: 0,
    metrics,
    labelOf: (request) => request.fn,
  });
  settling = (cache) =>
    new CachedSource({ cache, fetcher: client, keyOf: alphaVantageCacheKey, ttlMs: alphaVantageTtlMs, settleMs: 60_000, metrics, labelOf: (request) => request.fn });
  deadStore = createStore({ redisUrl: 'redis://127.0.0.1:1', cacheDir: '.cache', namespace: 'wheel', timeoutMs: 200 }, logger);
  await deadStore.ready;
});

afterAll(async () => {
  await store?.close();
  await deadStore?.close();
  await fake?.close();
  await dropDatabase(redis);
});

beforeEach(() => fake.reset());

const physicalKey = (fn: string, symbol: string) => `wheel:alphavantage:${fn.toLowerCase()}:${symbol}`;

describe('CachedSource over Alpha Vantage and Redis', () => {
  it.each<[FakeMode, string]>([
    ['rateLimitNote', 'UPSTREAM_RATE_LIMITED'],
    ['rateLimitInformation', 'UPSTREAM_RATE_LIMITED'],
    ['errorMessage', 'SYMBOL_NOT_FOUND'],
    ['emptyObject', 'SYMBOL_NOT_FOUND'],
    ['http500', 'UPSTREAM_UNAVAILABLE'],
    ['garbage', 'UPSTREAM_UNAVAILABLE'],
    ['reset', 'UPSTREAM_UNAVAILABLE'],
  ])('never caches a %s answer (%s)', async (mode, code) => {
    const symbol = `E${mode.length}${mode.slice(0, 3).toUpperCase()}`;
    fake.setMode(mode);
    const [answer] = await source.loadMany([{ fn: 'EARNINGS', symbol }]);
    expect(answer).toBeInstanceOf(UpstreamError);
    expect((answer as UpstreamError).code).toBe(code);
    expect(await redis.exists(physicalKey('EARNINGS', symbol))).toBe(0);
  });

  it('never caches {"Global Quote": {}} for an unknown symbol', async () => {
    fake.unknownSymbols.add('GQX');
    const [answer] = await source.loadMany([{ fn: 'GLOBAL_QUOTE', symbol: 'GQX' }]);
    expect((answer as UpstreamError).code).toBe('SYMBOL_NOT_FOUND');
    expect(await redis.exists(physicalKey('GLOBAL_QUOTE', 'GQX'))).toBe(0);
  });

  it('caches fundamentals for 7 days, chains for 45 minutes and quotes by the market hours', async () => {
    // The source's TTLs read the real clock: 15 minutes in session, else until the next open (unit-tested in market-quote.test.ts).
    const quoteSeconds = Math.floor(quoteTtlMs(new Date()) / 1000);
    const requests: AlphaVantageRequest[] = (['OVERVIEW', 'GLOBAL_QUOTE'] as AlphaVantageFunction[]).map((fn) => ({ fn, symbol: 'TTLX' }));
    requests.push({ fn: 'REALTIME_OPTIONS', symbol: 'TTLX', params: { require_greeks: 'true' } });
    const answers = await source.loadMany(requests);
    for (const answer of answers) expect(answer).not.toBeInstanceOf(Error);
    expect(await redis.ttl(physicalKey('OVERVIEW', 'TTLX'))).toBeGreaterThan(604_800 - 10);
    expect(await redis.ttl(physicalKey('GLOBAL_QUOTE', 'TTLX'))).toBeGreaterThan(quoteSeconds - 10);
    expect(await redis.ttl(physicalKey('GLOBAL_QUOTE', 'TTLX'))).toBeLessThanOrEqual(quoteSeconds + 1);
    expect(await redis.ttl('wheel:alphavantage:realtime_options:TTLX:require_greeks_true')).toBeGreaterThan(2_700 - 10);
    expect(await redis.ttl('wheel:alphavantage:realtime_options:TTLX:require_greeks_true')).toBeLessThanOrEqual(2_700);
  });

  it('retries a flapping upstream and caches only the good answer', async () => {
    fake.setMode('http500', { symbol: 'FLAP', times: 1 });
    const [answer] = await source.loadMany([{ fn: 'OVERVIEW', symbol: 'FLAP' }]);
    expect(answer).not.toBeInstanceOf(Error);
    expect(fake.callCount({ symbol: 'FLAP' })).toBe(2);
    const stored = JSON.parse((await redis.get(physicalKey('OVERVIEW', 'FLAP')))!) as { value: AlphaVantageBody };
    expect(stored.value['Symbol']).toBe('FLAP');
  });

  it('reads a batch with one getMany and asks upstream only for the misses', async () => {
    await source.loadMany([{ fn: 'OVERVIEW', symbol: 'HIT1' }]);
    fake.resetCalls();
    const answers = await source.loadMany([
      { fn: 'OVERVIEW', symbol: 'HIT1' },
      { fn: 'OVERVIEW', symbol: 'MISS1' },
    ]);
    expect(answers.every((answer) => !(answer instanceof Error))).toBe(true);
    expect(fake.calls.map((call) => call.symbol)).toEqual(['MISS1']);
  });

  it('reads Redis on every load, reuses the parsed body while the stored bytes are unchanged, and parses a rewritten entry anew', async () => {
    const request: AlphaVantageRequest = { fn: 'EARNINGS', symbol: 'REUSE' };
    const [fetched] = await source.loadMany([request]);
    const [first] = await source.loadMany([request]);
    const [second] = await source.loadMany([request]);
    expect(fake.callCount({ symbol: 'REUSE' })).toBe(1);
    expect(second).toBe(first);
    expect(first).toEqual(fetched);
    expect(Object.isFrozen(first)).toBe(true);

    const key = physicalKey('EARNINGS', 'REUSE');
    const stored = JSON.parse((await redis.get(key))!) as { value: AlphaVantageBody; expires: number };
    await redis.set(key, JSON.stringify({ ...stored, value: { ...stored.value, symbol: 'REUSE', changed: true } }), { KEEPTTL: true });
    const [rewritten] = await source.loadMany([request]);
    expect(rewritten).not.toBe(first);
    expect(rewritten).toMatchObject({ changed: true });
    await redis.del(key);
    const [refetched] = await source.loadMany([request]);
    expect(fake.callCount({ symbol: 'REUSE' })).toBe(2);
    expect(refetched).not.toHaveProperty('changed');
  });

  it('after a call the store took, a request whose read missed reads the store again: the body is not held for late joiners', async () => {
    const late = settling(store.cache);
    const request: AlphaVantageRequest = { fn: 'OVERVIEW', symbol: 'SETTLED' };
    await late.loadMany([request]);
    await redis.del(physicalKey('OVERVIEW', 'SETTLED'));
    const [again] = await late.loadMany([request]);
    expect(again).toMatchObject({ Symbol: 'SETTLED' });
    expect(fake.callCount({ symbol: 'SETTLED' })).toBe(2);
  });

  it('holds nothing of a body the store took once its callers have it: it can be collected within the settle window', async () => {
    const late = settling(store.cache);
    const body = new WeakRef((await late.loadMany([{ fn: 'OVERVIEW', symbol: 'FREED' }]))[0] as object);
    await new Promise((resolve) => setTimeout(resolve, 20));
    collectGarbage();
    expect(body.deref()).toBeUndefined();
  });

  it('after a call the store refused, a late request joins the answer held in memory: no second upstream call', async () => {
    const late = settling(deadStore.cache);
    const request: AlphaVantageRequest = { fn: 'OVERVIEW', symbol: 'HELD' };
    const [first] = await late.loadMany([request]);
    const [second] = await late.loadMany([request]);
    expect(first).toMatchObject({ Symbol: 'HELD' });
    expect(second).toBe(first);
    expect(fake.callCount({ symbol: 'HELD' })).toBe(1);
  });
});
