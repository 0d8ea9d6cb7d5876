/** What the scanner tests (in-process and e2e) ask of a running service, and how they wait. */
import { expect } from 'vitest';
import type { FakeAlphaVantage } from './fake-alpha-vantage.js';
import { ask } from './graphql-client.js';
import { CLEAR_SCAN_LOCK, SCAN_STATUS, START_SCAN } from './scan-operations.js';

export type OptionType = 'PUT' | 'CALL';

/** One kept contract as scanResults answers it: the fields every scan test asks for. */
export interface OptionResult {
  contractId: string;
  type: OptionType;
  expiration: string;
  daysToExpiration: number;
  strike: number;
  bid: number;
  delta: number | null;
  impliedVolatility: number | null;
  underlyingPrice: number | null;
  percentChange: number | null;
  annualizedReturn: number;
  belowIntrinsicValue: boolean | null;
}

export interface ScanInput {
  symbols?: string[];
  optionType?: OptionType;
  weeks?: number;
  minAnnualizedReturn?: number;
  maxDelta?: number;
}

export interface ScanStatus {
  inProgress: boolean;
  lastRun: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress: { total: number; completed: number } | null;
}

export interface StartScanData {
  startScan: { started: boolean; reason: 'ALREADY_RUNNING' | 'MARKET_CLOSED' | null; status: ScanStatus };
}

export interface ClearScanLockData {
  clearScanLock: { cleared: boolean; scanStartedAt: string | null; lastHeartbeatAt: string | null; status: ScanStatus };
}

export const SCAN_TOKEN = 'secret-token';
export const AUTH = { authorization: `Bearer ${SCAN_TOKEN}` };
export const SUCCESS = /^Scan completed successfully at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

export const startScan = (url: string, input?: ScanInput, headers: Record<string, string> = AUTH) =>
  ask<StartScanData, { input?: ScanInput }>(url, START_SCAN, input === undefined ? {} : { input }, headers);

export const clearScanLock = (url: string, headers: Record<string, string> = AUTH) =>
  ask<ClearScanLockData, object>(url, CLEAR_SCAN_LOCK, {}, headers);

/** lastRun of a scan whose process stopped answering (its lease lapsed) */
export const INTERRUPTED =
  /^Scan interrupted: the scanning process stopped answering at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \(no heartbeat for \d+(\.\d+)? s\); start a new scan$/;

export async function scanStatus(url: string): Promise<ScanStatus> {
  const answer = await ask<{ scanStatus: ScanStatus }, object>(url, SCAN_STATUS);
  expect(answer.errors).toEqual([]);
  return answer.data!.scanStatus;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` returns something other than undefined/false; throws at the deadline. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/**
 * The status once the scan has finished (finishedAt written) and no scan runs (the lock is
 * gone), within the deadline. A store read that times out shows neither, so it is not taken
 * for the end.
 */
export function scanEnd(url: string, timeoutMs = 20_000): Promise<ScanStatus> {
  return waitFor('the scan to finish', async () => {
    const status = await scanStatus(url);
    return status.inProgress || !status.progress || status.finishedAt === null ? undefined : status;
  }, timeoutMs);
}

/** For afterAll: no scan left running (whether or not one ever ran). */
export const noScanRunning = (url: string) =>
  waitFor('no scan to run', async () => !(await scanStatus(url)).inProgress, 20_000).catch(() => undefined);

/** The service's environment for the scanner tests (its Redis is the caller's to add). */
export const scannerEnv = (database: number, fake: FakeAlphaVantage) => ({
  ALPHAVANTAGE_API_KEY: `test-key-scanner-${database}`,
  ALPHAVANTAGE_BASE_URL: fake.url,
  ALPHAVANTAGE_RATE_LIMIT_PER_MINUTE: '6000',
  ALPHAVANTAGE_RATE_LIMIT_PER_DAY: '0',
  ALPHAVANTAGE_RETRIES: '0',
  ENVIRONMENT: 'LOCAL',
  API_TOKENS: SCAN_TOKEN,
  LOG_LEVEL: 'info',
  // A loaded machine (files run side by side) can exceed the 500 ms default; a timed-out read
  // shows "no scan, never run", which these tests would misread.
  STORE_TIMEOUT_MS: '5000',
});
