/**
 * Rows 7-10: an index (500 tickers, test/support/symbol-universe.ts) scanned cold on a
 * service of its own at a 1 200/minute budget, against the same scan sequential; then the
 * warm read of its results against the baseline; the service's peak RSS over both.
 * Runs after row 6, on the valuation service's database (14), whose fundamentals of the
 * universe (OVERVIEW's dividend yield, for the score) the valuation service loads first.
 */
import { isDeepStrictEqual } from 'node:util';
import type { RedisClientType } from '@redis/client';
import type { FakeAlphaVantage } from '../test/support/fake-alpha-vantage.js';
import { mostInAnyWindow } from '../test/support/sliding-window.js';
import { symbolUniverse } from '../test/support/symbol-universe.js';
import { body, compare, DB_VALUATION, PeakMemory, post, startBaseline, startService, TOKEN, type LoadOptions, type LoadResult, type NodeProcess } from './harness.js';
import { INDEX_RESULTS, INTRINSIC_VALUES, SCAN_INPUT, SCREENER_TOP } from './queries.js';
import { measureColdScan, type ColdScan } from './cold-scan.js';
import { renderScanBodies, sequentialScan } from './sequential-scan.js';

export const INDEX_SYMBOLS = symbolUniverse();
export const INDEX_RATE_PER_MINUTE = 1200;
export const INDEX_MEMORY_LIMIT_MB = 250;
const KEY_INDEX = 'bench-key-index';
const KEY_INDEX_SEQUENTIAL = 'bench-key-index-sequential';
const KEY_INDEX_WARM_UP = 'bench-key-index-warm-up';
/** intrinsicValues takes at most 100 symbols a query */
const FUNDAMENTALS_BATCH = 100;

export interface IndexScale {
  cold: ColdScan;
  sequential: { ms: number; calls: number; tickersWithContracts: number };
  sameSelection: boolean;
  budget: { perSlidingMinute: number; perSlidingSecond: number; total: number };
  /** which warm read was measured: the screener query, or the interim one while the surface lacks it */
  warmQuery: 'ScreenerTop' | 'IndexResults';
  /** why the screener query was not measured, when it was not */
  screenerRefusal: string | null;
  sameAnswer: boolean;
  warm: { service: LoadResult; baseline: LoadResult };
  bytes: { service: number; baseline: number };
  peakRssMb: number;
  rssByPhaseMb: Record<string, Record<string, number>>;
}

type Log = (message: string) => void;

