import { newYorkDate } from '../../domain/market-calendar.js';
import type { OptionQuote } from '../../domain/scan-rules.js';
import type { OptionChain } from '../option-chain.js';
import { numberOrNull } from '../reported-number.js';
import type { MarketDataBody } from './marketdata.request.js';

/** Columnar arrays (one per field) as quotes; the underlying price from its own column. */
export function parseMarketDataChain(body: MarketDataBody): OptionChain {
  if (body['s'] !== 'ok') return { underlyingPrice: null, quotes: [] };
  const column = (name: string): unknown[] => (Array.isArray(body[name]) ? (body[name] as unknown[]) : []);
  const columns = new Map<string, unknown[]>();
  const figure = (name: string, row: number): number | null => {
    let values = columns.get(name);
    if (values === undefined) columns.set(name, (values = column(name)));
    return numberOrNull(values[row]);
  };
  const ids = column('optionSymbol');
  const sides = column('side');
  const quotes: OptionQuote[] = [];
  ids.forEach((id, row) => {
    const side = String(sides[row] ?? '').toLowerCase();
    const strike = figure('strike', row);
    const expiresAt = figure('expiration', row);
    if ((side !== 'put' && side !== 'call') || strike === null || expiresAt === null) return;
    quotes.push({
      contractId: String(id),
      type: side === 'put' ? 'PUT' : 'CALL',
      expiration: newYorkDate(new Date(expiresAt * 1000)),
      strike,
      bid: figure('bid', row),
      delta: figure('delta', row),
      impliedVolatility: figure('iv', row),
      ask: figure('ask', row),
      mark: figure('mid', row),
      volume: figure('volume', row),
      openInterest: figure('openInterest', row),
      gamma: figure('gamma', row),
      theta: figure('theta', row),
      vega: figure('vega', row),
    });
  });
  const price = column('underlyingPrice').map(numberOrNull).find((value) => value !== null && value > 0) ?? null;
  return { underlyingPrice: price, quotes };
}
