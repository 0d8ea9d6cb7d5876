/**
 * ScanLock against the real Redis: two instances on separate connections stand for two
 * server processes. Database 12 belongs to this file.
 */
import type { RedisClientType } from '@redis/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { createLogger } from '../../src/logger.js';
import { createStore, type Store } from '../../src/store/create-store.js';
import type { ScanLock } from '../../src/store/scan-lock.port.js';
import { dropDatabase, freshDatabase, redisUrlFor } from '../support/redis.js';

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

async function storeOnRedis(scanLockTtlMs?: number): Promise<Store> {
  const store = createStore(
    { redisUrl: redisUrlFor(DATABASE), cacheDir: '.cache', namespace: NAMESPACE, timeoutMs: TIMEOUT_MS, scanLockTtlMs },
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
    const entry = JSON.parse((await redis.get(LOCK_KEY))!) as { value: { owner: string; startedAt: string }; expires: number };
    expect(entry.value.owner).toBe(winners[0]);
    expect(entry.expires).toBeGreaterThan(Date.now() + 2_600_000);
    expect(await locks[1]!.holder()).toEqual(entry.value);
    expect(await locks[0]!.holder()).toEqual(entry.value);
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
});
