/**
 * The store's ports on the embedded store (no REDIS_URL): the shared contract
 * (store-ports.contract.ts), then the local daily budget's file.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Keyv } from 'keyv';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import type { CallBudgetOptions } from '../../src/store/call-budget.port.js';
import { createStore, type Store, type StoreOptions } from '../../src/store/create-store.js';
import { LocalScanLock } from '../../src/store/local/local-scan-lock.js';
import { seededCacheDir } from '../support/embedded-store-template.js';
import { describeCallBudgetContract, describeScanLockContract, describeScanRecordsContract } from './store-ports.contract.js';

const logger = createLogger('silent');
const directories: string[] = [];
const stores: Store[] = [];

function directory(): string {
  const made = seededCacheDir('wheel-store-ports-');
  directories.push(made);
  return made;
}

async function open(cacheDir: string, options: Partial<StoreOptions> = {}): Promise<Store> {
  const store = createStore({ redisUrl: undefined, cacheDir, namespace: 'wheel', timeoutMs: 500, ...options }, logger);
  stores.push(store);
  await store.ready;
  return store;
}

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  for (const made of directories) rmSync(made, { recursive: true, force: true });
});

describeScanLockContract('embedded store, one process', {
  async locks({ ttlMs, leaseMs } = {}) {
    const { scanLock } = await open(directory(), { scanLockTtlMs: ttlMs, scanLeaseMs: leaseMs });
    return [scanLock, scanLock] as const;
  },
});

describe("the embedded scan lock's lease, on its injected clock", () => {
  it('holds for the lease after the last heartbeat, then is taken over; the old owner neither renews nor releases it', async () => {
    let now = Date.parse('2026-11-24T15:00:00.000Z');
    const lock = new LocalScanLock({ keyv: new Keyv(), timeoutMs: 500, leaseMs: 30_000, clock: () => new Date(now) });
    const old = (await lock.acquire(new Date(now)))!;
    now += 20_000;
    expect(await lock.renew(old)).toBe(true);
    now += 30_000; // 30 s after the last heartbeat: still held
    expect(await lock.holder()).toMatchObject({ owner: old, heartbeatAt: '2026-11-24T15:00:20.000Z', lapsed: false });
    expect(await lock.acquire(new Date(now))).toBeUndefined();

    now += 1; // one millisecond past the lease
    expect(await lock.holder()).toMatchObject({ owner: old, lapsed: true });
    const next = await lock.acquire(new Date(now));
    expect(next).toEqual(expect.any(String));
    expect(await lock.renew(old)).toBe(false);
    await lock.release(old);
    expect(await lock.holder()).toEqual({ owner: next, startedAt: new Date(now).toISOString(), heartbeatAt: new Date(now).toISOString(), lapsed: false });
  });
});

const budgetDirectory = directory();
describeCallBudgetContract('embedded store, restarts on one CACHE_DIR', { open: () => open(budgetDirectory) });

describeScanRecordsContract('embedded store', { fresh: () => open(directory()) });

describe('the daily budget without Redis', () => {
  const options: CallBudgetOptions = {
    provider: 'Alpha Vantage',
    perMinute: 6000,
    perDay: 3,
    maxWaitMs: 1000,
    keyPrefix: 'wheel:budget:alphavantage',
    tradingDayOf: () => '2026-11-24',
    windowSeconds: 1,
  };

  it('is kept in CACHE_DIR/wheel-budget-alphavantage-day.json as {day, used}, written whole (no temporary left)', async () => {
    const cacheDir = directory();
    const budget = (await open(cacheDir)).budgets(options);
    await budget.acquire();
    await budget.acquire();
    const file = join(cacheDir, 'wheel-budget-alphavantage-day.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ day: '2026-11-24', used: 2 });
    expect(readdirSync(cacheDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('is not written when there is no daily cap', async () => {
    const cacheDir = directory();
    await (await open(cacheDir)).budgets({ ...options, perDay: 0 }).acquire();
    expect(existsSync(join(cacheDir, 'wheel-budget-alphavantage-day.json'))).toBe(false);
  });

  it('counts from zero when the file holds no count (and still counts on)', async () => {
    const cacheDir = directory();
    writeFileSync(join(cacheDir, 'wheel-budget-alphavantage-day.json'), '{"day": 3');
    const budget = (await open(cacheDir)).budgets(options);
    for (let i = 0; i < 3; i += 1) await budget.acquire();
    await expect(budget.acquire()).rejects.toThrow(/daily Alpha Vantage budget of 3 calls is spent/);
    expect(JSON.parse(readFileSync(join(cacheDir, 'wheel-budget-alphavantage-day.json'), 'utf8'))).toEqual({ day: '2026-11-24', used: 3 });
  });

  it('keeps budgets of different key prefixes apart', async () => {
    const cacheDir = directory();
    const store = await open(cacheDir);
    const alpha = store.budgets({ ...options, perDay: 1 });
    const other = store.budgets({ ...options, perDay: 1, keyPrefix: 'wheel:budget:other' });
    await alpha.acquire();
    await other.acquire();
    await expect(alpha.acquire()).rejects.toThrow(/is spent/);
    expect(readdirSync(cacheDir).filter((name) => name.includes('budget')).sort()).toEqual([
      'wheel-budget-alphavantage-day.json',
      'wheel-budget-other-day.json',
    ]);
  });
});
