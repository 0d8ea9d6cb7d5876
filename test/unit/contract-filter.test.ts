import { describe, expect, it } from 'vitest';

import {
  contractFilterDescription,
  contractFilterSchema,
  filterNeeds,
  NO_CONTRACT_FILTER,
  parseContractFilter,
  passesFilter,
  type ContractFilterValues,
} from '../../src/domain/contract-filter.js';
import { screenedContract as screened } from '../support/screened-contract.js';

const only = (values: Partial<ContractFilterValues>): ContractFilterValues => ({ ...NO_CONTRACT_FILTER, ...values });

describe('parseContractFilter', () => {
  it('gives no filter for nothing, an empty object or all nulls', () => {
    const none: ContractFilterValues = {
      minOpenInterest: null,
      minVolume: null,
      maxSpreadPercent: null,
      maxProbabilityOfAssignment: null,
      minMarginOfSafety: null,
      excludeEarnings: false,
      excludeExDividend: false,
      belowIntrinsicValueOnly: false,
    };
    expect(parseContractFilter(undefined)).toEqual({ values: none, problems: [] });
    expect(parseContractFilter(null)).toEqual({ values: none, problems: [] });
    expect(parseContractFilter({})).toEqual({ values: none, problems: [] });
    expect(parseContractFilter(Object.fromEntries(Object.keys(none).map((key) => [key, null])))).toEqual({ values: none, problems: [] });
  });

  it('keeps what was given', () => {
    expect(parseContractFilter({ minOpenInterest: 100, maxSpreadPercent: 10, excludeEarnings: true }).values).toEqual(
      only({ minOpenInterest: 100, maxSpreadPercent: 10, excludeEarnings: true }),
    );
  });

  it('says what is wrong with each field, and what was given', () => {
    const { problems, values } = parseContractFilter({
      minOpenInterest: -1,
      minVolume: 2.5,
      maxSpreadPercent: 250,
      maxProbabilityOfAssignment: 1.5,
      minMarginOfSafety: 'a lot',
      excludeEarnings: 'yes',
    });
    expect(problems).toEqual([
      'minOpenInterest must be a whole number of contracts, 0 or more (got -1).',
      'minVolume must be a whole number of contracts, 0 or more (got 2.5).',
      'maxSpreadPercent must be a percentage from 0 to 200 (got 250).',
      'maxProbabilityOfAssignment must be a probability from 0 to 1 (got 1.5).',
      'minMarginOfSafety must be a percentage from -1000 to 100 (got "a lot").',
      'excludeEarnings must be true or false (got "yes").',
    ]);
    expect(parseContractFilter({ minVolume: Number.POSITIVE_INFINITY, maxSpreadPercent: Number.NaN }).problems).toEqual([
      'minVolume must be a whole number of contracts, 0 or more (got Infinity).',
      'maxSpreadPercent must be a percentage from 0 to 200 (got NaN).',
    ]);
    // Never a half-applied filter: the caller refuses on problems.
    expect(values).toEqual(NO_CONTRACT_FILTER);
  });

  it('refuses a field it does not know and a filter that is not an object', () => {
    expect(parseContractFilter({ minOpenInterst: 10 })).toEqual({
      values: NO_CONTRACT_FILTER,
      problems: [
        'filter has no field "minOpenInterst"; its fields are minOpenInterest, minVolume, maxSpreadPercent, maxProbabilityOfAssignment, minMarginOfSafety, excludeEarnings, excludeExDividend, belowIntrinsicValueOnly.',
      ],
    });
    expect(parseContractFilter('tight').problems).toEqual(['filter must be an object (got "tight").']);
    expect(parseContractFilter([1]).problems).toEqual(['filter must be an object (got a list).']);
  });

  it('describes the fields as the contract does', () => {
    expect(contractFilterSchema.description).toBe('Every field is optional. A contract whose figure is null fails a filter on that figure.');
    expect(contractFilterDescription('excludeEarnings')).toBe('drop contracts with earningsBeforeExpiration true');
    expect(contractFilterDescription('excludeExDividend')).toBe('drop contracts with exDividendBeforeExpiration true');
    expect(contractFilterDescription('belowIntrinsicValueOnly')).toBe('keep only contracts with belowIntrinsicValue true');
    for (const field of Object.keys(NO_CONTRACT_FILTER) as (keyof ContractFilterValues)[]) {
      expect(contractFilterDescription(field)).not.toBe('');
    }
  });
});

