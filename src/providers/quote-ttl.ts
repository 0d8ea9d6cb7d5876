import { isMarketOpen, nextSessionOpen } from '../domain/market-calendar.js';

/** A price is asked again this often while the market trades. */
export const QUOTE_TTL_IN_SESSION_MS = 15 * 60 * 1000;

/**
 * How long a quote that arrives at `now` stays cached: 15 minutes during a regular session;
 * otherwise until the next session opens (the price cannot move before then).
 */
export function quoteTtlMs(now: Date): number {
  if (isMarketOpen(now)) return QUOTE_TTL_IN_SESSION_MS;
  return Math.max(1, nextSessionOpen(now).getTime() - now.getTime());
}
