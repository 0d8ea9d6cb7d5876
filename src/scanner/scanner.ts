import pLimit from 'p-limit';
import pRetry from 'p-retry';
import { formatNewYorkDateTime, isMarketOpen, newYorkDate, nextWeeklyExpirations } from '../domain/market-calendar.js';
import { resolveThresholds, selectContracts, type OptionType, type ScannedContract } from '../domain/scan-rules.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { OptionChains } from '../providers/option-chain.js';
import type { ScanLock } from '../store/scan-lock.port.js';
import { SCANNING, type ScanProgressRecord, type ScanRecords, type ScanSnapshot, type TickerOptions } from '../store/scan-records.port.js';

export const MARKET_CLOSED_MESSAGE =
  'Market is closed. Scans only run during market hours (9:30 AM - 4:00 PM ET, 1:00 PM on early-close days; set ENVIRONMENT=LOCAL to scan outside them).';

export interface ScanRequest {
  symbols: readonly string[];
  type: OptionType;
  weeks: number;
  minAnnualizedReturn?: number | null;
  maxDelta?: number | null;
}

export type StartScanOutcome =
  | { started: true; snapshot: ScanSnapshot }
  | { started: false; reason: 'ALREADY_RUNNING' | 'MARKET_CLOSED'; snapshot: ScanSnapshot };

export interface ScannerDeps {
  lock: ScanLock;
  records: ScanRecords;
  /** fresh chain loaders for one scan (its own DataLoader over the shared cached source) */
  chainsForScan: () => OptionChains;
  /** false (ENVIRONMENT=LOCAL): scans may run outside market hours */
  marketHoursApply: boolean;
  /** tickers fetched at once; the rate budget paces the upstream calls underneath */
  concurrency: number;
  clock: () => Date;
  logger: Logger;
  metrics: Metrics;
}

interface TickerFailure {
  symbol: string;
  reason: string;
}

/**
 * Runs scans in the background of the process that wins the lock, writing each ticker's
 * result as it completes. The lock is released by its holder only, in a finally.
 */
export class Scanner {
  private heldToken: string | undefined;

  constructor(private readonly deps: ScannerDeps) {}

  /** Throws StoreUnavailableError when the lock cannot be asked: never scans without it. */
  async start(request: ScanRequest): Promise<StartScanOutcome> {
    const now = this.deps.clock();
    if (this.deps.marketHoursApply && !isMarketOpen(now)) {
      await this.deps.records.setLastRun(MARKET_CLOSED_MESSAGE);
      return { started: false, reason: 'MARKET_CLOSED', snapshot: await this.deps.records.snapshot() };
    }
    const token = await this.deps.lock.acquire(now);
    if (!token) return { started: false, reason: 'ALREADY_RUNNING', snapshot: await this.deps.records.snapshot() };

    const progress: ScanProgressRecord = { startedAt: now.toISOString(), finishedAt: null, total: request.symbols.length, completed: 0 };
    let snapshot: ScanSnapshot;
    try {
      const thresholds = resolveThresholds(request.type, request);
      await Promise.all([
        this.deps.records.setLastRun(SCANNING),
        this.deps.records.setProgress(progress),
        this.deps.records.setCriteria({ optionType: request.type, weeks: request.weeks, ...thresholds, symbols: [...request.symbols] }),
      ]);
      snapshot = await this.deps.records.snapshot();
    } catch (error) {
      // The store failed between taking the lock and starting: give the lock back, not to its TTL.
      await this.deps.lock.release(token).catch(() => undefined);
      throw error;
    }
    this.heldToken = token;
    void this.run(token, request, progress, snapshot);
    return { started: true, snapshot };
  }

  snapshot(): Promise<ScanSnapshot> {
    return this.deps.records.snapshot();
  }

  /** On shutdown: give the lock back at once so another process can scan. */
  async releaseHeldLock(): Promise<void> {
    if (this.heldToken) await this.deps.lock.release(this.heldToken).catch(() => undefined);
  }

