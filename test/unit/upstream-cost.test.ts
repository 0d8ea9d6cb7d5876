import 'reflect-metadata';
import {
  getNamedType,
  getVariableValues,
  isObjectType,
  parse,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGraphQLSchema } from '../../src/graphql/schema.js';
import { upstreamCost, valuationDemand, VALUING_FIELDS, type DemandOptions, type Pricing, type StoreLists } from '../../src/server/upstream-cost.js';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildGraphQLSchema();
});

/** The worst-case cost of a document, its variables coerced as Apollo coerces them. */
function costOf(source: string, variables: Record<string, unknown> = {}, lists: StoreLists = {}, options: DemandOptions & Partial<Pricing> = {}): number {
  const document = parse(source);
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition')!;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (!coerced.coerced) throw new Error(coerced.errors.map((error) => error.message).join('; '));
  return upstreamCost(valuationDemand(schema, document, operation, coerced.coerced, options), lists, { bulkQuotes: options.bulkQuotes ?? false });
}

const symbols = (count: number, prefix = 'S') => Array.from({ length: count }, (_, i) => `${prefix}${i}`);
const list = (items: readonly string[]) => `[${items.map((item) => JSON.stringify(item)).join(', ')}]`;

describe('the worst-case upstream cost of an operation', () => {
  it('counts the amplification query: 30 aliases of 100 different symbols each are 30 × 100 × 3 calls', () => {
    const aliases = Array.from({ length: 30 }, (_, a) => `a${a}: intrinsicValues(symbols: ${list(symbols(100, `A${a}X`))}) { symbol }`);
    expect(costOf(`{ ${aliases.join(' ')} }`)).toBe(30 * 100 * 3);
  });

  it('counts a symbol once however many aliases, assumptions and fields ask for it (the loaders share its calls)', () => {
    const source = `{
      a: intrinsicValue(symbol: "AAPL") { symbol }
      b: intrinsicValue(symbol: " aapl ", assumptions: { desiredReturn: 9 }) { symbol }
      c: intrinsicValues(symbols: ["AAPL", "MSFT", "msft"]) { symbol }
    }`;
    expect(costOf(source)).toBe(2 * 3);
  });

  it('reads symbols from variables, a lone string for a list included', () => {
    const source = 'query Q($many: [String!]!, $one: String!) { intrinsicValues(symbols: $many) { symbol } intrinsicValue(symbol: $one) { symbol } }';
    expect(costOf(source, { many: symbols(40), one: 'ZZZ' })).toBe(41 * 3);
    expect(costOf('query Q($many: [String!]!) { intrinsicValues(symbols: $many) { symbol } }', { many: 'LONE' })).toBe(3);
  });

  it('counts fields behind fragment spreads and inline fragments', () => {
    const source = `
      query Q($s: [String!]!) { ...Roots ... on Query { other: intrinsicValues(symbols: ["X1", "X2"]) { symbol } } }
      fragment Roots on Query { intrinsicValues(symbols: $s) { ...Fields } }
      fragment Fields on IntrinsicValue { symbol }`;
    expect(costOf(source, { s: symbols(10) })).toBe(12 * 3);
  });

  it('counts both sides of @include and @skip: the worst case', () => {
    const source = `query Q($yes: Boolean!) {
      a: intrinsicValues(symbols: ["A1", "A2"]) @include(if: $yes) { symbol }
      b: intrinsicValues(symbols: ["B1", "B2"]) @skip(if: $yes) { symbol }
    }`;
    expect(costOf(source, { yes: true })).toBe(4 * 3);
    expect(costOf(source, { yes: false })).toBe(4 * 3);
  });

  it('counts the curated list only when a stock of it is valued', () => {
    const curatedList = ['AAPL', 'MSFT', 'NVDA'];
    expect(costOf('{ curatedStocks { symbol active } }', {}, { curatedList })).toBe(0);
    expect(costOf('{ curatedStocks { symbol intrinsicValue { effectiveIntrinsicValue } } }', {}, { curatedList })).toBe(3 * 3);
    // a symbol both named and curated is one symbol
    expect(costOf('{ curatedStocks { intrinsicValue { symbol } } intrinsicValue(symbol: "AAPL") { symbol } }', {}, { curatedList })).toBe(3 * 3);
  });

  it('counts nothing for the curated list or a saved stock while the background refresher runs (they answer from the cache)', () => {
    const curatedList = ['AAPL', 'MSFT', 'NVDA'];
    const refreshing = { curatedFromCache: true };
    expect(costOf('{ curatedStocks { symbol intrinsicValue { effectiveIntrinsicValue } } }', {}, { curatedList }, refreshing)).toBe(0);
    expect(costOf('mutation { saveCuratedStock(symbol: "ZZZ") { intrinsicValue { symbol } } }', {}, { curatedList }, refreshing)).toBe(0);
    expect(costOf('mutation { saveCuratedStock(symbol: "ZZZ") { intrinsicValue { symbol } } }', {}, { curatedList })).toBe(3);
    // intrinsicValue itself still goes upstream for a cold stock
    expect(costOf('{ curatedStocks { intrinsicValue { symbol } } intrinsicValue(symbol: "AAPL") { symbol } }', {}, { curatedList }, refreshing)).toBe(3);
  });

  it("counts the last scan's tickers when their valuation or the strike badge is asked", () => {
    const scanTickers = ['AAPL', 'MSFT'];
    expect(costOf('{ scanResults { lastRun tickers { symbol options { strike bid } } } }', {}, { scanTickers })).toBe(0);
    expect(costOf('{ scanResults { tickers { options { belowIntrinsicValue } } } }', {}, { scanTickers })).toBe(2 * 3);
    expect(costOf('{ scanResults { tickers { ...T } } } fragment T on TickerScanResult { intrinsicValue { symbol } }', {}, { scanTickers })).toBe(2 * 3);
  });

  it('counts a scan ticker 1 call for an OVERVIEW figure, 3 for a valuation figure, and the daily calendar and rate once each', () => {
    const scanTickers = ['AAPL', 'MSFT', 'NVDA'];
    // stored or market-only figures: nothing
    expect(costOf('{ scanResults { tickers { options { ask mid spreadPercent premium collateral breakeven expectedMove openInterest } } } }', {}, { scanTickers })).toBe(0);
    // the probabilities need the dividend yield (OVERVIEW) and the rate (TREASURY_YIELD, once)
    expect(costOf('{ scanResults { tickers { options { probabilityOfAssignment } } } }', {}, { scanTickers })).toBe(3 * 1 + 1);
    expect(costOf('{ scanResults { tickers { options { exDividendDate } } } }', {}, { scanTickers })).toBe(3 * 1 + 1);
    expect(costOf('{ scanResults { tickers { options { marginOfSafety } } } }', {}, { scanTickers })).toBe(3 * 3);
    expect(costOf('{ scanResults { tickers { options { earningsDate } } } }', {}, { scanTickers })).toBe(1);
    // the flat table's default order is the score: OVERVIEW for every ticker, even unselected
    expect(costOf('{ scanResults { contracts { strike } } }', {}, { scanTickers })).toBe(3 + 1);
    expect(costOf('{ scanResults(orderBy: { field: STRIKE, direction: ASC }) { contracts { strike } } }', {}, { scanTickers })).toBe(0);
    expect(costOf('{ scanResults(orderBy: { field: MARGIN_OF_SAFETY, direction: DESC }) { contracts { strike } } }', {}, { scanTickers })).toBe(9);
    // a filter costs what its figures cost, whatever is selected
    expect(costOf('{ scanResults(filter: { belowIntrinsicValueOnly: true }) { lastRun tickers { symbol } } }', {}, { scanTickers })).toBe(9);
    expect(costOf('query Q($f: ContractFilter) { scanResults(filter: $f) { tickers { symbol } } }', { f: { excludeEarnings: true } }, { scanTickers })).toBe(1);
    expect(costOf('{ scanResults(filter: { minOpenInterest: 10 }) { tickers { symbol } } }', {}, { scanTickers })).toBe(0);
    // scanResult: the one symbol it names
    expect(costOf('{ scanResult(symbol: "aapl") { options { score } } }', {}, { scanTickers })).toBe(1 + 1);
  });

  it('counts only the scan tickers whose needed entries are not cached', () => {
    const scanTickers = symbols(500);
    const cached = new Set(scanTickers.slice(0, 450).map((symbol) => `alphavantage:overview:${symbol}`));
    const warm = '{ scanResults(first: 50, orderBy: { field: SCORE, direction: DESC }) { contracts { symbol strike score } } }';
    expect(costOf(warm, {}, { scanTickers })).toBe(500 + 1);
    expect(costOf(warm, {}, { scanTickers, cached })).toBe(50 + 1);
    const warmWithRate = new Set([...scanTickers.map((symbol) => `alphavantage:overview:${symbol}`), 'alphavantage:treasury_yield:3MONTH:interval_daily']);
    expect(costOf(warm, {}, { scanTickers, cached: warmWithRate })).toBe(0);
    // a valuation's three entries each count on their own
    expect(costOf('{ scanResults { tickers { intrinsicValue { symbol } } } }', {}, { scanTickers, cached })).toBe(500 * 3 - 450);
  });

  it('counts one GLOBAL_QUOTE per valued symbol when quote, discountPercent or tier is selected', () => {
    expect(costOf('{ intrinsicValue(symbol: "AAPL") { effectiveIntrinsicValue } }')).toBe(3);
    expect(costOf('{ intrinsicValue(symbol: "AAPL") { quote { price } } }')).toBe(3 + 1);
    expect(costOf('{ intrinsicValues(symbols: ["A", "B"]) { discountPercent } a: intrinsicValue(symbol: "a") { tier } }')).toBe(2 * 3 + 2);
    expect(costOf('{ intrinsicValues(symbols: ["A"]) { ...P } } fragment P on IntrinsicValue { tier }')).toBe(3 + 1);
    const curatedList = ['AAPL', 'MSFT', 'NVDA'];
    expect(costOf('{ curatedStocks { intrinsicValue { discountPercent tier quote { stale } } } }', {}, { curatedList })).toBe(3 * 3 + 3);
    expect(costOf('{ scanResults { tickers { intrinsicValue { quote { price } } } } }', {}, { scanTickers: ['AAPL', 'MSFT'] })).toBe(2 * 3 + 2);
    expect(costOf('mutation { saveCuratedStock(symbol: "NFLX") { intrinsicValue { tier } } }')).toBe(3 + 1);
  });

  it('counts undervaluedStocks as every active curated stock valued and priced, whatever it selects', () => {
    const lists = { curatedList: ['AAPL', 'MSFT', 'OFF'], activeCuratedList: ['AAPL', 'MSFT'] };
    expect(costOf('{ undervaluedStocks { symbol } }', {}, lists)).toBe(2 * 3 + 2);
    expect(costOf('{ undervaluedStocks(first: 1) { intrinsicValue { quote { price } } } }', {}, lists)).toBe(2 * 3 + 2);
  });

  it('counts nothing for a quote already cached', () => {
    const lists = { activeCuratedList: ['AAPL', 'MSFT'], cached: new Set(['alphavantage:global_quote:AAPL']) };
    expect(costOf('{ undervaluedStocks { symbol } }', {}, lists)).toBe(2 * 3 + 1);
    expect(costOf('{ intrinsicValue(symbol: "aapl") { quote { price } } }', {}, lists)).toBe(3);
  });

  it('counts bulk quotes as one call per 100 quoted symbols', () => {
    const activeCuratedList = symbols(150);
    expect(costOf('{ undervaluedStocks { symbol } }', {}, { activeCuratedList }, { bulkQuotes: true })).toBe(150 * 3 + 2);
    expect(costOf('{ intrinsicValue(symbol: "AAPL") { tier } }', {}, {}, { bulkQuotes: true })).toBe(3 + 1);
  });

  it('counts a saved stock when the mutation answers with its valuation, and nothing for a scan start or the status', () => {
    expect(costOf('mutation { saveCuratedStock(symbol: "NFLX", active: true) { symbol } }')).toBe(0);
    expect(costOf('mutation { saveCuratedStock(symbol: "NFLX") { intrinsicValue { symbol } } }')).toBe(3);
    expect(costOf('mutation { startScan(input: { symbols: ["A", "B", "C"] }) { started } }')).toBe(0);
    expect(costOf('{ scanStatus { inProgress } __typename }')).toBe(0);
  });

  it('counts a snapshot run over the symbols it names, else over the whole curated list, as if none were recorded yet', () => {
    const curatedList = symbols(26, 'C');
    expect(costOf('mutation { recordValuationSnapshots(symbols: ["aapl", "MSFT", " AAPL"]) { recorded } }', {}, { curatedList })).toBe(2 * 3);
    expect(costOf('mutation { recordValuationSnapshots(date: "2026-04-01") { recorded } }', {}, { curatedList })).toBe(26 * 3);
    expect(costOf('mutation($s: [String!]) { recordValuationSnapshots(symbols: $s, force: true) { recorded } }', { s: null }, { curatedList })).toBe(26 * 3);
    expect(costOf('mutation($s: [String!]) { recordValuationSnapshots(symbols: $s) { recorded } }', { s: symbols(100) }, { curatedList })).toBe(300);
  });

  it('counts the analytics of a stock only when the changes against its current value are asked', () => {
    expect(costOf('{ valuationAnalytics(symbol: "AAPL") { mean cagrPercent } valuationHistory(symbol: "AAPL") { date } }')).toBe(0);
    expect(costOf('{ valuationAnalytics(symbol: "AAPL") { yearAgo { change } } }')).toBe(3);
    expect(costOf('{ a: valuationAnalytics(symbol: "AAPL") { ...Q } b: intrinsicValue(symbol: "aapl") { symbol } } fragment Q on ValuationAnalytics { previousQuarter { date } }')).toBe(3);
  });
});

