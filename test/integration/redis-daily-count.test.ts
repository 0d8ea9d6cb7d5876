/**
 * The daily budget on a real Redis of this file's own (OwnRedis), which the tests empty, stop
 * and start again: the day's count survives FLUSHALL and a restart without Redis, and a
 * process cut off from Redis spends only its share of what remained (plus one call).
 * Two stores on two CACHE_DIRs stand for two server processes; a store opened again on the
 * same CACHE_DIR is the same process restarted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisClientType } from '@redis/client';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { UpstreamRateLimitedError } from '../../src/providers/provider-errors.js';
import type { CallBudget } from '../../src/store/call-budget.port.js';
import { createStore, type Store } from '../../src/store/create-store.js';
import { dayKeys, RedisDailyCount } from '../../src/store/redis/redis-daily-count.js';
import { connectRedis } from '../support/redis.js';
import { OwnRedis } from '../support/redis-server.js';
import { missingRedisServer } from '../support/tools.js';

const DAY = '2026-11-24';
const TIMEOUT_MS = 300;
const logger = createLogger('silent');
const skip = missingRedisServer();

const directories: string[] = [];
let opened: Array<{ close(): Promise<void> }> = [];
const servers: OwnRedis[] = [];
const admins: RedisClientType[] = [];

afterEach(async () => {
  await Promise.all(opened.map((store) => store.close().catch(() => undefined)));
  opened = [];
});

afterAll(async () => {
  for (const admin of admins) admin.destroy();
  await Promise.all(servers.map((server) => server.stop()));
  for (const made of directories) rmSync(made, { recursive: true, force: true });
});

function cacheDir(): string {
  const made = mkdtempSync(join(tmpdir(), 'wheel-daily-'));
  directories.push(made);
  return made;
}

async function ownRedis(): Promise<{ server: OwnRedis; admin: RedisClientType }> {
  const server = await OwnRedis.start();
  servers.push(server);
  const admin = await connectRedis(server.url);
  admins.push(admin);
  return { server, admin };
}

/** A server process's store on `directory` (its CACHE_DIR). */
async function open(url: string, directory: string): Promise<Store> {
  const store = createStore({ redisUrl: url, cacheDir: directory, namespace: 'wheel', timeoutMs: TIMEOUT_MS }, logger);
  opened.push(store);
  await store.ready;
  return store;
}

function budgetOn(store: Store, keyPrefix: string, perDay: number): CallBudget {
  return store.budgets({
    provider: 'Alpha Vantage',
    perMinute: 6000,
    perDay,
    maxWaitMs: 1000,
    keyPrefix,
    tradingDayOf: () => DAY,
    windowSeconds: 1,
  });
}

const SPENT = /^the daily Alpha Vantage budget of \d+ calls is spent/;
const HELD = /^the last \d+ calls of the daily Alpha Vantage budget are held for other processes' outages/;
const OUTAGE = /^the daily Alpha Vantage budget is shared through Redis, which does not answer, and this process has spent its share/;

/**
 * How many of `attempts` acquisitions, one after another (round robin), were granted; every
 * refusal is UPSTREAM_RATE_LIMITED for one of the `reasons`.
 */
async function granted(budgets: readonly CallBudget[], attempts: number, reasons: readonly RegExp[] = [SPENT]): Promise<number> {
  let grants = 0;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    try {
      await budgets[attempt % budgets.length]!.acquire();
      grants += 1;
    } catch (error) {
      expect(error).toBeInstanceOf(UpstreamRateLimitedError);
      expect(reasons.some((reason) => reason.test((error as Error).message)), (error as Error).message).toBe(true);
    }
  }
  return grants;
}

