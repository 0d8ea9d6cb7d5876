/**
 * npm run bench:profile -- [intrinsicValues|scanResults] [seconds] [baseline]
 *
 * The service (dist/main.js) under `node --cpu-prof`, on Redis database 14 with the fake
 * Alpha Vantage, loaded warm by autocannon (10 connections) for `seconds` (default 10), then
 * stopped; its .cpuprofile goes to bench/profiles/ (git-ignored) and is summarised: self time
 * by package / source file, and the top functions. With `baseline`, the baseline server is
 * profiled the same way instead, for comparison.
 */
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { connectRedis, redisUrlFor } from '../test/support/redis.js';
import { config } from './dist.js';
import { ask, benchLock, body, DB_VALUATION, load, resetBenchDatabases, sleep, startBaseline, startFake, startService, TOKEN, type NodeProcess } from './harness.js';
import { INTRINSIC_VALUES, SCAN_INPUT, SCAN_RESULTS, SCAN_STATUS, START_SCAN } from './queries.js';

const [queryArg = 'intrinsicValues', secondsArg = '10', targetArg = 'service'] = process.argv.slice(2);
const SYMBOLS = [...config.DEFAULT_CURATED_SYMBOLS];
const PROFILES = new URL('../../profiles/', import.meta.url).pathname;

async function main(): Promise<void> {
  if (queryArg !== 'intrinsicValues' && queryArg !== 'scanResults') throw new Error(`unknown query ${queryArg}`);
  const dir = join(PROFILES, `${new Date().toISOString().replace(/[:.]/g, '-')}-${queryArg}-${targetArg}`);
  mkdirSync(dir, { recursive: true });
  const unlock = await benchLock();
  const redis = await connectRedis(redisUrlFor(DB_VALUATION));
  await redis.flushDb();
  await resetBenchDatabases([DB_VALUATION]);
  const fake = await startFake();
  const profiled = ['--cpu-prof', `--cpu-prof-dir=${dir}`];
  const service = await startService('service', {
    database: DB_VALUATION,
    fake,
    apiKey: 'bench-key-profile',
    ratePerMinute: 60_000,
    ...(targetArg === 'baseline' ? {} : { execArgv: profiled }),
  });
  let baseline: NodeProcess | undefined;
  try {
    const intrinsicValues = body(INTRINSIC_VALUES, 'IntrinsicValues', { symbols: SYMBOLS });
    await ask(service.url, intrinsicValues);
    let payload = intrinsicValues;
    if (queryArg === 'scanResults') {
      await ask(service.url, body(START_SCAN, 'StartScan', { input: SCAN_INPUT }), { authorization: `Bearer ${TOKEN}` });
      while ((await ask<{ scanStatus: { inProgress: boolean } }>(service.url, body(SCAN_STATUS, 'ScanStatus'))).scanStatus.inProgress) await sleep(50);
      payload = body(SCAN_RESULTS, 'ScanResults');
      await ask(service.url, payload);
    }
    let target: NodeProcess = service;
    if (targetArg === 'baseline') {
      baseline = await startBaseline('baseline', DB_VALUATION, profiled);
      target = baseline;
    }
    const result = await load(target.url, payload, { connections: 10, durationS: Number(secondsArg), warmupS: 2 });
    process.stdout.write(`${targetArg} ${queryArg}: ${JSON.stringify(result)}\n`);
  } finally {
    await baseline?.stop();
    await service.stop();
    await fake.close();
    await redis.flushDb();
    await resetBenchDatabases([DB_VALUATION], true).catch(() => undefined);
    redis.destroy();
    unlock();
  }
  const file = readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(dir, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!file) throw new Error(`no .cpuprofile in ${dir}`);
  process.stdout.write(`${file}\n\n${summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile)}`);
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }>;
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Self time by package (or service source file), and the top functions by self time. */
export function summarise(profile: CpuProfile, top = 30): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, at) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[at] ?? 0)));
  const total = [...selfUs.values()].reduce((sum, value) => sum + value, 0);
  const idle = [...selfUs].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((sum, [, us]) => sum + us, 0);
  const busy = total - idle;

  const byGroup = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') continue;
    const group = groupOf(frame.url, frame.functionName);
    byGroup.set(group, (byGroup.get(group) ?? 0) + us);
    const name = `${frame.functionName || '(anonymous)'}  ${shortUrl(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)} %`;
  const lines = [
    `busy ${(busy / 1e6).toFixed(2)} s of ${(total / 1e6).toFixed(2)} s profiled (idle ${((100 * idle) / total).toFixed(0)} %); shares below are of busy time`,
    '',
    'self time by package / file:',
    ...[...byGroup].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([group, us]) => `  ${pct(us)}  ${group}`),
    '',
    `top ${top} functions by self time:`,
    ...[...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => `  ${pct(us)}  ${name}`),
    '',
  ];
  return lines.join('\n');
}

function groupOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.startsWith('node:')) return 'node internals';
  const own = /\/(dist|bench\/\.build)\/(.+)$/.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  return url;
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\/.*?node_modules\//, '').replace(/^file:\/\/.*?\/(dist|bench\/\.build)\//, '$1/');
}

main().catch((error: unknown) => {
  process.stderr.write(`profile failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
