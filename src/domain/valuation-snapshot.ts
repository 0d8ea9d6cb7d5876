/**
 * One stock's valuation as recorded for a quarter's first day: both models'
 * intrinsic values, the figures they started from and the assumptions they ran
 * with, so a later reader sees what was known then, not what is known now.
 */
import type { ValuationAssumptions, ValuationMethod } from './assumptions.js';
import { parseQuarterStart } from './quarter-dates.js';
import type { StockValuationResult } from './valuation.js';

export interface ValuationSnapshot {
  symbol: string;
  /** 'YYYY-MM-DD', a quarter's first day */
  date: string;
  epsTtm: number | null;
  fcfPerShare: number | null;
  epsIntrinsicValue: number | null;
  fcfIntrinsicValue: number | null;
  effectiveIntrinsicValue: number | null;
  preferredMethod: ValuationMethod;
  assumptions: ValuationAssumptions;
  recordedAt: Date;
}

/**
 * The snapshot of a valuation for `date`, recorded at `recordedAt`. The figures
 * are the valuation's own (already rounded to cents); a model that could not run
 * leaves its intrinsic value null. A date that is not a quarter's first day is a
 * caller's bug (input is checked before valuing), hence a RangeError.
 */
export function valuationSnapshot(valuation: StockValuationResult, date: string, recordedAt: Date): ValuationSnapshot {
  const parsed = parseQuarterStart(date);
  if (parsed.problem !== null) throw new RangeError(parsed.problem);
  if (!(recordedAt instanceof Date) || Number.isNaN(recordedAt.getTime())) throw new RangeError('recordedAt must be a valid Date');
  return {
    symbol: valuation.symbol,
    date: parsed.date,
    epsTtm: valuation.epsTtm,
    fcfPerShare: valuation.fcfPerShare,
    epsIntrinsicValue: valuation.eps?.intrinsicValue ?? null,
    fcfIntrinsicValue: valuation.fcf?.intrinsicValue ?? null,
    effectiveIntrinsicValue: valuation.effectiveIntrinsicValue,
    preferredMethod: valuation.preferredMethod,
    // A copy: the snapshot must not change if the caller later edits the valuation's object.
    assumptions: { ...valuation.assumptions },
    recordedAt: new Date(recordedAt.getTime()),
  };
}
