import { newYorkDate } from '../domain/market-calendar.js';
import { isQuarterStart } from '../domain/quarter-dates.js';
import type { SnapshotRunLock } from '../db/snapshot-run-lock.js';
import type { Logger } from '../logger.js';
import type { SnapshotRunOutcome, ValuationHistory, ValuingLoaders } from './valuation-history.js';

/** How often a process looks whether today is a quarter's first day with snapshots still to record. */
export const SNAPSHOT_CHECK_INTERVAL_MS = 15 * 60_000;

export type SnapshotTick =
  | { outcome: 'not a quarter start' | 'done before' | 'locked elsewhere' | 'failed' }
  | { outcome: 'ran'; run: SnapshotRunOutcome };

export interface SnapshotScheduleDeps {
  history: ValuationHistory;
  lock: SnapshotRunLock;
  /** fresh loaders for each run, charged to no client (the process's upstream budget still paces them) */
  loaders: () => ValuingLoaders;
  clock: () => Date;
  logger: Logger;
  intervalMs?: number;
}

/**
 * The scheduled snapshot run: on the first New York day of each quarter, the active curated
 * stocks are recorded for that day (force false), by one process at a time (the run lock).
 * It looks at start-up and then every SNAPSHOT_CHECK_INTERVAL_MS, so a process started
 * during that day still records, and a run with failures (a spent budget, an upstream down)
 * is tried again for the stocks still missing, until the day ends. Stocks already recorded
 * cost nothing: the run skips them before valuing. A process not running on that day does
 * not catch up later (recordValuationSnapshots does that on request): a fresh deployment
 * mid-quarter must not spend its day's budget on start-up.
 */
export class SnapshotSchedule {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SnapshotTick> | undefined;
  /** the quarter start this process saw recorded whole: nothing more to do that day */
  private doneFor: string | undefined;

  constructor(private readonly deps: SnapshotScheduleDeps) {}

  start(): void {
    if (this.timer) return;
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.deps.intervalMs ?? SNAPSHOT_CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  /** No more checks; resolves once a run in progress has ended. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.idle();
  }

  /** Resolves when no check runs in this process. */
  async idle(): Promise<void> {
    await this.running;
  }

  /** One check, now; a check already running is joined, not doubled. */
  tick(): Promise<SnapshotTick> {
    this.running ??= this.check().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async check(): Promise<SnapshotTick> {
    const { history, lock, loaders, clock, logger } = this.deps;
    const today = newYorkDate(clock());
    if (!isQuarterStart(today)) return { outcome: 'not a quarter start' };
    if (this.doneFor === today) return { outcome: 'done before' };
    try {
      const exclusive = await lock.runExclusively(() => history.record({ date: today, force: false, trigger: 'schedule' }, loaders()));
      if (!exclusive.ran) {
        logger.debug({ date: today }, 'scheduled valuation snapshots: another process is recording them');
        return { outcome: 'locked elsewhere' };
      }
      if (exclusive.value.failed.length === 0) this.doneFor = today;
      return { outcome: 'ran', run: exclusive.value };
    } catch (error) {
      // The database did not answer, or a bug: the next check tries again.
      logger.warn({ err: error, date: today }, 'scheduled valuation snapshots failed; the next check tries again');
      return { outcome: 'failed' };
    }
  }
}
