import type { RedisClientType } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CURATED_SYMBOLS } from '../../src/config.js';
import { newYorkDate } from '../../src/domain/market-calendar.js';
import { IntrinsicValueDocument, IntrinsicValuesDocument } from '../generated/graphql.js';
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { ask, errorCodes, type GraphQLAnswer } from '../support/graphql-client.js';
import { connectRedis, dropDatabase, freshDatabase, redisUrlFor } from '../support/redis.js';
import { OwnRedis } from '../support/redis-server.js';
import { seededCacheDir } from '../support/embedded-store-template.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { mostInAnyWindow } from '../support/sliding-window.js';
import { missingRedisServer } from '../support/tools.js';

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

describe.skipIf(missingRedisServer())('the daily budget through restarts and Redis outages', () => {
  const CAP = 40;
  const PROCESSES = 2;
  const OUTAGES = 2;

  it(
    `lets the upstream see at most the cap plus one call per process per outage (${CAP} + ${PROCESSES} x ${OUTAGES}), then answers UPSTREAM_RATE_LIMITED`,
    async () => {
      const own = await OwnRedis.start();
      const admin = await connectRedis(own.url);
      try {
        fake.resetCalls();
        // one CACHE_DIR per process, kept across its restarts: the process's identity and own count;
        // seeded, since without DATABASE_URL its durable data opens a PGlite there (a fresh initdb takes 3-15 s)
        const cacheDirs = [0, 1].map(() => seededCacheDir('wheel-budget-e2e-'));
        const env = (index: number) => ({
          REDIS_URL: own.url,
          CACHE_DIR: cacheDirs[index],
          ALPHAVANTAGE_API_KEY: 'budget-key',
          ALPHAVANTAGE_BASE_URL: fake.url,
          ALPHAVANTAGE_RATE_LIMIT_PER_MINUTE: '6000',
          ALPHAVANTAGE_RATE_LIMIT_PER_DAY: String(CAP),
          ALPHAVANTAGE_RETRIES: '0',
          STORE_TIMEOUT_MS: '300',
        });
        const running: ServerProcess[] = [];
        const start = async (index: number) => {
          running[index] = await startServer(env(index));
          servers.push(running[index]!);
        };
        await Promise.all([start(0), start(1)]);

        // a symbol never asked before, so every answer needs the upstream (3 calls at most)
        let asked = 0;
        const answers: Array<GraphQLAnswer<unknown>> = [];
        const askEach = async (indexes: readonly number[] = [0, 1]) => {
          for (const index of indexes) {
            asked += 1;
            answers.push(await ask(running[index]!.url, IntrinsicValueDocument, { symbol: `BUDG${asked}` }));
          }
        };
        const live = `wheel:budget:alphavantage:daily:${newYorkDate(new Date())}:live`;
        /** both processes have synced with the Redis that came back (each is in its heartbeat registry) */
        const synced = async () => {
          const deadline = Date.now() + 15_000;
          while ((await admin.zCard(live).catch(() => 0)) < PROCESSES) {
            if (Date.now() > deadline) throw new Error('the processes did not sync with Redis within 15 s');
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        };
        const figures: Record<string, number> = {};

        await askEach();
        figures['redis up'] = fake.calls.length;

        // outage 1: Redis stops, each process answers what its share allows, and Redis comes back empty
        await own.stop();
        await askEach();
        await askEach();
        figures['outage 1'] = fake.calls.length;
        await own.start();
        await synced();
        await askEach();
        figures['after an empty Redis'] = fake.calls.length;

        // outage 2: Redis stops; both keep asking; the first process restarts meanwhile
        await own.stop();
        await askEach();
        await askEach();
        figures['outage 2'] = fake.calls.length;
        await running[0]!.stop();
        await start(0);
        await askEach();
        await askEach();
        figures['outage 2, after a restart in it'] = fake.calls.length;

        // Redis back, empty again: asked until both processes say the day is spent
        await own.start();
        await synced();
        const spent = (answer: GraphQLAnswer<unknown> | undefined) =>
          answer !== undefined && answer.errors.some((error) => error.extensions?.['code'] === 'UPSTREAM_RATE_LIMITED' && /daily .* is spent/.test(error.message));
        for (let round = 0; round < 15 && !(spent(answers.at(-1)) && spent(answers.at(-2))); round += 1) await askEach();
        figures['at the end'] = fake.calls.length;

        expect(spent(answers.at(-1)) && spent(answers.at(-2)), JSON.stringify(answers.slice(-2))).toBe(true);
        expect(fake.calls.length, JSON.stringify(figures)).toBeLessThanOrEqual(CAP + PROCESSES * OUTAGES);
        // nothing lost either: the whole day's budget was there to spend
        expect(fake.calls.length, JSON.stringify(figures)).toBeGreaterThanOrEqual(CAP);
      } finally {
        admin.destroy();
        await own.stop();
      }
    },
    120_000,
  );
});
