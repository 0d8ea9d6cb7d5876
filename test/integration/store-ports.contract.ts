/**
 * What every implementation of the store's ports promises, as one suite that each store's
 * test file runs against its own implementation (as @keyv/test-suite does for Keyv
 * adapters): store-ports.redis.test.ts and store-ports.local.test.ts. Nothing here knows
 * which store it is talking to.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newYorkDate } from '../../src/domain/market-calendar.js';
import type { CallBudget, CallBudgetOptions } from '../../src/store/call-budget.port.js';
import type { Store } from '../../src/store/create-store.js';
import type { ScanLock } from '../../src/store/scan-lock.port.js';
import { NEVER_RUN, type ScanProgressRecord, type TickerOptions } from '../../src/store/scan-records.port.js';
import { StoreUnavailableError } from '../../src/store/store-unavailable.error.js';
import { UpstreamRateLimitedError } from '../../src/providers/provider-errors.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface ScanLockFixture {
  /**
   * Two handles on one free lock, standing for two processes: on Redis, two stores on
   * separate connections; on the embedded store (one process), that process's lock twice.
   */
  locks(options?: { ttlMs?: number; leaseMs?: number }): Promise<readonly [ScanLock, ScanLock]>;
}

export function describeScanLockContract(name: string, fixture: ScanLockFixture): void {
  describe(`ScanLock contract: ${name}`, () => {
    it('is taken when free, and names its holder, the start and a fresh heartbeat', async () => {
      const [lock] = await fixture.locks();
      expect(await lock.holder()).toBeUndefined();
      const now = new Date('2026-11-24T15:00:00.000Z');
      const before = Date.now();
      const token = await lock.acquire(now);
      expect(token).toEqual(expect.any(String));
      const holder = await lock.holder();
      expect(holder).toEqual({ owner: token, startedAt: now.toISOString(), heartbeatAt: expect.any(String), lapsed: false });
      // the store's clock, which is this machine's here
      const beat = new Date(holder!.heartbeatAt!).getTime();
      expect(beat).toBeGreaterThanOrEqual(before - 1000);
      expect(beat).toBeLessThanOrEqual(Date.now() + 1000);
    });

    it('is refused while held, to the other process and to its own', async () => {
      const [mine, theirs] = await fixture.locks();
      const token = await mine.acquire(new Date());
      expect(token).toBeDefined();
      expect(await theirs.acquire(new Date())).toBeUndefined();
      expect(await mine.acquire(new Date())).toBeUndefined();
      expect((await theirs.holder())?.owner).toBe(token);
    });

    it('gives exactly one token among 40 concurrent acquires', async () => {
      const locks = await fixture.locks();
      const tokens = await Promise.all(Array.from({ length: 40 }, (_, i) => locks[i % 2]!.acquire(new Date())));
      const winners = tokens.filter((token) => token !== undefined);
      expect(winners).toHaveLength(1);
      expect((await locks[1].holder())?.owner).toBe(winners[0]);
    });

    it('is released only by its exact owner, then free for the next acquire', async () => {
      const [mine, theirs] = await fixture.locks();
      const token = (await mine.acquire(new Date()))!;
      for (const impostor of [randomUUID(), token.slice(0, 8), `${token} `, 'owner', '']) {
        await theirs.release(impostor);
        await mine.release(impostor);
        expect({ impostor, holder: (await theirs.holder())?.owner }).toEqual({ impostor, holder: token });
      }
      await mine.release(token);
      expect(await theirs.holder()).toBeUndefined();
      const next = await theirs.acquire(new Date());
      expect(next).toEqual(expect.any(String));
      expect(next).not.toBe(token);
    });

    it('expires by its TTL when never released, and the old owner cannot release its successor', async () => {
      const [crashing, successor] = await fixture.locks({ ttlMs: 300 });
      const old = (await crashing.acquire(new Date()))!;
      expect(old).toBeDefined();
      expect(await successor.acquire(new Date())).toBeUndefined();

      await sleep(450);
      expect(await successor.holder()).toBeUndefined();
      const token = await successor.acquire(new Date());
      expect(token).toEqual(expect.any(String));
      await crashing.release(old); // late: its entry is long gone
      expect((await successor.holder())?.owner).toBe(token);
    });

    it('renews the heartbeat for its exact owner only, and never brings back an entry that is gone', async () => {
      const [mine, theirs] = await fixture.locks();
      const token = (await mine.acquire(new Date()))!;
      const first = (await theirs.holder())!.heartbeatAt!;
      await sleep(30);
      expect(await mine.renew(token)).toBe(true);
      const renewed = (await theirs.holder())!;
      expect(new Date(renewed.heartbeatAt!).getTime()).toBeGreaterThan(new Date(first).getTime());
      expect(renewed.startedAt).toBe((await mine.holder())!.startedAt);

      for (const impostor of [randomUUID(), token.slice(0, 8), '']) {
        expect({ impostor, renewed: await theirs.renew(impostor) }).toEqual({ impostor, renewed: false });
      }
      expect((await theirs.holder())).toEqual(renewed);

      await mine.release(token);
      expect(await mine.renew(token)).toBe(false);
      expect(await theirs.holder()).toBeUndefined();
    });

    it('keeps the entry past its TTL while renewed (each heartbeat renews the TTL too)', async () => {
      const [mine, theirs] = await fixture.locks({ ttlMs: 400 });
      const token = (await mine.acquire(new Date()))!;
      for (let i = 0; i < 8; i += 1) {
        await sleep(100);
        expect(await mine.renew(token)).toBe(true);
      }
      expect((await theirs.holder())?.owner).toBe(token);
      await sleep(550);
      expect(await theirs.holder()).toBeUndefined();
    });

    it('is never taken over while its heartbeat is renewed within the lease', async () => {
      const [mine, theirs] = await fixture.locks({ leaseMs: 300 });
      const token = (await mine.acquire(new Date()))!;
      for (let i = 0; i < 8; i += 1) {
        await sleep(100);
        expect(await mine.renew(token)).toBe(true);
        expect(await theirs.acquire(new Date())).toBeUndefined();
      }
      expect(await theirs.holder()).toMatchObject({ owner: token, lapsed: false });
    });

    it('lapses without a heartbeat for longer than the lease: exactly one of 40 acquires takes it over, and the old owner can neither renew nor release it', async () => {
      const locks = await fixture.locks({ leaseMs: 300 });
      const [silent] = locks;
      const old = (await silent.acquire(new Date()))!;
      await sleep(450);
      const lapsed = await locks[1].holder();
      expect(lapsed).toMatchObject({ owner: old, lapsed: true });

      const tokens = await Promise.all(Array.from({ length: 40 }, (_, i) => locks[i % 2]!.acquire(new Date())));
      const winners = tokens.filter((token) => token !== undefined);
      expect(winners).toHaveLength(1);
      expect(winners[0]).not.toBe(old);
      expect(await silent.renew(old)).toBe(false);
      await silent.release(old);
      expect(await locks[1].holder()).toMatchObject({ owner: winners[0], lapsed: false });
    });

    it('is cleared by hand whoever holds it, giving back the holder it freed; the freed owner no longer holds it', async () => {
      const [mine, theirs] = await fixture.locks();
      expect(await theirs.clear()).toBeUndefined();
      const token = (await mine.acquire(new Date('2026-11-24T15:00:00.000Z')))!;
      expect(await theirs.clear()).toMatchObject({ owner: token, startedAt: '2026-11-24T15:00:00.000Z', lapsed: false });
      expect(await mine.holder()).toBeUndefined();
      expect(await mine.renew(token)).toBe(false);
      expect(await theirs.clear()).toBeUndefined();
      expect(await theirs.acquire(new Date())).toEqual(expect.any(String));
    });
  });
}

