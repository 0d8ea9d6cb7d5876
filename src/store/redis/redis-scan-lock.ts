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

// The heartbeat: only the exact owner's entry. A vanished entry is written again only when
// ARGV[3] gives its start (Redis restarted without it since the owner's last heartbeat),
// and only while nothing else is there. ARGV: owner, ttl ms, startedAt or ''.
const RENEW_IF_OWNER = `${NOW_AND_ENTRY}
local current = lock_of(redis.call('GET', KEYS[1]))
if not current then
  if ARGV[3] == '' or redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
  store({ value = { owner = ARGV[1], startedAt = ARGV[3] } }, now_ms(), tonumber(ARGV[2]))
  return 2
end
if current.value.owner ~= ARGV[1] then return 0 end
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
  /** the entry's logical key: the scan lock's, unless this lease is another job's */
  key?: string;
}

/** A lock this process holds: its start, and the connection of its last answered heartbeat. */
interface HeldHere {
  startedAt: string;
  connection: number;
}

/**
 * The scan lock shared by every process on one Redis: a lease whose take-over, heartbeat and
 * release are each one Lua script (check-and-set on the server), timed by Redis's own clock.
 * The entry is written in Keyv's own format ({value, expires}) so that Keyv reads it like
 * any other.
 *
 * An entry gone while the connection stayed up was removed (FLUSHALL, DEL, clearScanLock):
 * its owner has lost it. One gone across a reconnection was lost by Redis itself (a restart
 * without persistence, a failover to a replica without it): nobody freed it, so the owner's
 * next heartbeat writes it again if no other process has taken the lock meanwhile.
 */
export class RedisScanLock implements ScanLock {
  readonly leaseMs: number;
  private readonly ttlMs: number;
  /** how many times the client has become ready: a reconnection counts one more */
  private connection = 0;
  private readonly heldHere = new Map<string, HeldHere>();

  constructor(private readonly options: RedisScanLockOptions) {
    this.ttlMs = options.ttlMs ?? SCANNER_TTL_MS;
    this.leaseMs = options.leaseMs;
    if (options.redis.isReady) this.connection = 1;
    options.redis.on('ready', () => {
      this.connection += 1;
    });
  }

  async acquire(now: Date): Promise<string | undefined> {
    const owner = randomUUID();
    const connection = this.connection;
    const taken = await this.run(ACQUIRE, [owner, now.toISOString(), String(this.ttlMs), String(this.leaseMs)]);
    if (taken !== 1) return undefined;
    this.heldHere.set(owner, { startedAt: now.toISOString(), connection });
    return owner;
  }

  async renew(owner: string): Promise<boolean> {
    const held = this.heldHere.get(owner);
    const connection = this.connection;
    const reconnected = held !== undefined && held.connection !== connection;
    const renewed = await this.run(RENEW_IF_OWNER, [owner, String(this.ttlMs), reconnected ? held.startedAt : '']);
    if (renewed === 0) {
      this.heldHere.delete(owner);
      return false;
    }
    if (held) held.connection = connection;
    return true;
  }

  async release(owner: string): Promise<void> {
    this.heldHere.delete(owner);
    await this.run(RELEASE_IF_OWNER, [owner]);
  }

  async clear(): Promise<ScanLockHolder | undefined> {
    const freed = this.holderOf(await this.run(CLEAR, []));
    if (freed) this.heldHere.delete(freed.owner);
    return freed;
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
    const physicalKey = `${this.options.namespace}:${this.options.key ?? SCANNER_KEYS.scanInProgress}`;
    return answeredOrUnavailable(this.options.redis.eval(script, { keys: [physicalKey], arguments: args }), this.options.timeoutMs, 'the scan lock');
  }
}
