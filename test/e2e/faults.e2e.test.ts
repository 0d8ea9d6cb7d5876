import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntrinsicValueDocument } from '../generated/graphql.js';
import { startFakeAlphaVantage, type FakeAlphaVantage, type FakeMode } from '../support/fake-alpha-vantage.js';
import { ask, errorCodes, type GraphQLAnswer } from '../support/graphql-client.js';
import { connectRedis } from '../support/redis.js';
import { OwnRedis } from '../support/redis-server.js';
import { missingRedisServer } from '../support/tools.js';
import { fakeUpstreamEnv, startServer, type ServerProcess } from '../support/server-process.js';

const TOKEN = 'fault-token';
const START_SCAN = 'mutation { startScan(input: { symbols: ["AAPL"] }) { started reason } }';

let fake: FakeAlphaVantage;
let redis: OwnRedis;
let server: ServerProcess;

// Every test here runs the server on a Redis of its own.
const skip = missingRedisServer();

beforeAll(async () => {
  if (skip) return;
  fake = await startFakeAlphaVantage();
  redis = await OwnRedis.start();
  server = await startServer({
    REDIS_URL: redis.url,
    ...fakeUpstreamEnv(fake.url, 'fault-key'),
    ALPHAVANTAGE_TIMEOUT_MS: '400',
    ALPHAVANTAGE_RETRIES: '1',
    API_TOKENS: TOKEN,
    ENVIRONMENT: 'LOCAL',
    STORE_TIMEOUT_MS: '300',
    // one ticker at a time, so that Redis dies between tickers of a running scan
    SCAN_CONCURRENCY: '1',
  });
});

afterAll(async () => {
  await server?.stop();
  await redis?.stop();
  await fake?.close();
});

/** Requests with a deadline of their own: a hang shows up as a 'HUNG' outcome, not a stuck test. */
async function askWithin<Data>(work: Promise<GraphQLAnswer<Data>>, ms: number): Promise<GraphQLAnswer<Data> | 'HUNG'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'HUNG'>((resolve) => (timer = setTimeout(() => resolve('HUNG'), ms)));
  try {
    return await Promise.race([work, hung]);
  } finally {
    clearTimeout(timer);
  }
}

function tally(outcomes: Array<GraphQLAnswer<unknown> | 'HUNG'>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) {
    const key = outcome === 'HUNG' ? 'HUNG' : outcome.errors.length === 0 ? 'data' : String(errorCodes(outcome)[0]);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

async function waitUntilNoScanRuns(): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const answer = await ask<{ scanStatus: { inProgress: boolean } }, object>(server.url, '{ scanStatus { inProgress } }');
    if (answer.data?.scanStatus.inProgress === false) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('a scan is still running after 20 s');
}

const ready = async () => (await fetch(server.url.replace('/graphql', '/ready'))).status;

describe.skipIf(skip)('Redis stopped and restarted under load', () => {
  it('keeps answering within bounded time, refuses scans without the lock, and resumes caching when Redis returns', async () => {
    const outcomes: Array<GraphQLAnswer<unknown> | 'HUNG'> = [];
    const symbols = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'META'];
    let sent = 0;
    let stop = false;
    const load = (async () => {
      for (let round = 0; !stop && round < 400; round += 1) {
        const batch = symbols.map((symbol) => {
          sent += 1;
          return askWithin(ask(server.url, IntrinsicValueDocument, { symbol }), 5_000);
        });
        outcomes.push(...(await Promise.all(batch)));
      }
    })();

    await new Promise((resolve) => setTimeout(resolve, 500));
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await ready()).toBe(503);
    const refused = await ask(server.url, START_SCAN, undefined, { authorization: `Bearer ${TOKEN}` });
    expect(errorCodes(refused)).toEqual(['STORE_UNAVAILABLE']);

    await redis.start();
    const deadline = Date.now() + 10_000;
    while ((await ready()) !== 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await ready()).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    stop = true;
    await load;

    const counts = tally(outcomes);
    console.log(`redis outage under load: sent ${sent}, answered ${outcomes.length - (counts['HUNG'] ?? 0)}, outcomes ${JSON.stringify(counts)}`);
    expect(outcomes).toHaveLength(sent);
    expect(counts['HUNG'] ?? 0).toBe(0);
    // The cache only enhances: with Redis gone the answers come from the upstream.
    expect(counts['data']).toBe(sent);

    // Caching resumed without a restart: a new symbol's answer lands in the restarted Redis.
    const answer = await ask(server.url, IntrinsicValueDocument, { symbol: 'ORCL' });
    expect(answer.errors).toEqual([]);
    const client = await connectRedis(redis.url);
    try {
      expect(await client.exists('wheel:alphavantage:earnings:ORCL')).toBe(1);
    } finally {
      client.destroy();
    }
    const started = await ask(server.url, START_SCAN, undefined, { authorization: `Bearer ${TOKEN}` });
    expect(started.errors).toEqual([]);
  }, 60_000);
});

