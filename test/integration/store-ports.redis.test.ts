/**
 * The store's ports on Redis: the shared contract (store-ports.contract.ts), then what only
 * Redis shows: physical keys and TTLs, and the daily budget while Redis is down
 * (test/integration/redis-daily-count.test.ts has the rest). Database 13 belongs to this file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisClientType } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { UpstreamRateLimitedError } from '../../src/providers/provider-errors.js';
import { createStore, type Store, type StoreOptions } from '../../src/store/create-store.js';
import { freePort } from '../support/redis-server.js';
import { dropDatabase, freshDatabase, redisUrlFor } from '../support/redis.js';
import { describeCallBudgetContract, describeScanLockContract, describeScanRecordsContract } from './store-ports.contract.js';

const DATABASE = 13;
const NAMESPACE = 'wheel';
const TIMEOUT_MS = 500;
const SCANNER_TTL_MS = 45 * 60 * 1000;
const logger = createLogger('silent');

let redis: RedisClientType;
const stores: Store[] = [];
const directories: string[] = [];

/** a CACHE_DIR of its own: each store is another process (its identity and own count of the day live there) */
function cacheDir(): string {
  const made = mkdtempSync(join(tmpdir(), 'wheel-store-ports-redis-'));
  directories.push(made);
  return made;
}

async function open(options: Partial<StoreOptions> = {}): Promise<Store> {
  const store = createStore({ redisUrl: redisUrlFor(DATABASE), cacheDir: cacheDir(), namespace: NAMESPACE, timeoutMs: TIMEOUT_MS, ...options }, logger);
  stores.push(store);
  await store.ready;
  return store;
}

let down: Promise<Store> | undefined;
/** one store on a port where nothing listens, shared by the tests that need it */
function unavailable(): Promise<Store> {
  down ??= freePort().then(async (port) => {
    const store = createStore({ redisUrl: `redis://127.0.0.1:${port}`, cacheDir: cacheDir(), namespace: NAMESPACE, timeoutMs: TIMEOUT_MS }, logger);
    stores.push(store);
    await store.ready;
    return store;
  });
  return down;
}

beforeAll(async () => {
  redis = await freshDatabase(DATABASE);
});

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await dropDatabase(redis);
  for (const made of directories) rmSync(made, { recursive: true, force: true });
});

describeScanLockContract('Redis, two connections', {
  async locks({ ttlMs, leaseMs } = {}) {
    await redis.del(`${NAMESPACE}:scanner:scan_in_progress`);
    const options = { scanLockTtlMs: ttlMs, scanLeaseMs: leaseMs };
    const [first, second] = await Promise.all([open(options), open(options)]);
    return [first.scanLock, second.scanLock] as const;
  },
});

describeCallBudgetContract('Redis', { open: () => open() });

describeScanRecordsContract('Redis', {
  async fresh() {
    await redis.flushDb();
    return open();
  },
  unavailable,
});

describe('the store on Redis', () => {
  it('is usable while connected, and not while Redis is down', async () => {
    expect(await (await open()).isUsable()).toBe(true);
    expect(await (await unavailable()).isUsable()).toBe(false);
  });

  it('keeps the scan entries under wheel:scanner:* for 45 minutes', async () => {
    await redis.flushDb();
    const { scanRecords, scanLock } = await open();
    await scanRecords.saveResults({}, {});
    await scanRecords.setLastRun('Never mind');
    await scanRecords.setProgress({ startedAt: 'x', finishedAt: null, total: 0, completed: 0 });
    await scanLock.acquire(new Date());
    const keys = ['ticker_options', 'ticker_options_version', 'ticker_scan_times', 'last_run', 'progress', 'scan_in_progress'].map((key) => `wheel:scanner:${key}`);
    // The store's own keys: budgets of earlier tests (still open, their day's heartbeat running) write theirs under test:budget.
    expect((await redis.keys(`${NAMESPACE}:*`)).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      const ttl = await redis.pTTL(key);
      expect({ key, long: ttl > SCANNER_TTL_MS - 60_000 && ttl <= SCANNER_TTL_MS }).toEqual({ key, long: true });
    }
  });

  it("counts the day in {keyPrefix}:daily:{New York day}, a field per process, shared by every process", async () => {
    const options = {
      provider: 'Alpha Vantage',
      perMinute: 6000,
      perDay: 5,
      maxWaitMs: 1000,
      keyPrefix: 'wheel:budget:alphavantage',
      tradingDayOf: () => '2026-11-24',
      windowSeconds: 1,
    };
    const [one, two] = [(await open()).budgets(options), (await open()).budgets(options)];
    await one.acquire();
    await two.acquire();
    await one.acquire();
    const counts = await redis.hGetAll('wheel:budget:alphavantage:daily:2026-11-24');
    expect(Object.values(counts).map(Number).sort()).toEqual([1, 2]);
    expect(await redis.ttl('wheel:budget:alphavantage:daily:2026-11-24')).toBeGreaterThan(24 * 60 * 60);
    // both processes are live, so each share is held for its outages: 5 - 3 = 2 are free, and
    // floor(2 / (2 x 2)) = 0, so neither share keeps the other from the last 2 calls
    await Promise.all([two.acquire(), two.acquire()]);
    await expect(one.acquire()).rejects.toThrow(/daily Alpha Vantage budget of 5 calls is spent/);
  });

  it('while Redis is unreachable, a process that never saw it this day spends one call, then refuses', async () => {
    const budget = (await unavailable()).budgets({
      provider: 'Alpha Vantage',
      perMinute: 6000,
      perDay: 25,
      maxWaitMs: 1000,
      keyPrefix: 'wheel:budget:alphavantage',
      tradingDayOf: () => '2026-11-24',
      windowSeconds: 1,
    });
    await budget.acquire();
    await expect(budget.acquire()).rejects.toThrow(
      new UpstreamRateLimitedError(
        'the daily Alpha Vantage budget is shared through Redis, which does not answer, and this process has spent its share of what remained; try again once Redis is back',
      ),
    );
  });
});
