import type { RedisClientType } from '@redis/client';
import {
  RateLimiterMemory,
  RateLimiterQueue,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { UpstreamRateLimitedError } from './upstream-errors.js';

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
}

/**
 * The local call budget for one API key. Calls are paced, not burst: at most
 * `perMinute` in any sliding minute and, at 60 a minute or less, never two within one
 * second, so the service never provokes the upstream's own limit. A spent daily budget
 * refuses at once rather than queueing until midnight.
 */
export class RateBudget {
  private readonly pace: RateLimiterQueue;
  private readonly day: RateLimiterAbstract | undefined;

  constructor(private readonly options: RateBudgetOptions) {
    this.pace = new RateLimiterQueue(
      limiter(
        options,
        { keyPrefix: `${options.keyPrefix}:pace`, ...pacing(options.perMinute) },
        options.perMinute <= 60 ? PACE_WINDOW_SCRIPT : undefined,
      ),
      { maxQueueSize: 10_000 },
    );
    // Keyed by the Eastern day, so the count resets at Eastern midnight; the TTL only cleans up.
    this.day =
      options.perDay > 0
        ? limiter(options, { keyPrefix: `${options.keyPrefix}:day`, points: options.perDay, duration: 2 * 24 * 60 * 60 })
        : undefined;
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
 * Fixed windows of `duration` seconds holding `points` calls. One call per
 * ceil(60 / perMinute) s (plus the margin below) keeps any sliding minute within budget at
 * small budgets; above 60 a minute, per-second windows of floor(perMinute / 62) do, since a
 * minute of calls arriving up to a second late touches at most 62 of them.
 */
function pacing(perMinute: number): { points: number; duration: number } {
  if (perMinute <= 60) return { points: 1, duration: Math.ceil(60 / perMinute) };
  return { points: Math.max(1, Math.floor(perMinute / 62)), duration: 1 };
}

function limiter(
  options: RateBudgetOptions,
  window: { keyPrefix: string; points: number; duration: number },
  customIncrTtlLuaScript?: string,
): RateLimiterAbstract {
  const memory = new RateLimiterMemory(window);
  if (!options.redis) return memory;
  // While Redis is down the process falls back to its own in-memory budget.
  return new RateLimiterRedis({
    ...window,
    storeClient: options.redis,
    useRedisPackage: true,
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory,
    ...(customIncrTtlLuaScript ? { customIncrTtlLuaScript } : {}),
  });
}

/**
 * Pace windows a quarter second longer than their whole seconds. Calls granted exactly
 * 60/perMinute s apart can still reach the upstream a few ms closer than that (another
 * process, a busier event loop), and perMinute + 1 of them would then fall in one minute.
 * The library's own increment script, with PX and the margin instead of EX.
 */
const PACE_MARGIN_MS = 250;
const PACE_WINDOW_SCRIPT = `redis.call('set', KEYS[1], 0, 'PX', tonumber(ARGV[2]) * 1000 + ${PACE_MARGIN_MS}, 'NX')
local consumed = redis.call('incrby', KEYS[1], ARGV[1])
local ttl = redis.call('pttl', KEYS[1])
if ttl == -1 then
  ttl = tonumber(ARGV[2]) * 1000 + ${PACE_MARGIN_MS}
  redis.call('pexpire', KEYS[1], ttl)
end
return {consumed, ttl}`;
