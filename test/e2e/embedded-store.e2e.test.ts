/**
 * The embedded store (no REDIS_URL) across processes: SIGKILLs during heavy writes lose no
 * answered write, a store Postgres cannot open stops start-up with a message saying what to
 * do, and a second process on one CACHE_DIR is refused while the first lives.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedDataDirectory } from '../../src/db/embedded-database.js';
import { createLogger } from '../../src/logger.js';
import { createStore, type Store } from '../../src/store/create-store.js';
import { seededCacheDir } from '../support/embedded-store-template.js';
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { ask } from '../support/graphql-client.js';
import { fakeUpstreamEnv, startServer } from '../support/server-process.js';

const MAIN = new URL('../../dist/main.js', import.meta.url).pathname;
const WRITER = new URL('../support/embedded-store-writer.mjs', import.meta.url).pathname;
const logger = createLogger('silent');
const directories: string[] = [];
let fake: FakeAlphaVantage;

function cacheDir(): string {
  const made = seededCacheDir('wheel-embedded-e2e-');
  directories.push(made);
  return made;
}

async function openStore(dir: string): Promise<Store> {
  const store = createStore({ redisUrl: undefined, cacheDir: dir, namespace: 'wheel', timeoutMs: 10_000 }, logger);
  await store.ready;
  return store;
}

/** dist/main.js run to its exit (a start-up that is refused): exit code and stderr. */
function runToExit(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env['PATH'], PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    }),
  );
}

beforeAll(async () => {
  fake = await startFakeAlphaVantage();
});

afterAll(async () => {
  await fake?.close();
  for (const made of directories) rmSync(made, { recursive: true, force: true });
});

describe('the embedded store under SIGKILL', () => {
  it('opens after each of 30 SIGKILLs during heavy writes, holding every write that was answered', { timeout: 240_000 }, async () => {
    const dir = cacheDir();
    const answered: string[] = [];
    let killedWhileWriting = 0;
    for (let run = 0; run < 30; run += 1) {
      const writer = spawn(process.execPath, [WRITER, dir, String(run)], { stdio: ['ignore', 'pipe', 'inherit'] });
      const acks: string[] = [];
      let ready = false;
      let buffered = '';
      writer.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        const lines = (buffered + chunk).split('\n');
        buffered = lines.pop()!;
        for (const line of lines) {
          if (line === 'ready') ready = true;
          else if (line.startsWith('ack ')) acks.push(`kill:${run}:${line.slice(4)}`);
        }
      });
      const exited = new Promise((resolve) => writer.once('exit', resolve));
      // Every fifth kill lands during start-up (opening, recovering); the others during writes.
      if (run % 5 === 0) await sleep(150 + run * 20);
      else {
        while (!ready && writer.exitCode === null) await sleep(20);
        await sleep(100 + ((run * 137) % 600));
      }
      writer.kill('SIGKILL');
      await exited;
      if (acks.length > 0) killedWhileWriting += 1;

      const store = await openStore(dir);
      const found = await store.cache.getMany<{ run: number; i: number }>(acks);
      await store.close();
      expect(found.filter((entry) => entry === undefined).length, `run ${run}: answered writes missing after the kill`).toBe(0);
      expect(found.map((entry) => `kill:${entry!.run}:${entry!.i}`)).toEqual(acks);
      answered.push(...acks);
    }
    expect(killedWhileWriting).toBeGreaterThanOrEqual(20);

    const store = await openStore(dir);
    try {
      for (let from = 0; from < answered.length; from += 500) {
        const found = await store.cache.getMany(answered.slice(from, from + 500));
        expect(found.filter((entry) => entry === undefined)).toEqual([]);
      }
    } finally {
      await store.close();
    }
    console.info(`embedded store kill loop: ${answered.length} answered writes of ~20 kB kept over 30 SIGKILLs`);
  });
});

describe('start-up on a store Postgres cannot open', () => {
  it('is refused, exit 1, saying on stderr what is wrong, where, and to move the directory away; the directory is left as it was', async () => {
    const dir = cacheDir();
    const data = embeddedDataDirectory(dir);
    truncateSync(join(data, 'global', 'pg_control'));
    // Postgres's own postmaster.pid aside, nothing is added, removed or emptied.
    const files = () => readdirSync(data).filter((name) => name !== 'postmaster.pid').sort();
    const before = files();

    const { code, stderr } = await runToExit({ CACHE_DIR: dir, ...fakeUpstreamEnv(fake.url, 'corrupt-key') });
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot start|failed to start/);
    expect(stderr).toContain(`the embedded store in ${data} cannot be opened`);
    expect(stderr).toMatch(/PANIC: could not read file "global\/pg_control"/);
    expect(stderr).toContain(`mv '${data}' '${data}.broken'`);
    expect(files()).toEqual(before);
    expect(statSync(join(data, 'global', 'pg_control')).size).toBe(0);
  });

  it('is refused when the data directory is not a database (no PG_VERSION), rather than initialized over', async () => {
    const dir = cacheDir();
    const data = embeddedDataDirectory(dir);
    rmSync(join(data, 'PG_VERSION'));
    const { code, stderr } = await runToExit({ CACHE_DIR: dir, ...fakeUpstreamEnv(fake.url, 'corrupt-key') });
    expect(code).toBe(1);
    expect(stderr).toContain(`the embedded store in ${data} cannot be opened (it holds no PG_VERSION file`);
    expect(existsSync(join(data, 'base'))).toBe(true);
  });
});

describe('two processes on one CACHE_DIR', () => {
  it('refuses the second while the first runs, naming its pid and the directory; accepts it once the first is SIGKILLed', async () => {
    const dir = cacheDir();
    const env = { CACHE_DIR: dir, ...fakeUpstreamEnv(fake.url, 'two-processes-key') };
    // Generous start-up bounds: PGlite's start is CPU-bound, and the suite runs files side by side.
    const first = await startServer(env, 60_000);
    try {
      const second = await runToExit(env);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`the embedded store in ${embeddedDataDirectory(dir)} is in use by process ${first.child.pid}`);
      expect(second.stderr).toContain('One process per CACHE_DIR');
      expect((await ask(first.url, '{ intrinsicValue(symbol: "AAPL") { symbol } }')).errors).toEqual([]);
    } finally {
      await first.stop('SIGKILL');
    }

    const third = await startServer(env, 60_000);
    try {
      const answer = await ask(third.url, '{ intrinsicValue(symbol: "AAPL") { symbol } }');
      expect(answer.errors).toEqual([]);
      expect(fake.callCount({ symbol: 'AAPL' })).toBe(3); // the first process's cache, read by the third
    } finally {
      await third.stop();
    }
  }, 150_000);
});
