/**
 * The scan lock's lease through the real Application and HTTP app in this process (two apps
 * on one Redis stand for two processes): a scan whose lock is emptied, deleted or cleared by
 * hand stops and writes nothing more; a scan whose heartbeat lapsed shows as interrupted and
 * is taken over; the symbol cap holds for the curated list too. A Redis of this file's own
 * (FLUSHALL empties every database of a server). The scanner killed for real is in
 * test/e2e/scanner.e2e.test.ts.
 */
import type { RedisClientType } from '@redis/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { formatNewYorkDateTime } from '../../src/domain/market-calendar.js';
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { errorCodes } from '../support/graphql-client.js';
import { startInProcessApp, type InProcessApp } from '../support/in-process-app.js';
import { connectRedis } from '../support/redis.js';
import { OwnRedis } from '../support/redis-server.js';
import {
  AUTH,
  INTERRUPTED,
  SCAN_TOKEN,
  SUCCESS,
  clearScanLock,
  noScanRunning,
  scanEnd,
  scanStatus,
  scannerEnv,
  sleep,
  startScan,
  waitFor,
} from '../support/scan-client.js';
import { SCAN_RESULTS } from '../support/scan-operations.js';
import { missingRedisServer } from '../support/tools.js';

const KEY = {
  lock: 'wheel:scanner:scan_in_progress',
  tickerOptions: 'wheel:scanner:ticker_options',
  progress: 'wheel:scanner:progress',
  lastRun: 'wheel:scanner:last_run',
} as const;
const LOST = 'scan stopped: it no longer holds the scan lock (cleared, taken over or gone from the store); its results are not written';

