/**
 * Pure DCF valuation domain: EPS/FCF trailing-twelve-month figures from a
 * stock's typed fundamentals and the two DCF models of the original Django app
 * (wheel_analyzer scanner/valuation.py), reproduced to the cent.
 *
 * No I/O, no clock, no globals: every figure depends only on the arguments.
 */
import type { Decimal } from 'decimal.js';
import { HalfEvenDecimal as D, quantize } from './half-even.js';
import { validateAssumptions, type ValuationAssumptions, type ValuationMethod } from './assumptions.js';
import type { CashFlow, CompanyOverview, Earnings, Fundamentals, ReportedFigure } from './fundamentals.js';

const ZERO = new D(0);
const ONE = new D(1);
const HUNDRED = new D(100);

/** Python's `value.quantize(Decimal("0.01"))` under the default (half-even) context. */
function cents(value: Decimal): Decimal {
  return quantize(value, 2);
}

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

/** A figure that may be unavailable, with human-readable reasons. */
export interface ValueWithNotes {
  value: Decimal | null;
  notes: string[];
}

/** Full DCF working in Decimals, every figure as the original rounds it. */
export interface DiscountedCashFlow {
  method: ValuationMethod;
  startingValue: Decimal;
  projected: Decimal[];
  presentValues: Decimal[];
  sumOfPresentValues: Decimal;
  terminalValue: Decimal;
  presentValueOfTerminal: Decimal;
  intrinsicValue: Decimal;
}

/** DiscountedCashFlow as plain numbers, shaped like the GraphQL type. */
export interface DcfValuationResult {
  method: ValuationMethod;
  startingValue: number;
  projected: number[];
  presentValues: number[];
  sumOfPresentValues: number;
  terminalValue: number;
  presentValueOfTerminal: number;
  intrinsicValue: number;
}

export interface StockValuationInput extends Fundamentals {
  assumptions: ValuationAssumptions;
}

export interface StockValuationResult {
  symbol: string;
  assumptions: ValuationAssumptions;
  epsTtm: number | null;
  fcfTtm: number | null;
  sharesOutstanding: number | null;
  fcfPerShare: number | null;
  eps: DcfValuationResult | null;
  fcf: DcfValuationResult | null;
  notes: string[];
  preferredMethod: ValuationMethod;
  effectiveIntrinsicValue: number | null;
}


// ---------------------------------------------------------------------------
// Quarterly windows
// ---------------------------------------------------------------------------

/** Quarterly rows newest first; undated rows sort last so they are never "latest". */
function newestFirst<T extends { fiscalDateEnding: string | null }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => {
    const da = a.fiscalDateEnding;
    const db = b.fiscalDateEnding;
    if (da === db) return 0;
    if (da === null) return 1;
    if (db === null) return -1;
    return da < db ? 1 : -1;
  });
}

type LatestFour<T> = { ok: true; values: T[]; skipped: string[] } | { ok: false; reason: string };

/**
 * The four latest consecutive quarters with a usable value. Unusable rows at
 * the head (a not-yet-reported quarter) are skipped; an unusable row inside
 * the window fails, because skipping it would sum a period longer than 12 months.
 */
function latestFour<R extends { fiscalDateEnding: string | null }, T>(
  rows: readonly R[],
  read: (row: R) => T | null,
  field: string,
): LatestFour<T> {
  const sorted = newestFirst(rows);
  let start = 0;
  while (start < sorted.length && read(sorted[start]!) === null) start += 1;
  const skipped = sorted.slice(0, start).map((row) => row.fiscalDateEnding ?? 'undated');

  const window = sorted.slice(start, start + 4);
  const values: T[] = [];
  for (const row of window) {
    const value = read(row);
    if (value === null) {
      return { ok: false, reason: `quarter ending ${row.fiscalDateEnding ?? '(undated)'} has no usable ${field}` };
    }
    values.push(value);
  }
  if (values.length < 4) {
    const count = values.length === 0 ? 'no' : `only ${values.length}`;
    return { ok: false, reason: `${count} quarterly report${values.length === 1 ? '' : 's'} with ${field}` };
  }
  return { ok: true, values, skipped };
}

function skippedNote(label: string, field: string, skipped: string[]): string[] {
  if (skipped.length === 0) return [];
  return [`${label} skips ${skipped.length} newer quarter(s) without ${field}: ${skipped.join(', ')}`];
}

// ---------------------------------------------------------------------------
// Trailing-twelve-month figures
// ---------------------------------------------------------------------------

/**
 * EPS TTM = Σ reported EPS of the four latest quarters, rounded to cents like
 * the original. Falls back to the overview's EPS (also rounded to cents) as the
 * original's management command does.
 */
