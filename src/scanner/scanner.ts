import pLimit from 'p-limit';
import pRetry from 'p-retry';
import { formatNewYorkDateTime, isMarketOpen, newYorkDate, nextWeeklyExpirations } from '../domain/market-calendar.js';
import { filterNeeds, NO_CONTRACT_FILTER, passesFilter, type ContractFilterValues } from '../domain/contract-filter.js';
import { resolveThresholds, selectContracts, type OptionType, type ScannedContract } from '../domain/scan-rules.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { OptionChains } from '../providers/option-chain.js';
import type { ScanLock, ScanLockHolder } from '../store/scan-lock.port.js';
import {
  SCANNING,
  type ScanProgressRecord,
  type ScanRecords,
  type ScanRiskFreeRate,
  type ScanSnapshot,
  type ScanStatusSnapshot,
  type TickerOptions,
} from '../store/scan-records.port.js';
import { needsAnything } from './contract-needs.js';
import { ScanLease } from './scan-lease.js';
import { ScanWriter } from './scan-writer.js';
import { loadTickerFacts, screenTicker, type FactSources } from './screening.js';

export const MARKET_CLOSED_MESSAGE =
  'Market is closed. Scans only run during market hours (9:30 AM - 4:00 PM ET, 1:00 PM on early-close days; set ENVIRONMENT=LOCAL to scan outside them).';

/** lastRun of a scan that lost its lock before it finished (the entry expired or the store lost it) */
export const LOCK_LOST_MESSAGE = 'Scan interrupted: its lock is gone from the store (expired or lost); start a new scan';

export interface ScanRequest {
  symbols: readonly string[];
  type: OptionType;
  weeks: number;
  minAnnualizedReturn?: number | null;
  maxDelta?: number | null;
  /** what the scan keeps beyond the return and delta rules; default: no filter */
  filter?: ContractFilterValues;
}

/** What scanStatus and scanResults show: the records, judged against the lock. */
export interface ScanState extends ScanSnapshot {
  /** a scan holds the lock and its heartbeat is within the lease (in any process) */
  inProgress: boolean;
}

/** What scanStatus shows: the last run and progress, judged against the lock. */
export interface ScanStatusState extends ScanStatusSnapshot {
  inProgress: boolean;
}

export type StartScanOutcome =
  | { started: true; state: ScanState }
  | { started: false; reason: 'ALREADY_RUNNING' | 'MARKET_CLOSED'; state: ScanState };

export interface ClearLockOutcome {
  /** the holder whose lock was freed; undefined when none was held */
  freed: ScanLockHolder | undefined;
  state: ScanState;
}

export interface ScannerDeps {
  lock: ScanLock;
  records: ScanRecords;
  /** fresh chain loaders for one scan (its own DataLoader over the shared cached source) */
  chainsForScan: () => OptionChains;
  /** the rate the scan's probabilities are computed with (TREASURY_YIELD, else RISK_FREE_RATE) */
  riskFreeRate: () => Promise<ScanRiskFreeRate>;
  /** fresh loaders for one scan, for a filter that needs OVERVIEW, the valuation or the calendar */
  factsForScan: () => FactSources;
  /** false (ENVIRONMENT=LOCAL, or sample data: a model, not a market): scans may run outside market hours */
  marketHoursApply: boolean;
  /** appended to a finished scan's lastRun, e.g. that it ran on sample data */
  lastRunNote?: string;
  /** tickers fetched at once; the rate budget paces the upstream calls underneath */
  concurrency: number;
  /** while a scan runs, its results dict is written at most this often (progress after every ticker) */
  resultsWriteIntervalMs: number;
  clock: () => Date;
  logger: Logger;
  metrics: Metrics;
}

interface TickerFailure {
  symbol: string;
  reason: string;
}

/**
 * Runs scans in the background of the process that wins the lock, writing its progress and
 * results as tickers complete while its lease holds (ScanLease, ScanWriter). The lock is released by its
 * holder only, in a finally; a scan that loses it stops and writes nothing more.
 */
export class Scanner {
  private heldLease: ScanLease | undefined;

  constructor(private readonly deps: ScannerDeps) {}

