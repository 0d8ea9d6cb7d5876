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
