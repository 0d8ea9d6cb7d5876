import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { deepFreeze } from '../deep-freeze.js';
import type { Cache } from './cache.js';
import { SCANNER_KEYS, SCANNER_TTL_MS } from './cache-keys.js';
import {
  NEVER_RUN,
  type ScanCriteriaRecord,
  type ScanProgressRecord,
  type ScanRecords,
  type ScanSnapshot,
  type ScanStatusSnapshot,
  type TickerOptions,
  type TickerScanTimes,
} from './scan-records.port.js';

/** Progress, beside the four scanner entries of the cache layout (README.md), so scanStatus can show it from any process. */
const PROGRESS_KEY = 'scanner:progress';
/** The criteria of the scan whose results `scanner:ticker_options` holds. */
const CRITERIA_KEY = 'scanner:criteria';

/** Every scanner entry the snapshot shows but the dict, in the order it reads them. */
const SMALL_KEYS = [SCANNER_KEYS.tickerOptionsVersion, SCANNER_KEYS.tickerScanTimes, SCANNER_KEYS.lastRun, PROGRESS_KEY, CRITERIA_KEY] as const;

/** The dict as this process last read it, under the version it was written with. */
interface HeldResults {
  version: string;
  tickerOptions: TickerOptions;
}

/** A results write waiting for its turn: a later one takes its place, since each carries the whole dict. */
interface QueuedResults {
  tickerOptions: TickerOptions;
  scanTimes: TickerScanTimes;
  stored: Promise<boolean>;
}

/**
 * The scan's store entries, each a single Keyv value with the 45-minute TTL. Writes of one
 * process go one at a time so a read-modify-write never loses a ticker; each write carries
 * the whole dict, so a store that drops and returns mid-scan catches up at the next ticker.
 * Built over the store's Cache, so it is the same code on Redis and on the embedded store:
 * the Cache (Keyv) already hides which one it is.
 *
 * `scanner:ticker_options` stays one whole dict, written in one transaction with
 * `scanner:ticker_options_version`, a fresh id per write. A 500-ticker dict is megabytes:
 * a snapshot reads the version first and reads, parses and freezes the dict again only when
 * the version is not the one of the dict it holds, so an unchanged dict costs a warm read a
 * 36-character entry. Still read from the store every time: never staler than the store.
 */
export class CacheScanRecords implements ScanRecords {
  private readonly oneAtATime = pLimit(1);
  private held: HeldResults | undefined;
  private queuedResults: QueuedResults | undefined;

  constructor(private readonly cache: Cache) {}

  /**
   * Everything scanStatus and scanResults show but the lock: one store round trip while the
   * dict is unchanged, two when it changed. A store that does not answer throws
   * StoreUnavailableError: "Never" would be a wrong answer.
   */
  async snapshot(): Promise<ScanSnapshot> {
    const [version, ...small] = await this.cache.getManyOrFail<unknown>(SMALL_KEYS);
    const held = this.held;
    if (held !== undefined && version === held.version) return snapshotOf(held.tickerOptions, small);
    // The dict and its version in one read (both were written in one transaction), the rest again beside them.
    const [stored, storedVersion, ...again] = await this.cache.getManyOrFail<unknown>([SCANNER_KEYS.tickerOptions, ...SMALL_KEYS]);
    // Frozen: every later snapshot of this process shares it.
    const tickerOptions = deepFreeze((stored as TickerOptions | undefined) ?? {});
    this.held = typeof storedVersion === 'string' ? { version: storedVersion, tickerOptions } : undefined;
    return snapshotOf(tickerOptions, again);
  }

  /** A scan's progress polled while it rewrites the dict: the two small entries, not the dict. */
  async status(): Promise<ScanStatusSnapshot> {
    const [lastRun, progress] = await this.cache.getManyOrFail<unknown>([SCANNER_KEYS.lastRun, PROGRESS_KEY]);
    return { lastRun: (lastRun as string | undefined) ?? NEVER_RUN, progress: progress as ScanProgressRecord | undefined };
  }

  /** @returns whether the store took it (each write is bounded; a store that is down refuses) */
  setLastRun(message: string): Promise<boolean> {
    return this.write(() => this.cache.set(SCANNER_KEYS.lastRun, message, SCANNER_TTL_MS));
  }

  setProgress(progress: ScanProgressRecord): Promise<boolean> {
    return this.write(() => this.cache.set(PROGRESS_KEY, progress, SCANNER_TTL_MS));
  }

  /**
   * The results as they stand (previous scan's, then progressively this one's). A call made
   * while an earlier one still waits for its turn replaces that one's dict: 500 tickers
   * finishing one after the other write the latest dict, not 500 growing copies of it.
   * @returns whether the store took these results (or newer ones)
   */
  saveResults(tickerOptions: TickerOptions, scanTimes: TickerScanTimes): Promise<boolean> {
    const queued = this.queuedResults;
    if (queued !== undefined) {
      queued.tickerOptions = tickerOptions;
      queued.scanTimes = scanTimes;
      return queued.stored;
    }
    const entry: QueuedResults = { tickerOptions, scanTimes, stored: Promise.resolve(false) };
    this.queuedResults = entry;
    entry.stored = this.write(() => {
      if (this.queuedResults === entry) this.queuedResults = undefined;
      return this.cache.setMany(
        [
          // First: its expiry is never later than the dict's, so a live version always names a live dict.
          { key: SCANNER_KEYS.tickerOptionsVersion, value: randomUUID() },
          { key: SCANNER_KEYS.tickerOptions, value: entry.tickerOptions },
          { key: SCANNER_KEYS.tickerScanTimes, value: entry.scanTimes },
        ],
        SCANNER_TTL_MS,
      );
    });
    return entry.stored;
  }

  setCriteria(criteria: ScanCriteriaRecord): Promise<boolean> {
    return this.write(() => this.cache.set(CRITERIA_KEY, criteria, SCANNER_TTL_MS));
  }

  private write(work: () => Promise<boolean>): Promise<boolean> {
    return this.oneAtATime(work);
  }
}

/** The snapshot from the dict and the small entries, in SMALL_KEYS' order after the version. */
function snapshotOf(tickerOptions: TickerOptions, [scanTimes, lastRun, progress, criteria]: unknown[]): ScanSnapshot {
  return {
    tickerOptions,
    scanTimes: (scanTimes as TickerScanTimes | undefined) ?? {},
    lastRun: (lastRun as string | undefined) ?? NEVER_RUN,
    progress: progress as ScanProgressRecord | undefined,
    criteria: criteria as ScanCriteriaRecord | undefined,
  };
}
