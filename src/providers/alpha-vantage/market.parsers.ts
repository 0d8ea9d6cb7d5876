import type { OptionQuote } from '../../domain/scan-rules.js';
import { numberOrNull } from '../reported-number.js';
import type { AlphaVantageBody } from './alpha-vantage.request.js';
import type { GlobalQuoteAnswer, ListAnswer, OptionRow } from './answer-schemas.js';

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

/** REALTIME_BULK_QUOTES rows as symbol → latest price ("close"). */
export function parseBulkQuotePrices(body: AlphaVantageBody): Map<string, number> {
  const prices = new Map<string, number>();
  for (const row of rows<{ symbol?: unknown; close?: unknown }>(body)) {
    const price = numberOrNull(row.close);
    if (typeof row.symbol === 'string' && price !== null && price > 0) prices.set(row.symbol.toUpperCase(), price);
  }
  return prices;
}

/** GLOBAL_QUOTE's latest price. */
export function parseGlobalQuotePrice(body: AlphaVantageBody): number | null {
  const price = numberOrNull((body as GlobalQuoteAnswer)['Global Quote']['05. price']);
  return price !== null && price > 0 ? price : null;
}
