/**
 * Rules for choosing which options to sell in the wheel strategy: cash-secured
 * puts and covered calls. Pure functions: no I/O, no clock, no module state.
 *
 * The rules come from the original Django scanner (sirvig/wheel_analyzer,
 * scanner/marketdata/options.py and util.py). This module is deliberately
 * stricter where the original guessed:
 * - The original replaced a missing bid with 0.01 and a missing delta with 1,
 *   so a put with no delta passed its `delta >= -0.20` test. Here a contract
 *   with no bid or no delta is never selected.
 * - The original compared raw signed put deltas with `delta >= -0.20`. Here
 *   puts use |delta| ≤ maxDelta, so the sign convention of the data source
 *   does not matter.
 * - The original never rounded. Here the annualized return and the percent
 *   change are rounded to 2 decimals (half-even), and the threshold is
 *   compared with the rounded figure the user sees.
 * - The original read DTE from the data source, treated a missing value as 0
 *   and only scanned Fridays. Here DTE is computed from the New York date and
 *   the expirations come from the exchange calendar.
 */
import { HalfEvenDecimal, roundHalfEven } from './half-even.js';

import { daysBetween } from './market-calendar.js';
import { parseScanCriteria, type ScanCriteriaInput } from './scan-criteria.js';

export type OptionType = 'PUT' | 'CALL';

export type OptionQuote = {
  contractId: string;
  type: OptionType;
  /** 'YYYY-MM-DD' */
  expiration: string;
  strike: number;
  bid: number | null;
  delta: number | null;
  impliedVolatility: number | null;
  /** what else the provider quotes; null when it does not */
  ask?: number | null;
  mark?: number | null;
  volume?: number | null;
  openInterest?: number | null;
  gamma?: number | null;
  theta?: number | null;
  vega?: number | null;
};

export type ScanThresholds = {
  /** Minimum annualized return, in percent (30 means 30 %). */
  minAnnualizedReturn: number;
  /**
   * Maximum absolute delta. null = the default rule for the type: 0.20 for
   * puts, `callDeltaBound(dte)` for calls.
   */
  maxDelta: number | null;
};

/** A selected contract: bid and delta are known, plus the computed figures. */
export type ScannedContract = Omit<OptionQuote, 'bid' | 'delta'> & {
  bid: number;
  delta: number;
  daysToExpiration: number;
  /** Percent, 2 decimals. */
  annualizedReturn: number;
  /** How far the underlying is above the strike, in percent of the strike, 2 decimals. */
  percentChange: number;
  underlyingPrice: number;
};

export type SelectContractsInput = {
  quotes: readonly OptionQuote[];
  underlyingPrice: number;
  type: OptionType;
  /** Today's New York date, 'YYYY-MM-DD'. */
  todayNy: string;
  /** The expirations to keep, 'YYYY-MM-DD' (normally from `nextWeeklyExpirations`). */
  expirations: readonly string[];
  /** Defaults to `defaultThresholds(type)`. */
  thresholds?: ScanThresholds;
};

export const DEFAULT_PUT_MAX_DELTA = 0.2;
export const DEFAULT_PUT_MIN_ANNUALIZED_RETURN = 30;
export const DEFAULT_CALL_MIN_ANNUALIZED_RETURN = 20;

function assertFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${value}`);
}

function assertPositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  }
}

/** Calendar days from today (New York) to the expiration; 0 on expiration day. */
export function daysToExpiration(todayNy: string, expiration: string): number {
  return daysBetween(todayNy, expiration);
}

/**
 * Premium over collateral, annualized, in percent:
 * bid / strike / DTE × 365 × 100, rounded to 2 decimals half-even.
 * DTE 0 (expiration day) counts as 1 day; a negative bid counts as 0.
 */
export function annualizedReturn(bid: number, strike: number, dte: number): number {
  assertFinite('bid', bid);
  assertPositive('strike', strike);
  if (!Number.isInteger(dte) || dte < 0) {
    throw new RangeError(`dte must be a non-negative integer, got ${dte}`);
  }
  if (bid < 0) return 0;
  const days = dte === 0 ? 1 : dte;
  // One division, last, so that an exact result stays exact before rounding.
  return roundHalfEven(new HalfEvenDecimal(bid).times(365 * 100).div(new HalfEvenDecimal(strike).times(days)), 2);
}

/** (underlying − strike) / strike × 100, rounded to 2 decimals half-even. */
export function percentChange(underlying: number, strike: number): number {
  assertFinite('underlying', underlying);
  assertPositive('strike', strike);
  return roundHalfEven(new HalfEvenDecimal(underlying).minus(strike).times(100).div(strike), 2);
}

/** Puts: strike below the underlying. Calls: strike above it. At the money is not out of the money. */
export function isOutOfTheMoney(type: OptionType, strike: number, underlying: number): boolean {
  return type === 'PUT' ? strike < underlying : strike > underlying;
}

/**
 * Largest call delta to accept for a given DTE, as in the original's
 * `get_desired_delta('call', dte)`: 0.20 up to 7 days, and 0.04 more for each
 * further week started, capped after four weeks:
 *   dte ≤ 7 → 0.20, 8–14 → 0.24, 15–21 → 0.28, 22–28 → 0.32, > 28 → 0.36.
 * A longer call needs more room for the same chance of assignment. The
 * values are written out so they are exact (0.2 + 0.04 is 0.24000000000000002).
 */
export function callDeltaBound(dte: number): number {
  if (!Number.isFinite(dte)) throw new RangeError(`dte must be a finite number, got ${dte}`);
  if (dte <= 7) return 0.2;
  if (dte <= 14) return 0.24;
  if (dte <= 21) return 0.28;
  if (dte <= 28) return 0.32;
  return 0.36;
}

/** Puts: 30 % and |delta| ≤ 0.20. Calls: 20 % and the DTE-scaled bound (maxDelta null). */
export function defaultThresholds(type: OptionType): ScanThresholds {
  return type === 'PUT'
    ? { minAnnualizedReturn: DEFAULT_PUT_MIN_ANNUALIZED_RETURN, maxDelta: DEFAULT_PUT_MAX_DELTA }
    : { minAnnualizedReturn: DEFAULT_CALL_MIN_ANNUALIZED_RETURN, maxDelta: null };
}

/** Fills what the user left out (undefined or null) with the type's defaults. */
export function resolveThresholds(
  type: OptionType,
  overrides: { minAnnualizedReturn?: number | null; maxDelta?: number | null } = {},
): ScanThresholds {
  const defaults = defaultThresholds(type);
  return {
    minAnnualizedReturn: overrides.minAnnualizedReturn ?? defaults.minAnnualizedReturn,
    maxDelta: overrides.maxDelta ?? defaults.maxDelta,
  };
}

/** The delta limit that applies to a contract: the override, else the type's default rule. */
export function deltaLimit(type: OptionType, dte: number, maxDelta: number | null): number {
  if (maxDelta !== null) return maxDelta;
  return type === 'PUT' ? DEFAULT_PUT_MAX_DELTA : callDeltaBound(dte);
}

/**
 * The contracts worth selling, sorted by expiration then strike. A contract is
 * kept when it is of the requested type, expires on one of `expirations` (not
 * before today), is out of the money, has a bid and a delta, its annualized
 * return is at least `minAnnualizedReturn`, and its delta is within the limit:
 * |delta| ≤ maxDelta for puts; delta ≤ maxDelta, or `callDeltaBound(dte)`
 * without an override, for calls.
 */
export function selectContracts(input: SelectContractsInput): ScannedContract[] {
  const { quotes, underlyingPrice, type, todayNy, expirations } = input;
  assertPositive('underlyingPrice', underlyingPrice);
  const thresholds = input.thresholds ?? defaultThresholds(type);
  const wanted = new Set(expirations);
  const selected: ScannedContract[] = [];

  for (const quote of quotes) {
    if (quote.type !== type || !wanted.has(quote.expiration)) continue;
    const { bid, delta, strike } = quote;
    if (bid === null || delta === null) continue;
    if (!Number.isFinite(bid) || !Number.isFinite(delta) || !Number.isFinite(strike) || strike <= 0) continue;
    if (!isOutOfTheMoney(type, strike, underlyingPrice)) continue;

    const dte = daysToExpiration(todayNy, quote.expiration);
    if (dte < 0) continue; // already expired
    const annualized = annualizedReturn(bid, strike, dte);
    if (annualized < thresholds.minAnnualizedReturn) continue;

    const limit = deltaLimit(type, dte, thresholds.maxDelta);
    const withinDelta = type === 'PUT' ? Math.abs(delta) <= limit : delta <= limit;
    if (!withinDelta) continue;

    selected.push({
      ...quote,
      bid,
      delta,
      daysToExpiration: dte,
      annualizedReturn: annualized,
      percentChange: percentChange(underlyingPrice, strike),
      underlyingPrice,
    });
  }

  return selected.sort(
    (a, b) =>
      (a.expiration < b.expiration ? -1 : a.expiration > b.expiration ? 1 : 0) ||
      a.strike - b.strike ||
      (a.contractId < b.contractId ? -1 : a.contractId > b.contractId ? 1 : 0),
  );
}

/**
 * Checks scan arguments and returns one human-readable message per problem
 * (empty when all is well), for a BAD_USER_INPUT error. Fields left out
 * (undefined or null) are not checked: the defaults apply.
 */
export function validateScanInput(input: ScanCriteriaInput): string[] {
  return parseScanCriteria(input).problems;
}
