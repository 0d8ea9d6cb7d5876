import { describe, expect, it } from 'vitest';
import { DEFAULT_ASSUMPTIONS } from '../../src/domain/assumptions.js';
import type { DcfValuationResult, StockValuationResult } from '../../src/domain/valuation.js';
import { valuationSnapshot } from '../../src/domain/valuation-snapshot.js';

const dcf = (method: 'EPS' | 'FCF', intrinsicValue: number): DcfValuationResult => ({
  method,
  startingValue: 1,
  projected: [1.1],
  presentValues: [0.96],
  sumOfPresentValues: 0.96,
  terminalValue: 22,
  presentValueOfTerminal: 19.13,
  intrinsicValue,
});

const valuation = (overrides: Partial<StockValuationResult> = {}): StockValuationResult => ({
  symbol: 'MSFT',
  assumptions: { ...DEFAULT_ASSUMPTIONS, preferredMethod: 'FCF', fcfMultiple: 25 },
  epsTtm: 12.41,
  fcfTtm: 70_000_000_000,
  sharesOutstanding: 7_430_000_000,
  fcfPerShare: 9.42,
  eps: dcf('EPS', 251.3),
  fcf: dcf('FCF', 230.18),
  notes: [],
  preferredMethod: 'FCF',
  effectiveIntrinsicValue: 230.18,
  ...overrides,
});

const recordedAt = new Date('2026-04-01T13:05:00.000Z');

describe('valuationSnapshot', () => {
  it("records both models' values, the figures they started from and the assumptions", () => {
    expect(valuationSnapshot(valuation(), '2026-04-01', recordedAt)).toEqual({
      symbol: 'MSFT',
      date: '2026-04-01',
      epsTtm: 12.41,
      fcfPerShare: 9.42,
      epsIntrinsicValue: 251.3,
      fcfIntrinsicValue: 230.18,
      effectiveIntrinsicValue: 230.18,
      preferredMethod: 'FCF',
      assumptions: {
        epsGrowthRate: 10,
        epsMultiple: 20,
        fcfGrowthRate: 10,
        fcfMultiple: 25,
        desiredReturn: 15,
        projectionYears: 5,
        preferredMethod: 'FCF',
      },
      recordedAt,
    });
  });

  it('leaves a model that could not run null', () => {
    const snapshot = valuationSnapshot(
      valuation({ epsTtm: -0.5, eps: null, fcfPerShare: null, fcf: null, effectiveIntrinsicValue: null }),
      '2026-01-01',
      recordedAt,
    );
    expect(snapshot).toMatchObject({
      epsTtm: -0.5,
      fcfPerShare: null,
      epsIntrinsicValue: null,
      fcfIntrinsicValue: null,
      effectiveIntrinsicValue: null,
    });
  });

  it("does not change when the valuation's objects are changed afterwards", () => {
    const source = valuation();
    const at = new Date(recordedAt.getTime());
    const snapshot = valuationSnapshot(source, '2026-04-01', at);
    source.assumptions.fcfMultiple = 99;
    at.setUTCFullYear(2030);
    expect(snapshot.assumptions.fcfMultiple).toBe(25);
    expect(snapshot.recordedAt.toISOString()).toBe('2026-04-01T13:05:00.000Z');
  });

  it('refuses a date that is not a quarter start, and an invalid instant', () => {
    expect(() => valuationSnapshot(valuation(), '2026-04-02', recordedAt)).toThrow(RangeError);
    expect(() => valuationSnapshot(valuation(), '2026-04-01', new Date('nope'))).toThrow(RangeError);
  });
});