export interface CallBudgetFixture {
  /** the store as a process opens it: a second call is another process, or the same one after a restart */
  open(): Promise<Store>;
}

export function describeCallBudgetContract(name: string, fixture: CallBudgetFixture): void {
  const budgetOn = (store: Store, options: Partial<CallBudgetOptions> & { keyPrefix: string }): CallBudget =>
    store.budgets({
      provider: 'Alpha Vantage',
      perMinute: 6000,
      perDay: 0,
      maxWaitMs: 10_000,
      tradingDayOf: () => '2026-11-24',
      windowSeconds: 1,
      ...options,
    });
  const prefix = () => `test:budget:${randomUUID()}`;

  describe(`CallBudget contract: ${name}`, () => {
    it('paces calls at 60 a "minute" or less: never two within one window of 60/perMinute', async () => {
      // a "minute" of 2 s and 2 calls in it: one call a second
      const budget = budgetOn(await fixture.open(), { keyPrefix: prefix(), perMinute: 2, windowSeconds: 2 });
      const started = performance.now();
      const times = await Promise.all(Array.from({ length: 3 }, () => budget.acquire().then(() => performance.now() - started)));
      times.sort((a, b) => a - b);
      expect(times[0]).toBeLessThan(500);
      for (let i = 1; i < times.length; i += 1) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(950);
    });

    it('refuses, naming the provider, a call that would wait for the minute past maxWaitMs', async () => {
      const budget = budgetOn(await fixture.open(), {
        keyPrefix: prefix(),
        provider: 'marketdata.app',
        perMinute: 1,
        windowSeconds: 10,
        maxWaitMs: 300,
      });
      await budget.acquire();
      const started = performance.now();
      const refusal = await budget.acquire().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(UpstreamRateLimitedError);
      expect((refusal as Error).message).toBe('the local marketdata.app budget of 1 calls a minute is in use; try again shortly');
      expect(performance.now() - started).toBeLessThan(2500);
    });

    it('refuses at once, naming the provider, when the daily cap is spent', async () => {
      const budget = budgetOn(await fixture.open(), { keyPrefix: prefix(), perDay: 3 });
      for (let i = 0; i < 3; i += 1) await budget.acquire();
      const started = performance.now();
      await expect(budget.acquire()).rejects.toThrow(
        new UpstreamRateLimitedError('the daily Alpha Vantage budget of 3 calls is spent; it renews at midnight US/Eastern'),
      );
      await expect(budget.acquire()).rejects.toBeInstanceOf(UpstreamRateLimitedError);
      expect(performance.now() - started).toBeLessThan(200);
    });

    it("keeps the day's count across a restart: cap 3, 2 calls, then in a new process 1 more and no further", async () => {
      const keyPrefix = prefix();
      const before = budgetOn(await fixture.open(), { keyPrefix, perDay: 3 });
      await before.acquire();
      await before.acquire();

      const after = budgetOn(await fixture.open(), { keyPrefix, perDay: 3 });
      await after.acquire();
      await expect(after.acquire()).rejects.toThrow(/daily Alpha Vantage budget of 3 calls is spent/);
    });

    it('renews at midnight US/Eastern (the New York trading day), also after a restart', async () => {
      const keyPrefix = prefix();
      const lateEvening = new Date('2026-11-24T04:50:00Z'); // 23:50 on the 23rd in New York (EST)
      const justAfterMidnight = new Date('2026-11-24T05:10:00Z'); // 00:10 on the 24th
      const spent = budgetOn(await fixture.open(), { keyPrefix, perDay: 2, tradingDayOf: newYorkDate });
      await spent.acquire(lateEvening);
      await spent.acquire(lateEvening);
      await expect(spent.acquire(lateEvening)).rejects.toThrow(/daily Alpha Vantage budget of 2 calls is spent/);
      await spent.acquire(justAfterMidnight);

      const restarted = budgetOn(await fixture.open(), { keyPrefix, perDay: 2, tradingDayOf: newYorkDate });
      await restarted.acquire(justAfterMidnight);
      await expect(restarted.acquire(justAfterMidnight)).rejects.toThrow(/is spent/);
    });
  });
}