describe.skipIf(missingRedisServer())('the scan lock as a lease (in-process, a Redis of its own)', () => {
  let own: OwnRedis;
  let fake: FakeAlphaVantage;
  const apps: InProcessApp[] = [];
  const clients: RedisClientType[] = [];

  /** A server process on database `database` of this file's Redis: a 1 s lease, one ticker at a time. */
  async function appOn(database: number, env: Record<string, string> = {}): Promise<InProcessApp> {
    const app = await startInProcessApp({
      fake,
      env: {
        ...scannerEnv(database, fake),
        REDIS_URL: `${own.url}/${database}`,
        SCAN_LEASE_SECONDS: '1',
        SCAN_CONCURRENCY: '1',
        ...env,
      },
    });
    apps.push(app);
    return app;
  }

  async function redisOn(database: number): Promise<RedisClientType> {
    const client = await connectRedis(`${own.url}/${database}`);
    clients.push(client);
    return client;
  }

  const optionsCalls = (symbols: readonly string[]) =>
    Object.fromEntries(symbols.map((symbol) => [symbol, fake.callCount({ function: 'REALTIME_OPTIONS', symbol })]));
  const stopped = (app: InProcessApp) => app.logs.filter((line) => line.msg === LOST).length;

  beforeAll(async () => {
    own = await OwnRedis.start();
    fake = await startFakeAlphaVantage();
  });

  afterAll(async () => {
    for (const app of apps) await noScanRunning(app.url);
    await Promise.all(apps.map((app) => app.close()));
    for (const client of clients) client.destroy();
    await fake?.close();
    await own?.stop();
  });

  beforeEach(() => {
    fake.reset();
  });

  it('stops a scan without writing when Redis is emptied mid-scan (FLUSHALL); the scan started right after runs alone', async () => {
    const server = await appOn(1);
    const redis = await redisOn(1);
    const first = ['ZS', 'TEAM', 'SNOW', 'NET', 'COIN', 'SOFI'];
    const second = ['RIVN', 'HOOD', 'ROKU'];
    fake.setLatency(400, { function: 'REALTIME_OPTIONS' });
    // The second scan's first result lands well after the first scan has stopped.
    for (const symbol of second) fake.setLatency(900, { function: 'REALTIME_OPTIONS', symbol });

    expect((await startScan(server.url, { symbols: first })).data?.startScan.started).toBe(true);
    // The first scan is waiting for its second chain when the store is emptied.
    await waitFor('the second chain call', async () => fake.callCount({ function: 'REALTIME_OPTIONS' }) >= 2, 10_000, 10);
    await redis.flushAll();
    const again = await startScan(server.url, { symbols: second });
    expect(again.errors).toEqual([]);
    expect(again.data?.startScan).toMatchObject({ started: true, status: { inProgress: true, progress: { total: 3 } } });

    await waitFor('the first scan to stop', async () => stopped(server) === 1, 5_000, 20);
    // Nothing of the first scan was written after the flush: only the second's start is there.
    expect(await redis.get(KEY.tickerOptions)).toBeNull();
    expect(JSON.parse((await redis.get(KEY.progress))!)).toMatchObject({ value: { total: 3, completed: 0 } });

    const end = await scanEnd(server.url);
    expect(end.lastRun).toMatch(SUCCESS);
    expect(end.progress).toEqual({ total: 3, completed: 3 });
    // The first scan asked for its first two chains and no more; the second for each of its own once.
    expect(optionsCalls(first)).toEqual({ ZS: 1, TEAM: 1, SNOW: 0, NET: 0, COIN: 0, SOFI: 0 });
    expect(optionsCalls(second)).toEqual({ RIVN: 1, HOOD: 1, ROKU: 1 });
    const results = await server.graphql<{ scanResults: { tickers: Array<{ symbol: string }> } }>(SCAN_RESULTS);
    for (const ticker of results.data!.scanResults.tickers) expect(second).toContain(ticker.symbol);
    expect(await redis.exists(KEY.lock)).toBe(0);
    expect(stopped(server)).toBe(1); // the second scan never was
  });

  it('stops a scan whose lock entry is deleted within a heartbeat, even while its upstream call hangs, and says so in scanStatus', async () => {
    const server = await appOn(2);
    const redis = await redisOn(2);
    const symbols = ['AAPL', 'MSFT', 'DUOL'];
    fake.setMode('hang', { function: 'REALTIME_OPTIONS' });
    expect((await startScan(server.url, { symbols })).data?.startScan.started).toBe(true);
    await waitFor('the first chain call', async () => fake.callCount({ function: 'REALTIME_OPTIONS' }) === 1, 10_000, 10);
    const progressBefore = await redis.get(KEY.progress);

    expect(await redis.del(KEY.lock)).toBe(1);
    const deletedAt = Date.now();
    await waitFor('the scan to stop', async () => stopped(server) === 1, 5_000, 20);
    expect(Date.now() - deletedAt).toBeLessThan(1000 + 500); // a heartbeat is every third of the 1 s lease

    fake.clearModes();
    await sleep(700); // two more heartbeats' time: nothing more is asked or written
    expect(fake.callCount({ function: 'REALTIME_OPTIONS' })).toBe(1);
    expect(await redis.get(KEY.progress)).toBe(progressBefore);
    expect(await redis.exists(KEY.lock)).toBe(0);
    expect(await scanStatus(server.url)).toMatchObject({
      inProgress: false,
      lastRun: 'Scan interrupted: its lock is gone from the store (expired or lost); start a new scan',
      progress: { total: 3, completed: 0 },
      finishedAt: null,
    });
    // (other symbols: the hung call for AAPL is still shared in this process until it times out)
    expect((await startScan(server.url, { symbols: ['NVDA'] })).data?.startScan.started).toBe(true);
    expect((await scanEnd(server.url)).lastRun).toMatch(SUCCESS);
  });

  it('clearScanLock: refused without a valid token (UNAUTHENTICATED); with one it frees the lock, and the scan that held it in another process stops', async () => {
    const scanning = await appOn(3);
    const operator = await appOn(3);
    const redis = await redisOn(3);
    const symbols = ['DDOG', 'SHOP', 'SPOT', 'CRWD', 'ANET'];
    fake.setLatency(400, { function: 'REALTIME_OPTIONS' });
    const started = await startScan(scanning.url, { symbols });
    expect(started.data?.startScan.started).toBe(true);
    await waitFor('the first chain call', async () => fake.callCount({ function: 'REALTIME_OPTIONS' }) >= 1, 10_000, 10);

    const refusedHeaders: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong-token' }, { authorization: SCAN_TOKEN }];
    for (const headers of refusedHeaders) {
      const refused = await clearScanLock(operator.url, headers);
      expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
      expect(refused.data).toBeNull();
    }
    expect(await redis.exists(KEY.lock)).toBe(1);
    expect((await scanStatus(operator.url)).inProgress).toBe(true);

    const clearedAt = Date.now();
    const cleared = await clearScanLock(operator.url, AUTH);
    expect(cleared.errors).toEqual([]);
    const payload = cleared.data!.clearScanLock;
    expect(payload).toMatchObject({ cleared: true, scanStartedAt: started.data!.startScan.status.startedAt, status: { inProgress: false } });
    expect(clearedAt - new Date(payload.lastHeartbeatAt!).getTime()).toBeLessThan(1000); // it still answered
    expect(payload.status.lastRun).toMatch(
      /^Scan lock cleared by hand at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}: the scan started at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} stops and writes nothing more; start a new scan$/,
    );
    expect(await redis.exists(KEY.lock)).toBe(0);

    await waitFor('the scan to stop', async () => stopped(scanning) === 1, 5_000, 20);
    // A ticker that began just before its heartbeat saw the lock gone may still send its call
    // (its cache and budget reads were under way): in flight, unheard. None begins after.
    await sleep(300);
    const calls = fake.callCount({ function: 'REALTIME_OPTIONS' });
    const progress = await redis.get(KEY.progress);
    await sleep(1000); // the 400 ms calls would go on; none does, and nothing is written
    expect(fake.callCount({ function: 'REALTIME_OPTIONS' })).toBe(calls);
    expect(calls).toBeLessThanOrEqual(2);
    expect(await redis.get(KEY.progress)).toBe(progress);
    expect(await scanStatus(scanning.url)).toMatchObject({ inProgress: false, lastRun: payload.status.lastRun });

    const nothing = await clearScanLock(operator.url, AUTH);
    expect(nothing.data?.clearScanLock).toMatchObject({ cleared: false, scanStartedAt: null, lastHeartbeatAt: null });
    fake.setLatency(0, { function: 'REALTIME_OPTIONS' });
    expect((await startScan(operator.url, { symbols: ['DDOG'] })).data?.startScan.started).toBe(true);
    expect((await scanEnd(operator.url)).lastRun).toMatch(SUCCESS);
  });

  it('reports a scan whose process stopped answering as interrupted, not in progress, and the next startScan takes its lock over at once', async () => {
    const server = await appOn(4);
    const redis = await redisOn(4);
    // What a process killed mid-scan leaves: its lock (heartbeat 5 s ago on Redis's clock), progress and message.
    const [seconds, micros] = (await redis.sendCommand(['TIME'])) as [string, string];
    const heartbeatAt = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - 5000;
    const startedAt = new Date(heartbeatAt - 60_000).toISOString();
    const entry = (value: unknown) => JSON.stringify({ value, expires: Date.now() + 45 * 60_000 });
    await redis.set(KEY.lock, entry({ owner: 'killed-process', startedAt, heartbeatAt }), { PX: 45 * 60_000 });
    await redis.set(KEY.progress, entry({ startedAt, finishedAt: null, total: 6, completed: 2 }), { PX: 45 * 60_000 });
    await redis.set(KEY.lastRun, entry('Scanning in progress...'), { PX: 45 * 60_000 });

    const status = await scanStatus(server.url);
    expect(status).toEqual({
      inProgress: false,
      lastRun: `Scan interrupted: the scanning process stopped answering at ${formatNewYorkDateTime(new Date(heartbeatAt))} (no heartbeat for 1 s); start a new scan`,
      startedAt,
      finishedAt: null,
      progress: { total: 6, completed: 2 },
    });
    expect(status.lastRun).toMatch(INTERRUPTED);

    const taken = await startScan(server.url, { symbols: ['AAPL', 'MSFT'] });
    expect(taken.errors).toEqual([]);
    expect(taken.data?.startScan).toMatchObject({ started: true, status: { inProgress: true, progress: { total: 2 } } });
    expect((JSON.parse((await redis.get(KEY.lock))!) as { value: { owner: string } }).value.owner).not.toBe('killed-process');
    expect((await scanEnd(server.url)).lastRun).toMatch(SUCCESS);
  });

  it('holds a scan of the curated list to the 500-symbol cap: 501 active are refused (BAD_USER_INPUT) before any upstream call, 500 start', async () => {
    const curated = Array.from({ length: 501 }, (_, i) => `S${String(i).padStart(4, '0')}`);
    const server = await appOn(5, { CURATED_SYMBOLS: curated.join(',') });
    const redis = await redisOn(5);
    fake.setMode('hang', { function: 'REALTIME_OPTIONS' });

    const refused = await startScan(server.url);
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors[0]!.message).toBe(
      'invalid scan input: the curated list has 501 active symbols and a scan accepts at most 500; pass input.symbols, or deactivate some curated stocks.',
    );
    expect(refused.data?.startScan ?? null).toBeNull();
    await sleep(200);
    expect(fake.calls).toHaveLength(0);
    expect(await redis.exists(KEY.lock)).toBe(0);

    const deactivated = await server.graphql('mutation { saveCuratedStock(symbol: "S0500", active: false) { active } }', undefined, {
      authorization: AUTH.authorization,
    });
    expect(deactivated.errors).toEqual([]);
    const started = await startScan(server.url);
    expect(started.errors).toEqual([]);
    expect(started.data?.startScan).toMatchObject({ started: true, status: { progress: { total: 500 } } });
    expect((await clearScanLock(server.url)).data?.clearScanLock.cleared).toBe(true);
    await waitFor('the scan to stop', async () => stopped(server) === 1, 5_000, 20);
    expect(fake.callCount({ function: 'REALTIME_OPTIONS' })).toBe(1);
    fake.clearModes();
  });
});
