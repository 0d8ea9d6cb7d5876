import { newYorkDate } from '../../domain/market-calendar.js';
import type { Logger } from '../../logger.js';
import { UNMETERED } from '../upstream-allowance.js';
import type { AlphaVantageBody, AlphaVantageRequest, AlphaVantageSource } from './alpha-vantage.request.js';
import { parseEarningsCalendar, parseTreasuryYield } from './market-events.parsers.js';

/** Every symbol's upcoming earnings report dates. */
export interface EarningsCalendar {
  /** report dates YYYY-MM-DD, ascending; none known: [] */
  datesOf(symbol: string): readonly string[];
}

export interface RiskFreeRate {
  /** decimal, e.g. 0.0425 */
  rate: number;
  /** TREASURY_YIELD: the 3-month yield's latest quote; RISK_FREE_RATE: the configured fallback */
  source: 'TREASURY_YIELD' | 'RISK_FREE_RATE';
  /** the day of the Treasury quote; null for the fallback */
  asOf: string | null;
}

/** The market facts a screener needs beyond a contract's own figures, one per process. */
export interface MarketEvents {
  /** null when the calendar cannot be had (error answer, plan, budget spent): earnings figures are then null */
  earningsCalendar(): Promise<EarningsCalendar | null>;
  /** TREASURY_YIELD 3month daily latest / 100; else RISK_FREE_RATE (default 0.04), logged */
  riskFreeRate(): Promise<RiskFreeRate>;
}

/** Keys `alphavantage:earnings_calendar:ALL:horizon_3month`: ALL is the key's placeholder, never sent. */
export const EARNINGS_CALENDAR_REQUEST: AlphaVantageRequest = { fn: 'EARNINGS_CALENDAR', symbol: 'ALL', params: { horizon: '3month' } };
/** Keys `alphavantage:treasury_yield:3MONTH:interval_daily`; sent as maturity=3month. */
export const TREASURY_YIELD_REQUEST: AlphaVantageRequest = { fn: 'TREASURY_YIELD', symbol: '3month', params: { interval: 'daily' } };

/**
 * After a failed attempt the answer is asked again no sooner than this: error answers are
 * never cached, and without a pause every scan (every query) of a bad day would spend a call.
 */
export const RETRY_AFTER_FAILURE_MS = 60 * 60 * 1000;

export interface AlphaVantageMarketEventsOptions {
  /** the process's cached source: its cache (until the next New York day) and its upstream budget */
  source: AlphaVantageSource;
  clock: () => Date;
  /** RISK_FREE_RATE */
  fallbackRate: number;
  logger: Logger;
  retryAfterFailureMs?: number;
}

/**
 * The calendar and the rate from Alpha Vantage, once a New York day: each is read through
 * the process's cached source (cached until the next New York day, so one call a day for
 * every process sharing the store) and kept parsed in memory for the rest of the day.
 */
export class AlphaVantageMarketEvents implements MarketEvents {
  private readonly calendar: DailyAnswer<EarningsCalendar>;
  private readonly treasury: DailyAnswer<{ rate: number; asOf: string }>;
  /** the fallback is logged once, and again only after the Treasury yield was had in between */
  private fallbackLogged = false;

  constructor(private readonly options: AlphaVantageMarketEventsOptions) {
    const retryMs = options.retryAfterFailureMs ?? RETRY_AFTER_FAILURE_MS;
    this.calendar = new DailyAnswer(options.clock, retryMs, async () => {
      const body = await this.load(EARNINGS_CALENDAR_REQUEST);
      if (body instanceof Error) {
        options.logger.warn({ fn: EARNINGS_CALENDAR_REQUEST.fn, err: body.message }, 'earnings calendar unavailable; earnings figures are null');
        return null;
      }
      const dates = parseEarningsCalendar(body);
      return { datesOf: (symbol) => dates.get(symbol.toUpperCase()) ?? [] };
    });
    this.treasury = new DailyAnswer(options.clock, retryMs, async () => {
      const body = await this.load(TREASURY_YIELD_REQUEST);
      const latest = body instanceof Error ? null : parseTreasuryYield(body);
      if (latest === null && !this.fallbackLogged) {
        this.fallbackLogged = true;
        const reason = body instanceof Error ? body.message : 'no quoted day in the answer';
        options.logger.warn({ fn: TREASURY_YIELD_REQUEST.fn, err: reason, riskFreeRate: options.fallbackRate }, 'Treasury yield unavailable; RISK_FREE_RATE used');
      }
      if (latest !== null) this.fallbackLogged = false;
      return latest;
    });
  }

  earningsCalendar(): Promise<EarningsCalendar | null> {
    return this.calendar.get();
  }

  async riskFreeRate(): Promise<RiskFreeRate> {
    const latest = await this.treasury.get();
    if (latest === null) return { rate: this.options.fallbackRate, source: 'RISK_FREE_RATE', asOf: null };
    return { rate: latest.rate, source: 'TREASURY_YIELD', asOf: latest.asOf };
  }

  /** Not charged to a client's allowance: a process-wide fact, paid once a day from the upstream budget. */
  private async load(request: AlphaVantageRequest): Promise<AlphaVantageBody | Error> {
    const [answer] = await this.options.source.loadMany([request], UNMETERED);
    return answer ?? new Error(`no answer for ${request.fn}`);
  }
}

/**
 * One answer a New York day, shared by everyone who asks (in flight included). A failure
 * (null) stands for `retryMs`, then the next caller asks again; a new day asks again.
 */
class DailyAnswer<T> {
  private current: { day: string; answer: Promise<T | null>; failedAt: number | null } | null = null;

  constructor(
    private readonly clock: () => Date,
    private readonly retryMs: number,
    private readonly load: () => Promise<T | null>,
  ) {}

  get(): Promise<T | null> {
    const now = this.clock();
    const day = newYorkDate(now);
    const current = this.current;
    if (current !== null && current.day === day && (current.failedAt === null || now.getTime() - current.failedAt < this.retryMs)) {
      return current.answer;
    }
    // An unexpected throw counts as a failure too: the scan goes on without the figure.
    const attempt = { day, answer: this.load().catch(() => null), failedAt: null as number | null };
    this.current = attempt;
    void attempt.answer.then((value) => {
      if (value === null) attempt.failedAt = this.clock().getTime();
    });
    return attempt.answer;
  }
}