describe('passesFilter', () => {
  it('lets every contract through no filter, even one without any optional figure', () => {
    const bare = screened({
      ask: null,
      openInterest: null,
      volume: undefined,
      mid: null,
      spreadPercent: null,
      probabilityOfAssignment: null,
      marginOfSafety: null,
      earningsBeforeExpiration: null,
      belowIntrinsicValue: null,
    });
    expect(passesFilter(bare, NO_CONTRACT_FILTER)).toBe(true);
  });

  it.each([
    ['minOpenInterest', { minOpenInterest: 500 }, { openInterest: 500 }, { openInterest: 499 }, { openInterest: null }],
    ['minVolume', { minVolume: 40 }, { volume: 40 }, { volume: 39 }, { volume: undefined }],
    ['maxSpreadPercent', { maxSpreadPercent: 8 }, { spreadPercent: 8 }, { spreadPercent: 8.01 }, { spreadPercent: null }],
    [
      'maxProbabilityOfAssignment',
      { maxProbabilityOfAssignment: 0.2803 },
      { probabilityOfAssignment: 0.2803 },
      { probabilityOfAssignment: 0.2804 },
      { probabilityOfAssignment: null },
    ],
    ['minMarginOfSafety', { minMarginOfSafety: 21.83 }, { marginOfSafety: 21.83 }, { marginOfSafety: 21.82 }, { marginOfSafety: null }],
  ] as const)('%s keeps a contract at the bound, drops one beyond it, and drops one whose figure is null', (_name, filter, atBound, beyond, withoutFigure) => {
    expect(passesFilter(screened(atBound), only(filter))).toBe(true);
    expect(passesFilter(screened(beyond), only(filter))).toBe(false);
    expect(passesFilter(screened(withoutFigure), only(filter))).toBe(false);
  });

  it('excludeEarnings drops an earnings report before expiration, and an unknown one (calendar not loaded)', () => {
    const filter = only({ excludeEarnings: true });
    expect(passesFilter(screened({ earningsBeforeExpiration: false }), filter)).toBe(true);
    expect(passesFilter(screened({ earningsBeforeExpiration: true }), filter)).toBe(false);
    expect(passesFilter(screened({ earningsBeforeExpiration: null }), filter)).toBe(false);
    expect(passesFilter(screened({ earningsBeforeExpiration: true }), NO_CONTRACT_FILTER)).toBe(true);
  });

  it('excludeExDividend drops an ex-dividend date before expiration', () => {
    const filter = only({ excludeExDividend: true });
    expect(passesFilter(screened({ exDividendBeforeExpiration: false }), filter)).toBe(true);
    expect(passesFilter(screened({ exDividendDate: '2026-05-01', exDividendBeforeExpiration: true }), filter)).toBe(false);
    expect(passesFilter(screened({ exDividendBeforeExpiration: true }), NO_CONTRACT_FILTER)).toBe(true);
  });

  it('belowIntrinsicValueOnly keeps only strikes known to be below the intrinsic value', () => {
    const filter = only({ belowIntrinsicValueOnly: true });
    expect(passesFilter(screened({ belowIntrinsicValue: true }), filter)).toBe(true);
    expect(passesFilter(screened({ belowIntrinsicValue: false }), filter)).toBe(false);
    expect(passesFilter(screened({ belowIntrinsicValue: null }), filter)).toBe(false);
  });

  it('needs every filter set to pass', () => {
    const filter = only({ minOpenInterest: 100, maxSpreadPercent: 10, excludeEarnings: true });
    expect(passesFilter(screened(), filter)).toBe(true);
    expect(passesFilter(screened({ spreadPercent: 12 }), filter)).toBe(false);
    expect(passesFilter(screened({ earningsBeforeExpiration: true }), filter)).toBe(false);
  });
});

describe('filterNeeds', () => {
  it('needs nothing beyond the stored contract for no filter or the liquidity filters', () => {
    const nothing = { overview: false, valuation: false, earnings: false };
    expect(filterNeeds(NO_CONTRACT_FILTER)).toEqual(nothing);
    expect(filterNeeds(only({ minOpenInterest: 1, minVolume: 1, maxSpreadPercent: 5 }))).toEqual(nothing);
  });

  it('needs OVERVIEW for the probability (its dividend yield) and the ex-dividend date', () => {
    expect(filterNeeds(only({ maxProbabilityOfAssignment: 0.2 }))).toEqual({ overview: true, valuation: false, earnings: false });
    expect(filterNeeds(only({ excludeExDividend: true }))).toEqual({ overview: true, valuation: false, earnings: false });
  });

  it('needs the valuation for the margin of safety and belowIntrinsicValue', () => {
    expect(filterNeeds(only({ minMarginOfSafety: 10 }))).toEqual({ overview: false, valuation: true, earnings: false });
    expect(filterNeeds(only({ belowIntrinsicValueOnly: true }))).toEqual({ overview: false, valuation: true, earnings: false });
  });

  it('needs the earnings calendar to exclude earnings', () => {
    expect(filterNeeds(only({ excludeEarnings: true }))).toEqual({ overview: false, valuation: false, earnings: true });
  });
});