export function epsTtm(earnings: Earnings | null, overview: CompanyOverview | null): ValueWithNotes {
  let reason: string;
  if (earnings === null) {
    reason = 'EARNINGS data unavailable';
  } else {
    const four = latestFour(earnings.quarters, (row) => row.eps.value, 'reported EPS');
    if (four.ok) {
      const sum = four.values.reduce((acc, v) => acc.plus(v), ZERO);
      return { value: cents(sum), notes: skippedNote('EPS TTM', 'reported EPS', four.skipped) };
    }
    reason = four.reason;
  }

  if (overview === null) {
    return { value: null, notes: [`EPS TTM unavailable: ${reason}; OVERVIEW data unavailable`] };
  }
  if (overview.eps.value === null) {
    return { value: null, notes: [`EPS TTM unavailable: ${reason}; OVERVIEW EPS is ${overview.eps.reported}`] };
  }
  return { value: cents(overview.eps.value), notes: [`EPS TTM from OVERVIEW EPS: ${reason}`] };
}

/**
 * FCF TTM = Σ (operating cash flow − |capital expenditures|) over the four latest
 * quarters, rounded to cents. Providers report capex as a positive outflow;
 * abs() keeps a negatively signed capex from being added instead of subtracted.
 */
export function fcfTtm(cashFlow: CashFlow | null): ValueWithNotes {
  if (cashFlow === null) {
    return { value: null, notes: ['FCF TTM unavailable: CASH_FLOW data unavailable'] };
  }
  const four = latestFour(
    cashFlow.quarters,
    (row) => (row.operatingCashFlow.value === null ? null : { row, operating: row.operatingCashFlow.value }),
    'operating cash flow',
  );
  if (!four.ok) return { value: null, notes: [`FCF TTM unavailable: ${four.reason}`] };

  const notes = skippedNote('FCF TTM', 'operating cash flow', four.skipped);
  let sum = ZERO;
  for (const { row, operating } of four.values) {
    const capex = row.capitalExpenditures.value;
    // Companies that don't break out capex (e.g. banks) report "None": count it as no capex, but say so.
    if (capex === null) {
      notes.push(`FCF TTM treats capital expenditures ${row.capitalExpenditures.reported} as 0 for quarter ending ${row.fiscalDateEnding ?? '(undated)'}`);
    }
    sum = sum.plus(operating.minus(capex === null ? ZERO : capex.abs()));
  }
  return { value: cents(sum), notes };
}

/** FCF TTM / shares outstanding, rounded to cents. */
export function fcfPerShare(fcfTtmValue: Decimal, sharesOutstanding: ReportedFigure): ValueWithNotes {
  const shares = sharesOutstanding.value;
  if (shares === null) {
    return { value: null, notes: [`FCF per share unavailable: shares outstanding is ${sharesOutstanding.reported}`] };
  }
  if (shares.lte(0)) {
    return { value: null, notes: [`FCF per share unavailable: shares outstanding is ${shares.toString()}, not positive`] };
  }
  return { value: cents(new D(fcfTtmValue).div(shares)), notes: [] };
}

// ---------------------------------------------------------------------------
// DCF model
// ---------------------------------------------------------------------------

function finiteDecimal(name: string, value: Decimal.Value): Decimal {
  let d: Decimal | null;
  try {
    d = new D(value);
  } catch {
    d = null;
  }
  if (d === null || !d.isFinite()) throw new RangeError(`${name} must be a finite number`);
  return d;
}

/**
 * The original's calculate_intrinsic_value / calculate_intrinsic_value_fcf
 * (identical algorithms), rounding exactly where it rounds:
 *   projected[i]  = cents(start × (1+g)^i)     — compounded from the unrounded start
 *   terminal      = cents(projected[n] × multiple)
 *   pv[i]         = cents(projected[i] / (1+r)^i)
 *   sum           = Σ pv                       — not re-rounded
 *   pvTerminal    = cents(terminal / (1+r)^n)
 *   intrinsic     = cents(sum + pvTerminal)
 *
 * Throws RangeError on inputs the original rejects (start ≤ 0, years < 1);
 * valueStock never passes such inputs.
 */
export function discountedCashFlow(
  method: ValuationMethod,
  startingValue: Decimal.Value,
  growthRate: Decimal.Value,
  multiple: Decimal.Value,
  desiredReturn: Decimal.Value,
  years: number,
): DiscountedCashFlow {
  const start = finiteDecimal('startingValue', startingValue);
  const growth = ONE.plus(finiteDecimal('growthRate', growthRate).div(HUNDRED));
  const terminalMultiple = finiteDecimal('multiple', multiple);
  const discount = ONE.plus(finiteDecimal('desiredReturn', desiredReturn).div(HUNDRED));
  if (start.lte(0)) throw new RangeError(`${method} starting value must be greater than 0`);
  if (!Number.isInteger(years) || years < 1) throw new RangeError('projection years must be an integer of at least 1');
  if (discount.lte(0)) throw new RangeError('desiredReturn must be greater than -100');

  const projected: Decimal[] = [];
  const presentValues: Decimal[] = [];
  for (let year = 1; year <= years; year += 1) {
    const value = cents(start.times(growth.pow(year)));
    projected.push(value);
    presentValues.push(cents(value.div(discount.pow(year))));
  }
  const terminalValue = cents(projected[projected.length - 1]!.times(terminalMultiple));
  const sumOfPresentValues = presentValues.reduce((acc, v) => acc.plus(v), ZERO);
  const presentValueOfTerminal = cents(terminalValue.div(discount.pow(years)));
  const intrinsicValue = cents(sumOfPresentValues.plus(presentValueOfTerminal));

  return {
    method,
    startingValue: start,
    projected,
    presentValues,
    sumOfPresentValues,
    terminalValue,
    presentValueOfTerminal,
    intrinsicValue,
  };
}