describe.skipIf(skip)('Redis dying mid-scan', () => {
  it('loses no earlier results: every ticker scanned is listed once Redis is back', async () => {
    const symbols = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'META', 'GOOGL'];
    await waitUntilNoScanRuns();
    // Slow enough that Redis dies between tickers, with headroom under ALPHAVANTAGE_TIMEOUT_MS (400):
    // at 300 a loaded CI machine timed a call out twice and the ticker failed, a miss that is not the store's.
    fake.setLatency(150);
    try {
      const started = await ask(
        server.url,
        `mutation { startScan(input: { symbols: ${JSON.stringify(symbols)}, minAnnualizedReturn: 0, maxDelta: 1 }) { started } }`,
        undefined,
        { authorization: `Bearer ${TOKEN}` },
      );
      expect(started.data).toEqual({ startScan: { started: true } });
      const status = async () =>
        (await ask<{ scanStatus: { lastRun: string; progress: { completed: number } | null } }, object>(
          server.url,
          '{ scanStatus { lastRun progress { completed } } }',
        )).data?.scanStatus;
      const deadline = Date.now() + 30_000;
      while (((await status())?.progress?.completed ?? 0) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await redis.stop();
      await new Promise((resolve) => setTimeout(resolve, 800));
      await redis.start();
      // The restarted Redis starts empty (no persistence here), lock included: wait for the end message.
      while (!/^Scan (completed|failed)/.test((await status())?.lastRun ?? '') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const results = await ask<{ scanResults: { tickers: Array<{ symbol: string }> } }, object>(
        server.url,
        '{ scanResults { tickers { symbol } } }',
      );
      expect(results.data?.scanResults.tickers.map((ticker) => ticker.symbol)).toEqual([...symbols].sort());
    } finally {
      fake.setLatency(0);
    }
  }, 60_000);
});

describe.skipIf(skip)('upstream faults', () => {
  it.each<[FakeMode, string]>([
    ['hang', 'UPSTREAM_UNAVAILABLE'],
    ['reset', 'UPSTREAM_UNAVAILABLE'],
    ['http500', 'UPSTREAM_UNAVAILABLE'],
    ['garbage', 'UPSTREAM_UNAVAILABLE'],
    ['rateLimitNote', 'UPSTREAM_RATE_LIMITED'],
    ['rateLimitInformation', 'UPSTREAM_RATE_LIMITED'],
    ['errorMessage', 'SYMBOL_NOT_FOUND'],
  ])('answers an upstream that does %s with %s in bounded time, and caches no data', async (mode, code) => {
    const symbol = `F${mode.toUpperCase().slice(-6)}`;
    fake.setMode(mode, { symbol });
    const started = Date.now();
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => askWithin(ask(server.url, IntrinsicValueDocument, { symbol }), 10_000)));
    const elapsed = Date.now() - started;
    console.log(`upstream ${mode}: sent 5, outcomes ${JSON.stringify(tally(outcomes))} in ${elapsed} ms`);
    expect(tally(outcomes)).toEqual({ [code]: 5 });
    // 400 ms per attempt, one retry with backoff: well under the client's patience.
    expect(elapsed).toBeLessThan(5_000);

    fake.setMode('data', { symbol });
    const callsBefore = fake.callCount({ symbol });
    const healed = await ask(server.url, IntrinsicValueDocument, { symbol });
    if (code === 'SYMBOL_NOT_FOUND') {
      // "No such symbol" is the one non-data answer remembered (a day): asked again, no call.
      expect(errorCodes(healed)).toEqual(['SYMBOL_NOT_FOUND']);
      expect(fake.callCount({ symbol })).toBe(callsBefore);
    } else {
      expect(healed.errors).toEqual([]);
    }
  });

  it('never lets a flapping upstream poison the cache', async () => {
    fake.setMode('garbage', { symbol: 'FLIP', function: 'OVERVIEW', times: 1 });
    const first = await ask(server.url, IntrinsicValueDocument, { symbol: 'FLIP' });
    expect(errorCodes(first)).toEqual(['UPSTREAM_UNAVAILABLE']);
    const second = await ask(server.url, IntrinsicValueDocument, { symbol: 'FLIP' });
    expect(second.errors).toEqual([]);
    expect(second.data?.intrinsicValue.sharesOutstanding).toBeGreaterThan(0);
  });
});
