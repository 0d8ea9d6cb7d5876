import {
  getArgumentValues,
  getNamedType,
  isAbstractType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { filterNeeds, parseContractFilter } from '../domain/contract-filter.js';
import { DEFAULT_SCREENER_ORDER, DEFAULT_TICKER_ORDER, orderNeeds, type ContractOrder } from '../domain/contract-order.js';
import type { AlphaVantageRequest } from '../providers/alpha-vantage/alpha-vantage.request.js';
import { alphaVantageCacheKey } from '../providers/alpha-vantage/cache-policy.js';
import { fundamentalsRequests } from '../providers/alpha-vantage/fundamentals.loader.js';
import { EARNINGS_CALENDAR_REQUEST, TREASURY_YIELD_REQUEST } from '../providers/alpha-vantage/market-events.js';
import { BULK_QUOTE_SYMBOLS } from '../providers/alpha-vantage/quotes.js';
import { CONTRACT_FIELD_NEEDS, combineNeeds, type ContractNeeds } from '../scanner/contract-needs.js';

/** A valuation loads EARNINGS, OVERVIEW and CASH_FLOW of its symbol: one call each when cold. */
export const CALLS_PER_VALUATION = 3;

/** Where the symbols a field values come from: one of its arguments (or the curated list when it is absent), or a list in the store. */
export type SymbolSource = { argument: string; whenAbsent?: 'curatedList' } | 'curatedList' | 'activeCuratedList' | 'scanTickers';

/** A valuation's price side: selecting any of these loads the symbol's quote. */
export const QUOTE_FIELDS = ['IntrinsicValue.quote', 'IntrinsicValue.discountPercent', 'IntrinsicValue.tier'] as const;

export interface ValuingField {
  symbols: SymbolSource;
  /** it values its symbols whatever it selects, or only when its selection reaches one of these fields */
  valuesWhen: 'always' | readonly `${string}.${string}`[];
  /** it prices its symbols whatever it selects (unset: only when its selection reaches QUOTE_FIELDS) */
  quotesAlways?: true;
  /**
   * A screener field (scanResults, scanResult): what its selection, its `filter` and its
   * `orderBy` need of OVERVIEW, the valuation and the calendar decides what its tickers cost.
   */
  screener?: true;
  /** it values through CuratedStock.intrinsicValue, which answers from the cache only while the background refresher runs: free then */
  curatedValuation?: true;
}

/**
 * Every root field that can make upstream calls during the request, by schema coordinate. A
 * request's DataLoaders share each (function, symbol) across aliases and assumptions, so a
 * request costs CALLS_PER_VALUATION per distinct symbol it may value, at most. startScan
 * is not here: its calls run in the background, under the scan's own symbol cap and budget.
 */
export const VALUING_FIELDS: Readonly<Record<string, ValuingField>> = {
  'Query.intrinsicValue': { symbols: { argument: 'symbol' }, valuesWhen: 'always' },
  'Query.intrinsicValues': { symbols: { argument: 'symbols' }, valuesWhen: 'always' },
  'Query.curatedStocks': { symbols: 'curatedList', valuesWhen: ['CuratedStock.intrinsicValue'], curatedValuation: true },
  'Query.scanResults': { symbols: 'scanTickers', valuesWhen: ['TickerScanResult.intrinsicValue'], screener: true },
  'Query.scanResult': { symbols: { argument: 'symbol' }, valuesWhen: ['TickerScanResult.intrinsicValue'], screener: true },
  'Mutation.saveCuratedStock': { symbols: { argument: 'symbol' }, valuesWhen: ['CuratedStock.intrinsicValue'], curatedValuation: true },
  'Query.undervaluedStocks': { symbols: 'activeCuratedList', valuesWhen: 'always', quotesAlways: true },
  // Counted as if no stock were recorded yet for the date (those are skipped before valuing) and
  // over the whole curated list, inactive stocks included: the worst case, as for curatedStocks.
  'Mutation.recordValuationSnapshots': { symbols: { argument: 'symbols', whenAbsent: 'curatedList' }, valuesWhen: 'always' },
  // The statistics read only the database; the changes against today's value value the stock.
  'Query.valuationAnalytics': { symbols: { argument: 'symbol' }, valuesWhen: ['ValuationAnalytics.previousQuarter', 'ValuationAnalytics.yearAgo'] },
};

/** What a scan ticker costs: nothing, its OVERVIEW, or its whole valuation. */
export interface TickerNeed {
  overview: boolean;
  valuation: boolean;
}

/** The symbols an operation may value: those its arguments name, and whether it values the store's lists. */
export interface ValuationDemand {
  /** valued whatever the cache holds (3 calls each, worst case); trimmed and upper-cased, as the resolvers read them */
  symbols: Set<string>;
  curatedList: boolean;
  /** the active stocks of the curated list (undervaluedStocks) */
  activeCuratedList: boolean;
  /** the symbols whose price may be loaded: one GLOBAL_QUOTE each, counted when not cached */
  quotes: QuoteDemand;
  /** what every ticker of the last scan needs; null: nothing */
  scanTickers: TickerNeed | null;
  /** tickers of the last scan named by an argument (scanResult), with what they need */
  scanTicker: Map<string, TickerNeed>;
  /** EARNINGS_CALENDAR and TREASURY_YIELD: one call each a New York day, counted when asked and not cached (at most 2) */
  dailyCalls: Set<'EARNINGS_CALENDAR' | 'TREASURY_YIELD'>;
}

export interface QuoteDemand {
  symbols: Set<string>;
  curatedList: boolean;
  activeCuratedList: boolean;
  scanTickers: boolean;
}

/** How the service prices a symbol: GLOBAL_QUOTE one call each, or REALTIME_BULK_QUOTES one call per 100. */
export interface Pricing {
  bulkQuotes: boolean;
}

export interface DemandOptions {
  /** the background refresher runs: CuratedStock.intrinsicValue answers from the cache, at no upstream cost */
  curatedFromCache?: boolean;
}

/**
 * What an operation may value, read from the document and its coerced variables before it
 * runs: fields through fragments and aliases, every @include/@skip branch counted (the worst
 * case), arguments as graphql-js coerces them (a lone string for a list included).
 */
export function valuationDemand(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
  options: DemandOptions = {},
): ValuationDemand {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const demand: ValuationDemand = {
    symbols: new Set(),
    curatedList: false,
    activeCuratedList: false,
    quotes: { symbols: new Set(), curatedList: false, activeCuratedList: false, scanTickers: false },
    scanTickers: null,
    scanTicker: new Map(),
    dailyCalls: new Set(),
  };
  const root = schema.getRootType(operation.operation);
  if (!root) return demand;

  for (const field of fieldsOf(schema, root, operation.selectionSet, fragments)) {
    const spec = VALUING_FIELDS[`${root.name}.${field.name.value}`];
    const definition = root.getFields()[field.name.value];
    if (!spec || !definition) continue;
    // While the refresher keeps the curated list warm, its valuations answer from the cache (its quotes still cost).
    const fromCache = spec.curatedValuation === true && options.curatedFromCache === true;
    const values = !fromCache && (spec.valuesWhen === 'always' || reaches(schema, definition, field, spec.valuesWhen, fragments));
    if (spec.quotesAlways || reaches(schema, definition, field, QUOTE_FIELDS, fragments)) addQuotes(demand.quotes, spec.symbols, (source) => argumentSymbols(definition, field, source, variables));
    if (spec.screener) {
      const need = screenerNeed(schema, definition, field, variables, fragments, demand);
      need.valuation ||= values;
      if (!need.overview && !need.valuation) continue;
      if (spec.symbols === 'scanTickers') demand.scanTickers = mergeNeed(demand.scanTickers, need);
      else if (typeof spec.symbols === 'object') {
        for (const symbol of argumentSymbols(definition, field, spec.symbols, variables)) demand.scanTicker.set(symbol, mergeNeed(demand.scanTicker.get(symbol) ?? null, need));
      }
      continue;
    }
    if (!values) continue;
    if (spec.symbols === 'curatedList') demand.curatedList = true;
    else if (spec.symbols === 'activeCuratedList') demand.activeCuratedList = true;
    else if (spec.symbols === 'scanTickers') demand.scanTickers = mergeNeed(demand.scanTickers, { overview: false, valuation: true });
    else if (spec.symbols.whenAbsent === 'curatedList' && argumentAbsent(definition, field, spec.symbols.argument, variables)) demand.curatedList = true;
    else for (const symbol of argumentSymbols(definition, field, spec.symbols, variables)) demand.symbols.add(symbol);
  }
  return demand;
}

function addQuotes(quotes: QuoteDemand, source: SymbolSource, named: (source: { argument: string }) => string[]): void {
  if (typeof source === 'object') for (const symbol of named(source)) quotes.symbols.add(symbol);
  else quotes[source] = true;
}

function mergeNeed(a: TickerNeed | null, b: TickerNeed): TickerNeed {
  return { overview: (a?.overview ?? false) || b.overview, valuation: (a?.valuation ?? false) || b.valuation };
}

/**
 * What a screener field's tickers need: the OptionContract fields its selection reaches, its
 * filter, the orders it applies (its orderBy, or the default of the list it selects). The
 * calendar and the rate are daily calls, noted in the demand.
 */
function screenerNeed(
  schema: GraphQLSchema,
  definition: GraphQLField<unknown, unknown>,
  field: FieldNode,
  variables: Readonly<Record<string, unknown>>,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  demand: ValuationDemand,
): TickerNeed {
  let args: Record<string, unknown>;
  try {
    args = getArgumentValues(definition, field, variables as Record<string, unknown>);
  } catch {
    return { overview: false, valuation: false };
  }
  const reached = reachedCoordinates(schema, definition, field, fragments);
  const { values: filter, problems } = parseContractFilter(args['filter'] ?? null);
  // A filter that does not parse is refused by the resolver before anything is loaded.
  if (problems.length > 0) return { overview: false, valuation: false };
  const orderBy = (args['orderBy'] as ContractOrder | null | undefined) ?? null;
  const flat = reached.has('ScanResults.contracts');
  const byTicker = reached.has('TickerScanResult.options');
  const orders = [...(flat ? [orderBy ?? DEFAULT_SCREENER_ORDER] : []), ...(byTicker ? [orderBy ?? DEFAULT_TICKER_ORDER] : [])];
  const fieldNeeds = flat || byTicker ? [...reached].filter((coordinate) => coordinate.startsWith('OptionContract.')).map((coordinate) => CONTRACT_FIELD_NEEDS[coordinate.slice('OptionContract.'.length)] ?? {}) : [];
  const needs: ContractNeeds = combineNeeds(filterNeeds(filter), ...orders.map(orderNeeds), ...fieldNeeds);
  if (needs.earnings) demand.dailyCalls.add('EARNINGS_CALENDAR');
  if (needs.overview || reached.has('ScanResults.riskFreeRate')) demand.dailyCalls.add('TREASURY_YIELD');
  return { overview: needs.overview, valuation: needs.valuation };
}

/** The store's lists, read only when the demand names them (a list that could not be read: empty, the field fails alike). */
export interface StoreLists {
  curatedList?: readonly string[];
  /** the curated list's active stocks */
  activeCuratedList?: readonly string[];
  scanTickers?: readonly string[];
  /** cache keys (alphaVantageCacheKey) of the scan tickers', daily and quote entries already cached: they cost nothing */
  cached?: ReadonlySet<string>;
}

/** A scan ticker's upstream requests, for what it needs: its OVERVIEW, or its valuation's three. */
function tickerRequests(symbol: string, need: TickerNeed): AlphaVantageRequest[] {
  if (need.valuation) return fundamentalsRequests(symbol);
  return need.overview ? [{ fn: 'OVERVIEW', symbol }] : [];
}

/**
 * The requests a demand may send whose cost the cache decides: the scan tickers' (for the
 * tickers not already counted as valued whole), its daily calls and, priced by GLOBAL_QUOTE,
 * its quotes. The plugin reads them from the cache in one batch, and only misses count.
 */
export function cacheableRequests(demand: ValuationDemand, lists: StoreLists = {}, pricing: Pricing = { bulkQuotes: false }): AlphaVantageRequest[] {
  const valued = valuedSymbols(demand, lists);
  const needs = new Map(demand.scanTicker);
  if (demand.scanTickers) for (const symbol of lists.scanTickers ?? []) needs.set(symbol, mergeNeed(needs.get(symbol) ?? null, demand.scanTickers));
  const daily = [...demand.dailyCalls].map((fn) => DAILY_REQUESTS[fn]);
  const quotes = pricing.bulkQuotes ? [] : [...quotedSymbols(demand, lists)].map((symbol): AlphaVantageRequest => ({ fn: 'GLOBAL_QUOTE', symbol }));
  return [...needs]
    .filter(([symbol]) => !valued.has(symbol))
    .flatMap(([symbol, need]) => tickerRequests(symbol, need))
    .concat(daily, quotes);
}

/** Every symbol whose quote the demand may load. */
function quotedSymbols(demand: ValuationDemand, lists: StoreLists): Set<string> {
  const { quotes } = demand;
  return new Set([
    ...quotes.symbols,
    ...(quotes.curatedList ? (lists.curatedList ?? []) : []),
    ...(quotes.activeCuratedList ? (lists.activeCuratedList ?? []) : []),
    ...(quotes.scanTickers ? (lists.scanTickers ?? []) : []),
  ]);
}

/** Whether the demand reads a store list, the cache or a quote: the plugin then reads them before counting. */
export function needsStore(demand: ValuationDemand): boolean {
  const { quotes } = demand;
  return (
    demand.curatedList ||
    demand.activeCuratedList ||
    demand.scanTickers !== null ||
    demand.scanTicker.size > 0 ||
    demand.dailyCalls.size > 0 ||
    quotes.symbols.size > 0 ||
    quotes.curatedList ||
    quotes.activeCuratedList ||
    quotes.scanTickers
  );
}

const DAILY_REQUESTS = { EARNINGS_CALENDAR: EARNINGS_CALENDAR_REQUEST, TREASURY_YIELD: TREASURY_YIELD_REQUEST } as const;

function valuedSymbols(demand: ValuationDemand, lists: StoreLists): Set<string> {
  const symbols = new Set(demand.symbols);
  if (demand.curatedList) for (const symbol of lists.curatedList ?? []) symbols.add(symbol);
  if (demand.activeCuratedList) for (const symbol of lists.activeCuratedList ?? []) symbols.add(symbol);
  return symbols;
}

/**
 * Worst-case upstream calls: every named or curated symbol valued cold (3 calls), each scan
 * ticker's needed entries, the daily calendar and rate when asked, and each quoted symbol's
 * GLOBAL_QUOTE, that are not cached (`lists.cached`; without it, none is). Bulk quotes are one
 * call per 100 quoted symbols, cached or not: their cache key is the batch, which only
 * the request's execution decides.
 */
export function upstreamCost(demand: ValuationDemand, lists: StoreLists = {}, pricing: Pricing = { bulkQuotes: false }): number {
  const cached = lists.cached ?? new Set<string>();
  const uncached = cacheableRequests(demand, lists, pricing).filter((request) => !cached.has(alphaVantageCacheKey(request))).length;
  const bulk = pricing.bulkQuotes ? Math.ceil(quotedSymbols(demand, lists).size / BULK_QUOTE_SYMBOLS) : 0;
  return valuedSymbols(demand, lists).size * CALLS_PER_VALUATION + uncached + bulk;
}

/** The part of the cost known before the store's lists and the cache are read (the daily calls counted cold, quotes not at all: the cache may hold them). */
export function namedCost(demand: ValuationDemand): number {
  return demand.symbols.size * CALLS_PER_VALUATION + demand.dailyCalls.size;
}

function argumentSymbols(
  definition: GraphQLField<unknown, unknown>,
  field: FieldNode,
  source: { argument: string },
  variables: Readonly<Record<string, unknown>>,
): string[] {
  let value: unknown;
  try {
    value = getArgumentValues(definition, field, variables as Record<string, unknown>)[source.argument];
  } catch {
    // graphql-js refuses the same arguments when it executes the field: nothing is valued.
    return [];
  }
  const raw = Array.isArray(value) ? value : [value];
  return raw.filter((item): item is string => typeof item === 'string').map((symbol) => symbol.trim().toUpperCase());
}

/** The argument is not given (or null): the field falls back to its default list. Arguments that do not coerce: nothing runs. */
function argumentAbsent(
  definition: GraphQLField<unknown, unknown>,
  field: FieldNode,
  argument: string,
  variables: Readonly<Record<string, unknown>>,
): boolean {
  try {
    return getArgumentValues(definition, field, variables as Record<string, unknown>)[argument] == null;
  } catch {
    return false;
  }
}

/** Whether a field's selection, at any depth, selects one of `coordinates` (Type.field). */
function reaches(
  schema: GraphQLSchema,
  definition: GraphQLField<unknown, unknown>,
  field: FieldNode,
  coordinates: readonly string[],
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): boolean {
  const type = getNamedType(definition.type);
  if (!field.selectionSet || !isObjectType(type)) return false;
  return fieldsOf(schema, type, field.selectionSet, fragments).some((child) => {
    if (coordinates.includes(`${type.name}.${child.name.value}`)) return true;
    const childDefinition = type.getFields()[child.name.value];
    return childDefinition !== undefined && reaches(schema, childDefinition, child, coordinates, fragments);
  });
}

/** Every Type.field a field's selection reaches, at any depth (fragments, both sides of @include/@skip). */
function reachedCoordinates(
  schema: GraphQLSchema,
  definition: GraphQLField<unknown, unknown>,
  field: FieldNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  into: Set<string> = new Set(),
): Set<string> {
  const type = getNamedType(definition.type);
  if (!field.selectionSet || !isObjectType(type)) return into;
  for (const child of fieldsOf(schema, type, field.selectionSet, fragments)) {
    into.add(`${type.name}.${child.name.value}`);
    const childDefinition = type.getFields()[child.name.value];
    if (childDefinition) reachedCoordinates(schema, childDefinition, child, fragments, into);
  }
  return into;
}

/** The fields a selection set selects on `type`, through fragment spreads and inline fragments, directives ignored. */
function fieldsOf(
  schema: GraphQLSchema,
  type: GraphQLObjectType,
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  visited: ReadonlySet<string> = new Set(),
): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      fields.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (appliesTo(schema, type, selection.typeCondition?.name.value)) fields.push(...fieldsOf(schema, type, selection.selectionSet, fragments, visited));
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      // Validation refuses fragment cycles before this runs; `visited` keeps a bug from looping.
      if (!fragment || visited.has(name) || !appliesTo(schema, type, fragment.typeCondition.name.value)) continue;
      fields.push(...fieldsOf(schema, type, fragment.selectionSet, fragments, new Set([...visited, name])));
    }
  }
  return fields;
}

/** A fragment applies when its condition is absent, names the type, or is an interface or union the type belongs to. */
function appliesTo(schema: GraphQLSchema, type: GraphQLObjectType, condition: string | undefined): boolean {
  if (condition === undefined || condition === type.name) return true;
  const named = schema.getType(condition);
  return isAbstractType(named) && schema.isSubType(named, type);
}
