import { createClient, type RedisClientType } from '@redis/client';
import KeyvRedis from '@keyv/redis';
import { Keyv, type Deserialize } from 'keyv';
import pTimeout from 'p-timeout';
import { openEmbeddedDatabase, type EmbeddedDatabase } from '../db/embedded-database.js';
import type { Logger } from '../logger.js';
import { Cache } from './cache.js';
import { CacheScanRecords } from './cache-scan-records.js';
import type { CallBudgets } from './call-budget.port.js';
import { REFRESHER_LEASE } from './cache-keys.js';
import { createLocalCallBudget } from './local/local-call-budget.js';
import { LocalScanLock } from './local/local-scan-lock.js';
import { PgliteKeyvStore } from './local/pglite-keyv-store.js';
import { createRedisCallBudget } from './redis/redis-call-budget.js';
import { RedisLiveness } from './redis/redis-liveness.js';
import { RedisScanLock } from './redis/redis-scan-lock.js';
import { createReusingJsonParse } from './reusing-json-parse.js';
import { DEFAULT_SCAN_LEASE_MS, type ScanLock } from './scan-lock.port.js';
import type { ScanRecords } from './scan-records.port.js';

const STARTUP_CONNECT_WAIT_MS = 3000;

/**
 * Everything stored is plain JSON (no Buffers, no Dates), so Keyv's default serializer,
 * whose JSON.parse reviver visits every value to restore Buffers, is twice the work of
 * plain JSON for the same bytes; warm queries read 78 upstream bodies each, the same bytes
 * request after request, so an unchanged entry of 512 characters or more is parsed once. Up
 * to 1 MB: the scan results of an index are larger, and CacheScanRecords holds them by version.
 */
function plainJson() {
  const parse = createReusingJsonParse({ minLength: 512, maxTextLength: 8 * 1024 * 1024, maxLength: 1024 * 1024 });
  // Every stored text is a Keyv envelope {value, expires}: Keyv itself wrote it.
  return { serialize: JSON.stringify, deserialize: parse as Deserialize } as const;
}

export interface StoreOptions {
  redisUrl: string | undefined;
  /** folder of the embedded database (`pglite/`, see src/db/embedded-database.ts), of the local daily budgets, and of each process's own count of the day (Redis or not) */
  cacheDir: string;
  /** physical key prefix: `{namespace}:{logical key}` */
  namespace: string;
  timeoutMs: number;
  /** the scan lock's TTL: 45 minutes, shorter only in tests */
  scanLockTtlMs?: number;
  /** how long a scan's heartbeat holds the lock (SCAN_LEASE_SECONDS); default 30 s */
  scanLeaseMs?: number;
}

/**
 * The process's store, as its ports: the bounded cache, the scan lock, the scan records and
 * the call budgets, on Redis or on the embedded database. Nothing outside src/store sees which.
 */
