/**
 * SIGTERM on the real process (dist/main.js): draining in-flight requests, and shutting
 * down when stdout is a closed pipe (pino writing to it raises EPIPE).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { fakeUpstreamEnv, startServer, stopChild, type ServerProcess } from '../support/server-process.js';

const API_KEY = 'shutdown-test-key';
const SLOW_MS = 1_500;

let fake: FakeAlphaVantage;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  fake = await startFakeAlphaVantage();
});

afterAll(async () => {
  await Promise.all(servers.map((server) => stopChild(server.child, 'SIGKILL')));
  await fake?.close();
});

/** Embedded file store (no Redis): the shutdown path is the same, and no database is shared. */
async function start(): Promise<ServerProcess> {
  const server = await startServer({ ...fakeUpstreamEnv(fake.url, API_KEY), LOG_LEVEL: 'info' });
  servers.push(server);
  return server;
}

const exited = (server: ServerProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> =>
  server.child.exitCode !== null || server.child.signalCode !== null
    ? Promise.resolve({ code: server.child.exitCode, signal: server.child.signalCode })
    : new Promise((resolve) => server.child.once('exit', (code, signal) => resolve({ code, signal })));

const valuation = (url: string, symbol: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `{ intrinsicValue(symbol: "${symbol}") { symbol effectiveIntrinsicValue } }` }),
  });

describe('SIGTERM', () => {
  it('lets an in-flight request finish after SIGTERM, then exits 0 within the drain bound', async () => {
    const server = await start();
    fake.setLatency(SLOW_MS, { symbol: 'MSFT' });
    const inFlight = valuation(server.url, 'MSFT');
    await expect.poll(() => fake.callCount({ symbol: 'MSFT' }), { timeout: 5_000 }).toBeGreaterThan(0);
    const sentAt = Date.now();
    const exit = exited(server);
    server.child.kill('SIGTERM');

    const response = await inFlight;
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { intrinsicValue: { symbol: string } } | null; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data?.intrinsicValue.symbol).toBe('MSFT');
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - sentAt).toBeLessThan(10_000);
    expect(server.logs.some((line) => /shutting down: draining requests/.test(line))).toBe(true);
    expect(server.logs.some((line) => /"msg":"stopped"/.test(line))).toBe(true);
  });

  it.each([
    { closed: 'stdout', streams: ['stdout'] as const },
    { closed: 'stdout and stderr', streams: ['stdout', 'stderr'] as const },
  ])('still shuts down, exit 0, when $closed is a closed pipe', async ({ streams }) => {
    const server = await start();
    for (const stream of streams) server.child[stream]!.destroy();
    // each request writes a log line to a pipe nobody reads any more (EPIPE)
    for (let i = 0; i < 5; i++) expect((await valuation(server.url, 'AAPL')).status).toBe(200);
    const exit = exited(server);
    server.child.kill('SIGTERM');
    const result = await Promise.race([exit, new Promise((resolve) => setTimeout(() => resolve('still running after 10 s'), 10_000))]);
    expect(result).toEqual({ code: 0, signal: null });
    expect(server.logs.filter((line) => /EPIPE|Error/.test(line))).toEqual([]);
  });
});
