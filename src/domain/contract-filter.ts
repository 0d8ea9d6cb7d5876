import { z } from 'zod';

import type { ContractFigures } from './option-metrics.js';
import type { ScannedContract } from './scan-rules.js';

/**
 * What a screener may keep, declared once: the types, the ranges, the validation messages and
 * the GraphQL descriptions of ContractFilter / ContractFilterValues all come from this schema.
 * The same filter decides what a scan keeps and narrows what a read returns.
 */

const show = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

/** A number field whose every refusal says the field's rule and what was given. */
const bounded = (rule: string, min: number, max: number, integer = false) => {
  let schema = z.number({ error: (issue) => `${rule} (got ${show(issue.input)}).` });
  if (integer) schema = schema.int();
  return schema.gte(min).lte(max);
};

const flag = (name: string) => z.boolean({ error: (issue) => `${name} must be true or false (got ${show(issue.input)}).` });

/** GraphQL's Int is 32-bit signed. */
const MAX_GRAPHQL_INT = 2_147_483_647;
export const COUNT_RANGE = { min: 0, max: MAX_GRAPHQL_INT } as const;
/** With 0 ≤ bid ≤ ask the spread is at most 200 % of the mid (a zero bid). */
export const SPREAD_PERCENT_RANGE = { min: 0, max: 200 } as const;
export const PROBABILITY_RANGE = { min: 0, max: 1 } as const;
/** At most 100 % (a breakeven of 0); below −1000 % means the strike is eleven times the value. */
export const MARGIN_OF_SAFETY_RANGE = { min: -1000, max: 100 } as const;

export const contractFilterSchema = z
  .object({
    minOpenInterest: bounded(`minOpenInterest must be a whole number of contracts, ${COUNT_RANGE.min} or more`, COUNT_RANGE.min, COUNT_RANGE.max, true)
      .nullable()
      .default(null)
      .describe('keep only contracts with at least this open interest'),
    minVolume: bounded(`minVolume must be a whole number of contracts, ${COUNT_RANGE.min} or more`, COUNT_RANGE.min, COUNT_RANGE.max, true)
      .nullable()
      .default(null)
      .describe("keep only contracts with at least this day's volume"),
    maxSpreadPercent: bounded(
      `maxSpreadPercent must be a percentage from ${SPREAD_PERCENT_RANGE.min} to ${SPREAD_PERCENT_RANGE.max}`,
      SPREAD_PERCENT_RANGE.min,
      SPREAD_PERCENT_RANGE.max,
    )
      .nullable()
      .default(null)
      .describe('keep only contracts whose spreadPercent is at most this'),
    maxProbabilityOfAssignment: bounded(
      `maxProbabilityOfAssignment must be a probability from ${PROBABILITY_RANGE.min} to ${PROBABILITY_RANGE.max}`,
      PROBABILITY_RANGE.min,
      PROBABILITY_RANGE.max,
    )
      .nullable()
      .default(null)
      .describe('keep only contracts whose probabilityOfAssignment is at most this (a decimal, e.g. 0.15)'),
    minMarginOfSafety: bounded(
      `minMarginOfSafety must be a percentage from ${MARGIN_OF_SAFETY_RANGE.min} to ${MARGIN_OF_SAFETY_RANGE.max}`,
      MARGIN_OF_SAFETY_RANGE.min,
      MARGIN_OF_SAFETY_RANGE.max,
    )
      .nullable()
      .default(null)
      .describe('keep only contracts whose marginOfSafety is at least this (puts with a positive intrinsic value)'),
    excludeEarnings: flag('excludeEarnings').default(false).describe('drop contracts with earningsBeforeExpiration true'),
    excludeExDividend: flag('excludeExDividend').default(false).describe('drop contracts with exDividendBeforeExpiration true'),
    belowIntrinsicValueOnly: flag('belowIntrinsicValueOnly').default(false).describe('keep only contracts with belowIntrinsicValue true'),
  })
  .describe('Every field is optional. A contract whose figure is null fails a filter on that figure.');