const toNumber = (value: Decimal): number => cents(value).toNumber();

export function toDcfValuationResult(dcf: DiscountedCashFlow): DcfValuationResult {
  return {
    method: dcf.method,
    startingValue: toNumber(dcf.startingValue),
    projected: dcf.projected.map(toNumber),
    presentValues: dcf.presentValues.map(toNumber),
    sumOfPresentValues: toNumber(dcf.sumOfPresentValues),
    terminalValue: toNumber(dcf.terminalValue),
    presentValueOfTerminal: toNumber(dcf.presentValueOfTerminal),
    intrinsicValue: toNumber(dcf.intrinsicValue),
  };
}

// ---------------------------------------------------------------------------
// Whole-stock valuation
// ---------------------------------------------------------------------------

/**
 * Values one stock with both models. Missing or malformed data never throws:
 * the affected model is null and `notes` says why. The preferred model's
 * intrinsic value is the effective one; there is deliberately no fallback to
 * the other model, so a consumer never mistakes an FCF value for an EPS one.
 */
export function valueStock(input: StockValuationInput): StockValuationResult {
  const { symbol, earnings, overview, cashFlow } = input;
  const assumptions = { ...input.assumptions };
  const notes: string[] = [];

  const assumptionErrors = validateAssumptions(assumptions);
  const modelsAllowed = assumptionErrors.length === 0;
  if (!modelsAllowed) notes.push(`Models skipped: invalid assumptions (${assumptionErrors.join('; ')})`);

  // EPS model
  const eps = epsTtm(earnings, overview);
  notes.push(...eps.notes);
  let epsModel: DiscountedCashFlow | null = null;
  if (eps.value === null) {
    notes.push('EPS model skipped: EPS TTM unavailable');
  } else if (eps.value.lte(0)) {
    notes.push(`EPS model skipped: EPS TTM is ${eps.value.toFixed(2)}, not positive`);
  } else if (modelsAllowed) {
    epsModel = discountedCashFlow(
      'EPS',
      eps.value,
      assumptions.epsGrowthRate,
      assumptions.epsMultiple,
      assumptions.desiredReturn,
      assumptions.projectionYears,
    );
  }

  // FCF model
  const fcf = fcfTtm(cashFlow);
  notes.push(...fcf.notes);
  const shares = overview?.sharesOutstanding.value ?? null;
  let perShare: Decimal | null = null;
  let fcfModel: DiscountedCashFlow | null = null;
  if (fcf.value === null) {
    notes.push('FCF model skipped: FCF TTM unavailable');
  } else {
    const perShareResult: ValueWithNotes = overview
      ? fcfPerShare(fcf.value, overview.sharesOutstanding)
      : { value: null, notes: ['FCF per share unavailable: OVERVIEW data unavailable'] };
    notes.push(...perShareResult.notes);
    perShare = perShareResult.value;
    if (perShare === null) {
      notes.push('FCF model skipped: FCF per share unavailable');
    } else if (perShare.lte(0)) {
      notes.push(`FCF model skipped: FCF per share is ${perShare.toFixed(2)}, not positive`);
    } else if (modelsAllowed) {
      fcfModel = discountedCashFlow(
        'FCF',
        perShare,
        assumptions.fcfGrowthRate,
        assumptions.fcfMultiple,
        assumptions.desiredReturn,
        assumptions.projectionYears,
      );
    }
  }

  const preferredMethod = assumptions.preferredMethod;
  const preferred = preferredMethod === 'FCF' ? fcfModel : epsModel;
  const other = preferredMethod === 'FCF' ? epsModel : fcfModel;
  if (preferred === null) {
    const alternative = other === null ? '' : ` (${other.method} intrinsic value ${other.intrinsicValue.toFixed(2)} is available)`;
    notes.push(`No effective intrinsic value: preferred ${preferredMethod} model could not run${alternative}`);
  }

  return {
    symbol,
    assumptions,
    epsTtm: eps.value === null ? null : toNumber(eps.value),
    fcfTtm: fcf.value === null ? null : toNumber(fcf.value),
    sharesOutstanding: shares === null ? null : shares.toNumber(),
    fcfPerShare: perShare === null ? null : toNumber(perShare),
    eps: epsModel === null ? null : toDcfValuationResult(epsModel),
    fcf: fcfModel === null ? null : toDcfValuationResult(fcfModel),
    notes,
    preferredMethod,
    effectiveIntrinsicValue: preferred === null ? null : toNumber(preferred.intrinsicValue),
  };
}
