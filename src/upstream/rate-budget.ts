import type { RedisClientType } from '@redis/client';
import {
  RateLimiterMemory,
  RateLimiterQueue,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { UpstreamRateLimitedError } from '../providers/provider-errors.js';

export interface RateBudgetOptions {
  /** named in refusals: 'Alpha Vantage', 'marketdata.app' */
  provider: string;
  perMinute: number;
  /** 0: no daily cap */
  perDay: number;
  /** how long a call may queue for the per-minute budget before it is refused */
  maxWaitMs: number;
  /** set: the budget is shared by every process on this Redis and survives restarts */
  redis: RedisClientType | undefined;
  keyPrefix: string;
  /** the US/Eastern calendar day of an instant, 'YYYY-MM-DD' (the daily cap resets with it) */
  tradingDayOf: (now: Date) => string;
  /** the "minute" of perMinute, in whole seconds: 60, shorter only in tests */
  windowSeconds?: number;
}

/**
 * The local call budget for one API key: never more than `perMinute` calls in any sliding
 * minute, so the service never provokes the upstream's own limit. At 60 a minute or less
 * (the free tier's 1 a second) calls are paced, never two within one second; above that
 * they may come at once, up to the minute's budget, so a scan on a premium key is not held
 * to one call at a time. A spent daily budget refuses at once rather than queueing until
 * midnight.
 */
export class RateBudget {
  private readonly pace: RateLimiterQueue;
  private readonly day: RateLimiterAbstract | undefined;

  constructor(private readonly options: RateBudgetOptions) {
    this.pace = new RateLimiterQueue(paceLimiter(options), { maxQueueSize: 10_000 });
    this.day = options.perDay > 0 ? dailyLimiter(options) : undefined;
  }

  private dailySpent(): UpstreamRateLimitedError {
    return new UpstreamRateLimitedError(
      `the daily ${this.options.provider} budget of ${this.options.perDay} calls is spent; it renews at midnight US/Eastern`,
    );
  }

  /** Resolves when one upstream call may go; throws UpstreamRateLimitedError when it may not. */
  async acquire(now: Date = new Date()): Promise<void> {
    const dayKey = this.options.tradingDayOf(now);
    if (this.day) {
      const used = await this.day.get(dayKey);
      if (used && used.consumedPoints >= this.options.perDay) throw this.dailySpent();
    }
    try {
      await this.pace.removeTokens(1, 'upstream', Math.ceil((Date.now() + this.options.maxWaitMs) / 1000));
    } catch {
      throw new UpstreamRateLimitedError(
        `the local ${this.options.provider} budget of ${this.options.perMinute} calls a minute is in use; try again shortly`,
      );
    }
    if (this.day) {
      try {
        await this.day.consume(dayKey);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) throw this.dailySpent();
        throw rejection;
      }
    }
  }
}


/**
 * At 60 a minute or less: fixed windows of one call each, ceil(60 / perMinute) s (plus the
 * margin below) long. Above: a sliding log of the last minute's calls (plus the margin).
 * Without Redis, or while it is down, the process keeps its own count in fixed windows of
 * half the budget a minute and a second each, which no sliding minute can hold three of.
 * Neither count sees the other's calls, so the minute in which Redis goes or comes back
 * can hold up to 1.5 times the budget (known, left: it needs Redis to fail mid-burst).
 */
function paceLimiter(options: RateBudgetOptions): RateLimiterAbstract {
  const { perMinute } = options;
  const window = options.windowSeconds ?? 60;
  const keyPrefix = `${options.keyPrefix}:pace`;
  if (perMinute <= window) {
    const paced = { keyPrefix, points: 1, duration: Math.ceil(window / perMinute) };
    return shared(options, paced, new RateLimiterMemory(paced), PACE_WINDOW_SCRIPT);
  }
  const local = new RateLimiterMemory({ keyPrefix, points: Math.floor(perMinute / 2), duration: window + 1 });
  return shared(options, { keyPrefix: `${keyPrefix}-log`, points: perMinute, duration: window }, local, SLIDING_WINDOW_SCRIPT);
}

