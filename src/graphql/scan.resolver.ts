import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, Info, Int, Mutation, Query, Resolver } from 'type-graphql';
import { NO_CONTRACT_FILTER, parseContractFilter, type ContractFilterValues as DomainFilterValues } from '../domain/contract-filter.js';
import { DEFAULT_SCREENER_ORDER, DEFAULT_TICKER_ORDER, orderContracts, type ContractOrder as DomainContractOrder } from '../domain/contract-order.js';
import { MAX_SCAN_SYMBOLS, parseScanCriteria } from '../domain/scan-criteria.js';
import { combineNeeds, fieldNeeds, filterAndOrderNeeds, NO_NEEDS } from '../scanner/contract-needs.js';
import type { ScanStatusState } from '../scanner/scanner.js';
import { screenSnapshot, snapshotRiskFreeRate, type ScreenedTicker } from '../scanner/screener.js';
import type { ScanSnapshot } from '../store/scan-records.port.js';
import { ContractFilter } from './contract-filter.input.js';
import { ContractOrder } from './contract-order.input.js';
import { screenerSelection, type ScreenerSelection } from './contract-selection.js';
import { ClearScanLockPayload } from './clear-scan-lock-payload.type.js';
import type { GraphQLContext } from './context.js';
import { BadUserInputError } from './errors/bad-user-input.error.js';
import { ScanResults } from './scan-results.type.js';
import { ScanStatus } from './scan-status.type.js';
import { StartScanPayload } from './start-scan-payload.type.js';
import { StartScanInput } from './start-scan.input.js';
import { StartScanRefusal } from './start-scan-refusal.enum.js';
import { parseSymbol } from './symbol-argument.js';
import { TickerScanResult } from './ticker-scan-result.type.js';

/** ScanResults.contracts lists at most `first` contracts: this many unless the query says. */
export const DEFAULT_SCREENER_FIRST = 100;
/**
 * A larger `first` is refused (BAD_USER_INPUT): a table longer than this is not a screen. The
 * query-cost limit (MAX_QUERY_COST) multiplies the selection by `first` too, so a wide selection meets it sooner.
 */
export const MAX_SCREENER_FIRST = 500;

@Resolver()
export class ScanResolver {
  @Authorized()
  @Mutation(() => StartScanPayload, {
    description: 'Starts a scan in the background unless one runs or the market is closed. Needs Authorization: Bearer <one of API_TOKENS>.',
  })
  async startScan(
    @Arg('input', () => StartScanInput, { nullable: true }) input: StartScanInput | null,
    @Ctx() context: GraphQLContext,
  ): Promise<StartScanPayload> {
    const { filter: filterInput, ...criteriaInput } = input ?? {};
    const { criteria, problems } = parseScanCriteria(criteriaInput);
    if (criteria === null) throw new BadUserInputError(`invalid scan input: ${problems.join(' ')}`, 'input');
    const filter = checkFilter(filterInput ?? null, 'input.filter');
    const symbols = criteria.symbols
      ? [...new Set(criteria.symbols.map((symbol) => parseSymbol(symbol, 'input.symbols')))]
      : await activeCuratedSymbols(context);
    const outcome = await context.scanner.start({
      symbols,
      type: criteria.optionType,
      weeks: criteria.weeks,
      minAnnualizedReturn: criteria.minAnnualizedReturn ?? null,
      maxDelta: criteria.maxDelta ?? null,
      filter,
    });
    return {
      started: outcome.started,
      reason: outcome.started ? null : StartScanRefusal[outcome.reason],
      status: toScanStatus(outcome.state),
    };
  }

  @Authorized()
  @Mutation(() => ClearScanLockPayload, {
    description:
      'Frees the scan lock whoever holds it, for a scan that is stuck or no longer wanted; the scan that held it stops and writes nothing more. Needs Authorization: Bearer <one of API_TOKENS>.',
  })
  async clearScanLock(@Ctx() context: GraphQLContext): Promise<ClearScanLockPayload> {
    const { freed, state } = await context.scanner.clearLock();
    return {
      cleared: freed !== undefined,
      scanStartedAt: freed ? new Date(freed.startedAt) : null,
      lastHeartbeatAt: freed?.heartbeatAt ? new Date(freed.heartbeatAt) : null,
      status: toScanStatus(state),
    };
  }

  @Query(() => ScanStatus, { description: 'Whether a scan runs (in any server process), its progress and the last run message.' })
  async scanStatus(@Ctx() context: GraphQLContext): Promise<ScanStatus> {
    return toScanStatus(await context.scanner.status());
  }