/** As a caller gives it: a field left out or null takes its default (no filter on it). */
export type ContractFilterInput = { [K in keyof z.input<typeof contractFilterSchema>]?: z.input<typeof contractFilterSchema>[K] | null };
export type ContractFilterValues = {
  minOpenInterest: number | null;
  minVolume: number | null;
  maxSpreadPercent: number | null;
  maxProbabilityOfAssignment: number | null;
  minMarginOfSafety: number | null;
  excludeEarnings: boolean;
  excludeExDividend: boolean;
  belowIntrinsicValueOnly: boolean;
};
export type ContractFilterField = keyof ContractFilterValues;

/** No filter: every kept contract passes. */
export const NO_CONTRACT_FILTER: Readonly<ContractFilterValues> = Object.freeze(contractFilterSchema.parse({}));

/** The schema's description of one field, for the GraphQL input and values types. */
export const contractFilterDescription = (name: ContractFilterField): string => contractFilterSchema.shape[name].description ?? '';

/**
 * The filter with defaults filled in, or one human-readable message per problem. With problems,
 * `values` is NO_CONTRACT_FILTER: callers refuse the request rather than run unfiltered.
 */
export function parseContractFilter(input: unknown): { values: ContractFilterValues; problems: string[] } {
  if (input === null || input === undefined) return { values: { ...NO_CONTRACT_FILTER }, problems: [] };
  if (typeof input !== 'object' || Array.isArray(input)) {
    return { values: { ...NO_CONTRACT_FILTER }, problems: [`filter must be an object (got ${Array.isArray(input) ? 'a list' : show(input)}).`] };
  }
  const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null && value !== undefined));
  const problems: string[] = [];
  const unknown = Object.keys(given).filter((key) => !Object.hasOwn(contractFilterSchema.shape, key));
  if (unknown.length > 0) {
    problems.push(`filter has no field ${unknown.map(show).join(', ')}; its fields are ${Object.keys(contractFilterSchema.shape).join(', ')}.`);
  }
  const result = contractFilterSchema.safeParse(given);
  if (!result.success) problems.push(...result.error.issues.map((issue) => issue.message));
  if (problems.length > 0 || !result.success) return { values: { ...NO_CONTRACT_FILTER }, problems };
  return { values: result.data, problems: [] };
}

/** A kept contract with every figure of the contract file. */
export type ScreenedContract = ScannedContract &
  ContractFigures & {
    symbol: string;
    earningsDate: string | null;
    earningsBeforeExpiration: boolean | null;
    exDividendDate: string | null;
    exDividendBeforeExpiration: boolean;
    belowIntrinsicValue: boolean | null;
  };

const atLeast = (figure: number | null | undefined, bound: number | null): boolean =>
  bound === null || (typeof figure === 'number' && figure >= bound);
const atMost = (figure: number | null | undefined, bound: number | null): boolean =>
  bound === null || (typeof figure === 'number' && figure <= bound);

/** Whether the contract passes every filter set; a null figure fails a filter on it. */
export function passesFilter(contract: ScreenedContract, filter: ContractFilterValues): boolean {
  return (
    atLeast(contract.openInterest, filter.minOpenInterest) &&
    atLeast(contract.volume, filter.minVolume) &&
    atMost(contract.spreadPercent, filter.maxSpreadPercent) &&
    atMost(contract.probabilityOfAssignment, filter.maxProbabilityOfAssignment) &&
    atLeast(contract.marginOfSafety, filter.minMarginOfSafety) &&
    // Not known (calendar not loaded) is not "no earnings": it fails as any null figure does.
    (!filter.excludeEarnings || contract.earningsBeforeExpiration === false) &&
    (!filter.excludeExDividend || !contract.exDividendBeforeExpiration) &&
    (!filter.belowIntrinsicValueOnly || contract.belowIntrinsicValue === true)
  );
}

/** what data a filter needs beyond the stored contract: OVERVIEW (q, ex-dividend), the valuation, the earnings calendar */
export function filterNeeds(filter: ContractFilterValues): { overview: boolean; valuation: boolean; earnings: boolean } {
  return {
    // The probability needs the dividend yield q; the ex-dividend date is OVERVIEW's too.
    overview: filter.maxProbabilityOfAssignment !== null || filter.excludeExDividend,
    valuation: filter.minMarginOfSafety !== null || filter.belowIntrinsicValueOnly,
    earnings: filter.excludeEarnings,
  };
}