function dailyLimiter(options: RateBudgetOptions): RateLimiterAbstract {
  // Keyed by the Eastern day, so the count resets at Eastern midnight; the TTL only cleans up.
  const daily = { keyPrefix: `${options.keyPrefix}:day`, points: options.perDay, duration: 2 * 24 * 60 * 60 };
  return shared(options, daily, new RateLimiterMemory(daily));
}

/** On Redis, shared by every process; the in-memory limiter stands in while Redis is down. */
function shared(
  options: RateBudgetOptions,
  window: { keyPrefix: string; points: number; duration: number },
  local: RateLimiterMemory,
  customIncrTtlLuaScript?: string,
): RateLimiterAbstract {
  if (!options.redis) return local;
  return new RateLimiterRedis({
    ...window,
    storeClient: options.redis,
    useRedisPackage: true,
    rejectIfRedisNotReady: true,
    insuranceLimiter: local,
    ...(customIncrTtlLuaScript ? { customIncrTtlLuaScript } : {}),
  });
}

/**
 * Windows a quarter second longer than their whole seconds. Calls granted exactly
 * 60/perMinute s apart can still reach the upstream a few ms closer than that (another
 * process, a busier event loop), and perMinute + 1 of them would then fall in one minute.
 */
const MARGIN_MS = 250;

/**
 * The longest wait a script reports for a refused call. The library's queue tries again
 * after that wait and only then drops callers past their deadline (maxWaitMs): a wait of
 * a whole window would keep them that long before refusing them.
 */
const RETRY_MS = 500;

/** The library's own increment script, with PX and the margin instead of EX. */
const PACE_WINDOW_SCRIPT = `redis.call('set', KEYS[1], 0, 'PX', tonumber(ARGV[2]) * 1000 + ${MARGIN_MS}, 'NX')
local consumed = redis.call('incrby', KEYS[1], ARGV[1])
local ttl = redis.call('pttl', KEYS[1])
if ttl == -1 then
  ttl = tonumber(ARGV[2]) * 1000 + ${MARGIN_MS}
  redis.call('pexpire', KEYS[1], ttl)
end
return {consumed, math.min(ttl, ${RETRY_MS})}`;

/**
 * A sliding log in a sorted set: the grant times (Redis's clock, so every process agrees)
 * of the last window plus the margin. A grant that would exceed the budget (ARGV[3]) is not
 * logged, and the reply says when the oldest logged call leaves the window (at most
 * RETRY_MS), which is when the library's queue tries again. Arguments and reply as the
 * library's own script.
 */
const SLIDING_WINDOW_SCRIPT = `local time = redis.call('time')
local nowUs = tonumber(time[1]) * 1000000 + tonumber(time[2])
local nowMs = math.floor(nowUs / 1000)
local windowMs = tonumber(ARGV[2]) * 1000 + ${MARGIN_MS}
local wanted = tonumber(ARGV[1])
redis.call('zremrangebyscore', KEYS[1], '-inf', nowMs - windowMs)
local used = redis.call('zcard', KEYS[1])
if used + wanted > tonumber(ARGV[3]) then
  local oldest = redis.call('zrange', KEYS[1], 0, 0, 'WITHSCORES')
  local wait = windowMs
  if oldest[2] then wait = math.max(1, tonumber(oldest[2]) + windowMs - nowMs + 1) end
  return {used + wanted, math.min(wait, ${RETRY_MS})}
end
for i = 1, wanted do
  -- Unique while the clock moves on: a later call in the same microsecond sees a larger
  -- count. Built from TIME's own strings: Lua prints a number of 16 digits with only 14.
  redis.call('zadd', KEYS[1], nowMs, time[1] .. '.' .. time[2] .. ':' .. (used + i))
end
redis.call('pexpire', KEYS[1], windowMs)
return {used + wanted, windowMs}`;
