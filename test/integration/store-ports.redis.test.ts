/**
 * The store's ports on Redis: the shared contract (store-ports.contract.ts), then what only
 * Redis shows: physical keys and TTLs, and the budget's in-memory insurance while Redis is
 * down. Database 13 belongs to this file.
 */
import type { RedisClientType } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
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

async function open(options: Partial<StoreOptions> = {}): Promise<Store> {
  const store = createStore({ redisUrl: redisUrlFor(DATABASE), cacheDir: '.cache', namespace: NAMESPACE, timeoutMs: TIMEOUT_MS, ...options }, logger);
  stores.push(store);
  await store.ready;
  return store;
}

let down: Promise<Store> | undefined;
/** one store on a port where nothing listens, shared by the tests that need it */
function unavailable(): Promise<Store> {
  down ??= freePort().then(async (port) => {
    const store = createStore({ redisUrl: `redis://127.0.0.1:${port}`, cacheDir: '.cache', namespace: NAMESPACE, timeoutMs: TIMEOUT_MS }, logger);
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
});

describeScanLockContract('Redis, two connections', {
  async locks({ ttlMs } = {}) {
    await redis.del(`${NAMESPACE}:scanner:scan_in_progress`);
    const [first, second] = await Promise.all([open({ scanLockTtlMs: ttlMs }), open({ scanLockTtlMs: ttlMs })]);
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
    const keys = ['ticker_options', 'ticker_scan_times', 'last_run', 'progress', 'scan_in_progress'].map((key) => `wheel:scanner:${key}`);
    expect((await redis.keys('*')).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      const ttl = await redis.pTTL(key);
      expect({ key, long: ttl > SCANNER_TTL_MS - 60_000 && ttl <= SCANNER_TTL_MS }).toEqual({ key, long: true });
    }
  });

  it("counts the day under {keyPrefix}:day:{New York day}, shared by every process", async () => {
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
    await Promise.all([one.acquire(), two.acquire(), one.acquire()]);
    expect(await redis.get('wheel:budget:alphavantage:day:2026-11-24')).toBe('3');
    await Promise.all([two.acquire(), two.acquire()]);
    await expect(one.acquire()).rejects.toThrow(/daily Alpha Vantage budget of 5 calls is spent/);
  });

  it('while Redis is down, the budget keeps counting in memory (insurance): calls go, the cap still holds', async () => {
    const budget = (await unavailable()).budgets({
      provider: 'Alpha Vantage',
      perMinute: 6000,
      perDay: 2,
      maxWaitMs: 1000,
      keyPrefix: 'wheel:budget:alphavantage',
      tradingDayOf: () => '2026-11-24',
      windowSeconds: 1,
    });
    await budget.acquire();
    await budget.acquire();
    await expect(budget.acquire()).rejects.toThrow(/daily Alpha Vantage budget of 2 calls is spent/);
  });
});
