import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { MAX_SCAN_SYMBOLS, parseScanCriteria } from '../domain/scan-criteria.js';
import type { ScanState } from '../scanner/scanner.js';
import { ClearScanLockPayload } from './clear-scan-lock-payload.type.js';
import type { GraphQLContext } from './context.js';
import { BadUserInputError } from './errors/bad-user-input.error.js';
import { ScanResults } from './scan-results.type.js';
import { ScanStatus } from './scan-status.type.js';
import { StartScanPayload } from './start-scan-payload.type.js';
import { StartScanInput } from './start-scan.input.js';
import { StartScanRefusal } from './start-scan-refusal.enum.js';
import { parseSymbol } from './symbol-argument.js';
import type { TickerScanResult } from './ticker-scan-result.type.js';

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
    const { criteria, problems } = parseScanCriteria(input ?? {});
    if (criteria === null) throw new BadUserInputError(`invalid scan input: ${problems.join(' ')}`, 'input');
    const symbols = criteria.symbols
      ? [...new Set(criteria.symbols.map((symbol) => parseSymbol(symbol, 'input.symbols')))]
      : await activeCuratedSymbols(context);
    const outcome = await context.scanner.start({
      symbols,
      type: criteria.optionType,
      weeks: criteria.weeks,
      minAnnualizedReturn: criteria.minAnnualizedReturn ?? null,
      maxDelta: criteria.maxDelta ?? null,
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
    return toScanStatus(await context.scanner.state());
  }

  @Query(() => ScanResults, { description: 'The last scan’s selected contracts, by ticker.' })
  async scanResults(@Ctx() context: GraphQLContext): Promise<ScanResults> {
    // The request's own read: the upstream-cost check before execution read it already when the query values tickers.
    const snapshot = await context.loaders.scanSnapshot();
    const tickers: TickerScanResult[] = Object.keys(snapshot.tickerOptions)
      .sort()
      .map((symbol) => ({
        symbol,
        scannedAt: new Date(snapshot.scanTimes[symbol] ?? snapshot.progress?.startedAt ?? 0),
        options: snapshot.tickerOptions[symbol] ?? [],
      }))
      .filter((ticker) => ticker.options.length > 0);
    return { lastRun: snapshot.lastRun, tickers, criteria: snapshot.criteria ?? null };
  }
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

export function toScanStatus(state: ScanState): ScanStatus {
  const { progress } = state;
  return {
    inProgress: state.inProgress,
    lastRun: state.lastRun,
    startedAt: progress ? new Date(progress.startedAt) : null,
    finishedAt: progress?.finishedAt ? new Date(progress.finishedAt) : null,
    progress: progress ? { total: progress.total, completed: progress.completed } : null,
  };
}
