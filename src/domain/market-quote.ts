import { TZDate } from '@date-fns/tz';
import { roundHalfEven } from './half-even.js';
import { marketSession, NEW_YORK_TIME_ZONE, REGULAR_CLOSE } from './market-calendar.js';

/** A stock's price and the instant it stood for. */
export interface MarketQuote {
  price: number;
  asOf: Date;
}

/** A quote as answered: stale decided against the clock when it was read. */
export interface PricedQuote extends MarketQuote {
  stale: boolean;
}

/** A price as answered: money, in cents half-even; the discount is computed from the provider's unrounded price. */
export function answeredPrice(price: number): number {
  return roundHalfEven(price, 2);
}

/** A quote older than this is stale (the contract's 24 hours, weekends included). */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/** asOf more than 24 hours before now: a Friday close read on Sunday is stale too, as the contract defines it. */
export function isStaleQuote(asOf: Date, now: Date): boolean {
  return now.getTime() - asOf.getTime() > STALE_AFTER_MS;
}

/**
 * The instant a price dated only by its trading day stands for: that day's close (16:00
 * New York, 13:00 on early-close days), or the time it was received when that came before
 * the close (a live price during, or before, the session).
 */
export function quoteAsOf(tradingDay: string, receivedAt: Date | null): Date {
  const close = marketSession(tradingDay)?.close ?? regularCloseOf(tradingDay);
  return receivedAt !== null && receivedAt.getTime() < close.getTime() ? receivedAt : close;
}

/** 16:00 New York of a day without a session (the provider dated a price by a closed day). */
function regularCloseOf(tradingDay: string): Date {
  const [year, month, day] = tradingDay.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(year, month - 1, day, REGULAR_CLOSE.hour, REGULAR_CLOSE.minute, NEW_YORK_TIME_ZONE).getTime());
}
