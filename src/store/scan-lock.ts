import { randomUUID } from 'node:crypto';
import type { RedisClientType } from '@redis/client';
import pTimeout from 'p-timeout';
import type { Keyv } from 'keyv';
import { SCANNER_KEYS, SCANNER_TTL_MS } from './cache-keys.js';
import { StoreUnavailableError } from './store-unavailable.error.js';

/** What the lock entry holds: who holds it and since when. */
export interface ScanLockHolder {
  owner: string;
  startedAt: string;
}

// Deletes the entry only if it still holds exactly this owner's token (it may have expired
// and been taken by another process meanwhile). The entry is Keyv's JSON envelope.
const RELEASE_IF_OWNER = `
local value = redis.call('GET', KEYS[1])
if not value then return 0 end
local ok, entry = pcall(cjson.decode, value)
if ok and type(entry) == 'table' and type(entry.value) == 'table' and entry.value.owner == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/**
 * `scanner:scan_in_progress`: one entry, taken atomically across every process on the
 * store (SET NX with a 45-minute expiry on Redis), released only by its holder. The entry
 * is written in Keyv's own format so that Keyv reads it like any other.
 */
export class ScanLock {
  private localTail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly keyv: Keyv,
    private readonly redis: RedisClientType | undefined,
    /** physical key prefix, as the store writes it */
    private readonly namespace: string,
    private readonly timeoutMs: number,
    private readonly ttlMs: number = SCANNER_TTL_MS,
  ) {}

  /** @returns the holder's token when taken, undefined when another holds it; throws StoreUnavailableError */
  async acquire(now: Date): Promise<string | undefined> {
    const holder: ScanLockHolder = { owner: randomUUID(), startedAt: now.toISOString() };
    const taken = await this.bounded(this.redis ? this.setIfAbsentOnRedis(this.redis, holder) : this.setIfAbsentLocally(holder));
    return taken ? holder.owner : undefined;
  }

  async release(owner: string): Promise<void> {
    if (this.redis) {
      await this.bounded(this.redis.eval(RELEASE_IF_OWNER, { keys: [this.physicalKey], arguments: [owner] }));
      return;
    }
    await this.bounded(
      this.serialized(async () => {
        const holder = await this.keyv.get<ScanLockHolder>(SCANNER_KEYS.scanInProgress);
        if (holder?.owner === owner) await this.keyv.delete(SCANNER_KEYS.scanInProgress);
      }),
    );
  }

  /** The current holder, or undefined when free; throws StoreUnavailableError. */
  async holder(): Promise<ScanLockHolder | undefined> {
    return this.bounded(this.keyv.get<ScanLockHolder>(SCANNER_KEYS.scanInProgress));
  }

  private get physicalKey(): string {
    return `${this.namespace}:${SCANNER_KEYS.scanInProgress}`;
  }

  private async setIfAbsentOnRedis(redis: RedisClientType, holder: ScanLockHolder): Promise<boolean> {
    const entry = JSON.stringify({ value: holder, expires: Date.now() + this.ttlMs });
    const reply = await redis.set(this.physicalKey, entry, { NX: true, PX: this.ttlMs });
    return reply === 'OK';
  }

  /** The embedded store serves one process: a local queue makes check-and-set atomic. */
  private setIfAbsentLocally(holder: ScanLockHolder): Promise<boolean> {
    return this.serialized(async () => {
      if ((await this.keyv.get(SCANNER_KEYS.scanInProgress)) !== undefined) return false;
      return this.keyv.set(SCANNER_KEYS.scanInProgress, holder, this.ttlMs);
    });
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.localTail.then(work, work);
    this.localTail = run.catch(() => undefined);
    return run;
  }

  private async bounded<T>(promise: Promise<T>): Promise<T> {
    try {
      return await pTimeout(promise, { milliseconds: this.timeoutMs });
    } catch (error) {
      throw new StoreUnavailableError(
        `the store did not answer the scan lock (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
}
