/**
 * The option scanner where it needs server processes (dist/main.js): two processes on one
 * Redis, a process killed (SIGKILL: its lease lapses) or stopped (SIGTERM) mid-scan. Alpha Vantage is the
 * fake in test/support. Everything a single server shows, in this process, is in
 * test/integration/scanner.test.ts.
 *
 * Redis databases owned by this file: 9 (two servers), 10 (a server killed mid-scan).
 */
import type { RedisClientType } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { dropDatabase, freshDatabase, redisUrlFor } from '../support/redis.js';
import { INTERRUPTED, SUCCESS, scannerEnv, noScanRunning, scanEnd, scanStatus, startScan, waitFor } from '../support/scan-client.js';
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
  // A hung chain call must outlast the test: at the 10 s default it timed out on a loaded machine
  // while a second server started, and the scan ended by itself and freed the lock before the kill.
  const hungEnv = () => ({ ...baseEnv(DATABASE, fake), ALPHAVANTAGE_TIMEOUT_MS: '120000' });

  beforeAll(async () => {
    redis = await freshDatabase(DATABASE);
    fake = await startFakeAlphaVantage();
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await fake?.close();
    await dropDatabase(redis);
  });

  it('frees the lock of a scanner SIGKILLed mid-scan after its lease: scanStatus says interrupted, and a new process starts a scan within SCAN_LEASE_SECONDS + 5 s', async () => {
    const LEASE_SECONDS = 3;
    const env = { ...hungEnv(), SCAN_LEASE_SECONDS: String(LEASE_SECONDS) };
    fake.setMode('hang', { function: 'REALTIME_OPTIONS' });
    const doomed = await startServer(env);
    servers.push(doomed);
    const started = await startScan(doomed.url, { symbols: ['AAPL', 'MSFT'] });
    expect(started.data?.startScan.started).toBe(true);
    await waitFor('the scan to reach the upstream', async () => fake.callCount({ function: 'REALTIME_OPTIONS' }) > 0, 10_000);
    // The scan renews its heartbeat while its upstream call hangs (every third of the lease).
    const heartbeat = async () => (JSON.parse((await redis.get(KEY.lock))!) as { value: { heartbeatAt?: number } }).value.heartbeatAt ?? 0;
    const firstBeat = await heartbeat();
    await waitFor('a heartbeat', async () => (await heartbeat()) > firstBeat, 5_000, 100);

    // Started before the kill: its own start-up (the embedded durable store's open) is not the lease's time.
    const survivor = await startServer(env);
    servers.push(survivor);

    const killedAt = Date.now();
    await doomed.stop('SIGKILL');
    servers = servers.filter((server) => server !== doomed); // its stop() would wait for an exit that already happened
    // The entry stays (45-minute TTL); only its heartbeat stops.
    const ttl = await redis.pTTL(KEY.lock);
    expect(ttl).toBeGreaterThan(2_600_000);
    expect(ttl).toBeLessThanOrEqual(SCANNER_TTL_MS);
    const lastBeat = await heartbeat(); // the dead process's last one (Redis's clock, this machine's)
    fake.clearModes();

    const interrupted = await waitFor('the dead scan to show as interrupted', async () => {
      const status = await scanStatus(survivor.url);
      return status.inProgress ? undefined : status;
    }, 15_000, 100);
    const lapsedAt = Date.now();
    expect(interrupted.lastRun).toMatch(INTERRUPTED);
    expect(interrupted.lastRun).toContain(`(no heartbeat for ${LEASE_SECONDS} s)`);
    expect(interrupted).toMatchObject({ finishedAt: null, progress: { total: 2, completed: 0 } });
    // not before the lease: a full lease after the last heartbeat (measured from the kill, a late
    // heartbeat timer on a busy machine made that look early by up to a third of the lease)
    expect(lapsedAt - lastBeat).toBeGreaterThanOrEqual(LEASE_SECONDS * 1000 - 100);

    const again = await startScan(survivor.url, { symbols: ['AAPL'] });
    expect(again.errors).toEqual([]);
    expect(again.data?.startScan).toMatchObject({ started: true, status: { inProgress: true } });
    expect(Date.now() - killedAt).toBeLessThan((LEASE_SECONDS + 5) * 1000);
    expect((await scanEnd(survivor.url)).lastRun).toMatch(SUCCESS);
  });

  it('gives the lock back when stopped with SIGTERM mid-scan, so another process can scan at once', async () => {
    await redis.flushDb();
    fake.reset();
    fake.setMode('hang', { function: 'REALTIME_OPTIONS' });
    const leaving = await startServer(hungEnv());
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