/** every process's count of the day in Redis */
async function countsIn(admin: RedisClientType, keyPrefix: string): Promise<number[]> {
  return Object.values(await admin.hGetAll(dayKeys(keyPrefix, DAY).counts)).map(Number);
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

async function until(condition: () => Promise<boolean>, what: string, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(skip)("the day's count on Redis", () => {
  it('is still right after FLUSHALL: the processes put back what they counted, a closed one included', async () => {
    const { server, admin } = await ownRedis();
    const [one, two, gone] = [await open(server.url, cacheDir()), await open(server.url, cacheDir()), await open(server.url, cacheDir())];
    const [first, second, third] = [one, two, gone].map((store) => budgetOn(store, 'flush', 12));
    expect(await granted([first!, second!, third!], 10)).toBe(10);
    await gone.close(); // gone for good, its share freed; the others saw its calls
    expect(sum(await countsIn(admin, 'flush'))).toBe(10);

    await admin.flushAll();
    expect(await countsIn(admin, 'flush')).toEqual([]);
    // 12 - 10: today's limiter counted the day from zero again here (12 more)
    expect(await granted([first!, second!], 20, [SPENT, HELD])).toBe(2);
    expect(sum(await countsIn(admin, 'flush'))).toBe(12);
  });

  it('keeps the count across a restart while Redis is down, spends only the share, and adds the outage calls back', async () => {
    const { server, admin } = await ownRedis();
    const directory = cacheDir();
    const before = budgetOn(await open(server.url, directory), 'restart', 10);
    expect(await granted([before], 4)).toBe(4);
    // alone and live: half of the 6 left, 3, is held for this process's outages
    expect(await admin.hGet(dayKeys('restart', DAY).shares, Object.keys(await admin.hGetAll(dayKeys('restart', DAY).counts))[0]!)).toBe('3');

    await server.stop();
    const outageSpent = await granted([before], 10, [OUTAGE]);
    expect(outageSpent).toBe(3 + 1);
    await Promise.all(opened.map((store) => store.close()));
    opened = [];

    // the same process restarted (same CACHE_DIR), Redis still down: its outage allowance is spent
    // (today's in-memory insurance counted the day from zero: 10 more)
    const restarted = budgetOn(await open(server.url, directory), 'restart', 10);
    expect(await granted([restarted], 10, [OUTAGE])).toBe(0);

    // Redis back, empty: the restarted process writes its 8 calls back, and 2 are left
    await server.start();
    await until(async () => sum(await countsIn(admin, 'restart')) === 8, 'the 8 calls written back');
    expect(await granted([restarted], 10)).toBe(2);
    expect(sum(await countsIn(admin, 'restart'))).toBe(10);
  });

  it('a process cut off from Redis spends its held share and one call more; the others never spend that share', async () => {
    const { server, admin } = await ownRedis();
    const cap = 20;
    const [cutDir, onDir] = [cacheDir(), cacheDir()];
    const connect = async () => {
      const client = await connectRedis(server.url);
      opened.push({ close: async () => client.destroy() });
      return client;
    };
    const count = (redis: RedisClientType, directory: string) => {
      const daily = new RedisDailyCount({ redis, provider: 'Alpha Vantage', directory, keyPrefix: 'cut', perDay: cap, timeoutMs: TIMEOUT_MS, tradingDayOf: () => DAY, logger, heartbeatMs: 60_000 });
      opened.push({ close: () => daily.close() });
      return daily;
    };
    /** grants of `attempts` takes; each refusal matches `refusal` (false: the cap reached) */
    const takes = async (daily: RedisDailyCount, attempts: number, refusal: RegExp | false) => {
      let grants = 0;
      for (let i = 0; i < attempts; i += 1) {
        const outcome = await daily.take(DAY).catch((error: Error) => error);
        if (outcome === true) grants += 1;
        else if (refusal === false) expect(outcome).toBe(false);
        else expect(outcome instanceof Error ? outcome.message : outcome).toMatch(refusal);
      }
      return grants;
    };
    const cutClient = await connect();
    const [cut, on] = [count(cutClient, cutDir), count(await connect(), onDir)];
    expect(await takes(cut, 2, false)).toBe(2);
    expect(await takes(on, 2, false)).toBe(2);
    await cut.used(DAY); // renews its share with both live: floor((20 - 4 - theirs) / 4)
    const shares = await admin.hGetAll(dayKeys('cut', DAY).shares);
    const ids = Object.keys(await admin.hGetAll(dayKeys('cut', DAY).counts));
    const [cutShare, onShare] = ids.map((id) => Number(shares[id]));
    expect(cutShare).toBe(Math.floor((cap - 4 - onShare!) / 4));
    expect(cutShare).toBeGreaterThan(1);

    cutClient.destroy(); // a partition: only this process loses Redis
    expect(await takes(cut, cap, OUTAGE)).toBe(cutShare! + 1);
    const onSpent = await takes(on, cap, HELD);
    expect(onSpent).toBe(cap - 4 - cutShare!); // the held share is left alone

    // back (a restart on the same CACHE_DIR): its outage calls join the total
    const back = count(await connect(), cutDir);
    await back.used(DAY);
    const upstream = 4 + cutShare! + 1 + onSpent;
    expect(sum(await countsIn(admin, 'cut'))).toBe(upstream);
    expect(upstream).toBeLessThanOrEqual(cap + 1);
    expect(await takes(back, 5, false)).toBe(0);
    expect(await takes(on, 5, false)).toBe(0);
  });

  it('answers within the store timeout while Redis hangs (CLIENT PAUSE), spends its share, and counts those calls once Redis answers', async () => {
    const { server, admin } = await ownRedis();
    const client = await connectRedis(server.url);
    opened.push({ close: async () => client.destroy() });
    const daily = new RedisDailyCount({
      redis: client,
      provider: 'Alpha Vantage',
      directory: cacheDir(),
      keyPrefix: 'hang',
      perDay: 10,
      timeoutMs: TIMEOUT_MS,
      tradingDayOf: () => DAY,
      logger,
      heartbeatMs: 500,
    });
    opened.push({ close: () => daily.close() });
    expect(await daily.take(DAY)).toBe(true);
    expect(await daily.take(DAY)).toBe(true); // alone: floor((10 - 2) / 2) = 4 held for it

    await admin.sendCommand(['CLIENT', 'PAUSE', '2500', 'ALL']); // every command waits: a hung Redis
    const outcomes: Array<{ ms: number; outcome: boolean | string }> = [];
    for (let i = 0; i < 6; i += 1) {
      const started = performance.now();
      const outcome = await daily.take(DAY).catch((error: Error) => error.message);
      outcomes.push({ ms: performance.now() - started, outcome });
    }
    expect(outcomes.map(({ outcome }) => outcome === true)).toEqual([true, true, true, true, true, false]);
    expect(outcomes[5]!.outcome).toMatch(OUTAGE);
    // the first waits out the timeout; the next do not ask the hung Redis again
    expect(outcomes[0]!.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(outcomes[0]!.ms).toBeLessThan(TIMEOUT_MS + 700);
    for (const { ms } of outcomes.slice(1)) expect(ms).toBeLessThan(TIMEOUT_MS);

    // (used() refuses while this process still takes Redis for unreachable)
    await until(async () => (await daily.used(DAY)) === 2 + 5, 'the 5 calls made while Redis hung counted');
    expect(sum(await countsIn(admin, 'hang'))).toBe(7);
    expect(await daily.take(DAY)).toBe(true);
    expect(sum(await countsIn(admin, 'hang'))).toBe(8);
  });
});