  private async storeFinalState(
    options: TickerOptions,
    times: Record<string, string>,
    lastRun: string,
    progress: ScanProgressRecord,
  ): Promise<void> {
    const { records } = this.deps;
    try {
      await pRetry(
        async () => {
          const stored = await Promise.all([records.saveResults(options, times), records.setLastRun(lastRun), records.setProgress(progress)]);
          if (!stored.every(Boolean)) throw new Error('the store did not take the scan results');
        },
        { retries: FINAL_WRITE_ATTEMPTS - 1, minTimeout: 1000, maxTimeout: 1000 },
      );
    } catch (error) {
      this.deps.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'scan results could not be stored');
    }
  }

  private async run(token: string, request: ScanRequest, progress: ScanProgressRecord, before: ScanSnapshot): Promise<void> {
    const { records, logger } = this.deps;
    const started = Date.now();
    // Previous results stay in place until this scan's replace them.
    const merged: TickerOptions = { ...before.tickerOptions };
    const mergedTimes = { ...before.scanTimes };
    const fresh: TickerOptions = {};
    const freshTimes: Record<string, string> = {};
    const failures: TickerFailure[] = [];
    try {
      const today = newYorkDate(this.deps.clock());
      const expirations = nextWeeklyExpirations(this.deps.clock(), request.weeks);
      const thresholds = resolveThresholds(request.type, request);
      const chains = this.deps.chainsForScan();
      chains.prefetch?.(request.symbols);
      const limit = pLimit(this.deps.concurrency);

      await Promise.all(
        request.symbols.map((symbol) =>
          limit(async () => {
            try {
              const chain = await chains.load(symbol, request.type, expirations);
              // No contract listed in the window (marketdata.app's no_data): nothing to select, not a failure.
              let selected: ScannedContract[] = [];
              if (chain.quotes.length > 0) {
                if (chain.underlyingPrice === null) throw new Error('no underlying price');
                selected = selectContracts({
                  quotes: chain.quotes,
                  underlyingPrice: chain.underlyingPrice,
                  type: request.type,
                  todayNy: today,
                  expirations,
                  thresholds,
                });
              }
              const scannedAt = this.deps.clock().toISOString();
              recordTicker(merged, mergedTimes, symbol, selected, scannedAt);
              recordTicker(fresh, freshTimes, symbol, selected, scannedAt);
              await records.saveResults({ ...merged }, { ...mergedTimes });
            } catch (error) {
              failures.push({ symbol, reason: error instanceof Error ? error.message : String(error) });
              logger.warn({ symbol, err: failures[failures.length - 1]!.reason }, 'ticker scan failed');
            } finally {
              progress.completed += 1;
              await records.setProgress({ ...progress });
            }
          }),
        ),
      );

      const finishedAt = this.deps.clock();
      this.deps.metrics.scanFinished(failures.length === 0 ? 'completed' : 'partial', (Date.now() - started) / 1000);
      const complete = failures.length === 0;
      // A complete scan replaces the previous results whole; a partial one keeps the earlier
      // results of the tickers that failed. Written again until the store takes them, so a
      // store that was down at the end (or lost its data) still gets every result.
      await this.storeFinalState(
        complete ? fresh : merged,
        complete ? freshTimes : mergedTimes,
        complete ? `Scan completed successfully at ${formatNewYorkDateTime(finishedAt)}` : failureMessage(finishedAt, failures, request.symbols.length),
        { ...progress, finishedAt: finishedAt.toISOString() },
      );
      logger.info(
        { tickers: request.symbols.length, failed: failures.length, matched: Object.keys(fresh).length, ms: Date.now() - started },
        'scan finished',
      );
    } catch (error) {
      logger.error({ err: error instanceof Error ? error.message : String(error) }, 'scan failed');
      this.deps.metrics.scanFinished('failed', (Date.now() - started) / 1000);
      await records.setLastRun(`Scan failed at ${formatNewYorkDateTime(this.deps.clock())}: ${error instanceof Error ? error.message : 'unexpected error'}`);
      await records.setProgress({ ...progress, finishedAt: this.deps.clock().toISOString() });
    } finally {
      await this.deps.lock.release(token).catch((error: unknown) =>
        logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'scan lock not released; it expires by TTL'),
      );
      if (this.heldToken === token) this.heldToken = undefined;
    }
  }
}

/** How long a finished scan keeps offering its results to a store that is down. */
const FINAL_WRITE_ATTEMPTS = 30;

/** Tickers with at least one match are listed; one that no longer matches is removed. */
function recordTicker(
  options: TickerOptions,
  times: Record<string, string>,
  symbol: string,
  selected: ScannedContract[],
  scannedAt: string,
): void {
  if (selected.length > 0) {
    options[symbol] = selected;
    times[symbol] = scannedAt;
  } else {
    delete options[symbol];
    delete times[symbol];
  }
}

function failureMessage(at: Date, failures: readonly TickerFailure[], total: number): string {
  const listed = failures
    .slice(0, 5)
    .map((failure) => `${failure.symbol} (${failure.reason})`)
    .join('; ');
  const more = failures.length > 5 ? `; and ${failures.length - 5} more` : '';
  return `Scan failed for ${failures.length} of ${total} tickers at ${formatNewYorkDateTime(at)}: ${listed}${more}. Earlier results for those tickers are kept.`;
}
