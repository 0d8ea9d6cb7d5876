import { describe, expect, it } from 'vitest';

import {
  annualizedReturn,
  callDeltaBound,
  daysToExpiration,
  defaultThresholds,
  isOutOfTheMoney,
  percentChange,
  resolveThresholds,
  selectContracts,
  validateScanInput,
  type OptionQuote,
  type OptionType,
  type SelectContractsInput,
} from '../../src/domain/scan-rules.js';

describe('daysToExpiration', () => {
  it('counts calendar days from today in New York to the expiration', () => {
    expect(daysToExpiration('2026-04-08', '2026-04-10')).toBe(2);
    expect(daysToExpiration('2026-04-08', '2026-05-08')).toBe(30);
    expect(daysToExpiration('2026-04-10', '2026-04-10')).toBe(0);
  });
});

describe('annualizedReturn', () => {
  it('is bid / strike / DTE × 365 × 100, rounded to 2 decimals', () => {
    expect(annualizedReturn(1, 100, 7)).toBe(52.14); // 52.142857…
    expect(annualizedReturn(0.12, 73, 2)).toBe(30);
    expect(annualizedReturn(2.5, 250, 30)).toBe(12.17); // 12.1666…
  });

  it('counts DTE 0 as 1 day', () => {
    expect(annualizedReturn(0.5, 100, 0)).toBe(182.5);
    expect(annualizedReturn(0.5, 100, 0)).toBe(annualizedReturn(0.5, 100, 1));
  });

  it('treats a negative bid as 0', () => {
    expect(annualizedReturn(-0.05, 100, 7)).toBe(0);
  });

  it('rounds half to even', () => {
    expect(annualizedReturn(0.125, 36500, 1)).toBe(0.12);
    expect(annualizedReturn(0.375, 36500, 1)).toBe(0.38);
  });

  it('rejects a non-positive strike and a negative or fractional DTE', () => {
    expect(() => annualizedReturn(1, 0, 7)).toThrow(RangeError);
    expect(() => annualizedReturn(1, 100, -1)).toThrow(RangeError);
    expect(() => annualizedReturn(1, 100, 1.5)).toThrow(RangeError);
  });
});

describe('percentChange', () => {
  it('is (underlying − strike) / strike × 100, rounded to 2 decimals', () => {
    expect(percentChange(105, 100)).toBe(5);
    expect(percentChange(95, 100)).toBe(-5);
    expect(percentChange(100, 30)).toBe(233.33);
    expect(percentChange(100, 95)).toBe(5.26); // 5.263…
  });

  it('rounds half to even', () => {
    expect(percentChange(100.125, 100)).toBe(0.12);
    expect(percentChange(100.375, 100)).toBe(0.38);
  });
});

describe('isOutOfTheMoney', () => {
  it('counts a put out of the money when its strike is below the underlying', () => {
    expect(isOutOfTheMoney('PUT', 95, 100)).toBe(true);
    expect(isOutOfTheMoney('PUT', 105, 100)).toBe(false);
  });

  it('counts a call out of the money when its strike is above the underlying', () => {
    expect(isOutOfTheMoney('CALL', 105, 100)).toBe(true);
    expect(isOutOfTheMoney('CALL', 95, 100)).toBe(false);
  });

  it('does not count at the money as out of the money', () => {
    expect(isOutOfTheMoney('PUT', 100, 100)).toBe(false);
    expect(isOutOfTheMoney('CALL', 100, 100)).toBe(false);
  });
});

describe('callDeltaBound', () => {
  it.each([
    [0, 0.2],
    [7, 0.2],
    [8, 0.24],
    [14, 0.24],
    [15, 0.28],
    [21, 0.28],
    [22, 0.32],
    [28, 0.32],
    [29, 0.36],
    [90, 0.36],
  ])('at %s days allows a call delta up to %s', (dte, bound) => {
    expect(callDeltaBound(dte)).toBe(bound);
  });
});

