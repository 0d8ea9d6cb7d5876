import type { RedisClientType } from '@redis/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CURATED_SYMBOLS } from '../../src/config.js';
import { DEFAULT_ASSUMPTIONS } from '../../src/domain/assumptions.js';
import { valueStock } from '../../src/domain/valuation.js';
import { classifyAnswer } from '../../src/providers/alpha-vantage/answer-classifier.js';
import { parseCashFlow, parseEarnings, parseOverview } from '../../src/providers/alpha-vantage/fundamentals.parser.js';
import { cashFlowBody, earningsBody, overviewBody } from '../support/alpha-vantage-data.js';
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { CuratedStocksDocument, IntrinsicValueDocument, IntrinsicValuesDocument } from '../generated/graphql.js';
import { errorCodes } from '../support/graphql-client.js';
import { IN_PROCESS_API_KEY, startInProcessApp, type InProcessApp } from '../support/in-process-app.js';
import { dropDatabase, freshDatabase, redisUrlFor } from '../support/redis.js';
import { RedisMonitor } from '../support/redis-monitor.js';

const DATABASE = 1;
// The harness's key: the one its logger is told to mask, as main.ts tells it the configured key.
const API_KEY = IN_PROCESS_API_KEY;
const SYMBOLS = [...DEFAULT_CURATED_SYMBOLS];
const TOKEN = 'e2e-admin-token';

let fake: FakeAlphaVantage;
let server: InProcessApp;
let redis: RedisClientType;

beforeAll(async () => {
  redis = await freshDatabase(DATABASE);
  fake = await startFakeAlphaVantage();
  server = await startInProcessApp({
    database: DATABASE,
    fake,
    env: { ALPHAVANTAGE_RETRIES: '0', API_TOKENS: TOKEN },
  });
});

afterAll(async () => {
  await server?.close();
  await fake?.close();
  await dropDatabase(redis);
});

beforeEach(() => {
  fake.reset();
});

describe('intrinsicValues over the 26 default symbols', () => {
  it('makes exactly 3 upstream calls per symbol cold and none warm', async () => {
    const cold = await server.graphql(IntrinsicValuesDocument, { symbols: SYMBOLS });
    expect(cold.errors).toEqual([]);
    expect(cold.data?.intrinsicValues.map((value) => value?.symbol)).toEqual(SYMBOLS);
    expect(fake.calls).toHaveLength(3 * SYMBOLS.length);
    for (const symbol of SYMBOLS) {
      for (const fn of ['EARNINGS', 'OVERVIEW', 'CASH_FLOW']) expect(fake.callCount({ function: fn, symbol })).toBe(1);
    }

    fake.resetCalls();
    const warm = await server.graphql(IntrinsicValuesDocument, { symbols: SYMBOLS });
    expect(fake.calls).toHaveLength(0);
    expect(warm.data).toEqual(cold.data);
  });

  it('answers with the figures the valuation domain computes from the upstream bodies', async () => {
    const answer = await server.graphql(IntrinsicValueDocument, { symbol: 'MSFT' });
    const expected = valueStock({
      symbol: 'MSFT',
      earnings: parseEarnings(classifyAnswer({ fn: 'EARNINGS', symbol: 'MSFT' }, earningsBody('MSFT'))),
      overview: parseOverview(classifyAnswer({ fn: 'OVERVIEW', symbol: 'MSFT' }, overviewBody('MSFT'))),
      cashFlow: parseCashFlow(classifyAnswer({ fn: 'CASH_FLOW', symbol: 'MSFT' }, cashFlowBody('MSFT'))),
      assumptions: { ...DEFAULT_ASSUMPTIONS },
    });
    expect(answer.data?.intrinsicValue.effectiveIntrinsicValue).toBe(expected.effectiveIntrinsicValue);
    expect(answer.data?.intrinsicValue.eps?.projected).toEqual(expected.eps?.projected);
    expect(answer.data?.intrinsicValue.fcfPerShare).toBe(expected.fcfPerShare);
  });

  it('reads the warm cache with a few batched commands, not one per key', async () => {
    await server.graphql(IntrinsicValuesDocument, { symbols: SYMBOLS });
    const monitor = await RedisMonitor.start(redisUrlFor(DATABASE), DATABASE);
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      monitor.reset();
      const warm = await server.graphql(IntrinsicValuesDocument, { symbols: SYMBOLS });
      expect(warm.errors).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      // 78 keys (3 functions × 26 symbols) in one MGET, plus one GET of the saved assumptions.
      expect(monitor.commands.filter((command) => command === 'mget')).toHaveLength(1);
      expect(monitor.commands.length).toBeLessThanOrEqual(4);
    } finally {
      await monitor.stop();
    }
  });

  it('makes one upstream call per key for 20 concurrent identical queries', async () => {
    const symbols = ['ZS', 'TEAM', 'MDB'];
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => server.graphql(IntrinsicValuesDocument, { symbols })),
    );
    for (const answer of answers) expect(answer.errors).toEqual([]);
    expect(fake.calls).toHaveLength(3 * symbols.length);
    for (const symbol of symbols) {
      for (const fn of ['EARNINGS', 'OVERVIEW', 'CASH_FLOW']) expect(fake.callCount({ function: fn, symbol })).toBe(1);
    }
  });
});

