import type { ScanProgressRecord, ScanRecords, TickerOptions, TickerScanTimes } from '../store/scan-records.port.js';
import type { ScanLease } from './scan-lease.js';

/** The results as they stand, read when a write goes out (the scan keeps changing them in place). */
export interface LiveResults {
  tickerOptions: TickerOptions;
  scanTimes: TickerScanTimes;
}

/**
 * A running scan's writes to its records, off the tickers' path: a finished ticker notes its
 * progress and goes on; one write at a time carries the latest progress, and the whole
 * results dict at most every `resultsIntervalMs` (megabytes for an index: a dict per ticker
 * would make the scan quadratic). Each write is made only while the lease holds (asked just
 * before). The final results are the scan's own write, after `settled()`.
 */
export class ScanWriter {
  private writing: Promise<void> | undefined;
  private progress: ScanProgressRecord | undefined;
  private resultsChanged = false;
  private lastResultsAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly records: ScanRecords,
    private readonly lease: ScanLease,
    private readonly results: LiveResults,
    private readonly resultsIntervalMs: number,
    /** ms, the scanner's clock */
    private readonly now: () => number,
  ) {}

  /** A ticker is done: its progress (copied), and whether it changed the results. */
  tickerDone(progress: ScanProgressRecord, resultsChanged: boolean): void {
    this.progress = { ...progress };
    this.resultsChanged ||= resultsChanged;
    this.writing ??= this.writeWhileNews().finally(() => {
      this.writing = undefined;
    });
  }

  /** Settles once every write asked for so far is done (or refused: the lease is lost). */
  async settled(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async writeWhileNews(): Promise<void> {
    while (this.progress !== undefined) {
      if (!(await this.lease.confirm())) return;
      const progress = this.progress;
      this.progress = undefined;
      const writes = [this.records.setProgress(progress)];
      const at = this.now();
      if (this.resultsChanged && at - this.lastResultsAt >= this.resultsIntervalMs) {
        this.resultsChanged = false;
        this.lastResultsAt = at;
        writes.push(this.records.saveResults({ ...this.results.tickerOptions }, { ...this.results.scanTimes }));
      }
      await Promise.all(writes);
    }
  }
}
