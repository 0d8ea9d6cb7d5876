import { functionSpec } from './alpha-vantage.functions.js';
import type { AlphaVantageRequest } from './alpha-vantage.request.js';

/** `alphavantage:{function}:{SYMBOL}[:{param}_{value}…]`, function lower-case, params sorted. */
export function alphaVantageKey(fn: string, symbol: string, params: Readonly<Record<string, string>> = {}): string {
  const suffix = Object.keys(params)
    .sort()
    .map((name) => `:${name}_${params[name]}`)
    .join('');
  return `alphavantage:${fn.toLowerCase()}:${symbol.toUpperCase()}${suffix}`;
}

export const alphaVantageCacheKey = (request: AlphaVantageRequest): string =>
  alphaVantageKey(request.fn, request.symbol, request.params);

/** Chains are kept for a scan's 45 minutes, quotes 15 minutes in session (else until the next open), fundamentals for 7 days, the daily answers until the next New York day. */
export function alphaVantageTtlMs(request: AlphaVantageRequest, now: Date = new Date()): number {
  const { ttlMs } = functionSpec(request.fn);
  return typeof ttlMs === 'number' ? ttlMs : ttlMs(now);
}

/** A symbol Alpha Vantage does not know is asked again after a day (a new listing, a fixed typo). */
export const NOT_FOUND_TTL_MS = 24 * 60 * 60 * 1000;

/** "No such symbol" is remembered a day, never longer than the function's data would be (45 min for chains, at most 15 min for quotes in session). */
export const alphaVantageNotFoundTtlMs = (request: AlphaVantageRequest, now: Date = new Date()): number =>
  Math.min(NOT_FOUND_TTL_MS, alphaVantageTtlMs(request, now));
