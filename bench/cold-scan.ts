/** Row 3 and row 7: a cold scan started on a running service, timed until scanStatus says it is over. */
import type { RedisClientType } from '@redis/client';
import type { FakeAlphaVantage } from '../test/support/fake-alpha-vantage.js';
import { ask, body, round, sleep, TOKEN, type NodeProcess } from './harness.js';
import { SCAN_STATUS, START_SCAN } from './queries.js';

export interface ColdScan {
  ms: number;
  serverMs: number;
  upstreamCalls: number;
  tickers: number;
  tickersWithContracts: number;
  contracts: number;
  lastRun: string;
  selected: Record<string, string[]>;
}

interface ColdScanOptions {
  apiKey: string;
  input: Record<string, unknown>;
  /** the query that reads back what was selected: tickers { symbol options { contractId } } at least */
  results: ReturnType<typeof body>;
  /** how often scanStatus is asked; each answer reads the store's scan entries */
  pollMs: number;
}

export async function measureColdScan(service: NodeProcess, redis: RedisClientType, fake: FakeAlphaVantage, options: ColdScanOptions): Promise<ColdScan> {
  // Chains and quotes cold: nothing of them in the store.
  for (const pattern of ['wheel:alphavantage:realtime_options:*', 'wheel:alphavantage:global_quote:*']) {
    const keys: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: pattern, COUNT: 1000 })) keys.push(...(batch as unknown as string[]));
    if (keys.length > 0) await redis.del(keys);
  }
  const auth = { authorization: `Bearer ${TOKEN}` };
  const from = Date.now();
  const started = performance.now();
  const start = await ask<{ startScan: { started: boolean; reason: string | null } }>(
    service.url,
    body(START_SCAN, 'StartScan', { input: options.input }),
    auth,
  );
  if (!start.startScan.started) throw new Error(`startScan refused: ${start.startScan.reason}`);
  type Status = { inProgress: boolean; lastRun: string; startedAt: string | null; finishedAt: string | null; progress: { total: number; completed: number } | null };
  let status: Status;
  for (;;) {
    status = (await ask<{ scanStatus: Status }>(service.url, body(SCAN_STATUS, 'ScanStatus'))).scanStatus;
    if (!status.inProgress) break;
    if (performance.now() - started > 120_000) throw new Error('the scan did not finish in 120 s');
    await sleep(options.pollMs);
  }
  const ms = performance.now() - started;
  if (!/^Scan completed successfully/.test(status.lastRun)) throw new Error(`scan failed: ${status.lastRun}`);
  const results = await ask<{ scanResults: { tickers: Array<{ symbol: string; options: Array<{ contractId: string }> }> } }>(service.url, options.results);
  const selected = Object.fromEntries(results.scanResults.tickers.map((ticker) => [ticker.symbol, ticker.options.map((option) => option.contractId)]));
  return {
    ms: round(ms, 0),
    serverMs: status.startedAt && status.finishedAt ? Date.parse(status.finishedAt) - Date.parse(status.startedAt) : NaN,
    upstreamCalls: fake.calls.filter((call) => call.apikey === options.apiKey && call.at >= from).length,
    tickers: status.progress?.total ?? 0,
    tickersWithContracts: results.scanResults.tickers.length,
    contracts: results.scanResults.tickers.reduce((sum, ticker) => sum + ticker.options.length, 0),
    lastRun: status.lastRun,
    selected,
  };
}

