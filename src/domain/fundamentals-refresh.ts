/**
 * What the background refresher of curated fundamentals does next, and how much of the call
 * budget it may spend: pure, the time passed in.
 */

/** One cached entry of a stock's fundamentals (its EARNINGS, OVERVIEW or CASH_FLOW), as the cache holds it now. */
export interface CachedEntryState {
  /** the upstream function whose answer it is */
  fn: string;
  /**
   * epoch ms when the entry leaves the cache; undefined: not cached (never fetched, expired,
   * evicted); null: cached without an expiry (never due)
   */
  expiresAt: number | null | undefined;
  /** the entry is a remembered "no such symbol", not data: asked again only once it has gone */
  notFound?: boolean;
}

export interface StockEntries {
  symbol: string;
  entries: readonly CachedEntryState[];
}

/** One stock to refresh: the functions to fetch again, in the order given. */
export interface StockRefresh {
  symbol: string;
  fns: string[];
  /** none of its entries was cached: never valued from the cache (or all gone) */
  neverValued: boolean;
}

/**
 * The stocks with an entry due, stalest first: never-valued stocks (no entry cached) first
 * of all, then those with an entry missing (neither can be answered from the cache), each in
 * the order given; then by how soon the first of its due entries expires, soonest first (the
 * entries share one TTL, so that is also the oldest). A data entry is due `aheadMs` before it expires, so
 * that it is fetched again while it still answers; a remembered "no such symbol" only once
 * it has gone (it is kept a day: fetching it ahead would ask again and again). Only the due
 * entries of a stock are fetched.
 */
export function refreshPlan(stocks: readonly StockEntries[], nowMs: number, aheadMs: number): StockRefresh[] {
  const due = stocks.flatMap((stock, order) => {
    const dueEntries = stock.entries.filter((entry) => isDue(entry, nowMs, aheadMs));
    if (dueEntries.length === 0) return [];
    // undefined expiry (missing) sorts before any instant
    const firstExpiry = Math.min(...dueEntries.map((entry) => entry.expiresAt ?? Number.NEGATIVE_INFINITY));
    return [{ order, firstExpiry, refresh: { symbol: stock.symbol, fns: dueEntries.map((entry) => entry.fn), neverValued: stock.entries.every((entry) => entry.expiresAt === undefined) } }];
  });
  const rank = (stock: (typeof due)[number]) => (stock.refresh.neverValued ? 0 : 1);
  due.sort((a, b) => rank(a) - rank(b) || (a.firstExpiry === b.firstExpiry ? a.order - b.order : a.firstExpiry - b.firstExpiry));
  return due.map((stock) => stock.refresh);
}

function isDue(entry: CachedEntryState, nowMs: number, aheadMs: number): boolean {
  if (entry.expiresAt === undefined) return true;
  if (entry.expiresAt === null) return false;
  return entry.expiresAt - (entry.notFound ? 0 : aheadMs) <= nowMs;
}

/** The key's limits, as configured (ALPHAVANTAGE_RATE_LIMIT_PER_DAY and …_PER_MINUTE). */
export interface KeyLimits {
  /** 0: no daily cap */
  perDay: number;
  perMinute: number;
}

/**
 * The refresher's own budget, in the terms of a call budget: at most `perMinute` calls in
 * `windowSeconds` (one "minute"), at most `perDay` a day (0: no daily cap, as the key's).
 */
export interface RefreshAllowance {
  perDay: number;
  perMinute: number;
  windowSeconds: number;
}

/**
 * The share of the key's budget the refresher may spend: floor(share × perDay) calls a day
 * and share × perMinute a minute. A rate under one call a minute becomes one call in a
 * longer window (0.5 a minute: one in 120 s), so the share is never exceeded; a day's share
 * under one call turns the refresher off (undefined), as does a share of 0.
 */
export function refreshAllowance(share: number, limits: KeyLimits): RefreshAllowance | undefined {
  if (share <= 0) return undefined;
  const perDay = limits.perDay === 0 ? 0 : Math.floor(share * limits.perDay);
  if (limits.perDay > 0 && perDay === 0) return undefined;
  const rate = share * limits.perMinute;
  if (rate >= 1) return { perDay, perMinute: Math.floor(rate), windowSeconds: 60 };
  return { perDay, perMinute: 1, windowSeconds: Math.ceil(60 / rate) };
}
