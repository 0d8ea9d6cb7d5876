/**
 * ScanLock against the real Redis: two instances on separate connections stand for two
 * server processes; what only Redis shows (the physical entry, its TTL, Redis's clock).
 * Database 12 belongs to this file.
 */
import type { RedisClientType } from '@redis/client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

import { createLogger } from '../../src/logger.js';
import { createStore, type Store } from '../../src/store/create-store.js';
import type { ScanLock } from '../../src/store/scan-lock.port.js';
import { dropDatabase, freshDatabase, redisUrlFor } from '../support/redis.js';
import { OwnRedis } from '../support/redis-server.js';
import { missingRedisServer } from '../support/tools.js';

const DATABASE = 12;
const NAMESPACE = 'wheel';
const LOCK_KEY = 'wheel:scanner:scan_in_progress';
const TIMEOUT_MS = 2000;
const TTL_MS = 45 * 60 * 1000;

const logger = createLogger('silent');
const stores: Store[] = [];
let redis: RedisClientType;
let first: Store;
let second: Store;
let shortLived: Store;

async function storeOnRedis(scanLockTtlMs?: number, scanLeaseMs?: number): Promise<Store> {
  const store = createStore(
    { redisUrl: redisUrlFor(DATABASE), cacheDir: '.cache', namespace: NAMESPACE, timeoutMs: TIMEOUT_MS, scanLockTtlMs, scanLeaseMs },
    logger,
  );
  stores.push(store);
  await store.ready;
  expect(await store.isUsable()).toBe(true);
  return store;
}

const lockOn = (store: Store): ScanLock => store.scanLock;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  redis = await freshDatabase(DATABASE);
  [first, second, shortLived] = await Promise.all([storeOnRedis(), storeOnRedis(), storeOnRedis(300)]);
});

beforeEach(async () => {
  await redis.del(LOCK_KEY);
});

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await dropDatabase(redis);
});

