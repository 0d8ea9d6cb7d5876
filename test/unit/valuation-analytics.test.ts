import { describe, expect, it } from 'vitest';
import { valuationAnalytics, type AnalyzedSnapshot } from '../../src/domain/valuation-analytics.js';

type Values = Partial<Omit<AnalyzedSnapshot, 'symbol' | 'date'>>;

const snapshot = (date: string, effectiveIntrinsicValue: number | null, values: Values = {}): AnalyzedSnapshot => ({
  symbol: 'TEST',
  date,
  epsIntrinsicValue: effectiveIntrinsicValue,
  fcfIntrinsicValue: null,
  effectiveIntrinsicValue,
  ...values,
});

const analyze = (snapshots: AnalyzedSnapshot[], current: number | null = null, currentQuarterStart = '2026-04-01') =>
  valuationAnalytics({ symbol: 'TEST', snapshots, currentEffectiveIntrinsicValue: current, currentQuarterStart });

// Independent references in plain floats, rounded the way the contract asks; the
// datasets below are far from any rounding boundary, so floats and decimals agree.
const round = (value: number, places: number) => Number(value.toFixed(places));
const floatMean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const floatSampleSd = (xs: number[]) => {
  const m = floatMean(xs);
  return Math.sqrt(xs.reduce((acc, x) => acc + (x - m) ** 2, 0) / (xs.length - 1));
};
const floatPearson = (xs: number[], ys: number[]) => {
  const mx = floatMean(xs);
  const my = floatMean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i]! - my);
    sxx += (x - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
};

// Five quarters growing 10 % a quarter: 100, 110, 121, 133.1, 146.41.
const growing = [
  snapshot('2025-01-01', 100),
  snapshot('2025-04-01', 110),
  snapshot('2025-07-01', 121),
  snapshot('2025-10-01', 133.1),
  snapshot('2026-01-01', 146.41),
];

describe('valuationAnalytics: spread', () => {
  it('answers the mean, sample standard deviation and coefficient of variation, figured by hand', () => {
    const result = analyze(growing);
    // mean = 610.51 / 5 = 122.102 → 122.10
    expect(result.mean).toBe(122.1);
    // deviations -22.102, -12.102, -1.102, 10.998, 24.308; squares sum to 1348.00608;
    // / (5 - 1) = 337.00152; √ = 18.3576… → 18.36 (a population sd, / 5, would be 16.42)
    expect(result.standardDeviation).toBe(18.36);
    // 18.3576… / 122.102 × 100 = 15.0346… → 15.03 (the rounded 18.36 / 122.10 would give 15.04)
    expect(result.coefficientOfVariation).toBe(15.03);
    expect(result.snapshots).toBe(5);
  });

  it('agrees with a float reference on an unordered, uneven series', () => {
    const values = [87.35, 91.2, 78.9, 102.45, 95.05, 88.6];
    const dates = ['2025-07-01', '2024-10-01', '2026-01-01', '2025-01-01', '2024-07-01', '2025-04-01'];
    const result = analyze(values.map((v, i) => snapshot(dates[i]!, v)));
    expect(result.mean).toBe(round(floatMean(values), 2));
    expect(result.standardDeviation).toBe(round(floatSampleSd(values), 2));
    expect(result.coefficientOfVariation).toBe(round((floatSampleSd(values) / floatMean(values)) * 100, 2));
  });

  it('rounds the mean half-even in decimals: (10.02 + 10.03) / 2 = 10.025 → 10.02', () => {
    expect(analyze([snapshot('2025-01-01', 10.02), snapshot('2025-04-01', 10.03)]).mean).toBe(10.02);
    // and 10.035 → 10.04 (the even neighbour above)
    expect(analyze([snapshot('2025-01-01', 10.03), snapshot('2025-04-01', 10.04)]).mean).toBe(10.04);
  });

  it('counts and averages only the snapshots with an effective intrinsic value', () => {
    const result = analyze([snapshot('2025-01-01', 50), snapshot('2025-04-01', null), snapshot('2025-07-01', 70)]);
    expect(result.snapshots).toBe(2);
    expect(result.mean).toBe(60);
    // √(((50 − 60)² + (70 − 60)²) / 1) = √200 = 14.1421… → 14.14
    expect(result.standardDeviation).toBe(14.14);
  });

  it('has a mean but no standard deviation or coefficient of variation with one snapshot', () => {
    const result = analyze([snapshot('2025-01-01', 42.5)]);
    expect(result).toMatchObject({ snapshots: 1, mean: 42.5, standardDeviation: null, coefficientOfVariation: null });
  });

  it('answers nulls and 0 snapshots when there are none', () => {
    expect(analyze([])).toEqual({
      symbol: 'TEST',
      snapshots: 0,
      mean: null,
      standardDeviation: null,
      coefficientOfVariation: null,
      cagrPercent: null,
      epsFcfCorrelation: null,
      previousQuarter: null,
      yearAgo: null,
    });
  });

  it('answers a standard deviation of 0 for a constant series', () => {
    const result = analyze([snapshot('2025-01-01', 80), snapshot('2025-04-01', 80), snapshot('2025-07-01', 80)]);
    expect(result.standardDeviation).toBe(0);
    expect(result.coefficientOfVariation).toBe(0);
  });
});

