import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAIN = new URL('../../dist/main.js', import.meta.url).pathname;

export interface ServerProcess {
  url: string;
  /** every line the process wrote, stdout and stderr */
  logs: string[];
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * The real server (the built dist/main.js, as `npm start` runs it) as a child process on
 * a random port, ready once it logs its URL.
 */
export async function startServer(env: Record<string, string | undefined>, timeoutMs = 20_000): Promise<ServerProcess> {
  // Imported here, not at the top: the bench imports stopChild from this file outside vitest.
  const { seededCacheDir } = await import('./embedded-store-template.js');
  // Without Redis or without a DATABASE_URL the embedded PGlite opens a copy of the initialized template, not a fresh initdb (3-10 s).
  // A CACHE_DIR made here is removed once the process has exited; one the test passes is the test's.
  const ownCacheDir =
    'CACHE_DIR' in env
      ? undefined
      : env['REDIS_URL'] === undefined || env['DATABASE_URL'] === undefined
        ? seededCacheDir('wheel-cache-')
        : mkdtempSync(join(tmpdir(), 'wheel-cache-'));
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env['PATH'],
      // the test run's temp folder (test/support/global-setup.ts), removed with the run
      TMPDIR: process.env['TMPDIR'],
      PORT: '0',
      HOST: '127.0.0.1',
      CACHE_DIR: ownCacheDir,
      LOG_LEVEL: 'debug',
      // The quarterly snapshot run would value the curated list on a quarter's first day: on only where a test turns it on.
      SNAPSHOT_SCHEDULE: 'false',
      // No background calls of its own unless a test asks: tests count the calls they cause.
      REFRESH_BUDGET_SHARE: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  let url: string | undefined;
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server not ready in ${timeoutMs} ms:\n${logs.join('\n')}`)), timeoutMs);
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line === '') continue;
        logs.push(line);
        const found = /ready at (http:\/\/\S+?)"/.exec(line);
        if (found && !url) {
          url = found[1]!;
          clearTimeout(timer);
          resolve(url);
        }
      }
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before ready:\n${logs.join('\n')}`));
    });
  });
  if (ownCacheDir) child.once('exit', () => rmSync(ownCacheDir, { recursive: true, force: true }));
  const readyUrl = await ready;
  return {
    url: readyUrl,
    logs,
    child,
    stop: (signal = 'SIGTERM') => stopChild(child, signal),
  };
}

/** Sends `signal` and resolves with the exit code; a child still running after 10 s is killed. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill(signal);
  });
}

/** The server pointed at a fake Alpha Vantage with a budget that never gets in a test's way. */
export function fakeUpstreamEnv(fakeUrl: string, apiKey: string): Record<string, string> {
  return {
    ALPHAVANTAGE_API_KEY: apiKey,
    ALPHAVANTAGE_BASE_URL: fakeUrl,
    ALPHAVANTAGE_RATE_LIMIT_PER_MINUTE: '60000',
    ALPHAVANTAGE_RATE_LIMIT_PER_DAY: '0',
  };
}
