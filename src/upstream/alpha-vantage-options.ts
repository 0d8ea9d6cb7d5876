import type { OptionQuote } from '../domain/scan-rules.js';
import type { AlphaVantageBody } from './alpha-vantage.js';
import { numberOrNull } from './option-chain.js';

/** REALTIME_OPTIONS / HISTORICAL_OPTIONS `data` rows as quotes; rows without a usable strike or type are dropped. */
export function parseAlphaVantageOptions(body: AlphaVantageBody): OptionQuote[] {
  const rows = Array.isArray(body['data']) ? (body['data'] as unknown[]) : [];
  const quotes: OptionQuote[] = [];
  for (const row of rows) {
    if (typeof row !== 'object' || row === null) continue;
    const field = row as Record<string, unknown>;
    const type = String(field['type'] ?? '').toLowerCase();
    const strike = numberOrNull(field['strike']);
    const expiration = String(field['expiration'] ?? '');
    if ((type !== 'put' && type !== 'call') || strike === null || !/^\d{4}-\d{2}-\d{2}$/.test(expiration)) continue;
    quotes.push({
      contractId: String(field['contractID'] ?? ''),
      type: type === 'put' ? 'PUT' : 'CALL',
      expiration,
      strike,
      bid: numberOrNull(field['bid']),
      delta: numberOrNull(field['delta']),
      impliedVolatility: numberOrNull(field['implied_volatility']),
    });
  }
  return quotes;
}

/** REALTIME_BULK_QUOTES rows as symbol → latest price ("close"). */
export function parseBulkQuotePrices(body: AlphaVantageBody): Map<string, number> {
  const rows = Array.isArray(body['data']) ? (body['data'] as unknown[]) : [];
  const prices = new Map<string, number>();
  for (const row of rows) {
    if (typeof row !== 'object' || row === null) continue;
    const field = row as Record<string, unknown>;
    const price = numberOrNull(field['close']);
    if (typeof field['symbol'] === 'string' && price !== null && price > 0) prices.set(field['symbol'].toUpperCase(), price);
  }
  return prices;
}

/** GLOBAL_QUOTE's "05. price". */
export function parseGlobalQuotePrice(body: AlphaVantageBody): number | null {
  const quote = body['Global Quote'];
  if (typeof quote !== 'object' || quote === null) return null;
  const price = numberOrNull((quote as Record<string, unknown>)['05. price']);
  return price !== null && price > 0 ? price : null;
}
