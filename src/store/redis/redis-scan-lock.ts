import { randomUUID } from 'node:crypto';
import type { RedisClientType } from '@redis/client';
import { answeredOrUnavailable } from '../bounded.js';
import { SCANNER_KEYS, SCANNER_TTL_MS } from '../cache-keys.js';
import { scanLockHolderOf } from '../scan-lock-entry.js';
import type { ScanLock, ScanLockHolder } from '../scan-lock.port.js';

// Every script reads the time from Redis (TIME), so the heartbeats of all processes are on
// one clock whatever their own clocks say. The entry is Keyv's JSON envelope {value, expires}.
const NOW_AND_ENTRY = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function lock_of(raw)
  if not raw then return nil end
  local ok, entry = pcall(cjson.decode, raw)
  if ok and type(entry) == 'table' and type(entry.value) == 'table' and type(entry.value.owner) == 'string'
    and type(entry.value.startedAt) == 'string' then return entry end
  return nil
end
local function store(entry, now, ttl)
  entry.value.heartbeatAt = now
  entry.expires = now + ttl
  redis.call('SET', KEYS[1], cjson.encode(entry), 'PX', ttl)
end`;

// Taken when there is no entry, an unreadable one, or one whose heartbeat is older than the
// lease. An entry without a heartbeat (written by an older version) is held until its TTL.
// ARGV: owner, startedAt, ttl ms, lease ms. Returns 1 when taken.
const ACQUIRE = `${NOW_AND_ENTRY}
local now = now_ms()
local current = lock_of(redis.call('GET', KEYS[1]))
if current then
  local beat = tonumber(current.value.heartbeatAt)
  if not beat or now - beat <= tonumber(ARGV[4]) then return 0 end
end
store({ value = { owner = ARGV[1], startedAt = ARGV[2] } }, now, tonumber(ARGV[3]))
return 1`;

// The heartbeat: only the exact owner's entry, and never a vanished one. ARGV: owner, ttl ms.
const RENEW_IF_OWNER = `${NOW_AND_ENTRY}
local current = lock_of(redis.call('GET', KEYS[1]))
if not current or current.value.owner ~= ARGV[1] then return 0 end
store(current, now_ms(), tonumber(ARGV[2]))
return 1`;

// Deletes the entry only if it still holds exactly this owner's token (it may have been taken
// over by another process meanwhile).
const RELEASE_IF_OWNER = `${NOW_AND_ENTRY}
local current = lock_of(redis.call('GET', KEYS[1]))
if current and current.value.owner == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** The entry and Redis's time, read together so that the lapse is judged on Redis's clock. */
const READ = `${NOW_AND_ENTRY}
return { redis.call('GET', KEYS[1]) or false, now_ms() }`;

/** Deletes whatever entry there is and gives it back, with Redis's time. */
const CLEAR = `${NOW_AND_ENTRY}
return { redis.call('GETDEL', KEYS[1]) or false, now_ms() }`;

export interface RedisScanLockOptions {
  redis: RedisClientType;
  /** physical key prefix, as the store writes it */
  namespace: string;
  timeoutMs: number;
  ttlMs?: number;
  leaseMs: number;
}

/**
 * The scan lock shared by every process on one Redis: a lease whose take-over, heartbeat and
 * release are each one Lua script (check-and-set on the server), timed by Redis's own clock.
 * The entry is written in Keyv's own format ({value, expires}) so that Keyv reads it like
 * any other.
 */
export class RedisScanLock implements ScanLock {
  readonly leaseMs: number;
  private readonly ttlMs: number;

  constructor(private readonly options: RedisScanLockOptions) {
    this.ttlMs = options.ttlMs ?? SCANNER_TTL_MS;
    this.leaseMs = options.leaseMs;
  }

  async acquire(now: Date): Promise<string | undefined> {
    const owner = randomUUID();
    const taken = await this.run(ACQUIRE, [owner, now.toISOString(), String(this.ttlMs), String(this.leaseMs)]);
    return taken === 1 ? owner : undefined;
  }

  async renew(owner: string): Promise<boolean> {
    return (await this.run(RENEW_IF_OWNER, [owner, String(this.ttlMs)])) === 1;
  }

  async release(owner: string): Promise<void> {
    await this.run(RELEASE_IF_OWNER, [owner]);
  }

  async clear(): Promise<ScanLockHolder | undefined> {
    return this.holderOf(await this.run(CLEAR, []));
  }

  async holder(): Promise<ScanLockHolder | undefined> {
    return this.holderOf(await this.run(READ, []));
  }

  private holderOf(reply: unknown): ScanLockHolder | undefined {
    const [raw, now] = reply as [string | null, number];
    if (raw === null) return undefined;
    let entry: unknown;
    try {
      entry = JSON.parse(raw);
    } catch {
      return undefined;
    }
    return scanLockHolderOf((entry as { value?: unknown } | null)?.value, Number(now), this.leaseMs);
  }

  private run(script: string, args: string[]): Promise<unknown> {
    const physicalKey = `${this.options.namespace}:${SCANNER_KEYS.scanInProgress}`;
    return answeredOrUnavailable(this.options.redis.eval(script, { keys: [physicalKey], arguments: args }), this.options.timeoutMs, 'the scan lock');
  }
}
