/**
 * What run.ts and profile.ts share: child processes (the real service, the baseline), the
 * fake upstream, a GraphQL call, an autocannon run and /proc memory readings.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../test/support/fake-alpha-vantage.js';
import pg from 'pg';
import { REDIS_BASE_URL, redisUrlFor } from '../test/support/redis.js';
import { stopChild } from '../test/support/server-process.js';
import { MAIN, SERVICE_NODE_ARGS } from './dist.js';

/** Redis logical databases of the bench (the tests own 1-11). */
export const DB_VALUATION = 14;
export const DB_SCANNER = 15;
export const UPSTREAM_LATENCY_MS = 150;

/** The PostgreSQL server of the bench: the tests' (TEST_DATABASE_URL); the services keep their durable data there, as deployed. */
const DATABASE_SERVER_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';

/** The durable database beside Redis database `database`: `wheel_bench_{n}`, made empty by resetBenchDatabases. */
export function benchDatabaseUrl(database: number): string {
  const url = new URL(DATABASE_SERVER_URL);
  url.pathname = `/wheel_bench_${database}`;
  return url.toString();
}

/** Drops the bench's durable databases and, unless `dropOnly`, makes them again empty (the services migrate them). */
export async function resetBenchDatabases(databases: readonly number[], dropOnly = false): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_SERVER_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    for (const database of databases) {
      await client.query(`drop database if exists wheel_bench_${database} with (force)`);
      if (!dropOnly) await client.query(`create database wheel_bench_${database} template template0`);
    }
  } finally {
    await client.end();
  }
}
export const TOKEN = 'bench-token';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface NodeProcess {
  name: string;
  url: string;
  pid: number;
  logs: string[];
  child: ChildProcess;
  stop(): Promise<number | null>;
}

/** A free TCP port on 127.0.0.1 (the kernel's pick, released at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A Node script as a child process on `env.PORT`, ready once it writes `ready at http://…`
 * or, whatever its log level, answers a GraphQL POST at /graphql.
 */
export async function spawnNode(
  name: string,
  script: string,
  env: Record<string, string | undefined>,
  execArgv: readonly string[] = [],
  timeoutMs = 30_000,
): Promise<NodeProcess> {
  const child = spawn(process.execPath, [...execArgv, script], {
    env: { PATH: process.env['PATH'], ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const probeUrl = `http://127.0.0.1:${env['PORT']}/graphql`;
  let settled = false;
  const url = await new Promise<string>((resolve, reject) => {
    const done = (error: Error | undefined, found?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(probe);
      if (error) {
        child.kill('SIGKILL');
        reject(error);
      } else resolve(found!);
    };
    const timer = setTimeout(() => done(new Error(`${name} not ready in ${timeoutMs} ms:\n${logs.join('\n')}`)), timeoutMs);
    const probe = setInterval(() => {
      fetch(probeUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }', operationName: null }),
        signal: AbortSignal.timeout(1000),
      }).then(
        (response) => (response.ok ? done(undefined, probeUrl) : undefined),
        () => undefined,
      );
    }, 100);
    const collect = (chunk: Buffer) => {
      if (settled) {
        // After start-up only the tail is kept (the service logs every request at info).
        logs.push(chunk.toString('utf8'));
        if (logs.length > 50) logs.shift();
        return;
      }
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line === '') continue;
        logs.push(line);
        const match = /ready at (http:\/\/[^\s"]+)/.exec(line);
        if (match) done(undefined, match[1]!);
      }
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('exit', (code) => done(new Error(`${name} exited with ${code} before ready:\n${logs.join('\n')}`)));
  });
  return {
    name,
    url,
    pid: child.pid!,
    logs,
    child,
    stop: () => stopChild(child),
  };
}

export interface ServiceOptions {
  database: number;
  fake: FakeAlphaVantage;
  /** also tells the two services' upstream calls apart in the fake's log */
  apiKey: string;
  ratePerMinute: number;
  execArgv?: readonly string[];
  env?: Record<string, string>;
}

/** The real service, `node dist/main.js`, as `npm start` runs it, on Redis. */
export async function startService(name: string, options: ServiceOptions): Promise<NodeProcess> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'wheel-bench-'));
  const service = await spawnNode(
    name,
    MAIN,
    {
      // As deployed (Dockerfile, docker-compose.yml): production, logs at info, no IDE.
      NODE_ENV: 'production',
      GRAPHQL_IDE: 'false',
      GRAPHQL_INTROSPECTION: 'false',
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      CACHE_DIR: cacheDir,
      LOG_LEVEL: 'info',
      REDIS_URL: redisUrlFor(options.database),
      DATABASE_URL: benchDatabaseUrl(options.database),
      ALPHAVANTAGE_API_KEY: options.apiKey,
      ALPHAVANTAGE_BASE_URL: options.fake.url,
      ALPHAVANTAGE_RATE_LIMIT_PER_MINUTE: String(options.ratePerMinute),
      ALPHAVANTAGE_RATE_LIMIT_PER_DAY: '0',
      ALPHAVANTAGE_RETRIES: '0',
      ENVIRONMENT: 'LOCAL',
      API_TOKENS: TOKEN,
      ...options.env,
      ...extraEnv(),
    },
    // npm start's flags first: a later one given here (BENCH_SERVICE_NODE_ARGS) wins.
    [...SERVICE_NODE_ARGS, ...(options.execArgv ?? []), ...extraNodeArgs()],
  );
  const stop = service.stop;
  service.stop = async () => {
    const code = await stop();
    rmSync(cacheDir, { recursive: true, force: true });
    return code;
  };
  return service;
}

