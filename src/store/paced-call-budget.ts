import { RateLimiterMemory, RateLimiterQueue, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { UpstreamRateLimitedError } from '../providers/provider-errors.js';
import type { CallBudget, CallBudgetOptions } from './call-budget.port.js';

/**
 * The day's count of one budget, wherever it is kept. Either method may throw
 * UpstreamRateLimitedError with a reason of its own (a shared count out of reach).
 */
export interface DailyCount {
  /** calls counted on `day` ('YYYY-MM-DD', US/Eastern) so far */
  used(day: string): Promise<number>;
  /** counts one call on `day`; false (nothing counted) when the day's budget was spent */
  take(day: string): Promise<boolean>;
}

/**
 * The call budget, whichever store keeps its counts: never more than `perMinute` calls in
 * any sliding minute, so the service never provokes the upstream's own limit. At 60 a
 * minute or less (the free tier's 1 a second) calls are paced, never two within one second;
 * above that they may come at once, up to the minute's budget, so a scan on a premium key
 * is not held to one call at a time. A spent daily budget refuses at once rather than
 * queueing until midnight.
 */
export class PacedCallBudget implements CallBudget {
  private readonly pace: RateLimiterQueue;
  /** the minute's count in the store: one per API key (see CallBudgetOptions.account) */
  private readonly paceKey: string;

  constructor(
    private readonly options: CallBudgetOptions,
    /** the per-minute limiter (see paceWindows) */
    pace: RateLimiterAbstract,
    /** undefined when perDay is 0 */
    private readonly day: DailyCount | undefined,
  ) {
    this.pace = new RateLimiterQueue(pace, { maxQueueSize: 10_000 });
    this.paceKey = options.account === undefined ? 'upstream' : `upstream:${options.account}`;
  }

  private dailySpent(): UpstreamRateLimitedError {
    return new UpstreamRateLimitedError(
      `the daily ${this.options.provider} budget of ${this.options.perDay} calls is spent; it renews at midnight US/Eastern`,
    );
  }

  async acquire(now: Date = new Date()): Promise<void> {
    const dayKey = this.options.tradingDayOf(now);
    if (this.day && (await this.day.used(dayKey)) >= this.options.perDay) throw this.dailySpent();
    try {
      await this.pace.removeTokens(1, this.paceKey, Math.ceil((Date.now() + this.options.maxWaitMs) / 1000));
    } catch {
      throw new UpstreamRateLimitedError(
        `the local ${this.options.provider} budget of ${this.options.perMinute} calls a minute is in use; try again shortly`,
      );
    }
    if (this.day && !(await this.day.take(dayKey))) throw this.dailySpent();
  }
}

/**
 * The longest wait a limiter reports for a refused call. The library's queue tries again
 * after that wait and only then drops callers past their deadline (maxWaitMs): a wait of
 * a whole window would keep them that long before refusing them.
 */
export const RETRY_MS = 500;

/** RateLimiterMemory whose refusals say "try again within RETRY_MS" (see RETRY_MS). */
class RetryingMemoryLimiter extends RateLimiterMemory {
  override async consume(...args: Parameters<RateLimiterMemory['consume']>): Promise<RateLimiterRes> {
    try {
      return await super.consume(...args);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes) || rejection.msBeforeNext <= RETRY_MS) throw rejection;
      throw new RateLimiterRes(rejection.remainingPoints, RETRY_MS, rejection.consumedPoints, rejection.isFirstInDuration);
    }
  }
}

export interface LimiterWindow {
  keyPrefix: string;
  points: number;
  duration: number;
}

/**
 * The per-minute windows. At 60 a minute or less: fixed windows of one call each,
 * ceil(60 / perMinute) s long (`paced`). Above: a sliding log of the last minute's calls
 * (`shared`, kept by a store that can), and for a process on its own, its own count in
 * fixed windows of half the budget a minute and a second each (`local`), which no sliding
 * minute can hold three of.
 */
export function paceWindows(options: CallBudgetOptions): { paced: boolean; shared: LimiterWindow; local: RateLimiterMemory } {
  // also Redis's insurance: while Redis is down, a refused call is retried as soon as on Redis
  const { perMinute } = options;
  const window = options.windowSeconds ?? 60;
  const keyPrefix = `${options.keyPrefix}:pace`;
  if (perMinute <= window) {
    const paced = { keyPrefix, points: 1, duration: Math.ceil(window / perMinute) };
    return { paced: true, shared: paced, local: new RetryingMemoryLimiter(paced) };
  }
  return {
    paced: false,
    shared: { keyPrefix: `${keyPrefix}-log`, points: perMinute, duration: window },
    local: new RetryingMemoryLimiter({ keyPrefix, points: Math.floor(perMinute / 2), duration: window + 1 }),
  };
}
