/**
 * The rate budget on the real Redis, with its "minute" shortened to a few seconds so that
 * several windows pass in a test: above one call a second (bursts) and at or below it
 * (paced). Two budgets on two connections stand for two server processes.
 * (test/e2e/rate-budget.e2e.test.ts checks that two real processes share one budget.)
 * Redis database owned by this file: 7.
 */
import type { RedisClientType } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import type { CallBudget } from '../../src/store/call-budget.port.js';
import { createStore, type Store } from '../../src/store/create-store.js';
import { seededCacheDir } from '../support/embedded-store-template.js';
import { dropDatabase, freshDatabase, redisUrlFor } from '../support/redis.js';
import { mostInAnyWindow } from '../support/sliding-window.js';

const DATABASE = 7;
const WINDOW_S = 2;
const PER_WINDOW = 100;

let redis: RedisClientType;
const stores: Store[] = [];

beforeAll(async () => {
  redis = await freshDatabase(DATABASE);
});

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await dropDatabase(redis);
});

async function budget(
  keyPrefix: string,
  onRedis: boolean,
  { perMinute = PER_WINDOW, windowSeconds = WINDOW_S, maxWaitMs = 30_000, account = undefined as string | undefined } = {},
): Promise<CallBudget> {
  // one store per budget: on Redis, one connection each, as two processes would have
  const store = createStore(
    {
      redisUrl: onRedis ? redisUrlFor(DATABASE) : undefined,
      cacheDir: seededCacheDir('wheel-budget-'),
      namespace: 'wheel',
      timeoutMs: 1000,
    },
    createLogger('silent'),
  );
  stores.push(store);
  await store.ready;
  return store.budgets({
    provider: 'Alpha Vantage',
    perMinute,
    perDay: 0,
    maxWaitMs,
    keyPrefix,
    tradingDayOf: () => '2026-11-24',
    windowSeconds,
    ...(account === undefined ? {} : { account }),
  });
}

/** ms after the start at which each of `count` acquisitions, asked all at once, was granted */
async function grantTimes(budgets: readonly CallBudget[], count: number): Promise<number[]> {
  const started = performance.now();
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      await budgets[index % budgets.length]!.acquire();
      return performance.now() - started;
    }),
  );
}

describe('RateBudget on Redis, a short "minute"', () => {
  it('shared by two processes: grants the whole budget at once, then never more than the budget in any sliding window', async () => {
    const times = await grantTimes([await budget('shared', true), await budget('shared', true)], 230);
    const burst = times.filter((ms) => ms < 1000);
    expect(burst).toHaveLength(PER_WINDOW);
    expect(Math.max(...burst)).toBeLessThan(500);
    expect(mostInAnyWindow(times, WINDOW_S * 1000)).toBeLessThanOrEqual(PER_WINDOW);
    // every window is a quarter second longer than the budget's, against network jitter
    expect(Math.min(...times.filter((ms) => ms >= 1000))).toBeGreaterThanOrEqual(WINDOW_S * 1000 + 200);
    expect(Math.max(...times)).toBeLessThan(3 * WINDOW_S * 1000 + 1500);
  });

  it('of two API keys on one Redis: each key gets its whole minute at once, and shares it with the processes of the same key only', async () => {
    const [first, sameKey, otherKey] = await Promise.all([
      budget('accounts', true, { account: 'key-one' }),
      budget('accounts', true, { account: 'key-one' }),
      budget('accounts', true, { account: 'key-two' }),
    ]);
    const [firstKey, secondKey] = await Promise.all([grantTimes([first, sameKey], PER_WINDOW + 20), grantTimes([otherKey], PER_WINDOW)]);
    expect(secondKey.filter((ms) => ms < 1000)).toHaveLength(PER_WINDOW);
    // the key's own budget: its two processes together get the window's calls at once, no more
    expect(firstKey.filter((ms) => ms < 1000)).toHaveLength(PER_WINDOW);
    expect(mostInAnyWindow(firstKey, WINDOW_S * 1000)).toBeLessThanOrEqual(PER_WINDOW);
  });

  it('paced (at most one call a second) and shared by two processes: never more than the budget in any sliding window, never two calls within a second', async () => {
    // 3 calls in a "minute" of 3 s: windows of one call, 1 s (+ the margin) long, as 60 a minute
    // would be; 10 a minute are windows of 6 s, the same script.
    const paced = { perMinute: 3, windowSeconds: 3 };
    const times = await grantTimes([await budget('paced', true, paced), await budget('paced', true, paced)], 5);
    const sorted = [...times].sort((a, b) => a - b);
    expect(sorted[0]).toBeLessThan(500);
    expect(mostInAnyWindow(times, paced.windowSeconds * 1000)).toBeLessThanOrEqual(paced.perMinute);
    for (let index = 1; index < sorted.length; index += 1) expect(sorted[index]! - sorted[index - 1]!).toBeGreaterThanOrEqual(990);
    expect(sorted.at(-1)).toBeLessThan(5 * 1250 + 1500);
  });

  it.each([
    ['bursting', 100],
    ['paced', 3],
  ])('refuses a call that would wait past maxWaitMs when it is due, not when the window ends (%s)', async (_, perMinute) => {
    const limited = await budget(`deadline-${perMinute}`, true, { perMinute, windowSeconds: 10, maxWaitMs: 1000 });
    await grantTimes([limited], perMinute > 10 ? perMinute : 1); // the window's whole budget
    const started = performance.now();
    await expect(limited.acquire()).rejects.toThrow(/budget of \d+ calls a minute is in use/);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('without Redis: at once up to half the budget, never more than the budget in any sliding window', async () => {
    const times = await grantTimes([await budget('local', false)], 70);
    expect(times.filter((ms) => ms < 500)).toHaveLength(PER_WINDOW / 2);
    expect(mostInAnyWindow(times, WINDOW_S * 1000)).toBeLessThanOrEqual(PER_WINDOW);
    expect(Math.max(...times)).toBeLessThan((WINDOW_S + 1) * 1000 + 1500);
  });
});
