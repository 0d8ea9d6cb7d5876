/**
 * Statistics over one stock's valuation snapshots, as the contract's
 * ValuationAnalytics defines them. Pure: the stock's current effective intrinsic
 * value and the current quarter are passed in.
 *
 * Every figure is computed in decimals from the unrounded values of the others
 * and rounded half-even once, on the way out (2 decimals; the correlation 3).
 * Decided here, where the contract is silent:
 * - mean is null without a snapshot that has an effective intrinsic value;
 * - coefficientOfVariation is null when standardDeviation is, or the mean is 0;
 * - epsFcfCorrelation is null when either value is constant over the snapshots
 *   (Pearson's r divides by both spreads);
 * - previousQuarter and yearAgo compare with a snapshot whatever its values: one
 *   without an effective intrinsic value answers its date with null figures;
 * - changePercent is null when the snapshot's value is 0.
 * CAGR counts the quarters *between* the first and last snapshot (n - 1
 * intervals for n consecutive quarters), not the number of snapshots.
 */
import type { Decimal } from 'decimal.js';
import { HalfEvenDecimal as D, roundHalfEven } from './half-even.js';
import { quartersBetween, sameQuarterYearEarlier } from './quarter-dates.js';
import type { ValuationSnapshot } from './valuation-snapshot.js';

const HUNDRED = new D(100);
const QUARTERS_A_YEAR = 4;

/** The snapshot fields the analytics read. */
export type AnalyzedSnapshot = Pick<
  ValuationSnapshot,
  'symbol' | 'date' | 'epsIntrinsicValue' | 'fcfIntrinsicValue' | 'effectiveIntrinsicValue'
>;

export interface ValuationChange {
  /** the snapshot compared with */
  date: string;
  effectiveIntrinsicValue: number | null;
  change: number | null;
  changePercent: number | null;
}

export interface ValuationAnalytics {
  symbol: string;
  snapshots: number;
  mean: number | null;
  standardDeviation: number | null;
  coefficientOfVariation: number | null;
  cagrPercent: number | null;
  epsFcfCorrelation: number | null;
  previousQuarter: ValuationChange | null;
  yearAgo: ValuationChange | null;
}

export interface ValuationAnalyticsInput {
  symbol: string;
  /** the stock's snapshots, in any order */
  snapshots: readonly AnalyzedSnapshot[];
  /** the effective intrinsic value with the stock's saved assumptions now; null when there is none */
  currentEffectiveIntrinsicValue: number | null;
  /** the first day of the quarter containing today in New York (quarter-dates.ts currentQuarterStart) */
  currentQuarterStart: string;
}

const sum = (values: readonly Decimal[]): Decimal => values.reduce((acc, v) => acc.plus(v), new D(0));

const meanOf = (values: readonly Decimal[]): Decimal => sum(values).div(values.length);

/** Σ (x - mean)²: the spread both the sample variance and Pearson's r are built on. */
const squaredDeviations = (values: readonly Decimal[], mean: Decimal): Decimal =>
  sum(values.map((v) => v.minus(mean).pow(2)));

/** Sample standard deviation (n - 1 in the denominator); null under 2 values. */
function sampleStandardDeviation(values: readonly Decimal[]): Decimal | null {
  if (values.length < 2) return null;
  return squaredDeviations(values, meanOf(values)).div(values.length - 1).sqrt();
}

/** Pearson's r over pairs; null under 3 pairs or when either side does not vary. */
function pearson(pairs: readonly (readonly [Decimal, Decimal])[]): Decimal | null {
  if (pairs.length < 3) return null;
  const xs = pairs.map(([x]) => x);
  const ys = pairs.map(([, y]) => y);
  const mx = meanOf(xs);
  const my = meanOf(ys);
  const sxx = squaredDeviations(xs, mx);
  const syy = squaredDeviations(ys, my);
  if (sxx.isZero() || syy.isZero()) return null;
  const sxy = sum(pairs.map(([x, y]) => x.minus(mx).times(y.minus(my))));
  return sxy.div(sxx.times(syy).sqrt());
}

