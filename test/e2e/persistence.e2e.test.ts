import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisClientType } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedDataDirectory, embeddedLockFile } from '../../src/db/embedded-database.js';
import { IntrinsicValueDocument } from '../generated/graphql.js';
import { seededCacheDir } from '../support/embedded-store-template.js';
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { ask } from '../support/graphql-client.js';
import { dropDatabase, freshDatabase, redisUrlFor } from '../support/redis.js';
import { fakeUpstreamEnv, startServer } from '../support/server-process.js';

const DATABASE = 2;
const WEEK_SECONDS = 7 * 24 * 60 * 60;

let fake: FakeAlphaVantage;
let redis: RedisClientType;

const upstreamEnv = () => fakeUpstreamEnv(fake.url, 'persistence-key');

beforeAll(async () => {
  redis = await freshDatabase(DATABASE);
  fake = await startFakeAlphaVantage();
});

afterAll(async () => {
  await fake?.close();
  await dropDatabase(redis);
});

describe('the Alpha Vantage cache', () => {
  it('on Redis: stores each response under its logical key for 7 days, and a new process reads it without upstream calls', async () => {
    const first = await startServer({ REDIS_URL: redisUrlFor(DATABASE), ...upstreamEnv() });
    const cold = await ask(first.url, IntrinsicValueDocument, { symbol: 'ADBE' });
    await first.stop();
    expect(cold.errors).toEqual([]);
    expect(fake.callCount({ symbol: 'ADBE' })).toBe(3);

    for (const fn of ['earnings', 'overview', 'cash_flow']) {
      const ttl = await redis.ttl(`wheel:alphavantage:${fn}:ADBE`);
      expect(ttl, fn).toBeGreaterThan(WEEK_SECONDS - 60);
      expect(ttl, fn).toBeLessThanOrEqual(WEEK_SECONDS);
    }

    fake.resetCalls();
    const second = await startServer({ REDIS_URL: redisUrlFor(DATABASE), ...upstreamEnv() });
    const warm = await ask(second.url, IntrinsicValueDocument, { symbol: 'ADBE' });
    await second.stop();
    expect(fake.calls).toHaveLength(0);
    expect(warm.data).toEqual(cold.data);
  });

  it('without REDIS_URL: the embedded store keeps the cache on disk across a restart', async () => {
    // An empty CACHE_DIR: the first start initializes the database (in a child process).
    const cacheDir = mkdtempSync(join(tmpdir(), 'wheel-embedded-'));
    fake.resetCalls();
    const first = await startServer({ CACHE_DIR: cacheDir, ...upstreamEnv() }, 60_000);
    const cold = await ask(first.url, IntrinsicValueDocument, { symbol: 'ANET' });
    await first.stop();
    expect(first.logs.some((line) => line.includes('creating the embedded database'))).toBe(true);
    expect(existsSync(join(embeddedDataDirectory(cacheDir), 'PG_VERSION'))).toBe(true);
    expect(existsSync(embeddedLockFile(cacheDir)), 'the lock is given back at shutdown').toBe(false);
    expect(cold.errors).toEqual([]);
    expect(fake.callCount({ symbol: 'ANET' })).toBe(3);

    fake.resetCalls();
    const second = await startServer({ CACHE_DIR: cacheDir, ...upstreamEnv() }, 60_000);
    const warm = await ask(second.url, IntrinsicValueDocument, { symbol: 'ANET' });
    await second.stop();
    expect(fake.calls).toHaveLength(0);
    expect(warm.data).toEqual(cold.data);
    // The first start's initdb (3-10 s alone) can take far longer on a loaded 2-core machine.
  }, 120_000);
});

describe('sample-data mode', () => {
  it('answers from the bundled data without an API key and says so at start-up and in the notes', async () => {
    const server = await startServer({ CACHE_DIR: seededCacheDir('wheel-sample-') });
    try {
      const answer = await ask(
        server.url,
        '{ intrinsicValue(symbol: "AAPL") { effectiveIntrinsicValue eps { intrinsicValue } notes } }',
      );
      const value = (answer.data as { intrinsicValue: { effectiveIntrinsicValue: number; eps: { intrinsicValue: number }; notes: string[] } })
        .intrinsicValue;
      expect(value.effectiveIntrinsicValue).toBeGreaterThan(0);
      expect(value.eps.intrinsicValue).toBe(value.effectiveIntrinsicValue);
      expect(value.notes.some((note) => /sample data/i.test(note))).toBe(true);
      expect(server.logs.some((line) => /SAMPLE-DATA MODE/.test(line))).toBe(true);
    } finally {
      await server.stop();
    }
  });
});

describe('start-up', () => {
  it('stops with a clear message naming a bad variable', async () => {
    await expect(startServer({ ALPHAVANTAGE_RATE_LIMIT_PER_MINUTE: 'lots' }, 20_000)).rejects.toThrow(
      /cannot start: invalid configuration:\s+ALPHAVANTAGE_RATE_LIMIT_PER_MINUTE/,
    );
  });
});
