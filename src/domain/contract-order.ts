/**
 * The screener's orders. Pure: a sorted copy, never the input reordered. Whatever the
 * direction, contracts without the figure come last, and ties fall to symbol, expiration,
 * strike and contract id (ascending), so equal figures always list the same way.
 */
import type { ScreenedContract } from './contract-filter.js';

export type ContractSortField =
  | 'SCORE'
  | 'ANNUALIZED_RETURN'
  | 'PROBABILITY_OF_ASSIGNMENT'
  | 'MARGIN_OF_SAFETY'
  | 'OPEN_INTEREST'
  | 'SPREAD_PERCENT'
  | 'EXPIRATION'
  | 'STRIKE';
export type SortDirection = 'ASC' | 'DESC';
export interface ContractOrder {
  field: ContractSortField;
  direction: SortDirection;
}

export const CONTRACT_SORT_FIELDS: readonly ContractSortField[] = Object.freeze([
  'SCORE',
  'ANNUALIZED_RETURN',
  'PROBABILITY_OF_ASSIGNMENT',
  'MARGIN_OF_SAFETY',
  'OPEN_INTEREST',
  'SPREAD_PERCENT',
  'EXPIRATION',
  'STRIKE',
]);

/** ScanResults.contracts: the best score first. */
export const DEFAULT_SCREENER_ORDER: ContractOrder = Object.freeze({ field: 'SCORE', direction: 'DESC' });
/** TickerScanResult.options: the nearest expiration first, then strike (the tie-break). */
export const DEFAULT_TICKER_ORDER: ContractOrder = Object.freeze({ field: 'EXPIRATION', direction: 'ASC' });

type SortKey = number | string | null;

const sortKey: Record<ContractSortField, (contract: ScreenedContract) => SortKey> = {
  SCORE: (contract) => contract.score,
  ANNUALIZED_RETURN: (contract) => contract.annualizedReturn,
  PROBABILITY_OF_ASSIGNMENT: (contract) => contract.probabilityOfAssignment,
  MARGIN_OF_SAFETY: (contract) => contract.marginOfSafety,
  OPEN_INTEREST: (contract) => contract.openInterest ?? null,
  SPREAD_PERCENT: (contract) => contract.spreadPercent,
  EXPIRATION: (contract) => contract.expiration,
  STRIKE: (contract) => contract.strike,
};

const compareKeys = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

/** A key that is not a real figure (null, undefined, NaN) sorts as missing. */
const present = (key: SortKey | undefined): key is string | number => key !== null && key !== undefined && key === key;

function compareTies(a: ScreenedContract, b: ScreenedContract): number {
  return (
    compareKeys(a.symbol, b.symbol) ||
    compareKeys(a.expiration, b.expiration) ||
    compareKeys(a.strike, b.strike) ||
    compareKeys(a.contractId, b.contractId)
  );
}

/** nulls last in either direction; ties by symbol, expiration, strike, contractId: deterministic */
export function orderContracts<T extends ScreenedContract>(contracts: readonly T[], order: ContractOrder): T[] {
  const key = sortKey[order.field];
  const sign = order.direction === 'DESC' ? -1 : 1;
  const keyed = contracts.map((contract) => ({ contract, key: key(contract) }));
  keyed.sort((a, b) => {
    const aPresent = present(a.key);
    const bPresent = present(b.key);
    if (aPresent && bPresent) return sign * compareKeys(a.key as string | number, b.key as string | number) || compareTies(a.contract, b.contract);
    if (aPresent !== bPresent) return aPresent ? -1 : 1;
    return compareTies(a.contract, b.contract);
  });
  return keyed.map(({ contract }) => contract);
}

/** what data an order needs beyond the stored contract: OVERVIEW (q for the probability), the valuation */
export function orderNeeds(order: ContractOrder): { overview: boolean; valuation: boolean } {
  return {
    overview: order.field === 'SCORE' || order.field === 'PROBABILITY_OF_ASSIGNMENT',
    valuation: order.field === 'MARGIN_OF_SAFETY',
  };
}