  @Query(() => ScanResults, { description: 'The last scan’s kept contracts: by ticker, and as one screener table.' })
  async scanResults(
    @Arg('filter', () => ContractFilter, { nullable: true }) filterInput: ContractFilter | null,
    @Arg('orderBy', () => ContractOrder, { nullable: true }) orderBy: ContractOrder | null,
    @Arg('first', () => Int, { nullable: true, description: `at most this many contracts (1-${MAX_SCREENER_FIRST}; default ${DEFAULT_SCREENER_FIRST})` })
    first: number | null,
    @Ctx() context: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ScanResults> {
    const filter = checkFilter(filterInput, 'filter');
    const limit = first ?? DEFAULT_SCREENER_FIRST;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SCREENER_FIRST) {
      throw new BadUserInputError(`first must be a whole number from 1 to ${MAX_SCREENER_FIRST} (got ${limit}).`, 'first');
    }
    const selection = screenerSelection(info);
    // The request's own read: the upstream-cost check before execution read it already when the query values tickers.
    const snapshot = await context.loaders.scanSnapshot();
    const tickerOrder = orderBy ?? DEFAULT_TICKER_ORDER;
    const screenerOrder = orderBy ?? DEFAULT_SCREENER_ORDER;
    const orders = [...(selection.contracts ? [screenerOrder] : []), ...(selection.tickerOptions ? [tickerOrder] : [])];
    const screened = await screen(context, snapshot, filter, selection, orders);
    const rate = selection.riskFreeRate ? await snapshotRiskFreeRate(snapshot, context.marketEvents) : 0;
    const tickers = screened.filter((ticker) => ticker.contracts.length > 0);
    return {
      lastRun: snapshot.lastRun,
      tickers: tickers.map((ticker) => toTickerResult(ticker, selection.tickerOptions ? tickerOrder : null)),
      contracts: selection.contracts ? orderContracts(tickers.flatMap((ticker) => ticker.contracts), screenerOrder).slice(0, limit) : [],
      criteria: snapshot.criteria ? { ...snapshot.criteria, filter: { ...NO_CONTRACT_FILTER, ...snapshot.criteria.filter } } : null,
      riskFreeRate: rate,
    };
  }

  @Query(() => TickerScanResult, { nullable: true, description: 'one ticker of the last scan; null when it has no kept contract' })
  async scanResult(
    @Arg('symbol', () => String) symbol: string,
    @Arg('filter', () => ContractFilter, { nullable: true }) filterInput: ContractFilter | null,
    @Arg('orderBy', () => ContractOrder, { nullable: true }) orderBy: ContractOrder | null,
    @Ctx() context: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<TickerScanResult | null> {
    const ticker = parseSymbol(symbol);
    const filter = checkFilter(filterInput, 'filter');
    const order = orderBy ?? DEFAULT_TICKER_ORDER;
    const selection = screenerSelection(info);
    const snapshot = await context.loaders.scanSnapshot();
    const [screened] = await screen(context, snapshot, filter, selection, selection.tickerOptions ? [order] : [], [ticker]);
    return screened && screened.contracts.length > 0 ? toTickerResult(screened, order) : null;
  }
}

/** The filter with defaults, or BAD_USER_INPUT naming each problem. */
function checkFilter(input: ContractFilter | null, argumentName: string): DomainFilterValues {
  if (input === null) return NO_CONTRACT_FILTER;
  const { values, problems } = parseContractFilter(input);
  if (problems.length > 0) throw new BadUserInputError(`invalid ${argumentName}: ${problems.join(' ')}`, argumentName);
  return values;
}

/**
 * The snapshot's contracts with their figures, loading only what the selection, the filter
 * and the orders need: one batched load per ticker and kind, plain values per contract
 * (a promise per contract was a third of a warm read's CPU).
 */
async function screen(
  context: GraphQLContext,
  snapshot: ScanSnapshot,
  filter: DomainFilterValues,
  selection: ScreenerSelection,
  orders: readonly DomainContractOrder[],
  symbols?: readonly string[],
): Promise<ScreenedTicker[]> {
  const needs = combineNeeds(
    filterAndOrderNeeds(filter, orders),
    selection.contracts || selection.tickerOptions ? fieldNeeds(selection.contractFields) : NO_NEEDS,
  );
  // Only the probabilities (hence needs.overview) use the rate.
  const rate = needs.overview && Object.keys(snapshot.tickerOptions).length > 0 ? await snapshotRiskFreeRate(snapshot, context.marketEvents) : 0;
  const { loaders, marketEvents } = context;
  return screenSnapshot(
    snapshot,
    { alphaVantage: loaders.alphaVantage, intrinsicValue: loaders.intrinsicValue, earningsCalendar: () => marketEvents.earningsCalendar() },
    rate,
    { filter, needs, ...(symbols ? { symbols } : {}) },
  );
}

function toTickerResult(ticker: ScreenedTicker, order: DomainContractOrder | null): TickerScanResult {
  return { symbol: ticker.symbol, scannedAt: ticker.scannedAt, options: order ? orderContracts(ticker.contracts, order) : ticker.contracts };
}

/** The curated list's active symbols, held to the same cap as a list given in the input. */
async function activeCuratedSymbols(context: GraphQLContext): Promise<string[]> {
  const symbols = (await context.loaders.savedStocks()).filter((stock) => stock.active).map((stock) => stock.symbol);
  if (symbols.length > MAX_SCAN_SYMBOLS) {
    throw new BadUserInputError(
      `invalid scan input: the curated list has ${symbols.length} active symbols and a scan accepts at most ${MAX_SCAN_SYMBOLS}; pass input.symbols, or deactivate some curated stocks.`,
      'input',
    );
  }
  return symbols;
}

export function toScanStatus(state: ScanStatusState): ScanStatus {
  const { progress } = state;
  return {
    inProgress: state.inProgress,
    lastRun: state.lastRun,
    startedAt: progress ? new Date(progress.startedAt) : null,
    finishedAt: progress?.finishedAt ? new Date(progress.finishedAt) : null,
    progress: progress ? { total: progress.total, completed: progress.completed } : null,
  };
}