  /** Throws StoreUnavailableError when the lock cannot be asked: never scans without it. */
  async start(request: ScanRequest): Promise<StartScanOutcome> {
    const now = this.deps.clock();
    if (this.deps.marketHoursApply && !isMarketOpen(now)) {
      await this.deps.records.setLastRun(MARKET_CLOSED_MESSAGE);
      return { started: false, reason: 'MARKET_CLOSED', state: await this.state() };
    }
    const token = await this.deps.lock.acquire(now);
    if (!token) return { started: false, reason: 'ALREADY_RUNNING', state: await this.state() };
    const lease = new ScanLease(this.deps.lock, token, this.deps.logger);

    const progress: ScanProgressRecord = { startedAt: now.toISOString(), finishedAt: null, total: request.symbols.length, completed: 0 };
    let state: ScanState;
    // At most one TREASURY_YIELD call a day (cached); the configured rate when it cannot be had.
    // Asked beside the scan, not before it: the first scan of a day would otherwise wait for it.
    const riskFreeRate = this.deps.riskFreeRate();
    riskFreeRate.catch(() => undefined);
    const thresholds = resolveThresholds(request.type, request);
    const criteria = {
      optionType: request.type,
      weeks: request.weeks,
      ...thresholds,
      symbols: [...request.symbols],
      filter: { ...(request.filter ?? NO_CONTRACT_FILTER) },
    };
    try {
      await Promise.all([
        this.deps.records.setLastRun(SCANNING),
        this.deps.records.setProgress(progress),
        this.deps.records.setCriteria(criteria),
      ]);
      state = await this.state();
    } catch (error) {
      // The store failed between taking the lock and starting: give the lock back, not to its lease.
      await lease.release().catch(() => undefined);
      throw error;
    }
    this.heldLease = lease;
    // The criteria say which rate the probabilities use once it is known (written after the first write, in order).
    void riskFreeRate.then(
      (rate) => (lease.lost ? undefined : this.deps.records.setCriteria({ ...criteria, riskFreeRate: rate })),
      () => undefined,
    );
    void this.run(lease, request, riskFreeRate.then((rate) => rate.rate), progress, state);
    return { started: true, state };
  }

  /**
   * The records and the lock, read side by side. A scan whose heartbeat has lapsed, or whose
   * lock is gone before it finished, is no scan in progress: lastRun says it was interrupted.
   */
  state(): Promise<ScanState> {
    return this.judged(() => this.deps.records.snapshot());
  }

  /** state() without the results: what scanStatus shows, without reading the dict a running scan keeps rewriting. */
  status(): Promise<ScanStatusState> {
    return this.judged(() => this.deps.records.status());
  }

  private async judged<Snapshot extends ScanStatusSnapshot>(read: () => Promise<Snapshot>): Promise<Snapshot & { inProgress: boolean }> {
    const [holder, snapshot] = await Promise.all([this.deps.lock.holder(), read()]);
    if (holder?.lapsed) return { ...snapshot, inProgress: false, lastRun: interruptedMessage(holder, this.deps.lock.leaseMs) };
    // The holder's own scan (same start) has written its end just before freeing the lock: it is done.
    const ended = holder !== undefined && snapshot.progress?.startedAt === holder.startedAt && typeof snapshot.progress.finishedAt === 'string';
    if (holder !== undefined || snapshot.lastRun !== SCANNING) return { ...snapshot, inProgress: holder !== undefined && !ended };
    // A scan writes its last message before it frees the lock: read again after the free lock
    // to tell a scan that lost its lock from one that has just finished.
    const after = await read();
    return { ...after, inProgress: false, lastRun: after.lastRun === SCANNING ? LOCK_LOST_MESSAGE : after.lastRun };
  }

  /** Frees the lock whoever holds it (by hand); its scan, in whichever process, stops at its next heartbeat or write. */
  async clearLock(): Promise<ClearLockOutcome> {
    const freed = await this.deps.lock.clear();
    if (freed) {
      this.deps.logger.warn({ startedAt: freed.startedAt, heartbeatAt: freed.heartbeatAt, lapsed: freed.lapsed }, 'scan lock cleared by hand');
      // Ours: stop now rather than at the next heartbeat.
      if (this.heldLease?.owner === freed.owner) void this.heldLease.confirm();
      await this.deps.records.setLastRun(clearedMessage(this.deps.clock(), freed));
    }
    return { freed, state: await this.state() };
  }

  /** On shutdown: give the lock back at once so another process can scan. */
  async releaseHeldLock(): Promise<void> {
    if (this.heldLease) await this.heldLease.release().catch(() => undefined);
  }

