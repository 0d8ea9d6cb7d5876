/**
 * The store on a hung Redis (SIGSTOP: the connections stay open and nothing answers, as
 * with a full network buffer or a failover in progress), on a Redis of this file's own:
 * every call is bounded by the store timeout, then fails at once until Redis answers a
 * PING again; the cache reads a miss, the budget counts in process, readiness says no, and
 * close() does not wait for replies that never come.
 * (test/e2e/redis-hang.e2e.test.ts does the same to the real process under load.)
 */
import { randomUUID } from 'node:crypto';
import type { RedisClientType } from '@redis/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import type { CallBudget } from '../../src/store/call-budget.port.js';
import { createStore, type Store } from '../../src/store/create-store.js';
import { RedisLiveness } from '../../src/store/redis/redis-liveness.js';
import { commandCalls, connectRedis } from '../support/redis.js';
import { OwnRedis } from '../support/redis-server.js';
import { missingRedisServer } from '../support/tools.js';

const TIMEOUT_MS = 300;
/** what a call bounded by the timeout may take on top of it on a busy machine */
const SLACK_MS = 250;
const logger = createLogger('silent');

const skip = missingRedisServer();
let redis: OwnRedis;
let inspector: RedisClientType;
const stores: Store[] = [];

beforeAll(async () => {
  if (skip) return;
  redis = await OwnRedis.start();
  inspector = await connectRedis(redis.url);
});

afterEach(() => redis?.resume());

afterAll(async () => {
  redis?.resume();
  await Promise.all(stores.map((store) => store.close()));
  inspector?.destroy();
  await redis?.stop();
});

async function openStore(): Promise<Store> {
  const store = createStore({ redisUrl: redis.url, cacheDir: '.cache', namespace: 'wheel', timeoutMs: TIMEOUT_MS }, logger);
  stores.push(store);
  await store.ready;
  return store;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const budgetOn = (store: Store, perDay: number): CallBudget =>
  store.budgets({
    provider: 'Alpha Vantage',
    perMinute: 6000,
    perDay,
    maxWaitMs: 10_000,
    keyPrefix: `test:hang:${randomUUID()}`,
    tradingDayOf: () => '2026-11-24',
  });

const scriptCalls = async () => {
  const calls = await commandCalls(inspector);
  return (calls['eval'] ?? 0) + (calls['evalsha'] ?? 0);
};

describe.skipIf(skip)('the store on a hung Redis', () => {
  it('reads a miss within the store timeout, then at once, and hits again once Redis answers', async () => {
    const { cache } = await openStore();
    expect(await cache.set('kept', { value: 1 }, 60_000)).toBe(true);

    redis.pause();
    const first = await timed(() => cache.getMany(['kept']));
    expect(first.value).toEqual([undefined]);
    expect(first.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(first.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    // Known not to answer: no second wait of the whole timeout.
    const second = await timed(() => cache.getMany(['kept']));
    expect(second.value).toEqual([undefined]);
    expect(second.ms).toBeLessThan(50);
    const write = await timed(() => cache.set('other', 2, 60_000));
    expect(write).toMatchObject({ value: false });
    expect(write.ms).toBeLessThan(50);

    redis.resume();
    await waitFor('a cache hit after SIGCONT', async () => (await cache.getMany(['kept']))[0] !== undefined);
    expect(await cache.getMany(['kept'])).toEqual([{ value: 1 }]);
  });

  it('is not usable while Redis hangs, within the store timeout, and usable again once it answers', async () => {
    const store = await openStore();
    expect(await store.isUsable()).toBe(true);

    redis.pause();
    // The last answer vouches for a second at most, then a PING within the timeout decides.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const probe = await timed(async () => store.isUsable());
    expect(probe.value).toBe(false);
    expect(probe.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    expect((await timed(async () => store.isUsable())).ms).toBeLessThan(50);

    redis.resume();
    await waitFor('usable after SIGCONT', async () => (await store.isUsable()) === true);
  });

  it('asks one PING for any number of probes at once, and none while an answer is fresh', async () => {
    const store = await openStore();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const before = (await commandCalls(inspector))['ping'] ?? 0;
    expect(await Promise.all(Array.from({ length: 20 }, async () => store.isUsable()))).toEqual(Array(20).fill(true));
    expect(await Promise.all(Array.from({ length: 20 }, async () => store.isUsable()))).toEqual(Array(20).fill(true));
    expect(((await commandCalls(inspector))['ping'] ?? 0) - before).toBe(1);
  });

  it('grants budget calls within the store timeout on a hung Redis (minute and day), counting in process, and on Redis again once it answers', async () => {
    const store = await openStore();
    const budget = budgetOn(store, 1_000);
    const onRedis = await scriptCalls();
    await budget.acquire();
    expect(await scriptCalls()).toBeGreaterThan(onRedis);

    redis.pause();
    // The day's count and the minute's, each on a Redis that does not answer: the first
    // call waits the timeout once, the rest are counted in process at once.
    const hung = await timed(async () => {
      for (let call = 0; call < 5; call += 1) await budget.acquire();
    });
    expect(hung.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);

    redis.resume();
    await waitFor('budget calls counted on Redis again', async () => {
      const before = await scriptCalls();
      await budget.acquire();
      return (await scriptCalls()) > before;
    });
  });

  it('stops the budget waiting at once when the cache finds Redis hung', async () => {
    const store = await openStore();
    const budget = budgetOn(store, 1_000);
    await budget.acquire();
    redis.pause();
    await store.cache.getMany(['anything']);
    expect((await timed(() => budget.acquire())).ms).toBeLessThan(50);
  });

  it('closes within the store timeout while Redis hangs with replies still due', async () => {
    const store = await openStore();
    redis.pause();
    void store.cache.getMany(['due']);
    const closing = await timed(() => store.close());
    expect(closing.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
  });
});

describe.skipIf(skip)('RedisLiveness', () => {
  it('takes a reply that came while the event loop was busy past the timeout for an answer, not a hang', async () => {
    const client = await connectRedis(redis.url);
    try {
      const liveness = new RedisLiveness({ redis: client, timeoutMs: TIMEOUT_MS, logger, name: 'test' });
      await client.set('busy', 'answered');
      const call = liveness.run(() => client.get('busy'));
      // node-redis writes on the next setImmediate: after it, busy the loop past the timeout.
      await new Promise((resolve) => setImmediate(resolve));
      const until = performance.now() + 2 * TIMEOUT_MS;
      while (performance.now() < until);
      expect(await call).toBe('answered');
      expect(await liveness.run(() => client.get('busy'))).toBe('answered');
    } finally {
      client.destroy();
    }
  });
});
