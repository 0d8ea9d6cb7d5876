import type { z } from 'zod';
import {
  bulkQuotesAnswer,
  cashFlowAnswer,
  earningsAnswer,
  globalQuoteAnswer,
  optionsAnswer,
  overviewAnswer,
} from './answer-schemas.js';

/** Fundamentals change quarterly: a week. */
export const FUNDAMENTALS_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Chains and quotes move with the market: a scan's 45 minutes. */
export const MARKET_TTL_MS = 45 * 60 * 1000;

interface FunctionSpec {
  /** how long an answer stays cached */
  ttlMs: number;
  /** the shape an answer must have to be data (and cached) */
  answer: z.ZodType;
  /** needs a premium plan: named in UPSTREAM_PLAN_REQUIRED, with what to configure instead */
  premium?: { instead: string };
}

/**
 * Every Alpha Vantage function the service calls, in one place: adding one is an entry
 * here plus its parser (and the parser's tests).
 */
export const ALPHA_VANTAGE_FUNCTIONS = {
  EARNINGS: { ttlMs: FUNDAMENTALS_TTL_MS, answer: earningsAnswer },
  OVERVIEW: { ttlMs: FUNDAMENTALS_TTL_MS, answer: overviewAnswer },
  CASH_FLOW: { ttlMs: FUNDAMENTALS_TTL_MS, answer: cashFlowAnswer },
  GLOBAL_QUOTE: { ttlMs: MARKET_TTL_MS, answer: globalQuoteAnswer },
  REALTIME_OPTIONS: {
    ttlMs: MARKET_TTL_MS,
    answer: optionsAnswer,
    premium: { instead: 'set ALPHAVANTAGE_OPTIONS_FUNCTION=HISTORICAL_OPTIONS (previous session, free plans)' },
  },
  HISTORICAL_OPTIONS: { ttlMs: MARKET_TTL_MS, answer: optionsAnswer },
  /** up to 100 comma-separated symbols in one call */
  REALTIME_BULK_QUOTES: {
    ttlMs: MARKET_TTL_MS,
    answer: bulkQuotesAnswer,
    premium: { instead: 'unset ALPHAVANTAGE_BULK_QUOTES (prices then come from GLOBAL_QUOTE, one call a symbol)' },
  },
} as const satisfies Record<string, FunctionSpec>;

export type AlphaVantageFunction = keyof typeof ALPHA_VANTAGE_FUNCTIONS;

export const functionSpec = (fn: AlphaVantageFunction): FunctionSpec => ALPHA_VANTAGE_FUNCTIONS[fn];
