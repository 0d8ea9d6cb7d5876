/**
 * The local call budget for one upstream API key: never more than `perMinute` calls in any
 * sliding minute, and at most `perDay` calls a US/Eastern day. `acquire` resolves when one
 * upstream call may go and throws UpstreamRateLimitedError (naming the provider) when it
 * may not: after queueing longer than `maxWaitMs` for the minute's budget, or at once when
 * the day's is spent. The day's count survives a restart, and a Redis that comes back
 * empty; while the shared count is out of reach a process spends only its share of it.
 */
export interface CallBudget {
  acquire(now?: Date): Promise<void>;
}

export interface CallBudgetOptions {
  /** named in refusals: 'Alpha Vantage', 'marketdata.app' */
  provider: string;
  perMinute: number;
  /** 0: no daily cap */
  perDay: number;
  /** how long a call may queue for the per-minute budget before it is refused */
  maxWaitMs: number;
  /** names the budget in the store: 'wheel:budget:alphavantage' */
  keyPrefix: string;
  /**
   * the API key the calls are paid with, as a fingerprint (never the key): the upstream counts
   * each key's minute on its own, so processes on one store share a minute only when they share
   * a key. Unset: one minute for every key of the provider.
   */
  account?: string;
  /** the US/Eastern calendar day of an instant, 'YYYY-MM-DD' (the daily cap resets with it) */
  tradingDayOf: (now: Date) => string;
  /** the "minute" of perMinute, in whole seconds: 60; shorter in tests, longer for a rate under one call a minute */
  windowSeconds?: number;
}

/** Makes the budget of one API key on the process's store (shared on Redis, persisted locally). */
export type CallBudgets = (options: CallBudgetOptions) => CallBudget;
