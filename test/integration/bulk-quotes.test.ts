import { Decimal } from 'decimal.js';
import type { RedisClientType } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CURATED_SYMBOLS } from '../../src/config.js';
import { DEFAULT_AS_OF, quoteFigures } from '../support/alpha-vantage-data.js';
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { startInProcessApp, type InProcessApp } from '../support/in-process-app.js';
import { dropDatabase, freshDatabase } from '../support/redis.js';

const DATABASE = 6;
const TOKEN = 'bulk-token';

let fake: FakeAlphaVantage;
let server: InProcessApp;
let redis: RedisClientType;

beforeAll(async () => {
  redis = await freshDatabase(DATABASE);
  fake = await startFakeAlphaVantage();
  server = await startInProcessApp({
    database: DATABASE,
    fake,
    env: { ALPHAVANTAGE_API_KEY: 'premium-key', ALPHAVANTAGE_BULK_QUOTES: 'true', API_TOKENS: TOKEN, ENVIRONMENT: 'LOCAL' },
  });
});

afterAll(async () => {
  await server?.close();
  await fake?.close();
  await dropDatabase(redis);
});

interface Results {
  scanStatus: { finishedAt: string | null; lastRun: string };
  scanResults: { tickers: Array<{ symbol: string; options: Array<{ underlyingPrice: number }> }> };
}

describe('REALTIME_BULK_QUOTES (premium keys)', () => {
  it('prices a scan of the 26 curated symbols with one bulk call instead of 26 GLOBAL_QUOTE calls', async () => {
    const started = await server.graphql(
      'mutation { startScan(input: { minAnnualizedReturn: 0, maxDelta: 1 }) { started } }',
      undefined,
      { authorization: `Bearer ${TOKEN}` },
    );
    expect(started.data).toEqual({ startScan: { started: true } });

    const query = '{ scanStatus { finishedAt lastRun } scanResults { tickers { symbol options { underlyingPrice } } } }';
    let answer = await server.graphql<Results, object>(query);
    const deadline = Date.now() + 30_000;
    while (!answer.data?.scanStatus.finishedAt && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await server.graphql<Results, object>(query);
    }
    expect(answer.data?.scanStatus.lastRun).toMatch(/^Scan completed successfully at /);

    expect(fake.callCount({ function: 'REALTIME_BULK_QUOTES' })).toBe(1);
    expect(fake.callCount({ function: 'GLOBAL_QUOTE' })).toBe(0);
    expect(fake.callCount({ function: 'REALTIME_OPTIONS' })).toBe(DEFAULT_CURATED_SYMBOLS.length);
    const bulk = fake.calls.find((call) => call.function === 'REALTIME_BULK_QUOTES');
    expect(bulk?.symbol.split(',').sort()).toEqual([...DEFAULT_CURATED_SYMBOLS].sort());

    const tickers = answer.data?.scanResults.tickers ?? [];
    expect(tickers.length).toBeGreaterThan(0);
    for (const ticker of tickers) {
      expect(ticker.options[0]?.underlyingPrice, ticker.symbol).toBeCloseTo(quoteFigures(ticker.symbol).price, 4);
    }
  });
});

describe('IntrinsicValue.quote with bulk quotes', () => {
  it('prices the symbols of a request with one REALTIME_BULK_QUOTES call, as of the rows’ New York timestamp', async () => {
    fake.resetCalls();
    const symbols = ['NVDA', 'AAPL', 'MSFT'];
    const answer = await server.graphql<{ intrinsicValues: Array<{ symbol: string; quote: { price: number; asOf: string } }> }>(
      `{ intrinsicValues(symbols: ${JSON.stringify(symbols)}) { symbol quote { price asOf } } }`,
    );
    expect(answer.errors).toEqual([]);
    expect(fake.calls.filter((call) => call.function === 'REALTIME_BULK_QUOTES').map((call) => call.symbol)).toEqual(['NVDA,AAPL,MSFT']);
    expect(fake.callCount({ function: 'GLOBAL_QUOTE' })).toBe(0);
    // The fake stamps its rows `${DEFAULT_AS_OF} 16:00:00.000`: 16:00 EST is 21:00 UTC.
    const close = new Date(`${DEFAULT_AS_OF}T21:00:00.000Z`).toISOString();
    for (const value of answer.data!.intrinsicValues) {
      // Answered in cents, half-even.
      expect(value.quote, value.symbol).toEqual({ price: new Decimal(quoteFigures(value.symbol).price).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toNumber(), asOf: close });
    }
  });
});