export async function measureIndexScale(
  fake: FakeAlphaVantage,
  valuationService: NodeProcess,
  redis: RedisClientType,
  load: LoadOptions,
  log: Log,
): Promise<IndexScale> {
  log(`7. index: fundamentals of ${INDEX_SYMBOLS.length} symbols through the valuation service (for the score's dividend yields)`);
  for (let from = 0; from < INDEX_SYMBOLS.length; from += FUNDAMENTALS_BATCH) {
    // Errors for single symbols are fine: only the cached OVERVIEW bodies matter here. With the
    // bearer token: 1 500 calls in a minute are far past an anonymous client's upstream budget
    // (ANONYMOUS_UPSTREAM_CALLS_PER_MINUTE 300), which left two thirds of the OVERVIEWs uncached.
    await post(
      valuationService.url,
      body(INTRINSIC_VALUES, 'IntrinsicValues', { symbols: INDEX_SYMBOLS.slice(from, from + FUNDAMENTALS_BATCH) }),
      { authorization: `Bearer ${TOKEN}` },
    );
  }
  const service = await startService('service-index', { database: DB_VALUATION, fake, apiKey: KEY_INDEX, ratePerMinute: INDEX_RATE_PER_MINUTE });
  const processes: NodeProcess[] = [service];
  try {
    const memory = new PeakMemory([service]);
    log('7. index: the fake renders its 1 000 bodies once');
    await renderScanBodies(fake.url, KEY_INDEX_WARM_UP, INDEX_SYMBOLS);
    log(`7. index: cold scan of ${INDEX_SYMBOLS.length} tickers at ${INDEX_RATE_PER_MINUTE}/min`);
    memory.phase('index: cold scan');
    const from = Date.now();
    const cold = await measureColdScan(service, redis, fake, {
      apiKey: KEY_INDEX,
      input: { ...SCAN_INPUT, symbols: INDEX_SYMBOLS },
      results: body(INDEX_RESULTS, 'IndexResults'),
      // Each poll reads the dict whole while the scan rewrites it: 4 a second tells the end to 1 %.
      pollMs: 250,
    }).catch((error: unknown) => {
      log(`service-index's last log lines:\n${service.logs.join('').slice(-4000)}`);
      throw error;
    });
    memory.phase('index: sequential reference (service idle)');
    log(`7. index: the same scan sequential (${INDEX_SYMBOLS.length * 2} calls one at a time, ~${Math.round((INDEX_SYMBOLS.length * 2 * 0.16))} s)`);
    const sequential = await sequentialScan(fake.url, KEY_INDEX_SEQUENTIAL, INDEX_SYMBOLS, SCAN_INPUT);
    const sameSelection = isDeepStrictEqual(cold.selected, sequential.selected);

    log('9. index: warm read, shape check, then load');
    const screener = body(SCREENER_TOP, 'ScreenerTop');
    const tried = await post(service.url, screener);
    const screenerRefusal = tried.json.errors?.length ? `${tried.json.errors[0]!.extensions?.code ?? ''} ${tried.json.errors[0]!.message}`.trim() : null;
    const warmBody = screenerRefusal === null ? screener : body(INDEX_RESULTS, 'IndexResults');
    const riskFreeRate = (tried.json.data?.['scanResults'] as { riskFreeRate?: number } | undefined)?.riskFreeRate;
    const baseline = await startBaseline('baseline-index', DB_VALUATION, [], riskFreeRate === undefined ? {} : { RISK_FREE_RATE: String(riskFreeRate) });
    processes.push(baseline);
    const [serviceAnswer, baselineAnswer] = await Promise.all([post(service.url, warmBody), post(baseline.url, warmBody)]);
    if (serviceAnswer.json.errors) throw new Error(`service answered ${warmBody.operationName} with errors: ${serviceAnswer.text.slice(0, 500)}`);
    const sameAnswer = isDeepStrictEqual(serviceAnswer.json, baselineAnswer.json);
    if (!sameAnswer && warmBody.operationName === 'IndexResults') throw new Error('the baseline does not answer IndexResults as the service does; fix bench/baseline-server.ts');
    memory.phase('index: warm read load');
    const warm = await compare(service.url, baseline.url, warmBody, load);
    for (const [side, result] of Object.entries(warm)) {
      if (result.non2xx + result.errors + result.timeouts > 0) throw new Error(`${warmBody.operationName} ${side}: ${JSON.stringify(result)}`);
    }
    const { peakMb, byPhaseMb } = memory.stop();
    const calls = fake.calls.filter((call) => call.apikey === KEY_INDEX && call.at >= from).map((call) => call.at);
    return {
      cold: { ...cold, selected: {} },
      sequential: { ms: sequential.ms, calls: sequential.calls, tickersWithContracts: sequential.tickersWithContracts },
      sameSelection,
      budget: { perSlidingMinute: mostInAnyWindow(calls, 60_000), perSlidingSecond: mostInAnyWindow(calls, 1_000), total: calls.length },
      warmQuery: warmBody.operationName as IndexScale['warmQuery'],
      screenerRefusal,
      sameAnswer,
      warm,
      bytes: { service: Buffer.byteLength(serviceAnswer.text), baseline: Buffer.byteLength(baselineAnswer.text) },
      peakRssMb: peakMb['service-index'] ?? NaN,
      rssByPhaseMb: byPhaseMb,
    };
  } finally {
    await Promise.all(processes.map((child) => child.stop()));
  }
}
