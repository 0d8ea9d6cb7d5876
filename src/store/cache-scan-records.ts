import pLimit from 'p-limit';
import type { Cache } from './cache.js';
import { SCANNER_KEYS, SCANNER_TTL_MS } from './cache-keys.js';
import {
  NEVER_RUN,
  type ScanCriteriaRecord,
  type ScanProgressRecord,
  type ScanRecords,
  type ScanSnapshot,
  type TickerOptions,
  type TickerScanTimes,
} from './scan-records.port.js';

/** Progress, beside the four scanner entries of the cache layout (README.md), so scanStatus can show it from any process. */
const PROGRESS_KEY = 'scanner:progress';
/** The criteria of the scan whose results `scanner:ticker_options` holds. */
const CRITERIA_KEY = 'scanner:criteria';

/**
 * The scan's store entries, each a single Keyv value with the 45-minute TTL. Writes of one
 * process go one at a time so a read-modify-write never loses a ticker; each write carries
 * the whole dict, so a store that drops and returns mid-scan catches up at the next ticker.
 * Built over the store's Cache, so it is the same code on Redis and on the embedded store:
 * the Cache (Keyv) already hides which one it is.
 */
export class CacheScanRecords implements ScanRecords {
  private readonly oneAtATime = pLimit(1);

  constructor(private readonly cache: Cache) {}

  /**
   * Everything scanStatus and scanResults show but the lock, in one store round trip. A
   * store that does not answer throws StoreUnavailableError: "Never" would be a wrong answer.
   */
  async snapshot(): Promise<ScanSnapshot> {
    const [tickerOptions, scanTimes, lastRun, progress, criteria] = await this.cache.getManyOrFail<unknown>([
      SCANNER_KEYS.tickerOptions,
      SCANNER_KEYS.tickerScanTimes,
      SCANNER_KEYS.lastRun,
      PROGRESS_KEY,
      CRITERIA_KEY,
    ]);
    return {
      tickerOptions: (tickerOptions as TickerOptions | undefined) ?? {},
      scanTimes: (scanTimes as TickerScanTimes | undefined) ?? {},
      lastRun: (lastRun as string | undefined) ?? NEVER_RUN,
      progress: progress as ScanProgressRecord | undefined,
      criteria: criteria as ScanCriteriaRecord | undefined,
    };
  }

  /** @returns whether the store took it (each write is bounded; a store that is down refuses) */
  setLastRun(message: string): Promise<boolean> {
    return this.write(() => this.cache.set(SCANNER_KEYS.lastRun, message, SCANNER_TTL_MS));
  }

  setProgress(progress: ScanProgressRecord): Promise<boolean> {
    return this.write(() => this.cache.set(PROGRESS_KEY, progress, SCANNER_TTL_MS));
  }

  /** The results as they stand (previous scan's, then progressively this one's). */
  saveResults(tickerOptions: TickerOptions, scanTimes: TickerScanTimes): Promise<boolean> {
    return this.write(async () => {
      const stored = await Promise.all([
        this.cache.set(SCANNER_KEYS.tickerOptions, tickerOptions, SCANNER_TTL_MS),
        this.cache.set(SCANNER_KEYS.tickerScanTimes, scanTimes, SCANNER_TTL_MS),
      ]);
      return stored.every(Boolean);
    });
  }

  setCriteria(criteria: ScanCriteriaRecord): Promise<boolean> {
    return this.write(() => this.cache.set(CRITERIA_KEY, criteria, SCANNER_TTL_MS));
  }

  private write(work: () => Promise<boolean>): Promise<boolean> {
    return this.oneAtATime(work);
  }
}