/** BENCH_SERVICE_ENV="LOG_LEVEL=warn,GRAPHQL_IDE=true": more environment for the services (experiments). */
function extraEnv(): Record<string, string> {
  const spec = process.env['BENCH_SERVICE_ENV'] ?? '';
  return Object.fromEntries(
    spec
      .split(',')
      .map((pair) => pair.trim())
      .filter((pair) => pair.includes('='))
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
}

/** BENCH_SERVICE_NODE_ARGS="--max-semi-space-size=32": node flags for the services (experiments). */
function extraNodeArgs(): string[] {
  return (process.env['BENCH_SERVICE_NODE_ARGS'] ?? '').split(/\s+/).filter((arg) => arg !== '');
}

/** bench/baseline-server.ts on the service's Redis database. */
export async function startBaseline(name: string, database: number, execArgv: readonly string[] = [], env: Record<string, string> = {}): Promise<NodeProcess> {
  return spawnNode(
    name,
    new URL('./baseline-server.js', import.meta.url).pathname,
    { NODE_ENV: 'production', PORT: String(await freePort()), REDIS_URL: redisUrlFor(database), DATABASE_URL: benchDatabaseUrl(database), ...env },
    execArgv,
  );
}

export function startFake(): Promise<FakeAlphaVantage> {
  return startFakeAlphaVantage({ latencyMs: UPSTREAM_LATENCY_MS, reuseRenderedBodies: true });
}

export interface GraphQLBody {
  query: string;
  operationName: string;
  variables?: Record<string, unknown>;
}

export const body = (query: string, operationName: string, variables?: Record<string, unknown>): GraphQLBody =>
  variables === undefined ? { query, operationName } : { query, operationName, variables };

export interface Answer {
  status: number;
  text: string;
  json: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

export async function post(url: string, payload: GraphQLBody, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) as Answer['json'] };
}

/** The answer's data, or an Error naming its GraphQL errors. */
export async function ask<T>(url: string, payload: GraphQLBody, headers: Record<string, string> = {}): Promise<T> {
  const answer = await post(url, payload, headers);
  if (answer.status !== 200 || (answer.json.errors?.length ?? 0) > 0 || !answer.json.data) {
    throw new Error(`${payload.operationName} failed (HTTP ${answer.status}): ${answer.text.slice(0, 500)}`);
  }
  return answer.json.data as T;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  requests: number;
  durationS: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  bytesPerResponse: number;
}

export interface Slice {
  durationS: number;
  requests: number;
  latencies: number[];
  non2xx: number;
  errors: number;
  timeouts: number;
  bytes: number;
}

export interface LoadOptions {
  connections?: number;
  /** measured seconds in all */
  durationS?: number;
  /** seconds thrown away first */
  warmupS?: number;
  /** the measured time is cut in this many slices (see compare) */
  slices?: number;
}

/** autocannon at fixed concurrency: `warmupS` seconds thrown away, then `durationS` measured. */
export async function load(url: string, payload: GraphQLBody, options: LoadOptions = {}): Promise<LoadResult> {
  const { connections = 10, durationS = 10, warmupS = 2 } = options;
  if (warmupS > 0) await cannon(url, payload, connections, warmupS);
  return summarise([await cannon(url, payload, connections, durationS)]);
}

/**
 * The service and its baseline, measured alternately: after a warm-up of each, `slices`
 * rounds of service then baseline, `durationS / slices` seconds each. Anything else the
 * machine does meanwhile weighs on both alike.
 */
export async function compare(
  serviceUrl: string,
  baselineUrl: string,
  payload: GraphQLBody,
  options: LoadOptions = {},
): Promise<{ service: LoadResult; baseline: LoadResult }> {
  const { connections = 10, durationS = 10, warmupS = 2, slices = 2 } = options;
  if (warmupS > 0) {
    await cannon(serviceUrl, payload, connections, warmupS);
    await cannon(baselineUrl, payload, connections, warmupS);
  }
  const service: Slice[] = [];
  const baseline: Slice[] = [];
  for (let slice = 0; slice < slices; slice += 1) {
    service.push(await cannon(serviceUrl, payload, connections, durationS / slices));
    baseline.push(await cannon(baselineUrl, payload, connections, durationS / slices));
  }
  return { service: summarise(service), baseline: summarise(baseline) };
}