export interface Store {
  cache: Cache;
  scanLock: ScanLock;
  /** the background refresher's lease (REFRESHER_LEASE): one refreshing process at a time */
  refresherLease: ScanLock;
  scanRecords: ScanRecords;
  /** one budget per upstream API key: shared through Redis, else this process's own */
  budgets: CallBudgets;
  /** the store answers now: Redis answered a PING within the timeout (asked at most once a second); the embedded database is open */
  isUsable(): boolean | Promise<boolean>;
  /** settles once the store answers, or after a short wait when Redis does not; rejects when the embedded database cannot be opened */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** On Redis when a URL is given, else on the embedded database in CACHE_DIR, which survives restarts. */
export function createStore(options: StoreOptions, logger: Logger): Store {
  return options.redisUrl ? createRedisStore(options, options.redisUrl, logger) : createFileStore(options, logger);
}

function createRedisStore(options: StoreOptions, url: string, logger: Logger): Store {
  const { timeoutMs } = options;
  // Two connections: the budget's traffic (a flood of uncached calls) never queues cache reads behind it.
  const redis = connectRedis(url, timeoutMs, logger, 'cache');
  const budgetRedis = connectRedis(url, timeoutMs, logger, 'budget');
  const budgetLiveness = new RedisLiveness({ redis: budgetRedis.client, timeoutMs, logger, name: 'budget' });
  // A cache connection that stops answering means a hung Redis: the budget stops waiting on it
  // too. Not the other way: a budget connection slowed by a flood must not turn reads into misses.
  const liveness = new RedisLiveness({ redis: redis.client, timeoutMs, logger, name: 'cache', onNotAnswering: () => budgetLiveness.notAnswering() });

  const adapter = new KeyvRedis(redis.client, {
    namespace: options.namespace,
    keyPrefixSeparator: ':',
    throwOnConnectError: true,
    throwOnErrors: true,
  });
  const keyv = new Keyv({ store: adapter, namespace: options.namespace, useKeyPrefix: false, throwOnErrors: true, ...plainJson() });
  const cache = new Cache(keyv, timeoutMs, logger, liveness);
  const budgetsClosing: Array<() => Promise<void>> = [];
  return {
    cache,
    scanLock: new RedisScanLock({
      redis: redis.client,
      namespace: options.namespace,
      timeoutMs,
      ttlMs: options.scanLockTtlMs,
      leaseMs: options.scanLeaseMs ?? DEFAULT_SCAN_LEASE_MS,
    }),
    refresherLease: new RedisScanLock({ redis: redis.client, namespace: options.namespace, timeoutMs, ...REFRESHER_LEASE }),
    scanRecords: new CacheScanRecords(cache),
    budgets: (budget) =>
      createRedisCallBudget(budgetRedis.client, budget, budgetLiveness, { directory: options.cacheDir, timeoutMs, logger, closing: budgetsClosing }),
    isUsable: () => liveness.answers(),
    // Start-up waits a moment for the first connection; a Redis that is down does not stop the service.
    ready: pTimeout(Promise.all([redis.connected, budgetRedis.connected]), { milliseconds: STARTUP_CONNECT_WAIT_MS }).then(
      () => undefined,
      () => logger.warn('redis not reachable at start-up; serving without the cache until it is'),
    ),
    async close() {
      // Each day's count frees this process's outage share first, over the budget connection.
      await Promise.all(budgetsClosing.map((close) => close()));
      await Promise.all([redis.close(), budgetRedis.close()]);
    },
  };
}

interface RedisConnection {
  client: RedisClientType;
  /** settles when the first connection is made, or has failed */
  connected: Promise<unknown>;
  /** closes once the replies still due have come, or drops the connection if they do not come within the store timeout */
  close(): Promise<void>;
}

function connectRedis(url: string, timeoutMs: number, logger: Logger, name: string): RedisConnection {
  const client: RedisClientType = createClient({
    url,
    // Without this, node-redis queues commands while disconnected and they hang until
    // Redis returns; with it they fail at once and the cache counts them as misses.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: Math.max(timeoutMs, 1000),
      // Keep trying in the background so caching resumes when Redis is back.
      reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000),
    },
  });
  let lastError = '';
  client.on('error', (error: Error) => {
    // Reconnect loops repeat the same error many times a second: log each kind once.
    if (error.message !== lastError) logger.warn({ err: error.message, connection: name }, 'redis error');
    lastError = error.message;
  });
  client.on('ready', () => {
    if (lastError !== '') logger.info({ connection: name }, 'redis connection ready');
    lastError = '';
  });
  const connected = client.connect().catch((error: Error) => logger.warn({ err: error.message, connection: name }, 'redis not reachable at start-up'));
  return {
    client,
    connected,
    async close() {
      if (!client.isOpen) return;
      // close() waits for every reply still due, which a hung Redis never sends. Replies
      // come in order: once a PING is answered, nothing sent before it is due any more.
      const answering = await pTimeout(client.ping(), { milliseconds: timeoutMs }).then(() => true, () => false);
      if (answering) await pTimeout(client.close(), { milliseconds: timeoutMs }).catch(() => undefined);
      else client.destroy();
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
    scanLock: new LocalScanLock({
      keyv,
      timeoutMs: options.timeoutMs,
      ttlMs: options.scanLockTtlMs,
      leaseMs: options.scanLeaseMs ?? DEFAULT_SCAN_LEASE_MS,
    }),
    refresherLease: new LocalScanLock({ keyv, timeoutMs: options.timeoutMs, ...REFRESHER_LEASE }),
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
