import type { RedisClientType } from '@redis/client';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { StoreCallBound } from '../bounded.js';
import type { CallBudget, CallBudgetOptions } from '../call-budget.port.js';
import { PacedCallBudget, paceWindows, RETRY_MS, type LimiterWindow } from '../paced-call-budget.js';
import { redisDailyCount, type RedisDailyCountContext } from './redis-daily-count.js';

/**
 * The call budget shared by every process on one Redis. At 60 a minute or less: the fixed
 * windows of one call each, with the margin below. Above: a sliding log of the minute's
 * calls (plus the margin). While Redis is down the process keeps the minute's count in
 * memory (rate-limiter-flexible's insurance limiter, the in-process windows of paceWindows);
 * neither count sees the other's calls, so the minute in which Redis goes or comes back can
 * hold up to 1.5 times the budget (known, left: it needs Redis to fail mid-burst). The day's
 * count is RedisDailyCount's: durable in CACHE_DIR too, and a share of it for outages.
 *
 * `redis` is the budget's own connection, so that a flood of budget traffic never queues
 * cache reads behind it; every call on it goes through `bound` (the store timeout, and at
 * once while Redis is known not to answer), and a call refused by the bound is an error
 * like any other: the in-process count takes over.
 */
export function createRedisCallBudget(
  redis: RedisClientType,
  options: CallBudgetOptions,
  bound: StoreCallBound,
  daily: RedisDailyCountContext,
): CallBudget {
  const windows = paceWindows(options);
  const pace = shared(redis, bound, windows.shared, windows.local, windows.paced ? PACE_WINDOW_SCRIPT : SLIDING_WINDOW_SCRIPT);
  return new PacedCallBudget(options, pace, options.perDay > 0 ? redisDailyCount(redis, options, { ...daily, bound }) : undefined);
}

/** On Redis, shared by every process; the in-memory limiter stands in while Redis is down or hung. */
function shared(
  redis: RedisClientType,
  bound: StoreCallBound,
  window: LimiterWindow,
  local: RateLimiterMemory,
  customIncrTtlLuaScript?: string,
): RateLimiterAbstract {
  return new BoundedRateLimiterRedis(
    {
      ...window,
      storeClient: redis,
      useRedisPackage: true,
      rejectIfRedisNotReady: true,
      insuranceLimiter: local,
      ...(customIncrTtlLuaScript ? { customIncrTtlLuaScript } : {}),
    },
    bound,
  );
}

/** The store calls every store limiter of rate-limiter-flexible implements (RateLimiterStoreAbstract); untyped in its declarations. */
type StoreCall = (this: RateLimiterRedis, ...args: unknown[]) => Promise<unknown>;
const redisStoreCalls = RateLimiterRedis.prototype as unknown as Record<'_upsert' | '_get' | '_delete', StoreCall>;

/**
 * RateLimiterRedis with each of its Redis calls bounded. The library waits for Redis for
 * ever and calls its insurance limiter only when a call fails; its RLWrapperTimeouts
 * bounds a whole consume, but waits the full timeout on every call of a hung Redis and
 * reports 0 points, which RateLimiterQueue then refuses. Here a call refused by the bound
 * fails like any other Redis error, so the insurance limiter answers it.
 */
class BoundedRateLimiterRedis extends RateLimiterRedis {
  constructor(
    options: ConstructorParameters<typeof RateLimiterRedis>[0],
    private readonly bound: StoreCallBound,
  ) {
    super(options);
  }

  _upsert(...args: unknown[]): Promise<unknown> {
    return this.bound.run(() => redisStoreCalls._upsert.apply(this, args));
  }

  _get(...args: unknown[]): Promise<unknown> {
    return this.bound.run(() => redisStoreCalls._get.apply(this, args));
  }

  _delete(...args: unknown[]): Promise<unknown> {
    return this.bound.run(() => redisStoreCalls._delete.apply(this, args));
  }
}

/**
 * Windows a quarter second longer than their whole seconds. Calls granted exactly
 * 60/perMinute s apart can still reach the upstream a few ms closer than that (another
 * process, a busier event loop), and perMinute + 1 of them would then fall in one minute.
 */
const MARGIN_MS = 250;


/** The library's own increment script, with PX and the margin instead of EX; waits of at most RETRY_MS. */
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