describe('defaultThresholds and resolveThresholds', () => {
  it('defaults puts to 30 % and |delta| ≤ 0.20', () => {
    expect(defaultThresholds('PUT')).toEqual({ minAnnualizedReturn: 30, maxDelta: 0.2 });
  });

  it('defaults calls to 20 % and the DTE-scaled delta bound', () => {
    expect(defaultThresholds('CALL')).toEqual({ minAnnualizedReturn: 20, maxDelta: null });
  });

  it('fills only what the user left out', () => {
    expect(resolveThresholds('PUT', { minAnnualizedReturn: 40 })).toEqual({ minAnnualizedReturn: 40, maxDelta: 0.2 });
    expect(resolveThresholds('CALL', { maxDelta: 0.3, minAnnualizedReturn: null })).toEqual({
      minAnnualizedReturn: 20,
      maxDelta: 0.3,
    });
    expect(resolveThresholds('PUT', { minAnnualizedReturn: 0 })).toEqual({ minAnnualizedReturn: 0, maxDelta: 0.2 });
  });
});

describe('selectContracts', () => {
  // Wednesday 2026-04-08: the weekly expirations are 2, 9, 16, 23 and 30 days out.
  const todayNy = '2026-04-08';
  const expirations = ['2026-04-10', '2026-04-17', '2026-04-24', '2026-05-01', '2026-05-08'];
  const underlyingPrice = 100;

  let nextId = 0;
  const quote = (type: OptionType, expiration: string, strike: number, bid: number | null, delta: number | null): OptionQuote => ({
    contractId: `XYZ-${type}-${expiration}-${strike}-${nextId++}`,
    type,
    expiration,
    strike,
    bid,
    delta,
    impliedVolatility: 0.45,
  });

  const select = (quotes: OptionQuote[], type: OptionType, extra: Partial<SelectContractsInput> = {}) =>
    selectContracts({ quotes, underlyingPrice, type, todayNy, expirations, ...extra });

  const strikes = (quotes: { expiration: string; strike: number }[]) => quotes.map((q) => `${q.expiration}@${q.strike}`);

  it('selects an out-of-the-money put with enough return and a small enough delta, with computed fields', () => {
    const put = quote('PUT', '2026-04-10', 95, 0.5, -0.15);
    expect(select([put], 'PUT')).toEqual([
      {
        ...put,
        daysToExpiration: 2,
        annualizedReturn: 96.05, // 0.5 × 36500 / (95 × 2) = 96.052…
        percentChange: 5.26,
        underlyingPrice: 100,
      },
    ]);
  });

  it('only returns the requested type', () => {
    const quotes = [quote('PUT', '2026-04-10', 95, 0.5, -0.15), quote('CALL', '2026-04-10', 105, 0.5, 0.15)];
    expect(select(quotes, 'PUT').map((q) => q.type)).toEqual(['PUT']);
    expect(select(quotes, 'CALL').map((q) => q.type)).toEqual(['CALL']);
  });

  it('only returns the requested expirations, and never expired ones', () => {
    const quotes = [
      quote('PUT', '2026-04-10', 95, 0.5, -0.15),
      quote('PUT', '2026-04-09', 95, 0.5, -0.15), // a Thursday not in the list
      quote('PUT', '2026-04-03', 95, 0.5, -0.15), // in the list below, but past
    ];
    expect(strikes(select(quotes, 'PUT'))).toEqual(['2026-04-10@95']);
    expect(strikes(select(quotes, 'PUT', { expirations: ['2026-04-03', '2026-04-10'] }))).toEqual(['2026-04-10@95']);
  });

  it('excludes in-the-money and at-the-money contracts', () => {
    const quotes = [
      quote('PUT', '2026-04-10', 105, 6, -0.1), // ITM put with a tempting bid and delta
      quote('PUT', '2026-04-10', 100, 2, -0.1), // ATM
      quote('CALL', '2026-04-10', 95, 6, 0.1), // ITM call
      quote('CALL', '2026-04-10', 100, 2, 0.1), // ATM
    ];
    expect(select(quotes, 'PUT')).toEqual([]);
    expect(select(quotes, 'CALL')).toEqual([]);
  });

  it('never selects a contract without a bid', () => {
    expect(select([quote('PUT', '2026-04-10', 95, null, -0.05)], 'PUT', { thresholds: { minAnnualizedReturn: 0, maxDelta: 1 } })).toEqual([]);
    expect(select([quote('CALL', '2026-04-10', 105, null, 0.05)], 'CALL', { thresholds: { minAnnualizedReturn: 0, maxDelta: 1 } })).toEqual([]);
  });

  it('never selects a contract without a delta', () => {
    expect(select([quote('PUT', '2026-04-10', 95, 0.5, null)], 'PUT', { thresholds: { minAnnualizedReturn: 0, maxDelta: 1 } })).toEqual([]);
    expect(select([quote('CALL', '2026-04-10', 105, 0.5, null)], 'CALL', { thresholds: { minAnnualizedReturn: 0, maxDelta: 1 } })).toEqual([]);
  });

  it('does not select a negative bid, which earns 0 %', () => {
    expect(select([quote('PUT', '2026-04-10', 95, -0.1, -0.1)], 'PUT')).toEqual([]);
  });

  it('keeps puts at exactly the minimum return and drops those just below', () => {
    const atMin = quote('PUT', '2026-04-10', 73, 0.12, -0.05); // exactly 30 %
    const below = quote('PUT', '2026-04-10', 74, 0.12, -0.05); // 29.59 %
    expect(strikes(select([atMin, below], 'PUT'))).toEqual(['2026-04-10@73']);
  });

  it('keeps puts up to |delta| 0.20 and drops them beyond', () => {
    const quotes = [
      quote('PUT', '2026-04-10', 95, 0.5, -0.2),
      quote('PUT', '2026-04-10', 96, 0.6, -0.21),
      quote('PUT', '2026-05-08', 90, 3, -0.21), // the call scaling does not apply to puts
    ];
    expect(strikes(select(quotes, 'PUT'))).toEqual(['2026-04-10@95']);
  });

  it('accepts a put delta given as a positive number', () => {
    expect(strikes(select([quote('PUT', '2026-04-10', 95, 0.5, 0.15)], 'PUT'))).toEqual(['2026-04-10@95']);
  });

  it('scales the call delta bound with DTE', () => {
    const quotes = [
      quote('CALL', '2026-04-10', 105, 0.5, 0.2), // 2 days, bound 0.20: kept
      quote('CALL', '2026-04-10', 106, 0.5, 0.22), // 2 days, bound 0.20: dropped
      quote('CALL', '2026-04-17', 105, 1, 0.24), // 9 days, bound 0.24: kept
      quote('CALL', '2026-04-17', 104, 1, 0.25), // 9 days, bound 0.24: dropped
      quote('CALL', '2026-04-24', 106, 1.5, 0.28), // 16 days, bound 0.28: kept
      quote('CALL', '2026-05-01', 107, 2, 0.32), // 23 days, bound 0.32: kept
      quote('CALL', '2026-05-01', 105, 2, 0.33), // 23 days, bound 0.32: dropped
      quote('CALL', '2026-05-08', 108, 2, 0.35), // 30 days, bound 0.36: kept
      quote('CALL', '2026-05-08', 103, 3, 0.37), // 30 days, bound 0.36: dropped
    ];
    expect(strikes(select(quotes, 'CALL'))).toEqual([
      '2026-04-10@105',
      '2026-04-17@105',
      '2026-04-24@106',
      '2026-05-01@107',
      '2026-05-08@108',
    ]);
  });

  it('requires 20 % for calls by default', () => {
    const quotes = [
      quote('CALL', '2026-05-08', 105, 1.8, 0.1), // 20.86 %
      quote('CALL', '2026-05-08', 110, 1.8, 0.1), // 19.91 %
    ];
    expect(strikes(select(quotes, 'CALL'))).toEqual(['2026-05-08@105']);
  });

  it('applies a maxDelta override instead of the default rule', () => {
    const put = quote('PUT', '2026-04-10', 95, 0.5, -0.15);
    expect(select([put], 'PUT', { thresholds: { minAnnualizedReturn: 30, maxDelta: 0.1 } })).toEqual([]);

    const call = quote('CALL', '2026-04-10', 106, 0.5, 0.22); // over the 2-day bound of 0.20
    expect(select([call], 'CALL')).toEqual([]);
    expect(strikes(select([call], 'CALL', { thresholds: { minAnnualizedReturn: 20, maxDelta: 0.3 } }))).toEqual([
      '2026-04-10@106',
    ]);
    const longCall = quote('CALL', '2026-05-08', 108, 2, 0.35); // within the 30-day bound, over the override
    expect(select([longCall], 'CALL', { thresholds: { minAnnualizedReturn: 20, maxDelta: 0.3 } })).toEqual([]);
  });

  it('applies a minAnnualizedReturn override', () => {
    const put = quote('PUT', '2026-04-10', 95, 0.5, -0.15); // 96.05 %
    expect(select([put], 'PUT', { thresholds: { minAnnualizedReturn: 100, maxDelta: null } })).toEqual([]);
    expect(select([put], 'PUT', { thresholds: { minAnnualizedReturn: 96.05, maxDelta: null } })).toHaveLength(1);
  });

  it('counts an expiration today as 1 day', () => {
    const put = quote('PUT', todayNy, 95, 0.1, -0.05);
    const [selected] = select([put], 'PUT', { expirations: [todayNy] });
    expect(selected?.daysToExpiration).toBe(0);
    expect(selected?.annualizedReturn).toBe(38.42); // 0.1 × 36500 / 95
  });

  it('sorts by expiration, then strike', () => {
    const quotes = [
      quote('PUT', '2026-04-17', 90, 1, -0.1),
      quote('PUT', '2026-04-10', 95, 0.5, -0.15),
      quote('PUT', '2026-04-17', 85, 1, -0.05),
      quote('PUT', '2026-04-10', 90, 0.3, -0.05),
    ];
    expect(strikes(select(quotes, 'PUT'))).toEqual(['2026-04-10@90', '2026-04-10@95', '2026-04-17@85', '2026-04-17@90']);
  });

  it('returns nothing for an empty chain', () => {
    expect(select([], 'PUT')).toEqual([]);
  });

  it('rejects a non-positive underlying price', () => {
    expect(() => select([], 'PUT', { underlyingPrice: 0 })).toThrow(RangeError);
    expect(() => select([], 'PUT', { underlyingPrice: Number.NaN })).toThrow(RangeError);
  });
});

