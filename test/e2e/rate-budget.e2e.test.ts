import type { RedisClientType } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CURATED_SYMBOLS } from '../../src/config.js';
import { IntrinsicValueDocument, IntrinsicValuesDocument } from '../generated/graphql.js';
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { ask, errorCodes } from '../support/graphql-client.js';
import { dropDatabase, freshDatabase, redisUrlFor } from '../support/redis.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { mostInAnyWindow } from '../support/sliding-window.js';

const DATABASE = 3;
/** 10 a minute: paced, one call per window of 6 s (+ 0.25 s margin), shared through Redis */
const PER_MINUTE = 10;
const WINDOW_MS = 60_000 / PER_MINUTE;
/** calls may queue this long: room for the windows starting at 0 and at ~6.25 s, not for a third */
const OBSERVED_MS = 8_000;

let fake: FakeAlphaVantage;
let redis: RedisClientType;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  redis = await freshDatabase(DATABASE);
  fake = await startFakeAlphaVantage();
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await fake?.close();
  await dropDatabase(redis);
});

describe('the shared rate budget', () => {
  it(
    // The budget's windowing over a whole minute is tested with a shortened "minute" in
    // test/integration/rate-budget.test.ts; here: two real processes draw on one budget.
    'keeps two server processes on one Redis within one budget between them: one call per 6 s window at 10 a minute',
    async () => {
      const env = {
        REDIS_URL: redisUrlFor(DATABASE),
        ALPHAVANTAGE_API_KEY: 'budget-key',
        ALPHAVANTAGE_BASE_URL: fake.url,
        ALPHAVANTAGE_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
        ALPHAVANTAGE_RATE_LIMIT_PER_DAY: '0',
        ALPHAVANTAGE_MAX_QUEUE_WAIT_MS: String(OBSERVED_MS),
      };
      servers.push(await startServer(env), await startServer(env));
      const symbols = [...DEFAULT_CURATED_SYMBOLS];
      // Each process wants 78 calls; the budget lets one call per 6 s through for both together.
      const answers = await Promise.all([
        ask(servers[0]!.url, IntrinsicValuesDocument, { symbols }),
        ask(servers[1]!.url, IntrinsicValuesDocument, { symbols: [...symbols].reverse() }),
      ]);
      for (const answer of answers) expect(errorCodes(answer)).toContain('UPSTREAM_RATE_LIMITED');

      const times = fake.calls.map((call) => call.at);
      // Two windows passed: two calls between both processes (each on its own budget would make four).
      expect(times).toHaveLength(2);
      expect(mostInAnyWindow(times, WINDOW_MS)).toBe(1);
      const sorted = [...times].sort((a, b) => a - b);
      for (let index = 1; index < sorted.length; index += 1) expect(sorted[index]! - sorted[index - 1]!).toBeGreaterThanOrEqual(WINDOW_MS - 10);
    },
    OBSERVED_MS + 30_000,
  );

  it('answers UPSTREAM_RATE_LIMITED at once when the daily budget is spent, and keeps the count in Redis', async () => {
    const env = {
      REDIS_URL: redisUrlFor(DATABASE),
      ALPHAVANTAGE_API_KEY: 'budget-key',
      ALPHAVANTAGE_BASE_URL: fake.url,
      ALPHAVANTAGE_RATE_LIMIT_PER_MINUTE: '6000',
      ALPHAVANTAGE_RATE_LIMIT_PER_DAY: '3',
    };
    const first = await startServer(env);
    servers.push(first);
    const spent = await ask(first.url, IntrinsicValueDocument, { symbol: 'NVDA' });
    expect(spent.errors).toEqual([]);
    await first.stop();

    // A new process sees the same spent budget: it lives in Redis, not in the process.
    const second = await startServer(env);
    servers.push(second);
    fake.resetCalls();
    const started = Date.now();
    const refused = await ask(second.url, IntrinsicValueDocument, { symbol: 'META' });
    expect(errorCodes(refused)).toEqual(['UPSTREAM_RATE_LIMITED']);
    expect(refused.errors[0]?.message).toMatch(/daily/);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(fake.calls).toHaveLength(0);
  });
});
