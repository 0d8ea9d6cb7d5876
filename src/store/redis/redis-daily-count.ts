import type { RedisClientType } from '@redis/client';
import pTimeout from 'p-timeout';
import type { StoreCallBound } from '../bounded.js';
import type { Logger } from '../../logger.js';
import { UpstreamRateLimitedError } from '../../providers/provider-errors.js';
import { readJsonFile, writeJsonFileWhole } from '../local/json-file.js';
import { dailyCountFile } from '../local/local-call-budget.js';
import { budgetProcessId } from '../local/process-identity.js';
import type { CallBudgetOptions } from '../call-budget.port.js';
import type { DailyCount } from '../paced-call-budget.js';

export interface RedisDailyCountOptions {
  redis: RedisClientType;
  /** named in refusals: 'Alpha Vantage' */
  provider: string;
  /** CACHE_DIR: this process's identity and its own count of the day */
  directory: string;
  /** 'wheel:budget:alphavantage' */
  keyPrefix: string;
  perDay: number;
  /** every Redis call gives up after this long (STORE_TIMEOUT_MS) */
  timeoutMs: number;
  /** the connection's bound, when it has one: fails at once while Redis is known not to answer */
  bound?: StoreCallBound;
  /** the day the heartbeat keeps in sync */
  tradingDayOf: (now: Date) => string;
  logger: Logger;
  /** how often the process renews its view, its share and its liveness; 2 s, shorter in tests */
  heartbeatMs?: number;
}

/** What the day's count needs besides Redis (see RedisDailyCount). */
export interface RedisDailyCountContext {
  /** CACHE_DIR */
  directory: string;
  timeoutMs: number;
  logger: Logger;
  /** the store's close() runs these: each day's count frees its share */
  closing: Array<() => Promise<void>>;
  /** the budget connection's bound: fails at once while Redis is known not to answer */
  bound?: StoreCallBound;
}

/** The day's count of a budget on Redis, freed (see close) when the store closes. */
export function redisDailyCount(redis: RedisClientType, budget: CallBudgetOptions, context: RedisDailyCountContext): RedisDailyCount {
  const { provider, keyPrefix, perDay, tradingDayOf } = budget;
  const { directory, timeoutMs, logger, bound } = context;
  const count = new RedisDailyCount({ redis, provider, directory, keyPrefix, perDay, timeoutMs, tradingDayOf, logger, ...(bound ? { bound } : {}) });
  context.closing.push(() => count.close());
  return count;
}

/** This process's own record of the day, kept under CACHE_DIR (see RedisDailyCount). */
interface OwnDay {
  /** 'YYYY-MM-DD', US/Eastern */
  day: string;
  /** calls this process made on `day`: granted by Redis, or spent from its outage share */
  own: number;
  /** how many of them Redis has acknowledged; own - confirmed were spent while unreachable */
  confirmed: number;
  /** calls Redis holds for this process to spend while it cannot reach Redis */
  share: number;
  /** the day's counts and shares of every process as last seen, to refill an emptied Redis */
  counts: Record<string, number>;
  shares: Record<string, number>;
}

interface SyncReply {
  granted: boolean;
  /** this process's count in Redis */
  mine: number;
  /** every process's calls of the day */
  total: number;
  /** the shares Redis holds for the other processes */
  held: number;
  share: number;
  counts: Record<string, number>;
  shares: Record<string, number>;
}

const DEFAULT_HEARTBEAT_MS = 2000;
/** a process unseen this long no longer counts among the live ones sharing what is free */
const LIVE_HEARTBEATS = 5;
const KEY_TTL_SECONDS = 2 * 24 * 60 * 60;

/**
 * The day's count of one budget, shared through Redis and recovered from where it is
 * durable. On Redis, per day: a hash {process id: its calls} (a field only ever rises) whose
 * sum is the day's total, a hash {process id: its share}, and the live processes by last
 * heartbeat (a sorted set). Each process also keeps its own calls, and the hashes as it last
 * saw them, in a file under CACHE_DIR, written before a call goes; so a Redis that comes back
 * empty is refilled by the first process that finds the day's hash missing, and a process
 * that finds its field lower than its own count writes it back.
 *
 * The share: half of what is free (cap - total - the others' shares), split among the live
 * processes, held in Redis for this process so that no other process spends it. While Redis
 * does not answer within the store timeout, the process spends its share and one call more,
 * counted in its own file (restarts included), and they join the total when Redis answers
 * again (none when the total it last saw had reached the cap). Hence the invariant: the
 * upstream never sees more than the cap plus one call per process per outage. A share is
 * renewed on every sync (the heartbeat: every 2 s) and freed when the process closes; a
 * process killed for good keeps its last share held until the day ends. Refusals say which
 * case it is: the cap reached (false), the rest held for others, or the share spent.
 */
export class RedisDailyCount implements DailyCount {
  private readonly id: string;
  private readonly file: string;
  private readonly heartbeatMs: number;
  private state: OwnDay | undefined;
  private written = '';
  /** Date.now() of the last Redis call that failed, while failing */
  private failedAt: number | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  private beating = false;
  private closed = false;

