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

/** Chains and quotes are kept for a scan's 45 minutes, fundamentals for 7 days. */
export const alphaVantageTtlMs = (request: AlphaVantageRequest): number => functionSpec(request.fn).ttlMs;
