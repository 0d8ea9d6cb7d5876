import type { ValuationAssumptions } from './assumptions.js';
import type { StockValuationResult } from './valuation.js';

/** A valuation with no figures: what an answer gives for a stock it could not value yet, `notes` saying why. */
export function unvaluedStock(symbol: string, assumptions: ValuationAssumptions, notes: readonly string[]): StockValuationResult {
  return {
    symbol,
    assumptions: { ...assumptions },
    epsTtm: null,
    fcfTtm: null,
    sharesOutstanding: null,
    fcfPerShare: null,
    eps: null,
    fcf: null,
    notes: [...notes],
    preferredMethod: assumptions.preferredMethod,
    effectiveIntrinsicValue: null,
  };
}