  constructor(private readonly options: RedisDailyCountOptions) {
    this.id = budgetProcessId(options.directory, options.logger);
    this.file = dailyCountFile(options.directory, options.keyPrefix, 'own-day');
    this.heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.heartbeat = setInterval(() => void this.beat(), this.heartbeatMs);
    this.heartbeat.unref();
  }

  async used(day: string): Promise<number> {
    const reply = await this.sync(day, 'look');
    if (!reply) {
      if (this.outageAllowance(day) <= 0) throw this.outageSpent();
      return this.lastTotal(day);
    }
    if (reply.total < this.options.perDay && reply.total + reply.held >= this.options.perDay) throw this.heldByOthers(reply);
    return reply.total;
  }

  async take(day: string): Promise<boolean> {
    const reply = await this.sync(day, 'take');
    if (reply) {
      if (!reply.granted && reply.total < this.options.perDay) throw this.heldByOthers(reply);
      return reply.granted;
    }
    if (this.lastTotal(day) >= this.options.perDay) return false;
    if (this.outageAllowance(day) <= 0) throw this.outageSpent();
    const state = this.stateOf(day);
    state.own += 1;
    // Unwritten, a restart in this outage would spend the share again: refuse instead.
    if (this.save(state)) return true;
    state.own -= 1;
    throw this.outageSpent();
  }

  /** Renews the view one last time and frees this process's share (the store is closing). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeat);
    await this.sync(this.options.tradingDayOf(new Date()), 'release');
  }

  /** the day's total as this process last saw it, its own calls since included */
  private lastTotal(day: string): number {
    const state = this.stateOf(day);
    const seen = Object.values(state.counts).reduce((total, count) => total + count, 0);
    return seen - (state.counts[this.id] ?? 0) + state.own;
  }

  private heldByOthers(reply: SyncReply): UpstreamRateLimitedError {
    return new UpstreamRateLimitedError(
      `the last ${this.options.perDay - reply.total} calls of the daily ${this.options.provider} budget are held for other processes' outages until they renew their share; try again in a few seconds`,
    );
  }

  private outageSpent(): UpstreamRateLimitedError {
    return new UpstreamRateLimitedError(
      `the daily ${this.options.provider} budget is shared through Redis, which does not answer, and this process has spent its share of what remained; try again once Redis is back`,
    );
  }

  /** calls this process may still make while Redis is unreachable: its share and one more */
  private outageAllowance(day: string): number {
    const state = this.stateOf(day);
    return state.share + 1 - (state.own - state.confirmed);
  }

  private async beat(): Promise<void> {
    if (this.beating || this.closed) return;
    if (!this.options.redis.isOpen) {
      clearInterval(this.heartbeat); // the store was closed
      return;
    }
    this.beating = true;
    try {
      await this.sync(this.options.tradingDayOf(new Date()), 'look', true);
    } finally {
      this.beating = false;
    }
  }

  /** One round trip to Redis, bounded; undefined when Redis did not answer. */
  private async sync(day: string, intent: 'look' | 'take' | 'release', probe = false): Promise<SyncReply | undefined> {
    // While failing, only the heartbeat asks Redis: no call waits out the timeout twice.
    if (!probe && intent !== 'release' && this.failedAt !== undefined && Date.now() - this.failedAt < this.heartbeatMs) return undefined;
    const state = this.stateOf(day);
    const sent = state.own;
    const keys = dayKeys(this.options.keyPrefix, day);
    let raw: unknown;
    try {
      const { redis, bound } = this.options;
      const sync = () =>
        redis.eval(SYNC_SCRIPT, {
          keys: [keys.counts, keys.shares, keys.live],
          arguments: [
            this.id,
            String(sent),
            String(this.options.perDay),
            intent,
            String(this.heartbeatMs * LIVE_HEARTBEATS),
            String(KEY_TTL_SECONDS),
            JSON.stringify(state.counts),
            JSON.stringify(state.shares),
          ],
        });
      // The connection's bound, when given, is the timeout: a second timer of the same length
      // would fire first and leave the connection marked answering for the next call to wait out.
      raw = await (bound ? bound.run(sync) : pTimeout(sync(), { milliseconds: this.options.timeoutMs }));
    } catch (error) {
      if (this.failedAt === undefined) {
        this.options.logger.warn(
          { err: error instanceof Error ? error.message : String(error), share: state.share },
          "daily budget: Redis not answering; spending this process's share of the day until it does",
        );
      }
      this.failedAt = Date.now();
      return undefined;
    }
    if (this.failedAt !== undefined) this.options.logger.info({ outageCalls: sent - state.confirmed }, 'daily budget: Redis answering again');
    this.failedAt = undefined;
    const reply = parseReply(raw);
    if (this.state !== state) return reply; // the day turned meanwhile
    if (reply.granted) state.own += 1;
    // what Redis now holds of this process's calls (calls made since the request was sent excepted)
    state.confirmed = Math.max(state.confirmed, Math.min(state.own, reply.mine));
    state.share = intent === 'release' ? 0 : reply.share;
    state.counts = reply.counts;
    state.shares = reply.shares;
    this.save(state);
    return reply;
  }

