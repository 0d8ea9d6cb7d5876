/** The scanner's operations with every field, shared by the scanner tests (test/integration/scanner.test.ts, test/e2e/scanner.e2e.test.ts) and the bench. */

const STATUS_FIELDS = 'inProgress lastRun startedAt finishedAt progress { total completed }';

export const START_SCAN = `mutation StartScan($input: StartScanInput) {
  startScan(input: $input) { started reason status { ${STATUS_FIELDS} } }
}`;

export const SCAN_STATUS = `query ScanStatus { scanStatus { ${STATUS_FIELDS} } }`;

export const CLEAR_SCAN_LOCK = `mutation ClearScanLock {
  clearScanLock { cleared scanStartedAt lastHeartbeatAt status { ${STATUS_FIELDS} } }
}`;

export const SCAN_RESULTS = `query ScanResults {
  scanResults {
    lastRun
    tickers {
      symbol
      scannedAt
      options {
        contractId type expiration daysToExpiration strike bid delta impliedVolatility
        underlyingPrice percentChange annualizedReturn belowIntrinsicValue
      }
      intrinsicValue { effectiveIntrinsicValue }
    }
  }
}`;