export function summarise(slices: readonly Slice[]): LoadResult {
  const latencies = slices.flatMap((slice) => slice.latencies).sort((a, b) => a - b);
  const sum = (pick: (slice: Slice) => number) => slices.reduce((total, slice) => total + pick(slice), 0);
  const durationS = sum((slice) => slice.durationS);
  const requests = sum((slice) => slice.requests);
  const percentile = (p: number) =>
    latencies.length === 0 ? NaN : latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
  return {
    requestsPerSecond: round(requests / durationS, 1),
    p50Ms: round(percentile(50), 2),
    p99Ms: round(percentile(99), 2),
    meanMs: round(latencies.reduce((total, value) => total + value, 0) / latencies.length, 2),
    requests,
    durationS,
    non2xx: sum((slice) => slice.non2xx),
    errors: sum((slice) => slice.errors),
    timeouts: sum((slice) => slice.timeouts),
    bytesPerResponse: requests > 0 ? Math.round(sum((slice) => slice.bytes) / requests) : 0,
  };
}

/** One autocannon run; latencies are the exact response times (its histogram keeps whole ms). */
export function cannon(url: string, payload: GraphQLBody, connections: number, durationS: number): Promise<Slice> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        connections,
        pipelining: 1,
        duration: durationS,
      },
      (error, result) =>
        error
          ? reject(error)
          : resolve({
              durationS,
              requests: result.requests.total,
              latencies,
              non2xx: result.non2xx,
              errors: result.errors,
              timeouts: result.timeouts,
              bytes: result.throughput.total,
            }),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

export const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** VmRSS and VmHWM (peak resident set) of a live process, in kB; undefined once it is gone. */
export function memoryOf(pid: number): { rssKb: number; hwmKb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/**
 * Polls VmRSS of the processes until stopped, by phase of the run; VmHWM (the kernel's own
 * peak) is read at every sample as well, so a peak between two samples is not missed.
 */
export class PeakMemory {
  private readonly peaks = new Map<string, number>();
  /** phase → process → peak VmRSS seen during that phase, kB */
  private readonly byPhase = new Map<string, Map<string, number>>();
  private current = 'start-up';
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly processes: readonly NodeProcess[], everyMs = 100) {
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  phase(name: string): void {
    this.sample();
    this.current = name;
  }

  sample(): void {
    const phase = this.byPhase.get(this.current) ?? new Map<string, number>();
    this.byPhase.set(this.current, phase);
    for (const process of this.processes) {
      const memory = memoryOf(process.pid);
      if (!memory) continue;
      this.peaks.set(process.name, Math.max(memory.rssKb, memory.hwmKb, this.peaks.get(process.name) ?? 0));
      phase.set(process.name, Math.max(memory.rssKb, phase.get(process.name) ?? 0));
    }
  }

  /** peak RSS in MB: overall (VmHWM) by process, and VmRSS by phase and process */
  stop(): { peakMb: Record<string, number>; byPhaseMb: Record<string, Record<string, number>> } {
    this.sample();
    clearInterval(this.timer);
    const mb = (kb: number) => round(kb / 1024, 1);
    return {
      peakMb: Object.fromEntries([...this.peaks].map(([name, kb]) => [name, mb(kb)])),
      byPhaseMb: Object.fromEntries(
        [...this.byPhase].map(([phase, peaks]) => [phase, Object.fromEntries([...peaks].map(([name, kb]) => [name, mb(kb)]))]),
      ),
    };
  }
}

/**
 * The V8 heap as the service's own /metrics (prom-client) reports it, in MB: total and used
 * heap, external memory (Buffers), and the used size of each heap space. undefined when
 * the service has no /metrics.
 */
export async function heapOf(serviceUrl: string): Promise<Record<string, number> | undefined> {
  try {
    const response = await fetch(new URL('/metrics', serviceUrl), { signal: AbortSignal.timeout(5000) });
    if (!response.ok) return undefined;
    const text = await response.text();
    const heap: Record<string, number> = {};
    for (const [, name, labels, value] of text.matchAll(/^\w*?nodejs_(heap_size_total|heap_size_used|external_memory|heap_space_size_used)_bytes(\{[^}]*\})?\s+(\S+)/gm)) {
      const space = /space="([^"]+)"/.exec(labels ?? '')?.[1];
      heap[space ? `space:${space}` : name!] = round(Number(value) / 1048576, 1);
    }
    return Object.keys(heap).length > 0 ? heap : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One bench at a time per Redis: two runs flushing databases 14 and 15 under each other's
 * feet fail both (a scan refused as ALREADY_RUNNING, a baseline reading a flushed database).
 * A lock file on this machine, named after the Redis URL; a dead holder's lock is taken over.
 * Waits up to `waitMs` for a live holder, then throws.
 */
export async function benchLock(waitMs = 180_000): Promise<() => void> {
  const name = createHash('sha256').update(REDIS_BASE_URL).digest('hex').slice(0, 12);
  const file = join(tmpdir(), `wheel-graphql-bench-${name}.lock`);
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(readFileSync(file, 'utf8').trim());
    if (!Number.isInteger(holder) || holder <= 0 || !alive(holder)) {
      rmSync(file, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`another bench (pid ${holder}) still holds ${file} after ${waitMs / 1000} s`);
    if (!told) process.stderr.write(`[bench] another bench (pid ${holder}) is using Redis databases 14 and 15; waiting for it\n`);
    told = true;
    await sleep(1000);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
