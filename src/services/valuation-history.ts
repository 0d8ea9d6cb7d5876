import type { ValuationAnalyticsInput } from '../domain/valuation-analytics.js';
import { currentQuarterStart } from '../domain/quarter-dates.js';
import { valuationSnapshot, type ValuationSnapshot } from '../domain/valuation-snapshot.js';
import type { StockValuationResult } from '../domain/valuation.js';
import type { DateRange, ValuationSnapshotRepository } from '../db/valuation-snapshot.repository.js';
import type { RequestLoaders } from '../loaders/request-loaders.js';
import type { Logger } from '../logger.js';
import { UpstreamError } from '../providers/provider-errors.js';

/** What one run did, as SnapshotRun answers it. */
export interface SnapshotRunOutcome {
  date: string;
  recorded: number;
  skipped: number;
  /** "SYMBOL: why", in the order the symbols were given */
  failed: string[];
}

export interface SnapshotRunRequest {
  /** a quarter's first day, already checked */
  date: string;
  /** checked and upper-cased; undefined: the active curated stocks */
  symbols?: readonly string[] | undefined;
  force: boolean;
  /** for the log: who asked */
  trigger: 'mutation' | 'schedule';
}

/** The request's loaders a run values through: the saved assumptions apply, every call is charged to its allowance. */
export type ValuingLoaders = Pick<RequestLoaders, 'intrinsicValue' | 'savedStocks'>;

/**
 * Valuation snapshots: recording a quarter's, reading a stock's history and its analytics.
 * A run values each stock through the same loaders as `intrinsicValue` (the stock's saved
 * assumptions, the cache, the upstream budget); a stock that cannot be valued is reported in
 * `failed` and the others are recorded. Without `force`, stocks already recorded for the date
 * are skipped before they are valued, so a repeated run costs no upstream call.
 */
export class ValuationHistory {
  constructor(
    private readonly repository: ValuationSnapshotRepository,
    /** the instant snapshots are recorded at, and the current quarter */
    readonly clock: () => Date,
    private readonly logger: Logger,
  ) {}

  async record(request: SnapshotRunRequest, loaders: ValuingLoaders): Promise<SnapshotRunOutcome> {
    const { date, force } = request;
    const symbols = [...new Set(request.symbols ?? (await activeCuratedSymbols(loaders)))];
    const already = force ? new Set<string>() : new Set(await this.repository.recordedSymbols(date, symbols));
    const toValue = symbols.filter((symbol) => !already.has(symbol));
    const valued = await Promise.all(toValue.map((symbol) => loaders.intrinsicValue.load({ symbol }).then(snapshotable, (error: unknown) => error)));

    const snapshots: ValuationSnapshot[] = [];
    const failures = new Map<string, string>();
    const recordedAt = this.clock();
    toValue.forEach((symbol, index) => {
      const outcome = valued[index];
      if (isValuation(outcome)) snapshots.push(valuationSnapshot(outcome, date, recordedAt));
      else failures.set(symbol, this.whyFailed(symbol, outcome));
    });
    const { recorded, skipped } = await this.repository.record(snapshots, { force });
    const outcome: SnapshotRunOutcome = {
      date,
      recorded: recorded.length,
      // Skipped before valuing, or recorded meanwhile by another run (the insert left it alone).
      skipped: already.size + skipped.length,
      failed: symbols.filter((symbol) => failures.has(symbol)).map((symbol) => `${symbol}: ${failures.get(symbol)}`),
    };
    this.logger.info({ trigger: request.trigger, date, force, recorded: outcome.recorded, skipped: outcome.skipped, failed: outcome.failed }, 'valuation snapshots run');
    return outcome;
  }

  /** Which of the symbols have a snapshot for the date. */
  recordedSymbols(date: string, symbols: readonly string[]): Promise<string[]> {
    return this.repository.recordedSymbols(date, symbols);
  }

  history(symbol: string, range: DateRange = {}): Promise<ValuationSnapshot[]> {
    return this.repository.history(symbol, range);
  }

  /** Every snapshot (of one stock, when given), by symbol then date, a page at a time. */
  pages(filter: { symbol?: string | undefined } = {}): AsyncGenerator<ValuationSnapshot[]> {
    return this.repository.pages(filter);
  }

  /**
   * What a stock's analytics are computed from: its snapshots and the current quarter, with
   * no current value (the caller values the stock only when a change against it is asked).
   */
  async analyticsInput(symbol: string): Promise<ValuationAnalyticsInput> {
    return {
      symbol,
      snapshots: await this.repository.history(symbol),
      currentEffectiveIntrinsicValue: null,
      currentQuarterStart: currentQuarterStart(this.clock()),
    };
  }

  private whyFailed(symbol: string, error: unknown): string {
    if (error instanceof UpstreamError) return `${error.code}: ${error.message}`;
    if (error instanceof NoModelError) return error.message;
    // A bug, not the stock: logged once with its stack; the run goes on with the others.
    this.logger.error({ err: error, symbol }, 'unexpected error valuing a stock for its snapshot');
    return 'INTERNAL_SERVER_ERROR: unexpected error (logged)';
  }
}

/** A valuation where neither model could run has nothing to record. */
class NoModelError extends Error {
  override name = 'NoModelError';
}

function snapshotable(valuation: StockValuationResult): StockValuationResult | NoModelError {
  if (valuation.eps !== null || valuation.fcf !== null) return valuation;
  return new NoModelError(`NO_MODEL: neither the EPS nor the FCF model could run (${valuation.notes.join('; ') || 'no figures'})`);
}

function isValuation(outcome: unknown): outcome is StockValuationResult {
  return typeof outcome === 'object' && outcome !== null && !(outcome instanceof Error) && 'symbol' in outcome;
}

async function activeCuratedSymbols(loaders: ValuingLoaders): Promise<string[]> {
  return (await loaders.savedStocks()).filter((stock) => stock.active).map((stock) => stock.symbol);
}
