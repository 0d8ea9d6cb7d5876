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

/**
 * The warm read of an index scan's results (rows 9-10) until the screener surface (issue 12's
 * orderBy, first, ScanResults.contracts) is there: every ticker's contracts, two fields each.
 */
export const INDEX_RESULTS = `query IndexResults {
  scanResults { tickers { symbol options { contractId annualizedReturn } } }
}`;

/** The warm read the issue names: the 50 best contracts by score, over every ticker of the scan. */
export const SCREENER_TOP = `query ScreenerTop {
  scanResults(first: 50, orderBy: { field: SCORE, direction: DESC }) {
    riskFreeRate
    contracts { contractId annualizedReturn probabilityOfAssignment score }
  }
}`;
