import type { ContractFilterValues } from '../domain/contract-filter.js';
import type { OptionType, ScannedContract } from '../domain/scan-rules.js';

export type TickerOptions = Record<string, ScannedContract[]>;
/** symbol → ISO instant of its scan */
export type TickerScanTimes = Record<string, string>;

export interface ScanProgressRecord {
  startedAt: string;
  finishedAt: string | null;
  total: number;
  completed: number;
}

/** The criteria a scan ran with, after defaults: kept beside its results. */
export interface ScanCriteriaRecord {
  optionType: OptionType;
  weeks: number;
  minAnnualizedReturn: number;
  /** null: the default rule for the type (0.20 for puts, DTE-scaled for calls) */
  maxDelta: number | null;
  symbols: string[];
  /** what the scan kept beyond the return and delta rules, after defaults (absent in records older than the screener) */
  filter?: ContractFilterValues;
  /** the rate the scan's probabilities are computed with, and where it came from (absent in older records) */
  riskFreeRate?: ScanRiskFreeRate;
}

export interface ScanRiskFreeRate {
  /** a decimal, e.g. 0.0425 */
  rate: number;
  source: 'TREASURY_YIELD' | 'RISK_FREE_RATE';
  /** the treasury's date of the figure; null for the configured rate */
  asOf: string | null;
}

export interface ScanSnapshot {
  tickerOptions: TickerOptions;
  scanTimes: TickerScanTimes;
  lastRun: string;
  progress: ScanProgressRecord | undefined;
  /** of the scan whose results these are; undefined before any scan */
  criteria: ScanCriteriaRecord | undefined;
}

/** What scanStatus shows but the lock: the snapshot without the results. */
export type ScanStatusSnapshot = Pick<ScanSnapshot, 'lastRun' | 'progress'>;

export const NEVER_RUN = 'Never';
export const SCANNING = 'Scanning in progress...';

/**
 * The scan's store entries (`scanner:*`, 45 minutes each), readable from any process on the
 * store. Writes answer whether the store took them (a store that is down refuses; each is
 * bounded in time); the snapshot throws StoreUnavailableError instead of answering "Never".
 */
export interface ScanRecords {
  /** Everything scanStatus and scanResults show but the lock (the ScanLock's to judge), in one store round trip. */
  snapshot(): Promise<ScanSnapshot>;
  /** The last run and the progress only, never the results dict: what a status poll needs, in one store round trip. */
  status(): Promise<ScanStatusSnapshot>;
  setLastRun(message: string): Promise<boolean>;
  setProgress(progress: ScanProgressRecord): Promise<boolean>;
  /** The results as they stand (previous scan's, then progressively this one's). */
  saveResults(tickerOptions: TickerOptions, scanTimes: TickerScanTimes): Promise<boolean>;
  setCriteria(criteria: ScanCriteriaRecord): Promise<boolean>;
}