describe('errors', () => {
  it('answers UPSTREAM_RATE_LIMITED on a rate-limit payload, caches nothing, and gets data once the limit lifts', async () => {
    fake.setMode('rateLimitNote');
    const limited = await server.graphql(IntrinsicValueDocument, { symbol: 'INTU' });
    expect(errorCodes(limited)).toEqual(['UPSTREAM_RATE_LIMITED']);
    expect(await redis.exists('wheel:alphavantage:earnings:INTU')).toBe(0);

    fake.setMode('data');
    const lifted = await server.graphql(IntrinsicValueDocument, { symbol: 'INTU' });
    expect(lifted.errors).toEqual([]);
    expect(lifted.data?.intrinsicValue.symbol).toBe('INTU');
    expect(await redis.exists('wheel:alphavantage:earnings:INTU')).toBe(1);
  });

  it('answers SYMBOL_NOT_FOUND for a symbol the upstream does not know, and caches no data for it', async () => {
    fake.unknownSymbols.add('NOPE');
    const answer = await server.graphql(IntrinsicValueDocument, { symbol: 'NOPE' });
    expect(errorCodes(answer)).toEqual(['SYMBOL_NOT_FOUND']);
    expect(await redis.keys('wheel:alphavantage:*:NOPE')).toEqual([]);
  });

  it('answers UPSTREAM_UNAVAILABLE for an upstream HTTP 500 and malformed JSON', async () => {
    fake.setMode('http500');
    expect(errorCodes(await server.graphql(IntrinsicValueDocument, { symbol: 'WDAY' }))).toEqual(['UPSTREAM_UNAVAILABLE']);
    fake.setMode('garbage');
    expect(errorCodes(await server.graphql(IntrinsicValueDocument, { symbol: 'WDAY' }))).toEqual(['UPSTREAM_UNAVAILABLE']);
  });

  it('refuses a malformed symbol with BAD_USER_INPUT before any upstream call', async () => {
    for (const symbol of ['', 'TOO-LONG-SYMBOL', 'AA PL', 'AAPL;DROP', '$$$']) {
      const answer = await server.graphql(IntrinsicValueDocument, { symbol });
      expect(errorCodes(answer), symbol).toEqual(['BAD_USER_INPUT']);
    }
    expect(fake.calls).toHaveLength(0);
  });

  it('refuses absurd assumptions with BAD_USER_INPUT', async () => {
    for (const assumptions of [{ desiredReturn: 0 }, { projectionYears: 500 }, { epsMultiple: -3 }, { fcfGrowthRate: 1e9 }]) {
      const answer = await server.graphql(IntrinsicValueDocument, { symbol: 'AAPL', assumptions });
      expect(errorCodes(answer), JSON.stringify(assumptions)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('never writes the API key to a log line, a cache key or an answer', async () => {
    fake.setMode('http500', { symbol: 'KEYX' });
    const answer = await server.graphql(IntrinsicValueDocument, { symbol: 'KEYX' });
    expect(JSON.stringify(answer)).not.toContain(API_KEY);
    expect(server.logs.length).toBeGreaterThan(0);
    expect(server.logs.map((line) => JSON.stringify(line)).filter((line) => line.includes(API_KEY))).toEqual([]);
    expect((await redis.keys('*')).filter((key) => key.includes(API_KEY))).toEqual([]);
    // the key did reach the upstream, where it belongs
    expect(fake.calls.every((call) => call.apikey === API_KEY)).toBe(true);
  });
});

describe('assumptions', () => {
  it('uses the argument over the defaults, field by field', async () => {
    const answer = await server.graphql(IntrinsicValueDocument, {
      symbol: 'AAPL',
      assumptions: { projectionYears: 7, preferredMethod: 'FCF' },
    });
    expect(answer.data?.intrinsicValue.assumptions).toEqual({ ...DEFAULT_ASSUMPTIONS, projectionYears: 7, preferredMethod: 'FCF' });
    expect(answer.data?.intrinsicValue.eps?.projected).toHaveLength(7);
    expect(answer.data?.intrinsicValue.effectiveIntrinsicValue).toBe(answer.data?.intrinsicValue.fcf?.intrinsicValue ?? null);
  });

  it('lists the curated stocks from the store with their valuations in one batch', async () => {
    const answer = await server.graphql(CuratedStocksDocument);
    expect(answer.errors).toEqual([]);
    expect(answer.data?.curatedStocks.map((stock) => stock.symbol)).toEqual(SYMBOLS);
    expect(answer.data?.curatedStocks.every((stock) => stock.intrinsicValue?.symbol === stock.symbol)).toBe(true);
  });
});

describe('saved assumptions', () => {
  const SAVE = `mutation Save($symbol: String!, $active: Boolean, $assumptions: ValuationAssumptionsInput) {
    saveCuratedStock(symbol: $symbol, active: $active, assumptions: $assumptions) {
      symbol active assumptions { projectionYears epsMultiple desiredReturn }
    }
  }`;
  const VALUE = `query Value($symbol: String!, $assumptions: ValuationAssumptionsInput) {
    intrinsicValue(symbol: $symbol, assumptions: $assumptions) { assumptions { projectionYears epsMultiple desiredReturn } eps { projected } }
  }`;
  type Saved = { saveCuratedStock: { symbol: string; active: boolean; assumptions: Record<string, number> } };
  type Valued = { intrinsicValue: { assumptions: Record<string, number>; eps: { projected: number[] } | null } };

  it('refuses to save without a valid token', async () => {
    const answer = await server.graphql(SAVE, { symbol: 'NFLX', assumptions: { projectionYears: 9 } }, { authorization: 'Bearer wrong' });
    expect(errorCodes(answer)).toEqual(['UNAUTHENTICATED']);
  });

  it('resolves argument > saved > defaults, field by field', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const saved = await server.graphql<Saved, object>(SAVE, { symbol: 'nflx', assumptions: { projectionYears: 7, epsMultiple: 25 } }, auth);
    expect(saved.data?.saveCuratedStock).toEqual({
      symbol: 'NFLX',
      active: true,
      assumptions: { projectionYears: 7, epsMultiple: 25, desiredReturn: DEFAULT_ASSUMPTIONS.desiredReturn },
    });

    const withSaved = await server.graphql<Valued, object>(VALUE, { symbol: 'NFLX' });
    expect(withSaved.data?.intrinsicValue.assumptions).toEqual({ projectionYears: 7, epsMultiple: 25, desiredReturn: 15 });
    expect(withSaved.data?.intrinsicValue.eps?.projected).toHaveLength(7);

    const withArgument = await server.graphql<Valued, object>(VALUE, { symbol: 'NFLX', assumptions: { projectionYears: 3 } });
    expect(withArgument.data?.intrinsicValue.assumptions).toEqual({ projectionYears: 3, epsMultiple: 25, desiredReturn: 15 });

    const deactivated = await server.graphql<Saved, object>(SAVE, { symbol: 'NFLX', active: false }, auth);
    expect(deactivated.data?.saveCuratedStock.active).toBe(false);
    expect(deactivated.data?.saveCuratedStock.assumptions['projectionYears']).toBe(7);
  });

  it('refuses absurd saved assumptions with BAD_USER_INPUT', async () => {
    const answer = await server.graphql(SAVE, { symbol: 'NFLX', assumptions: { desiredReturn: -5 } }, { authorization: `Bearer ${TOKEN}` });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
  });
});