describe('validateScanInput', () => {
  it('accepts values inside the ranges, including the edges', () => {
    expect(validateScanInput({ weeks: 1, minAnnualizedReturn: 0, maxDelta: 0, symbols: ['AAPL'] })).toEqual([]);
    expect(validateScanInput({ weeks: 12, minAnnualizedReturn: 1000, maxDelta: 1, symbols: ['BRK.B', 'bf-b'] })).toEqual([]);
  });

  it('accepts fields left out, so that the defaults apply', () => {
    expect(validateScanInput({})).toEqual([]);
    expect(validateScanInput({ weeks: null, minAnnualizedReturn: null, maxDelta: null, symbols: null })).toEqual([]);
  });

  it.each([0, 13, 2.5, Number.NaN])('rejects weeks = %s', (weeks) => {
    const messages = validateScanInput({ weeks });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^weeks must be a whole number from 1 to 12/);
  });

  it.each([-1, 1000.01, Number.POSITIVE_INFINITY])('rejects minAnnualizedReturn = %s', (minAnnualizedReturn) => {
    const messages = validateScanInput({ minAnnualizedReturn });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^minAnnualizedReturn must be a percentage from 0 to 1000/);
  });

  it.each([-0.01, 1.01])('rejects maxDelta = %s', (maxDelta) => {
    expect(validateScanInput({ maxDelta })).toEqual([`maxDelta must be from 0 to 1 (got ${maxDelta}).`]);
  });

  it('rejects an empty symbol list and malformed symbols, naming them', () => {
    expect(validateScanInput({ symbols: [] })).toEqual(['symbols must name at least one ticker.']);
    expect(validateScanInput({ symbols: ['AAPL', 'not a ticker', ''] })).toEqual([
      'symbols must be tickers such as AAPL or BRK.B; not valid: "not a ticker", "".',
    ]);
  });

  it('reports every problem at once', () => {
    expect(validateScanInput({ weeks: 0, minAnnualizedReturn: -5, maxDelta: 2, symbols: [] })).toHaveLength(4);
  });
});
