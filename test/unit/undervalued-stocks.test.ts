import { describe, expect, it } from 'vitest';
import { selectUndervalued, type PricedStock } from '../../src/domain/undervalued-stocks.js';

const stock = (symbol: string, discountPercent: number | null, extra: Partial<PricedStock> = {}): PricedStock => ({
  symbol,
  active: true,
  discountPercent,
  stale: false,
  ...extra,
});

describe('selectUndervalued', () => {
  const stocks = [
    stock('FAIR', 4.5),
    stock('DEEP', 41.2),
    stock('OVER', -12),
    stock('ZERO', 0),
    stock('MID', 22),
    stock('NOVAL', null),
    stock('OLD', 55, { stale: true }),
    stock('NOQUOTE', 60, { stale: null }),
    stock('OFF', 70, { active: false }),
    stock('ALSO', 22),
  ];

  it('keeps active stocks with a positive discount and a fresh price, largest discount first, ties by symbol', () => {
    expect(selectUndervalued(stocks, 10).map((s) => s.symbol)).toEqual(['DEEP', 'ALSO', 'MID', 'FAIR']);
  });

  it('answers at most first', () => {
    expect(selectUndervalued(stocks, 2).map((s) => s.symbol)).toEqual(['DEEP', 'ALSO']);
  });

  it('leaves the input as it was', () => {
    const before = stocks.map((s) => s.symbol);
    selectUndervalued(stocks, 10);
    expect(stocks.map((s) => s.symbol)).toEqual(before);
  });
});