describe('ScanLock on Redis', () => {
  it('gives exactly one token among 60 concurrent acquires over two connections, with a 45-minute TTL', async () => {
    const locks = [lockOn(first), lockOn(second)];
    const tokens = await Promise.all(Array.from({ length: 60 }, (_, i) => locks[i % 2]!.acquire(new Date())));
    const winners = tokens.filter((token): token is string => token !== undefined);
    expect(winners).toHaveLength(1);

    const ttl = await redis.pTTL(LOCK_KEY);
    expect(ttl).toBeGreaterThan(2_600_000);
    expect(ttl).toBeLessThanOrEqual(TTL_MS);
    // Keyv's own format, so that the store reads it like any other entry
    const entry = JSON.parse((await redis.get(LOCK_KEY))!) as LockEntry;
    expect(entry.value.owner).toBe(winners[0]);
    expect(entry.expires).toBeGreaterThan(Date.now() + 2_600_000);
    const holder = { ...entry.value, heartbeatAt: new Date(entry.value.heartbeatAt!).toISOString(), lapsed: false };
    expect(await locks[1]!.holder()).toEqual(holder);
    expect(await locks[0]!.holder()).toEqual(holder);
  });

  it('ignores a release by a non-owner: the lock stays, still refused to others', async () => {
    const mine = lockOn(first);
    const theirs = lockOn(second);
    const token = await mine.acquire(new Date());
    expect(token).toEqual(expect.any(String));

    await theirs.release('not-the-owner');
    await theirs.release('00000000-0000-4000-8000-000000000000');
    expect(await redis.exists(LOCK_KEY)).toBe(1);
    expect((await theirs.holder())?.owner).toBe(token);
    expect(await theirs.acquire(new Date())).toBeUndefined();
  });

  it('ignores a release by a token that only occurs inside the entry (part of the owner token, or empty)', async () => {
    const mine = lockOn(first);
    const theirs = lockOn(second);
    const token = await mine.acquire(new Date());
    expect(token).toEqual(expect.any(String));

    for (const impostor of [token!.slice(0, 8), 'owner', '']) {
      await theirs.release(impostor);
      expect({ impostor, held: await redis.exists(LOCK_KEY) }).toEqual({ impostor, held: 1 });
    }
    expect((await theirs.holder())?.owner).toBe(token);
  });

  it("frees the lock on the owner's release, for the next acquire from any process", async () => {
    const mine = lockOn(first);
    const theirs = lockOn(second);
    const token = await mine.acquire(new Date());
    expect(token).toBeDefined();
    await mine.release(token!);
    expect(await redis.exists(LOCK_KEY)).toBe(0);
    expect(await theirs.holder()).toBeUndefined();

    const next = await theirs.acquire(new Date());
    expect(next).toEqual(expect.any(String));
    expect(next).not.toBe(token);
  });

  it('expires by its TTL when the holder never releases, and the old owner cannot release its successor', async () => {
    const crashing = lockOn(shortLived);
    const successor = lockOn(second);
    const old = await crashing.acquire(new Date());
    expect(old).toBeDefined();
    expect(await successor.acquire(new Date())).toBeUndefined();

    await sleep(450);
    const token = await successor.acquire(new Date());
    expect(token).toEqual(expect.any(String));

    await crashing.release(old!); // late: its entry is long gone
    expect((await successor.holder())?.owner).toBe(token);
    expect(await redis.exists(LOCK_KEY)).toBe(1);
  });

  it("times heartbeats by Redis's clock and renews the entry's TTL and Keyv envelope with each", async () => {
    const lock = lockOn(first);
    const before = await redisNowMs();
    const token = (await lock.acquire(new Date()))!;
    const taken = await entryOnRedis();
    expect(taken.value.heartbeatAt).toBeGreaterThanOrEqual(before);
    expect(taken.value.heartbeatAt).toBeLessThanOrEqual(await redisNowMs());

    // 40 minutes into a scan, as far as the TTL goes: the heartbeat gives it 45 again
    await redis.pExpire(LOCK_KEY, 5 * 60 * 1000);
    await sleep(20);
    expect(await lock.renew(token)).toBe(true);
    const renewed = await entryOnRedis();
    expect(renewed.value.heartbeatAt).toBeGreaterThan(taken.value.heartbeatAt!);
    expect(renewed.value).toMatchObject({ owner: token, startedAt: taken.value.startedAt });
    expect(renewed.expires - renewed.value.heartbeatAt!).toBe(TTL_MS);
    expect(await redis.pTTL(LOCK_KEY)).toBeGreaterThan(TTL_MS - 60_000);
  });

  describe('whatever the clock of the asking process says (its Date moved an hour on)', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('keeps a lock whose heartbeat is fresh on Redis: not lapsed, not taken over', async () => {
      const token = (await lockOn(first).acquire(new Date()))!;
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 60 * 60 * 1000);
      expect(await lockOn(second).holder()).toMatchObject({ owner: token, lapsed: false });
      expect(await lockOn(second).acquire(new Date())).toBeUndefined();
    });

    it('takes over a lock whose heartbeat is older than the lease on Redis', async () => {
      await plant({ owner: 'dead-process', startedAt: new Date().toISOString(), heartbeatAt: (await redisNowMs()) - 31_000 });
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() - 60 * 60 * 1000);
      expect(await lockOn(second).holder()).toMatchObject({ owner: 'dead-process', lapsed: true });
      const token = await lockOn(second).acquire(new Date());
      expect(token).toEqual(expect.any(String));
      expect((await entryOnRedis()).value.owner).toBe(token);
    });
  });

  it('holds an entry without a heartbeat (an older version wrote it) until its TTL, and takes over an unreadable one', async () => {
    await plant({ owner: 'older-version', startedAt: new Date().toISOString() });
    expect(await lockOn(first).holder()).toEqual({ owner: 'older-version', startedAt: expect.any(String), heartbeatAt: null, lapsed: false });
    expect(await lockOn(first).acquire(new Date())).toBeUndefined();

    for (const unreadable of ['not json', '{"value":"x"}', JSON.stringify({ value: { owner: 7 } })]) {
      await redis.set(LOCK_KEY, unreadable, { PX: TTL_MS });
      expect({ unreadable, holder: await lockOn(first).holder() }).toEqual({ unreadable, holder: undefined });
      expect({ unreadable, taken: typeof (await lockOn(second).acquire(new Date())) }).toEqual({ unreadable, taken: 'string' });
      await redis.del(LOCK_KEY);
    }
  });

  it('lets a lapsed owner renew while no one has taken over (it still holds the lock)', async () => {
    const slow = await storeOnRedis(undefined, 200);
    const token = (await slow.scanLock.acquire(new Date()))!;
    await sleep(300);
    expect(await slow.scanLock.holder()).toMatchObject({ owner: token, lapsed: true });
    expect(await slow.scanLock.renew(token)).toBe(true);
    expect(await slow.scanLock.holder()).toMatchObject({ owner: token, lapsed: false });
  });
});

