import { describe, expect, it } from 'vitest';

import type { ScreenedContract } from '../../src/domain/contract-filter.js';
import {
  CONTRACT_SORT_FIELDS,
  DEFAULT_SCREENER_ORDER,
  DEFAULT_TICKER_ORDER,
  orderContracts,
  orderNeeds,
  type ContractOrder,
  type ContractSortField,
} from '../../src/domain/contract-order.js';
import { screenedContract } from '../support/screened-contract.js';

const screened = (contractId: string, overrides: Partial<ScreenedContract> = {}): ScreenedContract =>
  screenedContract({ contractId, earningsDate: null, ...overrides });

const ids = (contracts: readonly ScreenedContract[]): string[] => contracts.map((contract) => contract.contractId);

/** Every order of the list: the result must not depend on the input's order. */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}

// One figure per field: three contracts with distinct values (a < b < c) and one without.
const byField: Record<ContractSortField, { figure: (value: number | null) => Partial<ScreenedContract>; values: [number, number, number]; nullable: boolean }> = {
  SCORE: { figure: (value) => ({ score: value }), values: [3.5, 9.1, 22.77], nullable: true },
  ANNUALIZED_RETURN: { figure: (value) => ({ annualizedReturn: value ?? 0 }), values: [12, 30.5, 61.2], nullable: false },
  PROBABILITY_OF_ASSIGNMENT: { figure: (value) => ({ probabilityOfAssignment: value }), values: [0.05, 0.1524, 0.2803], nullable: true },
  MARGIN_OF_SAFETY: { figure: (value) => ({ marginOfSafety: value }), values: [-17.25, 0, 21.83], nullable: true },
  OPEN_INTEREST: { figure: (value) => ({ openInterest: value }), values: [0, 45, 12_000], nullable: true },
  SPREAD_PERCENT: { figure: (value) => ({ spreadPercent: value }), values: [2.5, 8, 40], nullable: true },
  EXPIRATION: { figure: (value) => ({ expiration: `2026-05-${String(value).padStart(2, '0')}` }), values: [1, 8, 15], nullable: false },
  STRIKE: { figure: (value) => ({ strike: value ?? 0 }), values: [9.5, 90, 100], nullable: false },
};

describe('orderContracts', () => {
  describe.each(CONTRACT_SORT_FIELDS)('by %s', (field) => {
    const { figure, values, nullable } = byField[field];
    const contracts = [
      screened('b', figure(values[1])),
      ...(nullable ? [screened('none', figure(null))] : []),
      screened('c', figure(values[2])),
      screened('a', figure(values[0])),
    ];

    it('ascending: smallest first, a contract without the figure last', () => {
      expect(ids(orderContracts(contracts, { field, direction: 'ASC' }))).toEqual(nullable ? ['a', 'b', 'c', 'none'] : ['a', 'b', 'c']);
    });

    it('descending: largest first, a contract without the figure still last', () => {
      expect(ids(orderContracts(contracts, { field, direction: 'DESC' }))).toEqual(nullable ? ['c', 'b', 'a', 'none'] : ['c', 'b', 'a']);
    });
  });

  it('counts an open interest the provider did not give (undefined) as missing', () => {
    const contracts = [screened('unknown', { openInterest: undefined }), screened('some', { openInterest: 3 })];
    expect(ids(orderContracts(contracts, { field: 'OPEN_INTEREST', direction: 'ASC' }))).toEqual(['some', 'unknown']);
    expect(ids(orderContracts(contracts, { field: 'OPEN_INTEREST', direction: 'DESC' }))).toEqual(['some', 'unknown']);
  });

  it('breaks ties by symbol, expiration, strike, then contract id, ascending in either direction, whatever the input order', () => {
    const tied = [
      screened('AAA-2', { symbol: 'AAA', expiration: '2026-05-15', strike: 95 }),
      screened('AAA-1', { symbol: 'AAA', expiration: '2026-05-15', strike: 95 }),
      screened('AAA-strike-90', { symbol: 'AAA', expiration: '2026-05-15', strike: 90 }),
      screened('AAA-earlier', { symbol: 'AAA', expiration: '2026-05-08', strike: 100 }),
      screened('BBB', { symbol: 'BBB', expiration: '2026-05-01', strike: 10 }),
      screened('BBB-none', { symbol: 'BBB', score: null }),
      screened('AAA-none', { symbol: 'AAA', score: null }),
    ];
    const expected = ['AAA-earlier', 'AAA-strike-90', 'AAA-1', 'AAA-2', 'BBB', 'AAA-none', 'BBB-none'];
    for (const direction of ['ASC', 'DESC'] as const) {
      // Every 7th of the 5 040 input orders: each first element and each position is still met.
      for (const input of permutations(tied).filter((_, index) => index % 7 === 0)) {
        expect(ids(orderContracts(input, { field: 'SCORE', direction }))).toEqual(expected);
      }
    }
  });

  it('returns a sorted copy and leaves the input as it was', () => {
    const contracts = Object.freeze([screened('b', { score: 1 }), screened('a', { score: 2 })]);
    const sorted = orderContracts(contracts, DEFAULT_SCREENER_ORDER);
    expect(ids(sorted)).toEqual(['a', 'b']);
    expect(ids(contracts)).toEqual(['b', 'a']);
  });

  it('orders the screener by score, highest first, and a ticker by expiration then strike', () => {
    expect(DEFAULT_SCREENER_ORDER).toEqual({ field: 'SCORE', direction: 'DESC' });
    expect(DEFAULT_TICKER_ORDER).toEqual({ field: 'EXPIRATION', direction: 'ASC' });
    const options = [
      screened('may15-95', { expiration: '2026-05-15', strike: 95 }),
      screened('may08-97', { expiration: '2026-05-08', strike: 97 }),
      screened('may15-90', { expiration: '2026-05-15', strike: 90 }),
      screened('may08-92', { expiration: '2026-05-08', strike: 92 }),
    ];
    expect(ids(orderContracts(options, DEFAULT_TICKER_ORDER))).toEqual(['may08-92', 'may08-97', 'may15-90', 'may15-95']);
  });
});

describe('orderNeeds', () => {
  it('needs OVERVIEW (the dividend yield in the probability) for SCORE and PROBABILITY_OF_ASSIGNMENT, the valuation for MARGIN_OF_SAFETY', () => {
    const needs = (field: ContractSortField) => orderNeeds({ field, direction: 'DESC' } satisfies ContractOrder);
    expect(needs('SCORE')).toEqual({ overview: true, valuation: false });
    expect(needs('PROBABILITY_OF_ASSIGNMENT')).toEqual({ overview: true, valuation: false });
    expect(needs('MARGIN_OF_SAFETY')).toEqual({ overview: false, valuation: true });
    for (const field of ['ANNUALIZED_RETURN', 'OPEN_INTEREST', 'SPREAD_PERCENT', 'EXPIRATION', 'STRIKE'] as const) {
      expect(needs(field)).toEqual({ overview: false, valuation: false });
    }
  });
});
