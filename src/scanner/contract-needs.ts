import { filterNeeds, type ContractFilterValues } from '../domain/contract-filter.js';
import { orderNeeds, type ContractOrder } from '../domain/contract-order.js';

/**
 * What a screener answer needs beyond the stored contracts: OVERVIEW (the dividend yield for
 * the probabilities, the ex-dividend date), the valuation (EARNINGS, OVERVIEW, CASH_FLOW: the
 * intrinsic value) or the earnings calendar. Nothing is loaded that nothing needs.
 */
export interface ContractNeeds {
  overview: boolean;
  valuation: boolean;
  earnings: boolean;
}

export const NO_NEEDS: Readonly<ContractNeeds> = Object.freeze({ overview: false, valuation: false, earnings: false });

/**
 * The OptionContract fields that need more than the stored contract, one home for the
 * resolvers (what to load) and the upstream-cost estimate (what it may cost). Every other
 * field (bid, ask, spread, premium, expectedMove…) is computed from the stored contract.
 */
export const CONTRACT_FIELD_NEEDS: Readonly<Record<string, Partial<ContractNeeds>>> = {
  probabilityOfAssignment: { overview: true },
  probabilityOfProfit: { overview: true },
  score: { overview: true },
  exDividendDate: { overview: true },
  exDividendBeforeExpiration: { overview: true },
  marginOfSafety: { valuation: true },
  belowIntrinsicValue: { valuation: true },
  earningsDate: { earnings: true },
  earningsBeforeExpiration: { earnings: true },
};

export function combineNeeds(...needs: ReadonlyArray<Partial<ContractNeeds>>): ContractNeeds {
  return {
    overview: needs.some((need) => need.overview === true),
    valuation: needs.some((need) => need.valuation === true),
    earnings: needs.some((need) => need.earnings === true),
  };
}

export function fieldNeeds(fields: Iterable<string>): ContractNeeds {
  return combineNeeds(...[...fields].map((field) => CONTRACT_FIELD_NEEDS[field] ?? {}));
}

/** A filter's and an order's needs, as the domain declares them. */
export function filterAndOrderNeeds(filter: ContractFilterValues, orders: readonly ContractOrder[]): ContractNeeds {
  return combineNeeds(filterNeeds(filter), ...orders.map(orderNeeds));
}

export const needsAnything = (needs: ContractNeeds): boolean => needs.overview || needs.valuation || needs.earnings;
