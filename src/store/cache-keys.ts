/** Logical store keys and their lifetimes (README.md, "Cache layout"). */

export const SCANNER_TTL_MS = 45 * 60 * 1000;

export const SCANNER_KEYS = {
  tickerOptions: 'scanner:ticker_options',
  /** names the write of `scanner:ticker_options` (written with it, atomically): a reader that holds it needs not read the dict again */
  tickerOptionsVersion: 'scanner:ticker_options_version',
  tickerScanTimes: 'scanner:ticker_scan_times',
  lastRun: 'scanner:last_run',
  scanInProgress: 'scanner:scan_in_progress',
} as const;

/** The curated list and each stock's saved assumptions: one entry, no expiry. */
export const CURATED_STOCKS_KEY = 'curated:stocks';

/**
 * The background refresher's lease (a ScanLock on its own key): one refreshing process at a
 * time among those on the store. The holder renews it every tick (a minute at most); a holder
 * silent for two minutes is taken over, and the entry goes by itself ten minutes after.
 */
export const REFRESHER_LEASE = { key: 'refresher:lease', leaseMs: 2 * 60 * 1000, ttlMs: 10 * 60 * 1000 } as const;
