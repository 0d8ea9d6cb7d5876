/** The scanner's records, as the store keeps them (src/store/scan-records.port.ts). */
export {
  NEVER_RUN,
  SCANNING,
  type ScanProgressRecord,
  type ScanRecords,
  type ScanSnapshot,
  type TickerOptions,
  type TickerScanTimes,
} from '../store/scan-records.port.js';
