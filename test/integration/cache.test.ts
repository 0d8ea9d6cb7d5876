import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import type { Cache } from '../../src/store/cache.js';
import { createStore, type Store } from '../../src/store/create-store.js';
import { OwnRedis, freePort } from '../support/redis-server.js';
import { missingRedisServer } from '../support/tools.js';

const logger = createLogger('silent');
const TIMEOUT_MS = 300;
const stores: Store[] = [];

async function cacheOn(redisUrl: string): Promise<Cache> {
  const store = createStore({ redisUrl, cacheDir: '.cache', namespace: 'wheel', timeoutMs: TIMEOUT_MS }, logger);
  stores.push(store);
  await store.ready;
  return store.cache;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work();
  return { value, ms: Date.now() - started };
}

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
});

describe('Cache on a Redis that cannot answer', () => {
  it('reads a Redis that is down as misses at once and writes as no-ops', async () => {
    const cache = await cacheOn(`redis://127.0.0.1:${await freePort()}`);
    const read = await timed(() => cache.getMany(['a', 'b']));
    expect(read.value).toEqual([undefined, undefined]);
    expect(read.ms).toBeLessThan(TIMEOUT_MS + 200);
    expect(await cache.set('a', 1, 1000)).toBe(false);
  });

  it('gives up on a Redis that accepts connections but never answers within the store timeout', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const cache = await cacheOn(`redis://127.0.0.1:${(silent.address() as { port: number }).port}`);
      const read = await timed(() => cache.getMany(['a']));
      expect(read.value).toEqual([undefined]);
      expect(read.ms).toBeLessThan(TIMEOUT_MS + 200);
      const write = await timed(() => cache.set('a', 1, 1000));
      expect(write.value).toBe(false);
      expect(write.ms).toBeLessThan(TIMEOUT_MS + 200);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it.skipIf(missingRedisServer())('answers misses at once when Redis dies mid-run, and caches again when it returns, without a restart', async () => {
    const redis = await OwnRedis.start();
    try {
      const cache = await cacheOn(redis.url);
      expect(await cache.set('kept', { value: 1 }, 60_000)).toBe(true);
      expect(await cache.getMany(['kept'])).toEqual([{ value: 1 }]);

      await redis.stop();
      const down = await timed(() => cache.getMany(['kept']));
      expect(down.value).toEqual([undefined]);
      expect(down.ms).toBeLessThan(TIMEOUT_MS + 200);

      await redis.start();
      const deadline = Date.now() + 10_000;
      while (!(await cache.set('back', 2, 60_000)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await cache.getMany(['back'])).toEqual([2]);
    } finally {
      await redis.stop();
    }
  });
});
