import { randomUUID } from 'node:crypto';
import type { RedisClientType } from '@redis/client';
import type { Keyv } from 'keyv';
import { answeredOrUnavailable } from '../bounded.js';
import { SCANNER_KEYS, SCANNER_TTL_MS } from '../cache-keys.js';
import type { ScanLock, ScanLockHolder } from '../scan-lock.port.js';

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

export interface RedisScanLockOptions {
  redis: RedisClientType;
  /** the store's Keyv on the same Redis: reads the entry like any other */
  keyv: Keyv;
  /** physical key prefix, as the store writes it */
  namespace: string;
  timeoutMs: number;
  ttlMs?: number;
}

/**
 * The scan lock shared by every process on one Redis: SET NX with a 45-minute expiry,
 * released by a script that checks the owner. The entry is written in Keyv's own format
 * ({value, expires}) so that Keyv, and the scan records' one-round-trip snapshot, read it
 * like any other.
 */
export class RedisScanLock implements ScanLock {
  private readonly ttlMs: number;

  constructor(private readonly options: RedisScanLockOptions) {
    this.ttlMs = options.ttlMs ?? SCANNER_TTL_MS;
  }

  async acquire(now: Date): Promise<string | undefined> {
    const holder: ScanLockHolder = { owner: randomUUID(), startedAt: now.toISOString() };
    const taken = await this.bounded(this.setIfAbsent(holder));
    return taken ? holder.owner : undefined;
  }

  async release(owner: string): Promise<void> {
    await this.bounded(this.options.redis.eval(RELEASE_IF_OWNER, { keys: [this.physicalKey], arguments: [owner] }));
  }

  holder(): Promise<ScanLockHolder | undefined> {
    return this.bounded(this.options.keyv.get<ScanLockHolder>(SCANNER_KEYS.scanInProgress));
  }

  private get physicalKey(): string {
    return `${this.options.namespace}:${SCANNER_KEYS.scanInProgress}`;
  }

  private async setIfAbsent(holder: ScanLockHolder): Promise<boolean> {
    const entry = JSON.stringify({ value: holder, expires: Date.now() + this.ttlMs });
    const reply = await this.options.redis.set(this.physicalKey, entry, { NX: true, PX: this.ttlMs });
    return reply === 'OK';
  }

  private bounded<T>(promise: Promise<T>): Promise<T> {
    return answeredOrUnavailable(promise, this.options.timeoutMs, 'the scan lock');
  }
}
