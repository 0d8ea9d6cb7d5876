/**
 * The scan results of an index (500 tickers, megabytes of JSON) on real stores: a snapshot
 * reads `scanner:ticker_options` whole and parses it only when its version changed, so
 * warm reads of an unchanged dict neither fetch nor parse it, and a write from another
 * process is still seen at the next read. On a Redis of this file's own (OwnRedis), and on
 * the embedded store for what one process can show.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisClientType } from '@redis/client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ScannedContract } from '../../src/domain/scan-rules.js';
import { createLogger } from '../../src/logger.js';
import { createStore, type Store } from '../../src/store/create-store.js';
import type { TickerOptions, TickerScanTimes } from '../../src/store/scan-records.port.js';
import { seededCacheDir } from '../support/embedded-store-template.js';
import { connectRedis } from '../support/redis.js';
import { RedisMonitor } from '../support/redis-monitor.js';
import { OwnRedis } from '../support/redis-server.js';
import { symbolUniverse } from '../support/symbol-universe.js';
import { missingRedisServer } from '../support/tools.js';

const logger = createLogger('silent');
const NAMESPACE = 'wheel';
const DICT_KEY = 'wheel:scanner:ticker_options';
const VERSION_KEY = 'wheel:scanner:ticker_options_version';
/** shorter than any 500-ticker dict, longer than every other scanner entry */
const DICT_SIZED = 200_000;

/** A 500-ticker dict of 8 contracts each, `mark` in every bid so two dicts differ everywhere. */
function indexResults(mark: number): { tickerOptions: TickerOptions; scanTimes: TickerScanTimes } {
  const tickerOptions: TickerOptions = {};
  const scanTimes: TickerScanTimes = {};
  for (const symbol of symbolUniverse()) {
    tickerOptions[symbol] = Array.from(
      { length: 8 },
      (_, at): ScannedContract => ({
        contractId: `${symbol}261218P${String(100 + at).padStart(5, '0')}000`,
        type: 'PUT',
        expiration: '2026-12-18',
        daysToExpiration: 24,
        strike: 100 + at,
        bid: mark + at / 100,
        delta: -0.2,
        impliedVolatility: 0.41,
        underlyingPrice: 120,
        percentChange: -16.67,
        annualizedReturn: 31.2,
      }),
    );
    scanTimes[symbol] = '2026-11-24T15:00:00.000Z';
  }
  return { tickerOptions, scanTimes };
}

/** JSON.parse calls on texts of a whole dict's size, while `work` runs. */
async function dictParses(work: () => Promise<unknown>): Promise<number> {
  const parse = vi.spyOn(JSON, 'parse');
  try {
    await work();
    return parse.mock.calls.filter(([text]) => typeof text === 'string' && text.length > DICT_SIZED).length;
  } finally {
    parse.mockRestore();
  }
}

const stores: Store[] = [];
const directories: string[] = [];

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  for (const made of directories) rmSync(made, { recursive: true, force: true });
});