interface LockEntry {
  value: { owner: string; startedAt: string; heartbeatAt?: number };
  expires: number;
}

async function entryOnRedis(): Promise<LockEntry> {
  return JSON.parse((await redis.get(LOCK_KEY))!) as LockEntry;
}

/** An entry as another process would have left it, in Keyv's envelope, with the 45-minute TTL. */
async function plant(value: LockEntry['value']): Promise<void> {
  await redis.set(LOCK_KEY, JSON.stringify({ value, expires: Date.now() + TTL_MS }), { PX: TTL_MS });
}

async function redisNowMs(): Promise<number> {
  const [seconds, micros] = (await redis.sendCommand(['TIME'])) as [string, string];
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

describe.skipIf(missingRedisServer())('ScanLock across a Redis restart that loses the entry (a Redis of its own, no persistence)', () => {
  let own: OwnRedis;
  const opened: Store[] = [];

  async function storeOn(url: string): Promise<Store> {
    const store = createStore({ redisUrl: url, cacheDir: '.cache', namespace: NAMESPACE, timeoutMs: TIMEOUT_MS }, logger);
    opened.push(store);
    await store.ready;
    return store;
  }

  async function restartEmpty(stores: Store[]): Promise<void> {
    await own.stop();
    await own.start();
    for (const store of stores) await waitUntil(() => store.isUsable());
  }

  beforeAll(async () => {
    own = await OwnRedis.start();
  });

  afterAll(async () => {
    await Promise.all(opened.map((store) => store.close()));
    await own?.stop();
  });

  it("keeps its owner's lock: the next heartbeat writes the entry again (nobody freed it)", async () => {
    const holder = await storeOn(own.url);
    const token = (await holder.scanLock.acquire(new Date('2026-11-24T15:00:00.000Z')))!;
    await restartEmpty([holder]);
    expect(await holder.scanLock.holder()).toBeUndefined();

    expect(await holder.scanLock.renew(token)).toBe(true);
    expect(await holder.scanLock.holder()).toMatchObject({ owner: token, startedAt: '2026-11-24T15:00:00.000Z', lapsed: false });
    // once only: an entry removed after that, on the same connection, is lost
    await holder.scanLock.clear();
    expect(await holder.scanLock.renew(token)).toBe(false);
    await holder.scanLock.release(token);
  });

  it('gives it up when another process took the lock first after the restart', async () => {
    const [holder, other] = [await storeOn(own.url), await storeOn(own.url)];
    const token = (await holder.scanLock.acquire(new Date()))!;
    await restartEmpty([holder, other]);
    const theirs = await other.scanLock.acquire(new Date());
    expect(theirs).toEqual(expect.any(String));

    expect(await holder.scanLock.renew(token)).toBe(false);
    expect(await other.scanLock.holder()).toMatchObject({ owner: theirs, lapsed: false });
    await other.scanLock.release(theirs!);
  });
});

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not so after ${timeoutMs} ms`);
    await sleep(50);
  }
}