  private stateOf(day: string): OwnDay {
    this.state ??= this.read();
    if (this.state.day !== day) this.state = { day, own: 0, confirmed: 0, share: 0, counts: {}, shares: {} };
    return this.state;
  }

  private read(): OwnDay {
    const empty: OwnDay = { day: '', own: 0, confirmed: 0, share: 0, counts: {}, shares: {} };
    let saved: Partial<OwnDay> | undefined;
    try {
      saved = readJsonFile(this.file) as Partial<OwnDay> | undefined;
    } catch (error) {
      this.options.logger.warn({ file: this.file, err: error instanceof Error ? error.message : String(error) }, 'daily budget file unreadable');
    }
    if (!saved || typeof saved.day !== 'string') return empty;
    const count = (value: unknown) => (Number.isInteger(value) && (value as number) >= 0 ? (value as number) : 0);
    const own = count(saved.own);
    return {
      day: saved.day,
      own,
      confirmed: Math.min(own, count(saved.confirmed)),
      share: count(saved.share),
      counts: countsOf(saved.counts),
      shares: countsOf(saved.shares),
    };
  }

  /** true when the record is on disk */
  private save(state: OwnDay): boolean {
    const text = JSON.stringify(state);
    if (text === this.written) return true;
    try {
      writeJsonFileWhole(this.file, state);
      this.written = text;
      return true;
    } catch (error) {
      this.options.logger.warn({ file: this.file, err: error instanceof Error ? error.message : String(error) }, 'daily budget file not written');
      return false;
    }
  }
}

/** The day's keys: `{keyPrefix}:daily:{day}` (counts), `…:shares`, `…:live`. */
export function dayKeys(keyPrefix: string, day: string): { counts: string; shares: string; live: string } {
  const counts = `${keyPrefix}:daily:${day}`;
  return { counts, shares: `${counts}:shares`, live: `${counts}:live` };
}

function countsOf(value: unknown): Record<string, number> {
  const counts: Record<string, number> = {};
  if (typeof value !== 'object' || value === null) return counts;
  for (const [field, count] of Object.entries(value)) {
    if (Number.isInteger(count) && (count as number) >= 0) counts[field] = count as number;
  }
  return counts;
}

function pairsOf(flat: unknown): Record<string, number> {
  const pairs: Record<string, number> = {};
  if (!Array.isArray(flat)) return pairs;
  for (let index = 0; index + 1 < flat.length; index += 2) pairs[String(flat[index])] = Number(flat[index + 1]);
  return pairs;
}

function parseReply(raw: unknown): SyncReply {
  const [granted, mine, total, held, share, counts, shares] = raw as [number, number, number, number, number, unknown, unknown];
  return { granted: granted === 1, mine, total, held, share, counts: pairsOf(counts), shares: pairsOf(shares) };
}

/**
 * KEYS: counts, shares, live. ARGV: id, own, cap, intent (look | take | release), live window
 * in ms, TTL in s, counts and shares last seen (JSON). Reply: granted (0/1), this process's
 * count, the total, the others' shares, this process's share, the counts and the shares.
 * Redis's clock times the heartbeats, so every process agrees on who is live.
 */
const SYNC_SCRIPT = `local id = ARGV[1]
local own = tonumber(ARGV[2])
local cap = tonumber(ARGV[3])
local intent = ARGV[4]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if redis.call('EXISTS', KEYS[1]) == 0 then
  -- emptied (a restart without its data, FLUSHALL): put back the day as this process saw it
  for field, count in pairs(cjson.decode(ARGV[7])) do redis.call('HSET', KEYS[1], field, count) end
  for field, share in pairs(cjson.decode(ARGV[8])) do redis.call('HSETNX', KEYS[2], field, share) end
end
local mine = tonumber(redis.call('HGET', KEYS[1], id) or '-1')
if mine < own then
  redis.call('HSET', KEYS[1], id, own)
  mine = own
end
local total = 0
for _, count in ipairs(redis.call('HVALS', KEYS[1])) do total = total + tonumber(count) end
local held = 0
local shares = redis.call('HGETALL', KEYS[2])
for i = 1, #shares, 2 do
  if shares[i] ~= id then held = held + tonumber(shares[i + 1]) end
end
local granted = 0
if intent == 'take' and total + held < cap then
  mine = redis.call('HINCRBY', KEYS[1], id, 1)
  total = total + 1
  granted = 1
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[5]))
local share = 0
if intent == 'release' then
  redis.call('HDEL', KEYS[2], id)
  redis.call('ZREM', KEYS[3], id)
else
  redis.call('ZADD', KEYS[3], now, id)
  local free = cap - total - held
  if free > 0 then share = math.floor(free / (2 * redis.call('ZCARD', KEYS[3]))) end
  redis.call('HSET', KEYS[2], id, share)
end
for i = 1, 3 do redis.call('EXPIRE', KEYS[i], tonumber(ARGV[6])) end
return {granted, mine, total, held, share, redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2])}`;