describe.skipIf(missingRedisServer())('scan results on Redis, read by version', () => {
  let server: OwnRedis;
  let redis: RedisClientType;
  let monitor: RedisMonitor;

  async function open(): Promise<Store> {
    const cacheDir = mkdtempSync(join(tmpdir(), 'wheel-scan-version-'));
    directories.push(cacheDir);
    const store = createStore({ redisUrl: server.url, cacheDir, namespace: NAMESPACE, timeoutMs: 5000 }, logger);
    stores.push(store);
    await store.ready;
    return store;
  }

  /** the keys of every command the store sent meanwhile, by command */
  async function commandsDuring(work: () => Promise<unknown>): Promise<Array<{ command: string; args: string[] }>> {
    await new Promise((resolve) => setTimeout(resolve, 50));
    monitor.reset();
    await work();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The connections' liveness checks are no part of a read.
    return monitor.calls.filter(({ command }) => command !== 'ping').map(({ command, args }) => ({ command, args }));
  }

  beforeAll(async () => {
    server = await OwnRedis.start();
    redis = await connectRedis(server.url);
    monitor = await RedisMonitor.start(server.url, 0);
  });

  afterEach(async () => {
    await redis.flushAll();
  });

  afterAll(async () => {
    await monitor?.stop();
    redis?.destroy();
    await Promise.all(stores.map((store) => store.close()));
    await server?.stop();
  });

  it('reads and parses an unchanged 500-ticker dict once: later snapshots read one small MGET and answer the same frozen value', async () => {
    const store = await open();
    const written = indexResults(1);
    expect(await store.scanRecords.saveResults(written.tickerOptions, written.scanTimes)).toBe(true);
    expect((await redis.get(DICT_KEY))!.length).toBeGreaterThan(DICT_SIZED);

    let first: Awaited<ReturnType<Store['scanRecords']['snapshot']>> | undefined;
    expect(await dictParses(async () => (first = await store.scanRecords.snapshot()))).toBe(1);
    expect(first!.tickerOptions).toEqual(written.tickerOptions);
    expect(Object.isFrozen(first!.tickerOptions[symbolUniverse()[499]!]![7])).toBe(true);

    for (let read = 0; read < 3; read += 1) {
      let again: typeof first;
      const commands = await commandsDuring(async () => {
        expect(await dictParses(async () => (again = await store.scanRecords.snapshot()))).toBe(0);
      });
      expect(again!.tickerOptions).toBe(first!.tickerOptions);
      expect(again!.scanTimes).toEqual(written.scanTimes);
      expect(commands).toHaveLength(1);
      expect(commands[0]!.command).toBe('mget');
      expect(commands[0]!.args).toContain(VERSION_KEY);
      expect(commands[0]!.args).not.toContain(DICT_KEY);
    }
  });

  it('answers a status poll from the last run and the progress in one small MGET, never the dict, even while it changes', async () => {
    const [reader, writer] = [await open(), await open()];
    const progress = { startedAt: '2026-11-24T15:00:00.000Z', finishedAt: null, total: 500, completed: 250 };
    await writer.scanRecords.setProgress(progress);
    await writer.scanRecords.setLastRun('Scanning in progress...');
    for (const mark of [1, 2]) {
      const written = indexResults(mark);
      await writer.scanRecords.saveResults(written.tickerOptions, written.scanTimes);
      let status: Awaited<ReturnType<Store['scanRecords']['status']>> | undefined;
      const commands = await commandsDuring(async () => {
        expect(await dictParses(async () => (status = await reader.scanRecords.status()))).toBe(0);
      });
      expect(status).toEqual({ lastRun: 'Scanning in progress...', progress });
      expect(commands).toEqual([{ command: 'mget', args: ['wheel:scanner:last_run', 'wheel:scanner:progress'] }]);
    }
  });

  it("sees another process's write at its next snapshot, whole and parsed once", async () => {
    const [reader, writer] = [await open(), await open()];
    const before = indexResults(1);
    await writer.scanRecords.saveResults(before.tickerOptions, before.scanTimes);
    expect((await reader.scanRecords.snapshot()).tickerOptions).toEqual(before.tickerOptions);

    const after = indexResults(2);
    const { [symbolUniverse()[0]!]: _dropped, ...fewer } = after.tickerOptions;
    expect(await writer.scanRecords.saveResults(fewer, after.scanTimes)).toBe(true);
    let seen: Awaited<ReturnType<Store['scanRecords']['snapshot']>> | undefined;
    expect(await dictParses(async () => (seen = await reader.scanRecords.snapshot()))).toBe(1);
    expect(seen!.tickerOptions).toEqual(fewer);
    expect(await dictParses(() => reader.scanRecords.snapshot())).toBe(0);
  });

  it('writes the dict, its scan times and its version in one transaction, the version expiring no later than the dict', async () => {
    const store = await open();
    const written = indexResults(1);
    const commands = await commandsDuring(() => store.scanRecords.saveResults(written.tickerOptions, written.scanTimes));
    const names = commands.map(({ command }) => command);
    expect(names).toEqual(['multi', 'set', 'set', 'set', 'exec']);
    expect(commands.slice(1, 4).map(({ args }) => args[0])).toEqual([VERSION_KEY, DICT_KEY, 'wheel:scanner:ticker_scan_times']);
    const version = JSON.parse((await redis.get(VERSION_KEY))!) as { value: string; expires: number };
    const dict = JSON.parse((await redis.get(DICT_KEY))!) as { value: TickerOptions; expires: number };
    expect(version.value).toMatch(/^[0-9a-f-]{36}$/);
    expect(version.expires).toBeLessThanOrEqual(dict.expires);
    const [versionTtl, dictTtl] = (await redis.multi().pTTL(VERSION_KEY).pTTL(DICT_KEY).exec()) as unknown as [number, number];
    expect(versionTtl).toBeLessThanOrEqual(dictTtl);
  });

  it('reads the dict whole every time while it has no version (written by hand, or the version lost)', async () => {
    const store = await open();
    const written = indexResults(1);
    await store.scanRecords.saveResults(written.tickerOptions, written.scanTimes);
    await store.scanRecords.snapshot();
    const replaced = indexResults(3);
    await redis.set(DICT_KEY, JSON.stringify({ value: replaced.tickerOptions, expires: Date.now() + 60_000 }));
    expect(await redis.del(VERSION_KEY)).toBe(1);
    for (let read = 0; read < 2; read += 1) {
      let seen: Awaited<ReturnType<Store['scanRecords']['snapshot']>> | undefined;
      const commands = await commandsDuring(async () => (seen = await store.scanRecords.snapshot()));
      expect(commands.some(({ command, args }) => command === 'mget' && args.includes(DICT_KEY))).toBe(true);
      expect(seen!.tickerOptions).toEqual(replaced.tickerOptions);
    }
  });

  it('lets a results write that waits its turn take the place of the one before: the last dict is stored, every caller told so', async () => {
    const store = await open();
    const commands = await commandsDuring(async () => {
      const stored = await Promise.all(
        Array.from({ length: 20 }, (_, mark) => {
          const { tickerOptions, scanTimes } = indexResults(mark);
          return store.scanRecords.saveResults(tickerOptions, scanTimes);
        }),
      );
      expect(stored).toEqual(Array.from({ length: 20 }, () => true));
    });
    // Made before the first one's turn came (p-limit starts it a tick later): one write, of the last dict.
    expect(commands.filter(({ command }) => command === 'exec')).toHaveLength(1);
    expect((await store.scanRecords.snapshot()).tickerOptions).toEqual(indexResults(19).tickerOptions);
  });
});

describe('scan results on the embedded store, read by version', () => {
  it('parses an unchanged dict once, and a rewritten one again', async () => {
    const cacheDir = seededCacheDir('wheel-scan-version-');
    directories.push(cacheDir);
    const store = createStore({ redisUrl: undefined, cacheDir, namespace: NAMESPACE, timeoutMs: 5000 }, logger);
    stores.push(store);
    await store.ready;
    const one = indexResults(1);
    await store.scanRecords.saveResults(one.tickerOptions, one.scanTimes);
    const first = await store.scanRecords.snapshot();
    expect(first.tickerOptions).toEqual(one.tickerOptions);
    expect(await dictParses(async () => expect((await store.scanRecords.snapshot()).tickerOptions).toBe(first.tickerOptions))).toBe(0);

    const two = indexResults(2);
    await store.scanRecords.saveResults(two.tickerOptions, two.scanTimes);
    expect(await dictParses(async () => expect((await store.scanRecords.snapshot()).tickerOptions).toEqual(two.tickerOptions))).toBe(1);
  });
});