describe('valuationAnalytics: CAGR', () => {
  it('spans the quarters between the first and last snapshot, not the number of snapshots', () => {
    // 2025-01-01 → 2026-01-01 is 4 quarters = 1 year: (146.41 / 100)^1 − 1 = 46.41 %.
    // Counting the 5 snapshots as 1.25 years would give 1.4641^0.8 − 1 = 35.66 %.
    expect(analyze(growing).cagrPercent).toBe(46.41);
  });

  it('takes fractional years: 100 → 150 over 6 quarters = 1.5 years', () => {
    const result = analyze([snapshot('2024-07-01', 100), snapshot('2025-04-01', 120), snapshot('2026-01-01', 150)]);
    // 1.5^(1 / 1.5) − 1 = 0.310370… → 31.04
    expect(result.cagrPercent).toBe(31.04);
    expect(result.cagrPercent).toBe(round((Math.pow(150 / 100, 1 / 1.5) - 1) * 100, 2));
  });

  it('reads the dates, not the order it is given: oldest to newest', () => {
    const shuffled = [growing[3]!, growing[0]!, growing[4]!, growing[2]!, growing[1]!];
    expect(analyze(shuffled).cagrPercent).toBe(46.41);
  });

  it('answers a negative CAGR for a falling value: 200 → 150 over 8 quarters', () => {
    const result = analyze([snapshot('2024-01-01', 200), snapshot('2026-01-01', 150)]);
    // 0.75^(1/2) − 1 = 0.866025… − 1 = −13.397… → −13.40
    expect(result.cagrPercent).toBe(-13.4);
  });

  it('uses the first and last snapshots that have an effective intrinsic value', () => {
    const result = analyze([
      snapshot('2024-10-01', null),
      snapshot('2025-01-01', 100),
      snapshot('2026-01-01', 121),
      snapshot('2026-04-01', null),
    ]);
    // 121 / 100 over 4 quarters = 21 %
    expect(result.cagrPercent).toBe(21);
  });

  it('is null unless both ends are positive and at least a quarter apart', () => {
    expect(analyze([snapshot('2025-01-01', 100)]).cagrPercent).toBeNull();
    expect(analyze([snapshot('2025-01-01', 0), snapshot('2026-01-01', 100)]).cagrPercent).toBeNull();
    expect(analyze([snapshot('2025-01-01', 100), snapshot('2026-01-01', -5)]).cagrPercent).toBeNull();
    expect(analyze([snapshot('2025-01-01', 100), snapshot('2025-01-01', 120)]).cagrPercent).toBeNull();
    // one quarter is enough: (110 / 100)^4 − 1 = 0.4641 → 46.41
    expect(analyze([snapshot('2025-01-01', 100), snapshot('2025-04-01', 110)]).cagrPercent).toBe(46.41);
  });
});

describe('valuationAnalytics: EPS/FCF correlation', () => {
  const eps = [50.1, 61.2, 55.5, 70.3];
  const fcf = [40.2, 45.9, 47.1, 52.8];
  const dates = ['2025-01-01', '2025-04-01', '2025-07-01', '2025-10-01'];
  const both = dates.map((date, i) => snapshot(date, eps[i]!, { epsIntrinsicValue: eps[i]!, fcfIntrinsicValue: fcf[i]! }));

  it('is Pearson r over the snapshots with both values, figured by hand', () => {
    // means 59.275 and 46.5; Σdxdy = 123.84, Σdx² = 223.6875, Σdy² = 80.1;
    // 123.84 / √(223.6875 × 80.1) = 123.84 / 133.8558… = 0.92517… → 0.925
    expect(analyze(both).epsFcfCorrelation).toBe(0.925);
    expect(analyze(both).epsFcfCorrelation).toBe(round(floatPearson(eps, fcf), 3));
  });

  it('skips snapshots missing either value, whatever their effective value', () => {
    const withGaps = [
      ...both,
      snapshot('2026-01-01', 80, { epsIntrinsicValue: 80, fcfIntrinsicValue: null }),
      snapshot('2024-10-01', null, { epsIntrinsicValue: null, fcfIntrinsicValue: 60 }),
    ];
    expect(analyze(withGaps).epsFcfCorrelation).toBe(0.925);
    // the FCF-preferred case: no effective value recorded, both models ran
    const fcfOnly = both.map((s) => ({ ...s, effectiveIntrinsicValue: null }));
    expect(analyze(fcfOnly).epsFcfCorrelation).toBe(0.925);
  });

  it('answers a perfect negative correlation as -1', () => {
    const opposite = dates.slice(0, 3).map((date, i) => snapshot(date, 10, { epsIntrinsicValue: 10 + i, fcfIntrinsicValue: 30 - 2 * i }));
    expect(analyze(opposite).epsFcfCorrelation).toBe(-1);
  });

  it('is null under 3 snapshots with both values', () => {
    expect(analyze(both.slice(0, 2)).epsFcfCorrelation).toBeNull();
  });

  it('is null when either value does not vary', () => {
    const flatFcf = both.map((s) => ({ ...s, fcfIntrinsicValue: 45 }));
    expect(analyze(flatFcf).epsFcfCorrelation).toBeNull();
  });
});