export interface ScanRecordsFixture {
  /** an empty store */
  fresh(): Promise<Store>;
  /** a store that does not answer, when this kind of store can be down */
  unavailable?: () => Promise<Store>;
}

const contract = (strike: number) =>
  ({
    symbol: 'AAPL',
    type: 'put',
    strike,
    expiration: '2026-11-27',
  }) as unknown as TickerOptions[string][number];

export function describeScanRecordsContract(name: string, fixture: ScanRecordsFixture): void {
  describe(`ScanRecords contract: ${name}`, () => {
    it('reads an empty store as never run, nothing found', async () => {
      const { scanRecords } = await fixture.fresh();
      expect(await scanRecords.snapshot()).toEqual({
        tickerOptions: {},
        scanTimes: {},
        lastRun: NEVER_RUN,
        progress: undefined,
      });
      expect(await scanRecords.status()).toEqual({ lastRun: NEVER_RUN, progress: undefined });
    });

    it('gives back in the snapshot what was written', async () => {
      const { scanRecords } = await fixture.fresh();
      const progress: ScanProgressRecord = { startedAt: '2026-11-24T15:00:00.000Z', finishedAt: null, total: 3, completed: 1 };
      const tickerOptions: TickerOptions = { AAPL: [contract(180), contract(175)] };
      const scanTimes = { AAPL: '2026-11-24T15:00:01.000Z' };
      expect(await scanRecords.saveResults(tickerOptions, scanTimes)).toBe(true);
      expect(await scanRecords.setLastRun('Scanning in progress...')).toBe(true);
      expect(await scanRecords.setProgress(progress)).toBe(true);
      expect(await scanRecords.snapshot()).toEqual({ tickerOptions, scanTimes, lastRun: 'Scanning in progress...', progress });
      expect(await scanRecords.status()).toEqual({ lastRun: 'Scanning in progress...', progress });

      // each write replaces the entry whole
      expect(await scanRecords.saveResults({}, {})).toBe(true);
      expect(await scanRecords.setProgress({ ...progress, completed: 3, finishedAt: '2026-11-24T15:00:09.000Z' })).toBe(true);
      const after = await scanRecords.snapshot();
      expect(after.tickerOptions).toEqual({});
      expect(after.scanTimes).toEqual({});
      expect(after.progress).toEqual({ ...progress, completed: 3, finishedAt: '2026-11-24T15:00:09.000Z' });
    });

    it("answers getMany in the keys' order, a miss as undefined, nothing for no keys", async () => {
      const { cache } = await fixture.fresh();
      expect(await cache.set('contract:a', { n: 1 }, 60_000)).toBe(true);
      expect(await cache.set('contract:c', [3], 60_000)).toBe(true);
      expect(await cache.getMany(['contract:c', 'contract:b', 'contract:a'])).toEqual([[3], undefined, { n: 1 }]);
      expect(await cache.getManyOrFail(['contract:a', 'contract:b'])).toEqual([{ n: 1 }, undefined]);
      expect(await cache.getMany([])).toEqual([]);
      expect(await cache.getManyOrFail([])).toEqual([]);
      expect(await cache.delete('contract:a')).toBe(true);
      expect(await cache.get('contract:a')).toBeUndefined();
    });

    it('lets an entry go after its TTL', async () => {
      const { cache } = await fixture.fresh();
      expect(await cache.set('contract:short', 'x', 200)).toBe(true);
      expect(await cache.get('contract:short')).toBe('x');
      await sleep(350);
      expect(await cache.getMany(['contract:short'])).toEqual([undefined]);
    });

    const { unavailable } = fixture;
    if (unavailable) {
      it('on a store that is down: the snapshot and the lock throw StoreUnavailableError, cache reads miss, writes refuse', async () => {
        const { scanRecords, scanLock, cache } = await unavailable();
        await expect(scanRecords.snapshot()).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(scanRecords.status()).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(cache.getManyOrFail(['contract:a'])).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(scanLock.acquire(new Date())).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(scanLock.holder()).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(scanLock.release('anyone')).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(scanLock.renew('anyone')).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(scanLock.clear()).rejects.toBeInstanceOf(StoreUnavailableError);
        expect(await cache.getMany(['contract:a', 'contract:b'])).toEqual([undefined, undefined]);
        expect(await scanRecords.setLastRun('x')).toBe(false);
        expect(await scanRecords.setProgress({ startedAt: 'x', finishedAt: null, total: 0, completed: 0 })).toBe(false);
        expect(await scanRecords.saveResults({}, {})).toBe(false);
      });
    }
  });
}
