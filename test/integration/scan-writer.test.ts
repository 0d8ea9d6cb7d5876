/**
 * ScanWriter on the embedded store (its real ScanRecords and ScanLock), with a clock of the
 * test's own: a running scan writes its progress after every ticker and its results dict at
 * most once an interval, never on a lost lease, and settled() waits for the last write.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ScannedContract } from '../../src/domain/scan-rules.js';
import { createLogger } from '../../src/logger.js';
import { ScanLease } from '../../src/scanner/scan-lease.js';
import { ScanWriter, type LiveResults } from '../../src/scanner/scan-writer.js';
import { createStore, type Store } from '../../src/store/create-store.js';
import type { ScanProgressRecord } from '../../src/store/scan-records.port.js';
import { seededCacheDir } from '../support/embedded-store-template.js';

const logger = createLogger('silent');
const INTERVAL_MS = 1000;
const stores: Store[] = [];
const directories: string[] = [];

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  for (const made of directories) rmSync(made, { recursive: true, force: true });
});

async function scanning(): Promise<{ store: Store; lease: ScanLease; results: LiveResults; writer: ScanWriter; clock: { ms: number } }> {
  const cacheDir = seededCacheDir('wheel-scan-writer-');
  directories.push(cacheDir);
  const store = createStore({ redisUrl: undefined, cacheDir, namespace: 'wheel', timeoutMs: 5000 }, logger);
  stores.push(store);
  await store.ready;
  const token = await store.scanLock.acquire(new Date());
  const lease = new ScanLease(store.scanLock, token!, logger);
  const results: LiveResults = { tickerOptions: {}, scanTimes: {} };
  const clock = { ms: 1_000_000 };
  return { store, lease, results, writer: new ScanWriter(store.scanRecords, lease, results, INTERVAL_MS, () => clock.ms), clock };
}

const contract = (symbol: string): ScannedContract => ({
  contractId: `${symbol}261218P00100000`,
  type: 'PUT',
  expiration: '2026-12-18',
  daysToExpiration: 24,
  strike: 100,
  bid: 1.5,
  delta: -0.2,
  impliedVolatility: 0.41,
  underlyingPrice: 120,
  percentChange: -16.67,
  annualizedReturn: 31.2,
});

function finish(scan: Awaited<ReturnType<typeof scanning>>, progress: ScanProgressRecord, symbol: string): void {
  scan.results.tickerOptions[symbol] = [contract(symbol)];
  scan.results.scanTimes[symbol] = '2026-11-24T15:00:00.000Z';
  progress.completed += 1;
  scan.writer.tickerDone(progress, true);
}

describe('ScanWriter', () => {
  it('writes the progress of the last ticker done, and the dict at most once an interval', async () => {
    const scan = await scanning();
    const saves = vi.spyOn(scan.store.scanRecords, 'saveResults');
    const progress: ScanProgressRecord = { startedAt: '2026-11-24T15:00:00.000Z', finishedAt: null, total: 5, completed: 0 };

    // three tickers done before the first write goes out: one write carries all three
    for (const symbol of ['AAA', 'BBB', 'CCC']) finish(scan, progress, symbol);
    await scan.writer.settled();
    expect(saves).toHaveBeenCalledTimes(1);
    expect(Object.keys(saves.mock.calls[0]![0])).toEqual(['AAA', 'BBB', 'CCC']);

    // within the interval: the progress goes out, the dict waits
    scan.clock.ms += INTERVAL_MS - 1;
    finish(scan, progress, 'DDD');
    await scan.writer.settled();
    expect(saves).toHaveBeenCalledTimes(1);
    const mid = await scan.store.scanRecords.snapshot();
    expect(mid.progress).toEqual({ ...progress, completed: 4 });
    expect(Object.keys(mid.tickerOptions)).toEqual(['AAA', 'BBB', 'CCC']);

    scan.clock.ms += 1;
    finish(scan, progress, 'EEE');
    await scan.writer.settled();
    expect(saves).toHaveBeenCalledTimes(2);
    const last = await scan.store.scanRecords.snapshot();
    expect(Object.keys(last.tickerOptions).sort()).toEqual(['AAA', 'BBB', 'CCC', 'DDD', 'EEE']);
    expect(last.progress).toEqual({ ...progress, completed: 5 });
    await scan.lease.release();
  });

  it('holds the progress a ticker noted, not the object the scan goes on changing', async () => {
    const scan = await scanning();
    const progress: ScanProgressRecord = { startedAt: '2026-11-24T15:00:00.000Z', finishedAt: null, total: 2, completed: 0 };
    finish(scan, progress, 'AAA');
    progress.completed = 99;
    await scan.writer.settled();
    expect((await scan.store.scanRecords.status()).progress?.completed).toBe(1);
    await scan.lease.release();
  });

  it('writes nothing once the lease is lost', async () => {
    const scan = await scanning();
    await scan.store.scanLock.clear();
    const saves = vi.spyOn(scan.store.scanRecords, 'saveResults');
    const progressWrites = vi.spyOn(scan.store.scanRecords, 'setProgress');
    finish(scan, { startedAt: '2026-11-24T15:00:00.000Z', finishedAt: null, total: 1, completed: 0 }, 'AAA');
    await scan.writer.settled();
    expect(scan.lease.lost).toBe(true);
    expect(saves).not.toHaveBeenCalled();
    expect(progressWrites).not.toHaveBeenCalled();
    expect((await scan.store.scanRecords.snapshot()).tickerOptions).toEqual({});
  });
});
