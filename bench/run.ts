/**
 * npm run bench: the service (dist/main.js, two processes on Redis databases 14 and 15)
 * against a fake Alpha Vantage answering in 150 ms, driven by autocannon; one table on
 * stdout, the same as JSON in bench/results/latest.json. See bench/README.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import type { FakeAlphaVantage } from '../test/support/fake-alpha-vantage.js';
import { connectRedis, redisUrlFor } from '../test/support/redis.js';
import { RedisMonitor } from '../test/support/redis-monitor.js';
import { config } from './dist.js';
import {
  ask,
  benchLock,
  body,
  compare,
  DB_SCANNER,
  DB_VALUATION,
  resetBenchDatabases,
  heapOf,
  PeakMemory,
  post,
  round,
  sleep,
  startBaseline,
  startFake,
  startService,
  UPSTREAM_LATENCY_MS,
  type LoadResult,
  type NodeProcess,
} from './harness.js';
import { measureFlood, type FloodResult } from './flood.js';
import { INTRINSIC_VALUE, INTRINSIC_VALUES, SCAN_INPUT, SCAN_RESULTS } from './queries.js';
import { mostInAnyWindow } from '../test/support/sliding-window.js';
import { renderScanBodies, sequentialScan } from './sequential-scan.js';
import { measureColdScan, type ColdScan } from './cold-scan.js';
import { INDEX_MEMORY_LIMIT_MB, INDEX_RATE_PER_MINUTE, INDEX_SYMBOLS, measureIndexScale, type IndexScale } from './index-scale.js';

const SYMBOLS = [...config.DEFAULT_CURATED_SYMBOLS];
const KEY_VALUATION = 'bench-key-valuation';
const KEY_SCANNER = 'bench-key-scanner';
const KEY_SEQUENTIAL = 'bench-key-sequential';
const KEY_WARM_UP = 'bench-key-warm-up';
const SCAN_RATE_PER_MINUTE = 600;
const CONNECTIONS = 10;
const DURATION_S = Number(process.env['BENCH_DURATION_S'] ?? 10);
const WARMUP_S = Number(process.env['BENCH_WARMUP_S'] ?? 2);
/** the 10 measured seconds, as 2 alternating slices of 5 s of service, then baseline */
const SLICES = 2;
const CONCURRENT_COLD = 100;
/** row 6: the flood's requests in flight, each for this many symbols never asked before, on a paced budget */
const FLOODERS = 8;
const FLOOD_SYMBOLS = 50;
const FLOOD_RATE_PER_MINUTE = 60;
const MEMORY_LIMIT_MB = 200;
/** BENCH_ROWS=index: rows 7-10 only (see bench/README.md) */
const ONLY_INDEX_ROWS = process.env['BENCH_ROWS'] === 'index';

interface Row {
  id: string;
  measure: string;
  value: string;
  target: string;
  met: boolean;
}

const intrinsicValuesBody = body(INTRINSIC_VALUES, 'IntrinsicValues', { symbols: SYMBOLS });
const scanResultsBody = body(SCAN_RESULTS, 'ScanResults');

/** A run that takes longer than this has hung on something: say where, and stop. */
const WATCHDOG_MS = 600_000;
let phase = 'start-up';

