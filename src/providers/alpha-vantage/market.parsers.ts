import { TZDate } from '@date-fns/tz';
import { NEW_YORK_TIME_ZONE } from '../../domain/market-calendar.js';
import { quoteAsOf } from '../../domain/market-quote.js';
import type { OptionQuote } from '../../domain/scan-rules.js';
import { numberOrNull } from '../reported-number.js';
import type { AlphaVantageBody } from './alpha-vantage.request.js';
import type { GlobalQuoteAnswer, ListAnswer, OptionRow } from './answer-schemas.js';
import { RECEIVED_AT } from './received-at.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The rows of a validated list answer that are objects at all. */
const rows = <T>(body: AlphaVantageBody): T[] =>
  (body as ListAnswer).data.filter((row): row is T => typeof row === 'object' && row !== null);

/** REALTIME_OPTIONS / HISTORICAL_OPTIONS `data` rows as quotes; rows without a usable strike or type are dropped. */
export function parseAlphaVantageOptions(body: AlphaVantageBody): OptionQuote[] {
  const quotes: OptionQuote[] = [];
  for (const row of rows<OptionRow>(body)) {
    const type = String(row.type ?? '').toLowerCase();
    const strike = numberOrNull(row.strike);
    const expiration = String(row.expiration ?? '');
    if ((type !== 'put' && type !== 'call') || strike === null || !ISO_DATE.test(expiration)) continue;
    quotes.push({
      contractId: String(row.contractID ?? ''),
      type: type === 'put' ? 'PUT' : 'CALL',
      expiration,
      strike,
      bid: numberOrNull(row.bid),
      delta: numberOrNull(row.delta),
      impliedVolatility: numberOrNull(row.implied_volatility),
      ask: numberOrNull(row.ask),
      mark: numberOrNull(row.mark),
      volume: numberOrNull(row.volume),
      openInterest: numberOrNull(row.open_interest),
      gamma: numberOrNull(row.gamma),
      theta: numberOrNull(row.theta),
      vega: numberOrNull(row.vega),
    });
  }
  return quotes;
}

/** A provider's latest price; asOf null when the answer does not say when it was priced. */
export interface ProviderQuote {
  price: number;
  asOf: Date | null;
}

const BULK_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/;

/** REALTIME_BULK_QUOTES rows as symbol → latest price ("close") and its New York `timestamp`. */
export function parseBulkQuotes(body: AlphaVantageBody): Map<string, ProviderQuote> {
  const quotes = new Map<string, ProviderQuote>();
  for (const row of rows<{ symbol?: unknown; close?: unknown; timestamp?: unknown }>(body)) {
    const price = numberOrNull(row.close);
    if (typeof row.symbol === 'string' && price !== null && price > 0) quotes.set(row.symbol.toUpperCase(), { price, asOf: newYorkTimestamp(row.timestamp) });
  }
  return quotes;
}

/** "2026-03-02 16:00:00.000", New York wall-clock time, as an instant; null for anything else. */
function newYorkTimestamp(raw: unknown): Date | null {
  const match = typeof raw === 'string' ? BULK_TIMESTAMP.exec(raw) : null;
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const instant = new TZDate(year, month - 1, day, hour, minute, second, NEW_YORK_TIME_ZONE).getTime();
  return Number.isNaN(instant) ? null : new Date(instant);
}

/** GLOBAL_QUOTE's latest price. */
export function parseGlobalQuotePrice(body: AlphaVantageBody): number | null {
  const price = numberOrNull((body as GlobalQuoteAnswer)['Global Quote']['05. price']);
  return price !== null && price > 0 ? price : null;
}

/**
 * GLOBAL_QUOTE's price, priced as of its "07. latest trading day" and the instant the
 * answer arrived (received-at.ts): see quoteAsOf. asOf null without a readable day.
 */
export function parseGlobalQuote(body: AlphaVantageBody): ProviderQuote | null {
  const price = parseGlobalQuotePrice(body);
  if (price === null) return null;
  const day = (body as GlobalQuoteAnswer)['Global Quote']['07. latest trading day'];
  const received = typeof body[RECEIVED_AT] === 'string' ? new Date(body[RECEIVED_AT]) : null;
  const receivedAt = received !== null && !Number.isNaN(received.getTime()) ? received : null;
  return { price, asOf: typeof day === 'string' && ISO_DATE.test(day) ? pricedAsOf(day, receivedAt) : null };
}

/** quoteAsOf, or null for a day that is no calendar date (2026-02-30). */
function pricedAsOf(day: string, receivedAt: Date | null): Date | null {
  try {
    return quoteAsOf(day, receivedAt);
  } catch {
    return null;
  }
}