describe('the fields the estimate knows', () => {
  /** Fields answered from a valuation that do not show it: the strike badge, the changes against today's value. */
  const VALUED_FIELDS = ['OptionContract.belowIntrinsicValue', 'ValuationAnalytics.previousQuarter', 'ValuationAnalytics.yearAgo'];
  /** Types whose fields can hold a valuation, from IntrinsicValue, a snapshot run and the fields above outward. */
  function reachesValuation(type: GraphQLNamedType, seen = new Set<string>()): boolean {
    if (type.name === 'IntrinsicValue' || type.name === 'SnapshotRun') return true;
    if (!isObjectType(type) || seen.has(type.name)) return false;
    seen.add(type.name);
    return Object.values(type.getFields()).some(
      (field) => VALUED_FIELDS.includes(`${type.name}.${field.name}`) || reachesValuation(getNamedType(field.type), seen),
    );
  }

  it('include every root field that can reach a valuation, so a new one cannot be forgotten', () => {
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((type) => type != null);
    const valuing = roots.flatMap((root) =>
      Object.values(root.getFields())
        .filter((field) => reachesValuation(getNamedType(field.type)))
        .map((field) => `${root.name}.${field.name}`),
    );
    expect(valuing.length).toBeGreaterThan(0);
    expect(valuing.sort()).toEqual(Object.keys(VALUING_FIELDS).sort());
  });
});