/** ((last / first) ^ (1 / years) - 1) * 100 with years = quarters between / 4. */
function compoundAnnualGrowth(first: AnalyzedSnapshot, last: AnalyzedSnapshot): Decimal | null {
  const from = first.effectiveIntrinsicValue;
  const to = last.effectiveIntrinsicValue;
  if (from === null || to === null || from <= 0 || to <= 0) return null;
  const quarters = quartersBetween(first.date, last.date);
  if (quarters < 1) return null;
  const inverseYears = new D(QUARTERS_A_YEAR).div(quarters);
  return new D(to).div(from).pow(inverseYears).minus(1).times(HUNDRED);
}

function changeAgainst(snapshot: AnalyzedSnapshot, current: number | null): ValuationChange {
  const then = snapshot.effectiveIntrinsicValue;
  const base = { date: snapshot.date, effectiveIntrinsicValue: then };
  if (current === null || then === null) return { ...base, change: null, changePercent: null };
  const change = new D(current).minus(then);
  return {
    ...base,
    change: roundHalfEven(change, 2),
    changePercent: then === 0 ? null : roundHalfEven(change.div(then).times(HUNDRED), 2),
  };
}

const byDate = (a: AnalyzedSnapshot, b: AnalyzedSnapshot): number => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

export function valuationAnalytics(input: ValuationAnalyticsInput): ValuationAnalytics {
  const { symbol, currentEffectiveIntrinsicValue: current, currentQuarterStart } = input;
  const foreign = input.snapshots.find((snapshot) => snapshot.symbol !== symbol);
  if (foreign) throw new RangeError(`a snapshot of ${foreign.symbol} was given for ${symbol}'s analytics`);

  // 'YYYY-MM-DD' strings sort as dates.
  const snapshots = [...input.snapshots].sort(byDate);
  const valued = snapshots.filter((snapshot) => snapshot.effectiveIntrinsicValue !== null);
  const values = valued.map((snapshot) => new D(snapshot.effectiveIntrinsicValue!));

  const mean = values.length === 0 ? null : meanOf(values);
  const standardDeviation = sampleStandardDeviation(values);
  const coefficientOfVariation =
    standardDeviation === null || mean === null || mean.isZero() ? null : standardDeviation.div(mean).times(HUNDRED);
  const cagr = valued.length < 2 ? null : compoundAnnualGrowth(valued[0]!, valued[valued.length - 1]!);

  const pairs = snapshots.flatMap((snapshot) =>
    snapshot.epsIntrinsicValue === null || snapshot.fcfIntrinsicValue === null
      ? []
      : [[new D(snapshot.epsIntrinsicValue), new D(snapshot.fcfIntrinsicValue)] as const],
  );
  const correlation = pearson(pairs);

  const previous = snapshots.filter((snapshot) => snapshot.date < currentQuarterStart).at(-1);
  const yearAgoDate = sameQuarterYearEarlier(currentQuarterStart);
  const yearAgo = snapshots.find((snapshot) => snapshot.date === yearAgoDate);

  return {
    symbol,
    snapshots: valued.length,
    mean: mean === null ? null : roundHalfEven(mean, 2),
    standardDeviation: standardDeviation === null ? null : roundHalfEven(standardDeviation, 2),
    coefficientOfVariation: coefficientOfVariation === null ? null : roundHalfEven(coefficientOfVariation, 2),
    cagrPercent: cagr === null ? null : roundHalfEven(cagr, 2),
    epsFcfCorrelation: correlation === null ? null : roundHalfEven(correlation, 3),
    previousQuarter: previous === undefined ? null : changeAgainst(previous, current),
    yearAgo: yearAgo === undefined ? null : changeAgainst(yearAgo, current),
  };
}