  private async storeFinalState(
    lease: ScanLease,
    options: TickerOptions,
    times: Record<string, string>,
    lastRun: string,
    progress: ScanProgressRecord,
  ): Promise<void> {
    const { records } = this.deps;
    try {
      await pRetry(
        async () => {
          if (!(await lease.confirm())) return;
          const stored = await Promise.all([records.saveResults(options, times), records.setLastRun(lastRun), records.setProgress(progress)]);
          if (!stored.every(Boolean)) throw new Error('the store did not take the scan results');
        },
        { retries: FINAL_WRITE_ATTEMPTS - 1, minTimeout: 1000, maxTimeout: 1000 },
      );
    } catch (error) {
      this.deps.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'scan results could not be stored');
    }
  }

  private async run(lease: ScanLease, request: ScanRequest, riskFreeRate: Promise<number>, progress: ScanProgressRecord, before: ScanSnapshot): Promise<void> {
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
      const filter = request.filter ?? NO_CONTRACT_FILTER;
      // A filterless scan loads nothing beyond the chains: no more upstream calls than before the screener.
      const needs = filterNeeds(filter);
      const facts = needsAnything(needs) ? this.deps.factsForScan() : undefined;
      chains.prefetch?.(request.symbols);
      const limit = pLimit(this.deps.concurrency);
      const writer = new ScanWriter(records, lease, { tickerOptions: merged, scanTimes: mergedTimes }, this.deps.resultsWriteIntervalMs, () =>
        this.deps.clock().getTime(),
      );

      const tickers = Promise.all(
        request.symbols.map((symbol) =>
          limit(async () => {
            if (lease.lost) return;
            let scanned = false;
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
              if (facts && selected.length > 0) {
                const tickerFacts = (await loadTickerFacts(facts, [symbol], needs)).get(symbol);
                if (tickerFacts?.problem) throw new Error(tickerFacts.problem);
                const screened = screenTicker(symbol, selected, tickerFacts, { riskFreeRate: await riskFreeRate, todayNy: today });
                selected = selected.filter((_, index) => passesFilter(screened[index]!, filter));
              }
              const scannedAt = this.deps.clock().toISOString();
              recordTicker(merged, mergedTimes, symbol, selected, scannedAt);
              recordTicker(fresh, freshTimes, symbol, selected, scannedAt);
              scanned = true;
            } catch (error) {
              failures.push({ symbol, reason: error instanceof Error ? error.message : String(error) });
              logger.warn({ symbol, err: failures[failures.length - 1]!.reason }, 'ticker scan failed');
            }
            progress.completed += 1;
            writer.tickerDone(progress, scanned);
          }),
        ),
      );
      // A lost lease stops the scan at once: tickers in flight finish unheard, the rest never start.
      await Promise.race([tickers.then(() => writer.settled()), lease.whenLost]);
      if (lease.lost) return;

      const finishedAt = this.deps.clock();
      this.deps.metrics.scanFinished(failures.length === 0 ? 'completed' : 'partial', (Date.now() - started) / 1000);
      const complete = failures.length === 0;
      // A complete scan replaces the previous results whole; a partial one keeps the earlier
      // results of the tickers that failed. Written again until the store takes them, so a
      // store that was down at the end (or lost its data) still gets every result.
      await this.storeFinalState(
        lease,
        complete ? fresh : merged,
        complete ? freshTimes : mergedTimes,
        (complete ? `Scan completed successfully at ${formatNewYorkDateTime(finishedAt)}` : failureMessage(finishedAt, failures, request.symbols.length)) +
          (this.deps.lastRunNote ? ` ${this.deps.lastRunNote}` : ''),
        { ...progress, finishedAt: finishedAt.toISOString() },
      );
      logger.info(
        { tickers: request.symbols.length, failed: failures.length, matched: Object.keys(fresh).length, ms: Date.now() - started },
        'scan finished',
      );
    } catch (error) {
      logger.error({ err: error instanceof Error ? error.message : String(error) }, 'scan failed');
      this.deps.metrics.scanFinished('failed', (Date.now() - started) / 1000);
      if (!(await lease.confirm())) return;
      await records.setLastRun(`Scan failed at ${formatNewYorkDateTime(this.deps.clock())}: ${error instanceof Error ? error.message : 'unexpected error'}`);
      await records.setProgress({ ...progress, finishedAt: this.deps.clock().toISOString() });
    } finally {
      await lease.release().catch((error: unknown) =>
        logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'scan lock not released; another scan may take it over once its lease lapses'),
      );
      if (this.heldLease === lease) this.heldLease = undefined;
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

function interruptedMessage(holder: ScanLockHolder, leaseMs: number): string {
  const lastHeard = holder.heartbeatAt ?? holder.startedAt;
  return `Scan interrupted: the scanning process stopped answering at ${formatNewYorkDateTime(new Date(lastHeard))} (no heartbeat for ${leaseMs / 1000} s); start a new scan`;
}

function clearedMessage(at: Date, freed: ScanLockHolder): string {
  const fate = freed.lapsed ? 'had stopped answering' : 'stops and writes nothing more';
  return `Scan lock cleared by hand at ${formatNewYorkDateTime(at)}: the scan started at ${formatNewYorkDateTime(new Date(freed.startedAt))} ${fate}; start a new scan`;
}

function failureMessage(at: Date, failures: readonly TickerFailure[], total: number): string {
  const listed = failures
    .slice(0, 5)
    .map((failure) => `${failure.symbol} (${failure.reason})`)
    .join('; ');
  const more = failures.length > 5 ? `; and ${failures.length - 5} more` : '';
  return `Scan failed for ${failures.length} of ${total} tickers at ${formatNewYorkDateTime(at)}: ${listed}${more}. Earlier results for those tickers are kept.`;
}
