import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../src/deep-freeze.js';
import { DEFAULT_ASSUMPTIONS } from '../../src/domain/assumptions.js';
import { valueStock, type StockValuationInput } from '../../src/domain/valuation.js';
import { ValuationMemo } from '../../src/loaders/valuation-memo.js';
import { classifyAnswer } from '../../src/providers/alpha-vantage/answer-classifier.js';
import { parseCashFlow, parseEarnings, parseOverview } from '../../src/providers/alpha-vantage/fundamentals.parser.js';
import { cashFlowBody, earningsBody, overviewBody } from '../support/alpha-vantage-data.js';

/** Fresh bodies, read as the service reads them: each call gives new (frozen) objects. */
function inputFor(symbol: string): StockValuationInput {
  return deepFreeze({
    symbol,
    earnings: parseEarnings(classifyAnswer({ fn: 'EARNINGS', symbol }, deepFreeze(earningsBody(symbol)))),
    overview: parseOverview(classifyAnswer({ fn: 'OVERVIEW', symbol }, deepFreeze(overviewBody(symbol)))),
    cashFlow: parseCashFlow(classifyAnswer({ fn: 'CASH_FLOW', symbol }, deepFreeze(cashFlowBody(symbol)))),
    assumptions: { ...DEFAULT_ASSUMPTIONS },
  });
}

describe('ValuationMemo', () => {
  it('gives valueStock’s figures, computed once for the same fundamentals objects and assumptions', () => {
    const memo = new ValuationMemo();
    const input = inputFor('MSFT');
    const first = memo.valueStock(input);
    expect(first).toEqual(valueStock(input));
    expect(first.effectiveIntrinsicValue).not.toBeNull();
    expect(memo.valueStock({ ...input, assumptions: { ...DEFAULT_ASSUMPTIONS } })).toBe(first);
    expect(Object.isFrozen(first.eps)).toBe(true);
  });

  it('computes anew for other assumptions, another symbol or other fundamentals objects', () => {
    const memo = new ValuationMemo();
    const input = inputFor('NVDA');
    const first = memo.valueStock(input);
    const otherAssumptions = { ...input, assumptions: { ...DEFAULT_ASSUMPTIONS, epsGrowthRate: 25 } };
    expect(memo.valueStock(otherAssumptions)).toEqual(valueStock(otherAssumptions));
    expect(memo.valueStock(otherAssumptions).effectiveIntrinsicValue).not.toBe(first.effectiveIntrinsicValue);
    expect(memo.valueStock({ ...input, symbol: 'NVDX' })).not.toBe(first);
    const reparsed = inputFor('NVDA'); // equal bodies, new objects: an entry that was written again, parsed anew
    expect(memo.valueStock(reparsed)).not.toBe(first);
    expect(memo.valueStock(reparsed)).toEqual(first);
  });

  it('values stocks with missing bodies, and keeps at most 8 assumption sets per bodies', () => {
    const memo = new ValuationMemo();
    const input = { ...inputFor('AAPL'), cashFlow: null };
    expect(memo.valueStock(input)).toEqual(valueStock(input));
    expect(memo.valueStock(input)).toBe(memo.valueStock(input));
    const first = memo.valueStock(input);
    for (let growth = 1; growth <= 8; growth += 1) memo.valueStock({ ...input, assumptions: { ...DEFAULT_ASSUMPTIONS, epsGrowthRate: growth } });
    expect(memo.valueStock(input)).not.toBe(first); // the oldest set went
    expect(memo.valueStock(input)).toEqual(first);
  });
});
