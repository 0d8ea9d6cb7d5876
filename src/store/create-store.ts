import { createClient, type RedisClientType } from '@redis/client';
import KeyvRedis from '@keyv/redis';
import { Keyv, type Deserialize } from 'keyv';
import pTimeout from 'p-timeout';
import { openEmbeddedDatabase, type EmbeddedDatabase } from '../db/embedded-database.js';
import type { Logger } from '../logger.js';
import { Cache } from './cache.js';
import { CacheScanRecords } from './cache-scan-records.js';
import type { CallBudgets } from './call-budget.port.js';
import { createLocalCallBudget } from './local/local-call-budget.js';
import { LocalScanLock } from './local/local-scan-lock.js';
import { PgliteKeyvStore } from './local/pglite-keyv-store.js';
import { createRedisCallBudget } from './redis/redis-call-budget.js';
import { RedisScanLock } from './redis/redis-scan-lock.js';
import { createReusingJsonParse } from './reusing-json-parse.js';
import type { ScanLock } from './scan-lock.port.js';
import type { ScanRecords } from './scan-records.port.js';

const STARTUP_CONNECT_WAIT_MS = 3000;

/**
 * Everything stored is plain JSON (no Buffers, no Dates), so Keyv's default serializer,
 * whose JSON.parse reviver visits every value to restore Buffers, is twice the work of
 * plain JSON for the same bytes; warm queries read 78 upstream bodies each, the same bytes
 * request after request, so an unchanged entry of 512 characters or more is parsed once.
 */
function plainJson() {
  const parse = createReusingJsonParse({ minLength: 512, maxTextLength: 8 * 1024 * 1024 });
  // Every stored text is a Keyv envelope {value, expires}: Keyv itself wrote it.
  return { serialize: JSON.stringify, deserialize: parse as Deserialize } as const;
}

export interface StoreOptions {
  redisUrl: string | undefined;
  /** folder of the embedded database (`pglite/`, see src/db/embedded-database.ts) and of the local daily budgets (used when redisUrl is unset) */
  cacheDir: string;
  /** physical key prefix: `{namespace}:{logical key}` */
  namespace: string;
  timeoutMs: number;
  /** the scan lock's TTL: 45 minutes, shorter only in tests */
  scanLockTtlMs?: number;
}

/**
 * The process's store, as its ports: the bounded cache, the scan lock, the scan records and
 * the call budgets, on Redis or on the embedded database. Nothing outside src/store sees which.
 */
export interface Store {
  cache: Cache;
  scanLock: ScanLock;
  scanRecords: ScanRecords;
  /** one budget per upstream API key: shared through Redis, else this process's own */
  budgets: CallBudgets;
  /** the store answers now (Redis connected; the embedded database open) */
  isUsable(): boolean;
  /** settles once the store answers, or after a short wait when Redis does not; rejects when the embedded database cannot be opened */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** On Redis when a URL is given, else on the embedded database in CACHE_DIR, which survives restarts. */
export function createStore(options: StoreOptions, logger: Logger): Store {
  return options.redisUrl ? createRedisStore(options, options.redisUrl, logger) : createFileStore(options, logger);
}

function createRedisStore(options: StoreOptions, url: string, logger: Logger): Store {
  const redis: RedisClientType = createClient({
    url,
    // Without this, node-redis queues commands while disconnected and they hang until
    // Redis returns; with it they fail at once and the cache counts them as misses.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: Math.max(options.timeoutMs, 1000),
      // Keep trying in the background so caching resumes when Redis is back.
      reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000),
    },
  });
  let lastError = '';
  redis.on('error', (error: Error) => {
    // Reconnect loops repeat the same error many times a second: log each kind once.
    if (error.message !== lastError) logger.warn({ err: error.message }, 'redis error');
    lastError = error.message;
  });
  redis.on('ready', () => {
    if (lastError !== '') logger.info('redis connection ready');
    lastError = '';
  });
  const connecting = redis.connect().catch((error: Error) => logger.warn({ err: error.message }, 'redis not reachable at start-up'));

  const adapter = new KeyvRedis(redis, {
    namespace: options.namespace,
    keyPrefixSeparator: ':',
    throwOnConnectError: true,
    throwOnErrors: true,
  });
  const keyv = new Keyv({ store: adapter, namespace: options.namespace, useKeyPrefix: false, throwOnErrors: true, ...plainJson() });
  const cache = new Cache(keyv, options.timeoutMs, logger);
  return {
    cache,
    scanLock: new RedisScanLock({
      redis,
      keyv,
      namespace: options.namespace,
      timeoutMs: options.timeoutMs,
      ttlMs: options.scanLockTtlMs,
    }),
    scanRecords: new CacheScanRecords(cache),
    budgets: (budget) => createRedisCallBudget(redis, budget),
    isUsable: () => redis.isReady,
    // Start-up waits a moment for the first connection; a Redis that is down does not stop the service.
    ready: pTimeout(connecting, { milliseconds: STARTUP_CONNECT_WAIT_MS }).then(
      () => undefined,
      () => logger.warn('redis not reachable at start-up; serving without the cache until it is'),
    ),
    async close() {
      if (redis.isOpen) await redis.close().catch(() => redis.destroy());
      else redis.destroy();
    },
  };
}

function createFileStore(options: StoreOptions, logger: Logger): Store {
  const database = openEmbeddedDatabase(options.cacheDir, logger);
  const adapter = new PgliteKeyvStore({ database, logger });
  const keyv = new Keyv({ store: adapter, namespace: options.namespace, throwOnErrors: true, ...plainJson() });
  const cache = new Cache(keyv, options.timeoutMs, logger);
  let opened: EmbeddedDatabase | undefined;
  return {
    cache,
    scanLock: new LocalScanLock({ keyv, timeoutMs: options.timeoutMs, ttlMs: options.scanLockTtlMs }),
    scanRecords: new CacheScanRecords(cache),
    budgets: (budget) => createLocalCallBudget(budget, options.cacheDir, logger),
    // A database that stopped (Postgres PANICked: a full disk, say) reads as down: /ready says 503.
    isUsable: () => opened !== undefined && opened.failure() === undefined,
    // Unlike Redis, a store that does not open stops start-up: serving empty would hide what it holds.
    ready: adapter.ready.then((embedded) => {
      opened = embedded;
      logger.info({ directory: embedded.directory }, 'embedded store on local disk (REDIS_URL unset)');
    }),
    async close() {
      opened = undefined;
      await keyv.disconnect().catch(() => undefined);
      await (await database.catch(() => undefined))?.close();
    },
  };
}
