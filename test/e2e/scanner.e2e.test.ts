/**
 * The option scanner where it needs server processes (dist/main.js): two processes on one
 * Redis, a process killed (SIGKILL) or stopped (SIGTERM) mid-scan. Alpha Vantage is the
 * fake in test/support. Everything a single server shows, in this process, is in
 * test/integration/scanner.test.ts.
 *
 * Redis databases owned by this file: 9 (two servers), 10 (a server killed mid-scan).
 */
import type { RedisClientType } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { dropDatabase, freshDatabase, redisUrlFor } from '../support/redis.js';
import { SUCCESS, scannerEnv, noScanRunning, scanEnd, scanStatus, startScan, waitFor } from '../support/scan-client.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

// ---------------------------------------------------------------------------
// Operations and their answers
// ---------------------------------------------------------------------------

const SCANNER_TTL_MS = 45 * 60 * 1000;

const KEY = {
  lock: 'wheel:scanner:scan_in_progress',
} as const;

/** The servers' environment, on this file's Redis database. */
const baseEnv = (database: number, fake: FakeAlphaVantage) => ({ ...scannerEnv(database, fake), REDIS_URL: redisUrlFor(database) });

// ---------------------------------------------------------------------------
// Two server processes on one Redis
// ---------------------------------------------------------------------------

describe('two server processes on one Redis', () => {
  const DATABASE = 9;
  const SYMBOLS = ['AAPL', 'MSFT', 'DUOL'];
  let fake: FakeAlphaVantage;
  let servers: ServerProcess[] = [];
  let redis: RedisClientType;

  beforeAll(async () => {
    redis = await freshDatabase(DATABASE);
    fake = await startFakeAlphaVantage();
    servers = await Promise.all([1, 2].map(() => startServer({ ...baseEnv(DATABASE, fake), SCAN_CONCURRENCY: '4' })));
  });

  afterAll(async () => {
    for (const server of servers) await noScanRunning(server.url);
    await Promise.all(servers.map((server) => server.stop()));
    await fake?.close();
    await dropDatabase(redis);
  });

  it('of 50 concurrent startScan calls spread over both, exactly one starts; the others answer ALREADY_RUNNING with inProgress', async () => {
    fake.setLatency(4000, { function: 'REALTIME_OPTIONS' });
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => startScan(servers[i % 2]!.url, { symbols: SYMBOLS })),
    );
    for (const answer of answers) expect(answer.errors).toEqual([]);
    const payloads = answers.map((answer) => answer.data!.startScan);
    expect(payloads.filter((payload) => payload.started)).toHaveLength(1);
    const refused = payloads.filter((payload) => !payload.started);
    expect(refused).toHaveLength(49);
    for (const payload of refused) {
      expect(payload.reason).toBe('ALREADY_RUNNING');
      expect(payload.status.inProgress).toBe(true);
    }

    // Both processes see the one scan, and its end.
    for (const server of servers) expect((await scanStatus(server.url)).inProgress).toBe(true);
    const ends = await Promise.all(servers.map((server) => scanEnd(server.url)));
    expect(ends[0]!.lastRun).toMatch(SUCCESS);
    expect(ends[1]).toEqual(ends[0]);
    for (const symbol of SYMBOLS) expect(fake.callCount({ function: 'REALTIME_OPTIONS', symbol })).toBe(1);
  });
});

// ---------------------------------------------------------------------------
// A server killed in the middle of a scan
// ---------------------------------------------------------------------------

describe('a server killed mid-scan', () => {
  const DATABASE = 10;
  let fake: FakeAlphaVantage;
  let servers: ServerProcess[] = [];
  let redis: RedisClientType;

  beforeAll(async () => {
    redis = await freshDatabase(DATABASE);
    fake = await startFakeAlphaVantage();
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await fake?.close();
    await dropDatabase(redis);
  });

  it('leaves a lock that expires by its TTL (<= 45 min): scans are refused until then, and start after', async () => {
    fake.setMode('hang', { function: 'REALTIME_OPTIONS' });
    const doomed = await startServer(baseEnv(DATABASE, fake));
    servers.push(doomed);
    const started = await startScan(doomed.url, { symbols: ['AAPL'] });
    expect(started.data?.startScan.started).toBe(true);
    await waitFor('the scan to reach the upstream', async () => fake.callCount({ function: 'REALTIME_OPTIONS' }) > 0, 10_000);
    await doomed.stop('SIGKILL');
    servers = servers.filter((server) => server !== doomed); // its stop() would wait for an exit that already happened

    const ttl = await redis.pTTL(KEY.lock);
    expect(ttl).toBeGreaterThan(2_600_000);
    expect(ttl).toBeLessThanOrEqual(SCANNER_TTL_MS);

    const survivor = await startServer(baseEnv(DATABASE, fake));
    servers.push(survivor);
    const refused = await startScan(survivor.url, { symbols: ['AAPL'] });
    expect(refused.data?.startScan).toMatchObject({ started: false, reason: 'ALREADY_RUNNING', status: { inProgress: true } });

    // As if the 45 minutes had passed: the entry is 1 s from expiring.
    fake.clearModes();
    expect(await redis.pExpire(KEY.lock, 1000)).toBe(1);
    const expiredAt = Date.now() + 1000;
    let refusals = 0;
    const startedAt = await waitFor('a scan to start after the lock expired', async () => {
      const answer = await startScan(survivor.url, { symbols: ['AAPL'] });
      if (answer.data?.startScan.started) return Date.now();
      expect(answer.data?.startScan.reason).toBe('ALREADY_RUNNING');
      refusals += 1;
      return undefined;
    }, 10_000, 100);
    expect(refusals).toBeGreaterThan(0);
    expect(startedAt).toBeGreaterThanOrEqual(expiredAt - 50);
    expect((await scanEnd(survivor.url)).lastRun).toMatch(SUCCESS);
  });

  it('gives the lock back when stopped with SIGTERM mid-scan, so another process can scan at once', async () => {
    await redis.flushDb();
    fake.reset();
    fake.setMode('hang', { function: 'REALTIME_OPTIONS' });
    const leaving = await startServer(baseEnv(DATABASE, fake));
    servers.push(leaving);
    const started = await startScan(leaving.url, { symbols: ['MSFT'] });
    expect(started.data?.startScan.started).toBe(true);
    await waitFor('the scan to reach the upstream', async () => fake.callCount({ function: 'REALTIME_OPTIONS', symbol: 'MSFT' }) > 0, 10_000);
    expect(await redis.exists(KEY.lock)).toBe(1);

    expect(await leaving.stop('SIGTERM')).toBe(0);
    servers = servers.filter((server) => server !== leaving);
    expect(await redis.exists(KEY.lock)).toBe(0);
  });
});
