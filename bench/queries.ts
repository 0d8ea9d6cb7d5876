/** The GraphQL documents the bench sends; the baseline answers the same JSON for each. */

/** The fragments of test/operations/valuation.graphql: every field of a valuation. */
export const INTRINSIC_VALUES = `fragment DcfFields on DcfValuation {
  method startingValue projected presentValues sumOfPresentValues terminalValue presentValueOfTerminal intrinsicValue
}
fragment IntrinsicValueFields on IntrinsicValue {
  symbol
  assumptions { epsGrowthRate epsMultiple fcfGrowthRate fcfMultiple desiredReturn projectionYears preferredMethod }
  epsTtm fcfTtm sharesOutstanding fcfPerShare
  eps { ...DcfFields }
  fcf { ...DcfFields }
  notes preferredMethod effectiveIntrinsicValue
}
query IntrinsicValues($symbols: [String!]!, $assumptions: ValuationAssumptionsInput) {
  intrinsicValues(symbols: $symbols, assumptions: $assumptions) { ...IntrinsicValueFields }
}`;

export const INTRINSIC_VALUE = `query IntrinsicValue($symbol: String!) {
  intrinsicValue(symbol: $symbol) { symbol epsTtm fcfPerShare effectiveIntrinsicValue notes }
}`;

export { SCAN_RESULTS, SCAN_STATUS, START_SCAN } from '../test/support/scan-operations.js';

/**
 * Puts over the next 4 weekly expirations, thresholds loosened from the defaults (30 %, 0.20)
 * so that most of the 26 tickers keep contracts: on the fake's data, 24 of 26 tickers and
 * about 150 contracts.
 */
export const SCAN_INPUT = { optionType: 'PUT', weeks: 4, minAnnualizedReturn: 20, maxDelta: 0.25 } as const;
