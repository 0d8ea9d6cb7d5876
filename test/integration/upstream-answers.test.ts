import type { RedisClientType } from '@redis/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MISSING_API_KEY_BODY, startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { errorCodes } from '../support/graphql-client.js';
import { IN_PROCESS_API_KEY, startInProcessApp, type InProcessApp } from '../support/in-process-app.js';
import { connectRedis } from '../support/redis.js';
import { OwnRedis } from '../support/redis-server.js';
import { missingRedisServer } from '../support/tools.js';

// A Redis of this file's own, so that the physical keys of the cache layout can be read.
const skip = missingRedisServer();
const DAY_SECONDS = 24 * 60 * 60;
const FUNDAMENTALS = ['EARNINGS', 'OVERVIEW', 'CASH_FLOW'] as const;

let own: OwnRedis;
let redis: RedisClientType;
let fake: FakeAlphaVantage;

beforeAll(async () => {
  if (skip) return;
  own = await OwnRedis.start();
  redis = await connectRedis(own.url);
  fake = await startFakeAlphaVantage();
});
afterAll(async () => {
  redis?.destroy();
  await own?.stop();
  await fake?.close();
});

const VALUE = 'query V($symbol: String!) { intrinsicValue(symbol: $symbol) { symbol effectiveIntrinsicValue } }';
const calls = (symbol: string) => fake.callCount({ symbol });

describe.skipIf(skip)('Alpha Vantage answers that are not data', () => {
  let service: InProcessApp;
  beforeAll(async () => {
    service = await startInProcessApp({ fake, env: { REDIS_URL: `${own.url}/0`, ALPHAVANTAGE_RETRIES: '0' } });
  });
  afterAll(async () => {
    await service?.close();
  });
  beforeEach(() => fake.reset());

  it('remembers an unknown symbol for a day and answers it again from the cache, with no upstream call', async () => {
    fake.unknownSymbols.add('NOPE');
    const first = await service.graphql(VALUE, { symbol: 'NOPE' });
    expect(errorCodes(first)).toEqual(['SYMBOL_NOT_FOUND']);
    expect(calls('NOPE')).toBe(3);

    const second = await service.graphql(VALUE, { symbol: 'NOPE' });
    expect(calls('NOPE')).toBe(3);
    expect(second.errors).toEqual(first.errors);

    for (const fn of FUNDAMENTALS) {
      const key = `wheel:notfound:alphavantage:${fn.toLowerCase()}:NOPE`;
      const ttl = await redis.ttl(key);
      expect(ttl, key).toBeGreaterThan(DAY_SECONDS - 60);
      expect(ttl, key).toBeLessThanOrEqual(DAY_SECONDS);
      // never stored as if it were data
      expect(await redis.exists(`wheel:alphavantage:${fn.toLowerCase()}:NOPE`)).toBe(0);
    }
  });

  it('remembers only the function that lacked the symbol: a known stock without cash flows keeps its data', async () => {
    fake.setMode('errorMessage', { function: 'CASH_FLOW', symbol: 'ETFX' });
    const first = await service.graphql(VALUE, { symbol: 'ETFX' });
    expect(first.errors).toEqual([]);
    const second = await service.graphql(VALUE, { symbol: 'ETFX' });
    expect(second.data).toEqual(first.data);
    expect(calls('ETFX')).toBe(3);
    expect(await redis.exists('wheel:notfound:alphavantage:cash_flow:ETFX')).toBe(1);
    expect(await redis.exists('wheel:alphavantage:earnings:ETFX')).toBe(1);
  });

  it("answers a refused API key as UPSTREAM_UNAVAILABLE naming the provider, never the key, and remembers nothing", async () => {
    for (const fn of FUNDAMENTALS) fake.setBody(fn, 'KEYX', MISSING_API_KEY_BODY);
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const answer = await service.graphql(VALUE, { symbol: 'KEYX' });
      expect(errorCodes(answer)).toEqual(['UPSTREAM_UNAVAILABLE']);
      expect(answer.errors[0]!.message).toMatch(/^Alpha Vantage refused \w+ for KEYX: the API key was refused/);
      expect(JSON.stringify(answer)).not.toContain(IN_PROCESS_API_KEY);
      // not remembered: the next ask goes upstream again, once the key is fixed it works
      expect(calls('KEYX')).toBe(3 * attempt);
    }
    expect(await redis.keys('*KEYX*')).toEqual([]);
  });

  it('refuses an answer over the size limit (11 MB against 10 MB) as UPSTREAM_UNAVAILABLE and never caches it', async () => {
    const row = { fiscalDateEnding: '2020-03-31', reportedDate: '2020-04-30', reportedEPS: '1.25', estimatedEPS: '1.20', surprise: '0.05' };
    const huge = { symbol: 'HUGE', annualEarnings: [], quarterlyEarnings: Array.from({ length: 56_000 }, () => row) };
    // as the fake renders it: four-space indents
    expect(JSON.stringify(huge, null, 4).length).toBeGreaterThan(11_000_000);
    fake.setBody('EARNINGS', 'HUGE', huge);

    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const answer = await service.graphql(VALUE, { symbol: 'HUGE' });
      expect(errorCodes(answer)).toEqual(['UPSTREAM_UNAVAILABLE']);
      expect(answer.errors[0]!.message).toBe(
        'Alpha Vantage answered EARNINGS for HUGE with more than 10000000 bytes: refused and not cached (UPSTREAM_MAX_ANSWER_BYTES)',
      );
      expect(fake.callCount({ function: 'EARNINGS', symbol: 'HUGE' })).toBe(attempt);
    }
    expect(await redis.exists('wheel:alphavantage:earnings:HUGE')).toBe(0);
    expect(await redis.exists('wheel:notfound:alphavantage:earnings:HUGE')).toBe(0);
  });
});

describe.skipIf(skip)('sample-data mode', () => {
  let service: InProcessApp;
  beforeAll(async () => {
    service = await startInProcessApp({ fake, env: { REDIS_URL: `${own.url}/1`, ALPHAVANTAGE_API_KEY: undefined } });
  });
  afterAll(async () => {
    await service?.close();
  });

  it('remembers a symbol the sample lacks under its own prefix and gives the same answer again', async () => {
    const first = await service.graphql(VALUE, { symbol: 'NOPE' });
    expect(errorCodes(first)).toEqual(['SYMBOL_NOT_FOUND']);
    expect(first.errors[0]!.message).toContain('is not in the bundled sample data');
    expect(await redis.sendCommand(['SELECT', '1'])).toBe('OK');
    const stored = await redis.exists('wheel-sample:notfound:alphavantage:earnings:NOPE');
    await redis.sendCommand(['SELECT', '0']);
    expect(stored).toBe(1);

    // The bundled sample is not asked again: the second answer is a cache hit.
    const hits = async () => {
      const text = await (await fetch(`${service.origin}/metrics`)).text();
      return Number(/^wheel_cache_lookups_total\{function="EARNINGS",result="hit"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    };
    const before = await hits();
    const second = await service.graphql(VALUE, { symbol: 'NOPE' });
    expect(second.errors).toEqual(first.errors);
    expect(await hits()).toBe(before + 1);
  });
});