describe('valuationAnalytics: changes against earlier quarters', () => {
  it("compares the current value with the latest snapshot before the current quarter's and the same quarter a year ago", () => {
    const result = analyze([...growing, snapshot('2026-04-01', 149)], 150, '2026-04-01');
    // the current quarter's own snapshot (2026-04-01) is not "before" it
    expect(result.previousQuarter).toEqual({
      date: '2026-01-01',
      effectiveIntrinsicValue: 146.41,
      // 150 − 146.41 = 3.59; 3.59 / 146.41 × 100 = 2.4520… → 2.45
      change: 3.59,
      changePercent: 2.45,
    });
    expect(result.yearAgo).toEqual({
      date: '2025-04-01',
      effectiveIntrinsicValue: 110,
      // 150 − 110 = 40; 40 / 110 × 100 = 36.3636… → 36.36
      change: 40,
      changePercent: 36.36,
    });
  });

  it('takes the latest earlier snapshot even when quarters are missing in between', () => {
    const result = analyze([snapshot('2024-07-01', 90), snapshot('2025-04-01', 100)], 95, '2026-04-01');
    // 95 − 100 = −5; −5 / 100 × 100 = −5 %
    expect(result.previousQuarter).toEqual({ date: '2025-04-01', effectiveIntrinsicValue: 100, change: -5, changePercent: -5 });
    // 2025-04-01 is also a year before 2026-04-01
    expect(result.yearAgo).toEqual(result.previousQuarter);
  });

  it('has no yearAgo without a snapshot dated exactly a year before the current quarter', () => {
    const result = analyze([snapshot('2025-01-01', 100), snapshot('2025-07-01', 100)], 120, '2026-04-01');
    expect(result.yearAgo).toBeNull();
    expect(result.previousQuarter?.date).toBe('2025-07-01');
  });

  it('has no previousQuarter when every snapshot is of the current quarter or later', () => {
    const result = analyze([snapshot('2026-04-01', 100), snapshot('2026-07-01', 100)], 100, '2026-04-01');
    expect(result.previousQuarter).toBeNull();
  });

  it('answers the date with null figures when the current or the snapshot value is missing', () => {
    const noCurrent = analyze([snapshot('2026-01-01', 100)], null, '2026-04-01');
    expect(noCurrent.previousQuarter).toEqual({ date: '2026-01-01', effectiveIntrinsicValue: 100, change: null, changePercent: null });
    const noThen = analyze([snapshot('2026-01-01', null)], 100, '2026-04-01');
    expect(noThen.previousQuarter).toEqual({ date: '2026-01-01', effectiveIntrinsicValue: null, change: null, changePercent: null });
  });

  it('has a change but no percent against a snapshot value of 0', () => {
    const result = analyze([snapshot('2026-01-01', 0)], 12.34, '2026-04-01');
    expect(result.previousQuarter).toEqual({ date: '2026-01-01', effectiveIntrinsicValue: 0, change: 12.34, changePercent: null });
  });

  it('rounds the percent from the unrounded ratio, half-even: 0.01 / 8 × 100 = 0.125 → 0.12', () => {
    const result = analyze([snapshot('2026-01-01', 8)], 8.01, '2026-04-01');
    expect(result.previousQuarter).toMatchObject({ change: 0.01, changePercent: 0.12 });
  });

  it('refuses snapshots of another stock and a current quarter that is not a quarter start', () => {
    expect(() => analyze([{ ...snapshot('2026-01-01', 1), symbol: 'OTHER' }])).toThrow(RangeError);
    expect(() => analyze([], 1, '2026-05-01')).toThrow(RangeError);
  });
});
