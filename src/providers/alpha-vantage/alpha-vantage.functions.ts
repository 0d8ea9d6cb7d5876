import type { z } from 'zod';
import {
  bulkQuotesAnswer,
  cashFlowAnswer,
  earningsAnswer,
  earningsCalendarAnswer,
  globalQuoteAnswer,
  optionsAnswer,
  overviewAnswer,
  treasuryYieldAnswer,
} from './answer-schemas.js';
import { untilNextNewYorkDay } from '../new-york-day.js';
import { quoteTtlMs } from '../quote-ttl.js';

/** Fundamentals change quarterly: a week. */
export const FUNDAMENTALS_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Chains move with the market: a scan's 45 minutes. */
export const MARKET_TTL_MS = 45 * 60 * 1000;

interface FunctionSpec {
  /** how long an answer stays cached: a fixed time, or one computed from the time it arrives */
  ttlMs: number | ((now: Date) => number);
  /** the shape an answer must have to be data (and cached) */
  answer: z.ZodType;
  /** needs a premium plan: named in UPSTREAM_PLAN_REQUIRED, with what to configure instead */
  premium?: { instead: string };
  /**
   * How the request's `symbol` (the key's {SYMBOL} slot) goes on the wire: as `symbol`
   * (unset), as another parameter, or not at all (a key placeholder such as ALL). Only a
   * `symbol` subject can be a "no such symbol" answer.
   */
  subject?: { param: string } | 'none';
  /** the data comes as CSV, of which only these columns are kept; errors still come as JSON */
  csvColumns?: readonly string[];
}

/**
 * Every Alpha Vantage function the service calls, in one place: adding one is an entry
 * here plus its parser (and the parser's tests).
 */
export const ALPHA_VANTAGE_FUNCTIONS = {
  EARNINGS: { ttlMs: FUNDAMENTALS_TTL_MS, answer: earningsAnswer },
  OVERVIEW: { ttlMs: FUNDAMENTALS_TTL_MS, answer: overviewAnswer },
  CASH_FLOW: { ttlMs: FUNDAMENTALS_TTL_MS, answer: cashFlowAnswer },
  /** every reader's price (scans and IntrinsicValue.quote): 15 minutes in session, else until the next open */
  GLOBAL_QUOTE: { ttlMs: quoteTtlMs, answer: globalQuoteAnswer },
  REALTIME_OPTIONS: {
    ttlMs: MARKET_TTL_MS,
    answer: optionsAnswer,
    premium: { instead: 'set ALPHAVANTAGE_OPTIONS_FUNCTION=HISTORICAL_OPTIONS (previous session, free plans)' },
  },
  HISTORICAL_OPTIONS: { ttlMs: MARKET_TTL_MS, answer: optionsAnswer },
  /** up to 100 comma-separated symbols in one call */
  REALTIME_BULK_QUOTES: {
    ttlMs: quoteTtlMs,
    answer: bulkQuotesAnswer,
    premium: { instead: 'unset ALPHAVANTAGE_BULK_QUOTES (prices then come from GLOBAL_QUOTE, one call a symbol)' },
  },
  /** every symbol's report dates within three months, one CSV answer for all: asked once a New York day */
  EARNINGS_CALENDAR: {
    ttlMs: untilNextNewYorkDay,
    answer: earningsCalendarAnswer,
    subject: 'none',
    csvColumns: ['symbol', 'reportDate'],
  },
  /** the risk-free rate of the option probabilities; a daily series, asked once a New York day */
  TREASURY_YIELD: { ttlMs: untilNextNewYorkDay, answer: treasuryYieldAnswer, subject: { param: 'maturity' } },
} as const satisfies Record<string, FunctionSpec>;

export type AlphaVantageFunction = keyof typeof ALPHA_VANTAGE_FUNCTIONS;

export const functionSpec = (fn: AlphaVantageFunction): FunctionSpec => ALPHA_VANTAGE_FUNCTIONS[fn];

/** The query parameters of a request, key excluded: its subject as the function takes it, then its params. */
export function wireParams(request: { fn: AlphaVantageFunction; symbol: string; params?: Readonly<Record<string, string>> }): Record<string, string> {
  const subject = functionSpec(request.fn).subject;
  const named = subject === 'none' ? {} : { [subject?.param ?? 'symbol']: request.symbol };
  return { function: request.fn, ...named, ...request.params };
}

/** How a call is named in errors and logs: `OVERVIEW for AAPL`, or the function alone when it has no symbol. */
export function describeCall(request: { fn: AlphaVantageFunction; symbol: string }): string {
  const subject = functionSpec(request.fn).subject;
  return subject === undefined ? `${request.fn} for ${request.symbol}` : request.fn;
}