async function main(): Promise<void> {
  const unlock = await benchLock();
  const startedAt = Date.now();
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: no result after ${WATCHDOG_MS / 1000} s, still in phase "${phase}"; giving up\n`);
    process.exit(2);
  }, WATCHDOG_MS);
  watchdog.unref();
  const loadAtStart = round(loadavg()[0]!, 2);
  const redis = {
    valuation: await connectRedis(redisUrlFor(DB_VALUATION)),
    scanner: await connectRedis(redisUrlFor(DB_SCANNER)),
  };
  await Promise.all([redis.valuation.flushDb(), redis.scanner.flushDb()]);
  await resetBenchDatabases([DB_VALUATION, DB_SCANNER]);
  const fake = await startFake();
  const processes: NodeProcess[] = [];
  try {
    const started = await Promise.allSettled([
      startService('service-valuation', { database: DB_VALUATION, fake, apiKey: KEY_VALUATION, ratePerMinute: 60_000 }),
      startService('service-scanner', { database: DB_SCANNER, fake, apiKey: KEY_SCANNER, ratePerMinute: SCAN_RATE_PER_MINUTE }),
      startBaseline('baseline-valuation', DB_VALUATION),
      startBaseline('baseline-scanner', DB_SCANNER),
    ]);
    for (const outcome of started) if (outcome.status === 'fulfilled') processes.push(outcome.value);
    const failed = started.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    const [valuationService, scannerService, valuationBaseline, scannerBaseline] = processes as [NodeProcess, NodeProcess, NodeProcess, NodeProcess];
    const memory = new PeakMemory([valuationService, scannerService]);
    log(`services ${valuationService.url} (db ${DB_VALUATION}), ${scannerService.url} (db ${DB_SCANNER}); upstream ${fake.url} at ${UPSTREAM_LATENCY_MS} ms`);

    if (ONLY_INDEX_ROWS) {
      // Rows 7-10 alone, for experiments: the table, and the JSON in bench/.build/, never latest.json.
      const index = await measureIndexScale(fake, valuationService, redis.valuation, loadOptions(), log);
      const rows = indexRows(index);
      printTable(rows);
      const file = new URL('../index-rows.json', import.meta.url);
      writeFileSync(file, `${JSON.stringify({ generatedAt: new Date().toISOString(), loadAverage: { atStart: loadAtStart, atEnd: round(loadavg()[0]!, 2) }, rows, index }, null, 2)}\n`);
      log(`rows 7-10 only (BENCH_ROWS=index): written ${file.pathname}`);
      return;
    }

    // The scanner service's fundamentals (for scanResults' valuations) come in under its
    // 600/min budget meanwhile: 78 calls, about 9 s.
    const scannerFundamentals = ask(scannerService.url, intrinsicValuesBody);

    memory.phase('cold fundamentals + de-duplication');
    log('4. concurrency de-duplication');
    const dedup = await measureDeduplication(valuationService, fake);

    await ask(valuationService.url, intrinsicValuesBody); // valuation service: 78 upstream calls, cold
    await scannerFundamentals;

    log('3. cold scan (service), then the sequential reference');
    await renderScanBodies(fake.url, KEY_WARM_UP, SYMBOLS);
    memory.phase('cold scan');
    const cold = await measureColdScan(scannerService, redis.scanner, fake, { apiKey: KEY_SCANNER, input: SCAN_INPUT, results: scanResultsBody, pollMs: 20 });
    memory.phase('sequential reference scan');
    const sequential = await sequentialScan(fake.url, KEY_SEQUENTIAL, SYMBOLS, SCAN_INPUT);
    const sameSelection = isDeepStrictEqual(cold.selected, sequential.selected);

    log('2. Redis round trips of a warm intrinsicValues(26)');
    memory.phase('round trips');
    const roundTrips = await measureRoundTrips(valuationService);

    log('1. warm queries: shape check, then load');
    const shapes = {
      intrinsicValues: await sameAnswer(valuationService.url, valuationBaseline.url, intrinsicValuesBody),
      scanResults: await sameAnswer(scannerService.url, scannerBaseline.url, scanResultsBody),
    };
    for (const [name, shape] of Object.entries(shapes)) {
      if (!shape.sameJson) throw new Error(`the baseline does not answer ${name} as the service does; fix bench/baseline-server.ts`);
    }
    memory.phase('load: intrinsicValues');
    const heap: Record<string, unknown> = { 'service-valuation, idle before load': await heapOf(valuationService.url) };
    const intrinsicValuesLoad = await compare(valuationService.url, valuationBaseline.url, intrinsicValuesBody, loadOptions());
    heap['service-valuation, after its load'] = await heapOf(valuationService.url);
    memory.phase('load: scanResults');
    const scanResultsLoad = await compare(scannerService.url, scannerBaseline.url, scanResultsBody, loadOptions());
    heap['service-scanner, after its load'] = await heapOf(scannerService.url);
    memory.phase('end');
    const loads = { intrinsicValues: intrinsicValuesLoad, scanResults: scanResultsLoad };
    for (const [name, pair] of Object.entries(loads)) {
      for (const [side, result] of Object.entries(pair)) {
        if (result.non2xx + result.errors + result.timeouts > 0) throw new Error(`${name} ${side}: ${JSON.stringify(result)}`);
      }
    }
    // Still right after the load?
    for (const [name, check] of [
      ['intrinsicValues', () => sameAnswer(valuationService.url, valuationBaseline.url, intrinsicValuesBody)],
      ['scanResults', () => sameAnswer(scannerService.url, scannerBaseline.url, scanResultsBody)],
    ] as const) {
      if (!(await check()).sameJson) throw new Error(`${name} answers changed during the load`);
    }

    log('5. memory');
    const { peakMb: peaks, byPhaseMb } = memory.stop();

    log('6. a cached query during a flood of uncached ones');
    const flood = await measureFloodOn(fake);

    // The index rows on database 14 once the flood service is gone (the scanner service is idle by now).
    const index = await measureIndexScale(fake, valuationService, redis.valuation, loadOptions(), log);

    const scannerCalls = fake.calls.filter((call) => call.apikey === KEY_SCANNER).map((call) => call.at);
    const budget = { perSlidingMinute: mostInAnyWindow(scannerCalls, 60_000), perSlidingSecond: mostInAnyWindow(scannerCalls, 1_000), total: scannerCalls.length };

    const rows = buildRows({ loads, roundTrips, cold, sequential, sameSelection, budget, dedup, peaks, flood, index });
    const result = {
      generatedAt: new Date().toISOString(),
      wallTimeS: round((Date.now() - startedAt) / 1000, 1),
      machine: {
        node: process.version,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        // Anything else running on the machine shows here (1-minute load averages).
        loadAverage: { atStart: loadAtStart, atEnd: round(loadavg()[0]!, 2) },
      },
      setup: {
        upstreamLatencyMs: UPSTREAM_LATENCY_MS,
        load: { connections: CONNECTIONS, durationS: DURATION_S, warmupS: WARMUP_S, slices: SLICES, tool: 'autocannon' },
        serviceEnvironment: { NODE_ENV: 'production', LOG_LEVEL: 'info', GRAPHQL_IDE: 'false', GRAPHQL_INTROSPECTION: 'false', extra: process.env['BENCH_SERVICE_ENV'] ?? '', nodeArgs: process.env['BENCH_SERVICE_NODE_ARGS'] ?? '' },
        redisDatabases: { valuation: DB_VALUATION, scanner: DB_SCANNER },
        scanRatePerMinute: SCAN_RATE_PER_MINUTE,
        scanInput: SCAN_INPUT,
        symbols: SYMBOLS.length,
      },
      rows,
      details: {
        warm: loads,
        responseBytes: { intrinsicValues: shapes.intrinsicValues.bytes, scanResults: shapes.scanResults.bytes },
        sameBytesAsBaseline: { intrinsicValues: shapes.intrinsicValues.sameText, scanResults: shapes.scanResults.sameText },
        roundTrips,
        coldScan: {
          service: { ...cold, selected: undefined },
          sequential: { ms: round(sequential.ms, 0), calls: sequential.calls, tickersWithContracts: sequential.tickersWithContracts },
          sameSelection,
          budget,
        },
        deduplication: dedup,
        flood,
        index: { ...index, sequential: { ...index.sequential, ms: round(index.sequential.ms, 0) }, symbols: INDEX_SYMBOLS.length, ratePerMinute: INDEX_RATE_PER_MINUTE },
        peakRssMb: peaks,
        rssByPhaseMb: byPhaseMb,
        heapMb: heap,
      },
    };
    printTable(rows);
    process.stdout.write(
      `machine: ${result.machine.cpus} CPUs, 1-min load average ${loadAtStart} at start, ${result.machine.loadAverage.atEnd} at end` +
        ` (above ~1 means something else competed for the CPUs)\n`,
    );
    mkdirSync(new URL('../../results/', import.meta.url), { recursive: true });
    const file = new URL('../../results/latest.json', import.meta.url);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    log(`written ${file.pathname} (${result.wallTimeS} s)`);
  } finally {
    await Promise.all(processes.map((child) => child.stop()));
    await fake.close();
    await Promise.all([redis.valuation.flushDb(), redis.scanner.flushDb()]).catch(() => undefined);
    await resetBenchDatabases([DB_VALUATION, DB_SCANNER], true).catch(() => undefined);
    redis.valuation.destroy();
    redis.scanner.destroy();
    unlock();
  }
}

const loadOptions = () => ({ connections: CONNECTIONS, durationS: DURATION_S, warmupS: WARMUP_S, slices: SLICES });

// ---------------------------------------------------------------------------
// Measures
// ---------------------------------------------------------------------------

interface Dedup {
  symbol: string;
  requests: number;
  answered: number;
  upstreamCalls: number;
  byFunction: Record<string, number>;
  ms: number;
}

/** 100 simultaneous cold intrinsicValue queries for a symbol never asked before. */
async function measureDeduplication(service: NodeProcess, fake: FakeAlphaVantage): Promise<Dedup> {
  const symbol = `Q${Date.now().toString(36).toUpperCase().slice(-6)}`;
  const payload = body(INTRINSIC_VALUE, 'IntrinsicValue', { symbol });
  const started = performance.now();
  const answers = await Promise.all(Array.from({ length: CONCURRENT_COLD }, () => post(service.url, payload)));
  const ms = performance.now() - started;
  await sleep(300); // anything still on its way upstream shows up by now
  const answered = answers.filter((answer) => answer.status === 200 && !answer.json.errors && answer.json.data).length;
  const calls = fake.calls.filter((call) => call.symbol === symbol);
  const byFunction: Record<string, number> = {};
  for (const call of calls) byFunction[call.function] = (byFunction[call.function] ?? 0) + 1;
  return { symbol, requests: CONCURRENT_COLD, answered, upstreamCalls: calls.length, byFunction, ms: round(ms, 0) };
}

/**
 * Row 6 on a service of its own on the valuation service's database (its cache warm), paced
 * at FLOOD_RATE_PER_MINUTE with a daily cap, so that the flood's calls queue on the budget and
 * each reads the day's count: a warm intrinsicValue, quiet and flooded in alternating slices.
 */
async function measureFloodOn(fake: FakeAlphaVantage): Promise<FloodResult> {
  const service = await startService('service-flood', {
    database: DB_VALUATION,
    fake,
    apiKey: KEY_VALUATION,
    ratePerMinute: FLOOD_RATE_PER_MINUTE,
    env: {
      ALPHAVANTAGE_RATE_LIMIT_PER_DAY: '1000000',
      ALPHAVANTAGE_MAX_QUEUE_WAIT_MS: '2000',
      // issue 11's per-client allowance, where it exists: out of the flood's way
      ANONYMOUS_UPSTREAM_CALLS_PER_MINUTE: '1000000',
    },
  });
  try {
    const warm = body(INTRINSIC_VALUE, 'IntrinsicValue', { symbol: SYMBOLS[0] });
    await ask(service.url, warm);
    return await measureFlood(service.url, warm, {
      connections: 4,
      durationS: DURATION_S,
      slices: SLICES,
      flooders: FLOODERS,
      symbolsPerRequest: FLOOD_SYMBOLS,
    });
  } finally {
    await service.stop();
  }
}

interface RoundTrips {
  commands: number;
  byCommand: Record<string, number>;
  keyByKey: number;
}

async function measureRoundTrips(service: NodeProcess): Promise<RoundTrips> {
  await ask(service.url, intrinsicValuesBody);
  const monitor = await RedisMonitor.start(redisUrlFor(DB_VALUATION), DB_VALUATION);
  try {
    await sleep(100);
    monitor.reset();
    await ask(service.url, intrinsicValuesBody);
    await sleep(200);
    const byCommand: Record<string, number> = {};
    for (const command of monitor.commands) byCommand[command] = (byCommand[command] ?? 0) + 1;
    return { commands: monitor.commands.length, byCommand, keyByKey: 3 * SYMBOLS.length };
  } finally {
    await monitor.stop();
  }
}

async function sameAnswer(serviceUrl: string, baselineUrl: string, payload: ReturnType<typeof body>) {
  const [service, baseline] = await Promise.all([post(serviceUrl, payload), post(baselineUrl, payload)]);
  if (service.json.errors) throw new Error(`service answered ${payload.operationName} with errors: ${service.text.slice(0, 500)}`);
  return {
    sameJson: isDeepStrictEqual(service.json, baseline.json),
    sameText: service.text === baseline.text,
    bytes: { service: Buffer.byteLength(service.text), baseline: Buffer.byteLength(baseline.text) },
  };
}

// ---------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------

function buildRows(m: {
  loads: Record<'intrinsicValues' | 'scanResults', { service: LoadResult; baseline: LoadResult }>;
  roundTrips: RoundTrips;
  cold: ColdScan;
  sequential: { ms: number; calls: number };
  /** the service's scan and the sequential loop kept the same contracts */
  sameSelection: boolean;
  budget: { perSlidingMinute: number; perSlidingSecond: number; total: number };
  dedup: Dedup;
  peaks: Record<string, number>;
  flood: FloodResult;
  index: IndexScale;
}): Row[] {
  const rows: Row[] = [];
  for (const [name, label] of [
    ['intrinsicValues', 'warm intrinsicValues(26)'],
    ['scanResults', `warm scanResults(${m.cold.tickersWithContracts} tickers, ${m.cold.contracts} contracts)`],
  ] as const) {
    const { service, baseline } = m.loads[name];
    const share = service.requestsPerSecond / baseline.requestsPerSecond;
    const p99Ratio = service.p99Ms / baseline.p99Ms;
    rows.push({
      id: `${name}.throughput`,
      measure: `${label}: throughput vs baseline`,
      value: `${fmt(service.requestsPerSecond, 0)} vs ${fmt(baseline.requestsPerSecond, 0)} req/s = ${fmt(share * 100, 0)} % (p50 ${fmt(service.p50Ms, 1)} vs ${fmt(baseline.p50Ms, 1)} ms)`,
      target: '≥ 50 % of baseline',
      met: share >= 0.5,
    });
    rows.push({
      id: `${name}.p99`,
      measure: `${label}: p99 latency vs baseline`,
      value: `${fmt(service.p99Ms, 1)} vs ${fmt(baseline.p99Ms, 1)} ms = ${fmt(p99Ratio, 2)}×`,
      target: '≤ 2× baseline p99',
      met: p99Ratio <= 2,
    });
  }
  const commands = Object.entries(m.roundTrips.byCommand).map(([command, count]) => `${command} ${count}`).join(', ');
  rows.push({
    id: 'roundTrips',
    measure: 'Redis commands per warm intrinsicValues(26)',
    value: `${m.roundTrips.commands} (${commands || 'none'}) vs ${m.roundTrips.keyByKey} key by key`,
    target: '≤ 4',
    met: m.roundTrips.commands <= 4,
  });
  const speedup = m.sequential.ms / m.cold.ms;
  rows.push({
    id: 'coldScan.speedup',
    measure: `cold scan, ${m.cold.tickers} tickers × 4 expirations at ${SCAN_RATE_PER_MINUTE}/min: speed-up vs sequential`,
    value:
      `${fmt(m.cold.ms / 1000, 2)} s vs ${fmt(m.sequential.ms / 1000, 2)} s = ${fmt(speedup, 2)}× (${m.cold.upstreamCalls} calls)` +
      (m.sameSelection ? '' : '; NOT COMPARABLE: the two scans selected different contracts'),
    target: '≥ 8×',
    met: speedup >= 8 && m.sameSelection,
  });
  rows.push({
    id: 'coldScan.budget',
    measure: 'cold scan: upstream calls in any sliding minute (scanner service, whole run)',
    value: `${m.budget.perSlidingMinute} (max ${m.budget.perSlidingSecond} in any second; ${m.budget.total} in all)`,
    target: `≤ ${SCAN_RATE_PER_MINUTE}`,
    met: m.budget.perSlidingMinute <= SCAN_RATE_PER_MINUTE,
  });
  const byFunction = Object.entries(m.dedup.byFunction).map(([fn, count]) => `${fn} ${count}`).join(', ');
  rows.push({
    id: 'deduplication',
    measure: `${m.dedup.requests} concurrent cold intrinsicValue("${m.dedup.symbol}"): upstream calls`,
    value: `${m.dedup.upstreamCalls} (${byFunction}); ${m.dedup.answered}/${m.dedup.requests} answered in ${fmt(m.dedup.ms / 1000, 2)} s`,
    target: '3',
    met: m.dedup.upstreamCalls === 3 && m.dedup.answered === m.dedup.requests,
  });
  const peak = Math.max(...Object.values(m.peaks));
  rows.push({
    id: 'memory',
    measure: 'peak RSS of a service process over the run',
    value: `${fmt(peak, 0)} MB (${Object.entries(m.peaks).map(([name, mb]) => `${name} ${fmt(mb, 0)}`).join(', ')})`,
    target: `≤ ${MEMORY_LIMIT_MB} MB`,
    met: peak <= MEMORY_LIMIT_MB,
  });
  const floodRatio = m.flood.flooded.p99Ms / m.flood.quiet.p99Ms;
  const outcomes = Object.entries(m.flood.floodOutcomes).map(([outcome, count]) => `${outcome} ${count}`).join(', ');
  rows.push({
    id: 'flood.p99',
    measure: `warm intrinsicValue p99 while ${FLOODERS} × intrinsicValues(${FLOOD_SYMBOLS} new symbols) queue on a ${FLOOD_RATE_PER_MINUTE}/min budget, vs quiet`,
    value: `${fmt(m.flood.flooded.p99Ms, 1)} vs ${fmt(m.flood.quiet.p99Ms, 1)} ms = ${fmt(floodRatio, 2)}× (${m.flood.floodRequests} flood requests: ${outcomes})`,
    target: '≤ 2×',
    met: floodRatio <= 2,
  });
  rows.push(...indexRows(m.index));
  return rows;
}

/** Rows 7-10: the index scan, its budget, its warm read against the baseline, the service's peak RSS. */
function indexRows(index: IndexScale): Row[] {
  const { cold, sequential, warm } = index;
  const speedup = sequential.ms / cold.ms;
  const share = warm.service.requestsPerSecond / warm.baseline.requestsPerSecond;
  const p99Ratio = warm.service.p99Ms / warm.baseline.p99Ms;
  const read =
    index.warmQuery === 'ScreenerTop'
      ? `warm scanResults(first: 50, orderBy: SCORE DESC) over ${cold.tickersWithContracts} tickers, ${cold.contracts} contracts`
      : `warm scanResults { tickers { symbol options { contractId annualizedReturn } } } over ${cold.tickersWithContracts} tickers, ${cold.contracts} contracts (the screener query is not served yet)`;
  const comparable = index.sameAnswer ? '' : '; NOT COMPARABLE: the baseline answered differently';
  return [
    {
      id: 'index.coldScan.speedup',
      measure: `cold scan, ${cold.tickers} tickers × 4 expirations at ${INDEX_RATE_PER_MINUTE}/min: speed-up vs sequential`,
      value:
        `${fmt(cold.ms / 1000, 2)} s vs ${fmt(sequential.ms / 1000, 2)} s = ${fmt(speedup, 2)}× (${cold.upstreamCalls} calls)` +
        (index.sameSelection ? '' : '; NOT COMPARABLE: the two scans selected different contracts'),
      target: '≥ 10×',
      met: speedup >= 10 && index.sameSelection,
    },
    {
      id: 'index.coldScan.budget',
      measure: 'index scan: upstream calls in any sliding minute (index service)',
      value: `${index.budget.perSlidingMinute} (max ${index.budget.perSlidingSecond} in any second; ${index.budget.total} in all)`,
      target: `≤ ${INDEX_RATE_PER_MINUTE}`,
      met: index.budget.perSlidingMinute <= INDEX_RATE_PER_MINUTE,
    },
    {
      id: 'index.warm.throughput',
      measure: `${read}: throughput vs baseline`,
      value: `${fmt(warm.service.requestsPerSecond, 0)} vs ${fmt(warm.baseline.requestsPerSecond, 0)} req/s = ${fmt(share * 100, 0)} % (p50 ${fmt(warm.service.p50Ms, 1)} vs ${fmt(warm.baseline.p50Ms, 1)} ms)${comparable}`,
      target: '≥ 100 % of baseline',
      met: share >= 1 && index.sameAnswer,
    },
    {
      id: 'index.warm.p99',
      measure: `${read}: p99 latency vs baseline`,
      value: `${fmt(warm.service.p99Ms, 1)} vs ${fmt(warm.baseline.p99Ms, 1)} ms = ${fmt(p99Ratio, 2)}×`,
      target: '≤ 1.5× baseline p99',
      met: p99Ratio <= 1.5 && index.sameAnswer,
    },
    {
      id: 'index.memory',
      measure: 'peak RSS of the index service over its cold scan and warm reads (Redis)',
      value: `${fmt(index.peakRssMb, 0)} MB`,
      target: `≤ ${INDEX_MEMORY_LIMIT_MB} MB`,
      met: index.peakRssMb <= INDEX_MEMORY_LIMIT_MB,
    },
  ];
}

const fmt = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : String(value));

function printTable(rows: readonly Row[]): void {
  const header = ['measure', 'value', 'target', 'met'];
  const cells = rows.map((row) => [row.measure, row.value, row.target, row.met ? 'yes' : 'NO']);
  const widths = header.map((name, at) => Math.max(name.length, ...cells.map((line) => line[at]!.length)));
  const line = (values: readonly string[]) => `| ${values.map((value, at) => value.padEnd(widths[at]!)).join(' | ')} |`;
  process.stdout.write(`\n${line(header)}\n|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|\n${cells.map(line).join('\n')}\n\n`);
}

function log(message: string): void {
  phase = message;
  process.stderr.write(`[bench] ${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
