/**
 * Valuation snapshots end to end, in process: the service on one PostgreSQL and its own Redis,
 * the fake Alpha Vantage upstream, a clock the test sets. Snapshots for several quarters (a
 * repeated run changes nothing and calls nothing upstream, `force` replaces), the history and
 * the analytics against figures computed here from the valuations the API answered, the CSV
 * export parsed back with a CSV library, a Redis FLUSHALL that loses nothing. Then the
 * scheduled run: two service instances on one database at a quarter's first day record once.
 */
import type { RedisClientType } from '@redis/client';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedBody } from '../support/alpha-vantage-data.js';
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { errorCodes } from '../support/graphql-client.js';
import { startInProcessApp, type InProcessApp } from '../support/in-process-app.js';
import { createTestDatabase, missingPostgres, type TestDatabase } from '../support/postgres.js';
import { connectRedis } from '../support/redis.js';
import { OwnRedis } from '../support/redis-server.js';
import { missingRedisServer } from '../support/tools.js';

const TOKEN = 'valuation-history-token-2b9c';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const CURATED = ['AAPL', 'MSFT', 'NVDA'];

const RECORD = `mutation($date: String, $symbols: [String!], $force: Boolean) {
  recordValuationSnapshots(date: $date, symbols: $symbols, force: $force) { date recorded skipped failed }
}`;
const SAVE = 'mutation($symbol: String!, $assumptions: ValuationAssumptionsInput) { saveCuratedStock(symbol: $symbol, assumptions: $assumptions) { symbol } }';
const ASSUMPTIONS = 'assumptions { epsGrowthRate epsMultiple fcfGrowthRate fcfMultiple desiredReturn projectionYears preferredMethod }';
const VALUES = `query($symbols: [String!]!) { intrinsicValues(symbols: $symbols) { symbol epsTtm fcfPerShare eps { intrinsicValue } fcf { intrinsicValue } effectiveIntrinsicValue preferredMethod ${ASSUMPTIONS} } }`;
const HISTORY = `query($symbol: String!, $from: String, $to: String) {
  valuationHistory(symbol: $symbol, from: $from, to: $to) { symbol date epsTtm fcfPerShare epsIntrinsicValue fcfIntrinsicValue effectiveIntrinsicValue preferredMethod ${ASSUMPTIONS} recordedAt }
}`;
const CHANGE = 'date effectiveIntrinsicValue change changePercent';
const ANALYTICS = `query($symbol: String!) { valuationAnalytics(symbol: $symbol) {
  symbol snapshots mean standardDeviation coefficientOfVariation cagrPercent epsFcfCorrelation previousQuarter { ${CHANGE} } yearAgo { ${CHANGE} }
} }`;

type Assumptions = Record<string, number | string>;
interface Valuation {
  symbol: string;
  epsTtm: number | null;
  fcfPerShare: number | null;
  eps: { intrinsicValue: number } | null;
  fcf: { intrinsicValue: number } | null;
  effectiveIntrinsicValue: number | null;
  preferredMethod: string;
  assumptions: Assumptions;
}
interface Snapshot {
  symbol: string;
  date: string;
  epsTtm: number | null;
  fcfPerShare: number | null;
  epsIntrinsicValue: number | null;
  fcfIntrinsicValue: number | null;
  effectiveIntrinsicValue: number | null;
  preferredMethod: string;
  assumptions: Assumptions;
  recordedAt: string;
}
interface Run {
  date: string;
  recorded: number;
  skipped: number;
  failed: string[];
}
type Change = { date: string; effectiveIntrinsicValue: number | null; change: number | null; changePercent: number | null };

/** The snapshot a valuation answered by intrinsicValues makes, recorded at `at`. */
function expectedSnapshot(valuation: Valuation, date: string, at: Date): Snapshot {
  return {
    symbol: valuation.symbol,
    date,
    epsTtm: valuation.epsTtm,
    fcfPerShare: valuation.fcfPerShare,
    epsIntrinsicValue: valuation.eps?.intrinsicValue ?? null,
    fcfIntrinsicValue: valuation.fcf?.intrinsicValue ?? null,
    effectiveIntrinsicValue: valuation.effectiveIntrinsicValue,
    preferredMethod: valuation.preferredMethod,
    assumptions: valuation.assumptions,
    recordedAt: at.toISOString(),
  };
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

describe.skipIf(missingRedisServer() || missingPostgres())('valuation snapshots on PostgreSQL and Redis, through the API', () => {
  let redis: OwnRedis;
  let client: RedisClientType;
  let fake: FakeAlphaVantage;
  let database: TestDatabase;
  let service: InProcessApp;
  let now = new Date('2026-04-15T15:00:00Z');
  const env = () => ({ REDIS_URL: redis.url, DATABASE_URL: database.url, API_TOKENS: TOKEN, CURATED_SYMBOLS: CURATED.join(',') });
  const start = () => startInProcessApp({ fake, env: env(), overrides: { clock: () => now } });
  /** what the API values each curated stock at now, by symbol */
  const valuations = async (): Promise<Map<string, Valuation>> => {
    const answer = await service.graphql<{ intrinsicValues: Valuation[] }>(VALUES, { symbols: CURATED });
    expect(answer.errors).toEqual([]);
    return new Map(answer.data!.intrinsicValues.map((valuation) => [valuation.symbol, valuation]));
  };
  const record = async (variables: Record<string, unknown>, on = service) => {
    const answer = await on.graphql<{ recordValuationSnapshots: Run }>(RECORD, variables, AUTH);
    expect(answer.errors).toEqual([]);
    return answer.data!.recordValuationSnapshots;
  };
  const history = async (symbol: string, range: { from?: string; to?: string } = {}, on = service) => {
    const answer = await on.graphql<{ valuationHistory: Snapshot[] }>(HISTORY, { symbol, ...range });
    expect(answer.errors).toEqual([]);
    return answer.data!.valuationHistory;
  };
  /** every snapshot this test expects, by symbol, oldest first */
  const expected = new Map<string, Snapshot[]>(CURATED.map((symbol) => [symbol, []]));
  const expectRecorded = (values: Map<string, Valuation>, date: string, at: Date) => {
    for (const [symbol, valuation] of values) {
      const rows = expected.get(symbol)!.filter((row) => row.date !== date);
      rows.push(expectedSnapshot(valuation, date, at));
      expected.set(symbol, rows.sort((a, b) => a.date.localeCompare(b.date)));
    }
  };

  beforeAll(async () => {
    redis = await OwnRedis.start();
    client = await connectRedis(redis.url);
    fake = await startFakeAlphaVantage();
    database = await createTestDatabase();
    service = await start();
  });

  afterAll(async () => {
    await service?.close();
    await fake?.close();
    client?.destroy();
    await redis?.stop();
    await database?.drop();
  });

  it('records the active curated stocks for a quarter, then again changes nothing and calls nothing upstream', async () => {
    const values = await valuations();
    const calls = fake.callCount();
    expect(await record({ date: '2025-04-01' })).toEqual({ date: '2025-04-01', recorded: 3, skipped: 0, failed: [] });
    expectRecorded(values, '2025-04-01', now);
    // Valued from the cache the intrinsicValues query filled.
    expect(fake.callCount()).toBe(calls);
    now = new Date(now.getTime() + 60_000);
    expect(await record({ date: '2025-04-01' })).toEqual({ date: '2025-04-01', recorded: 0, skipped: 3, failed: [] });
    for (const symbol of CURATED) expect(await history(symbol)).toEqual(expected.get(symbol));
  });

  it('records a second and a third quarter with the assumptions saved then, and force replaces a recorded one', async () => {
    await service.graphql(SAVE, { symbol: 'AAPL', assumptions: { epsGrowthRate: 14, fcfMultiple: 24 } }, AUTH);
    const second = await valuations();
    expect(await record({ date: '2025-10-01' })).toMatchObject({ recorded: 3, skipped: 0 });
    expectRecorded(second, '2025-10-01', now);

    await service.graphql(SAVE, { symbol: 'AAPL', assumptions: { epsGrowthRate: 6, fcfGrowthRate: 4 } }, AUTH);
    now = new Date(now.getTime() + 60_000);
    const third = await valuations();
    expect(await record({ date: '2026-01-01', symbols: ['aapl'] })).toEqual({ date: '2026-01-01', recorded: 1, skipped: 0, failed: [] });
    expectRecorded(new Map([['AAPL', third.get('AAPL')!]]), '2026-01-01', now);
    const aapl = await history('AAPL');
    expect(aapl).toEqual(expected.get('AAPL'));
    expect(new Set(aapl.map((row) => row.effectiveIntrinsicValue)).size).toBe(3);

    // force: the 2025-10-01 snapshot replaced by today's valuation, recordedAt included.
    now = new Date(now.getTime() + 60_000);
    expect(await record({ date: '2025-10-01', force: true })).toEqual({ date: '2025-10-01', recorded: 3, skipped: 0, failed: [] });
    expectRecorded(await valuations(), '2025-10-01', now);
    for (const symbol of CURATED) expect(await history(symbol)).toEqual(expected.get(symbol));
    expect(await history('AAPL', { from: '2025-04-02', to: '2025-12-31' })).toEqual(expected.get('AAPL')!.filter((row) => row.date === '2025-10-01'));
  });

  it('reports each stock that cannot be valued as "SYMBOL: why" and records the others; without a date, the current quarter', async () => {
    fake.unknownSymbols.add('NOPE');
    // LOSS…: negative EPS; its cash flow turned negative too, so neither model can run.
    const cashFlow = generatedBody('CASH_FLOW', 'LOSSX') as { quarterlyReports: Array<Record<string, string>> };
    for (const report of cashFlow.quarterlyReports) report['operatingCashflow'] = String(-Math.abs(Number(report['operatingCashflow'])));
    fake.setBody('CASH_FLOW', 'LOSSX', cashFlow);
    const run = await record({ symbols: ['NOPE', 'MSFT', 'LOSSX', 'ADBE'] });
    expect(run).toMatchObject({ date: '2026-04-01', recorded: 2, skipped: 0 });
    expect(run.failed).toHaveLength(2);
    expect(run.failed[0]).toMatch(/^NOPE: SYMBOL_NOT_FOUND: /);
    expect(run.failed[1]).toMatch(/^LOSSX: NO_MODEL: neither the EPS nor the FCF model could run \(.*EPS.*\)$/);
    expect(await history('LOSSX')).toEqual([]);
    expect((await history('ADBE')).map((row) => row.date)).toEqual(['2026-04-01']);
  });

  it('refuses a date other than a quarter’s first day, bad symbols and bad history bounds with BAD_USER_INPUT, and a run without a token', async () => {
    for (const variables of [{ date: '2026-02-01' }, { date: '2026-04-31' }, { date: '04/01/2026' }, { symbols: ['not a ticker'] }, { symbols: [] }]) {
      const answer = await service.graphql(RECORD, variables, AUTH);
      expect(errorCodes(answer), JSON.stringify(variables)).toEqual(['BAD_USER_INPUT']);
    }
    expect((await service.graphql(RECORD, { date: '2026-02-01' }, AUTH)).errors[0]!.message).toContain("not a quarter's first day");
    expect(errorCodes(await service.graphql(RECORD, {}))).toEqual(['UNAUTHENTICATED']);
    for (const variables of [{ symbol: 'AAPL', from: '2026-13-01' }, { symbol: 'AAPL', to: 'yesterday' }, { symbol: 'AAPL', from: '2026-01-02', to: '2026-01-01' }, { symbol: '$$' }]) {
      expect(errorCodes(await service.graphql(HISTORY, variables)), JSON.stringify(variables)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('answers the analytics as computed here from the history and the current valuation', async () => {
    const rows = expected.get('AAPL')!;
    const values = rows.map((row) => row.effectiveIntrinsicValue!);
    const m = mean(values);
    const sd = Math.sqrt(values.reduce((sum, value) => sum + (value - m) ** 2, 0) / (values.length - 1));
    const years = (3 * 1) / 4; // 2025-04-01 to 2026-01-01: three quarters
    const cagr = ((values[2]! / values[0]!) ** (1 / years) - 1) * 100;
    const both = rows.filter((row) => row.epsIntrinsicValue !== null && row.fcfIntrinsicValue !== null);
    const xs = both.map((row) => row.epsIntrinsicValue!);
    const ys = both.map((row) => row.fcfIntrinsicValue!);
    const [mx, my] = [mean(xs), mean(ys)];
    const r =
      xs.reduce((sum, x, i) => sum + (x - mx) * (ys[i]! - my), 0) /
      Math.sqrt(xs.reduce((sum, x) => sum + (x - mx) ** 2, 0) * ys.reduce((sum, y) => sum + (y - my) ** 2, 0));
    const current = (await valuations()).get('AAPL')!.effectiveIntrinsicValue!;
    const change = (then: Snapshot): Change => ({
      date: then.date,
      effectiveIntrinsicValue: then.effectiveIntrinsicValue,
      change: round(current - then.effectiveIntrinsicValue!, 2),
      changePercent: round(((current - then.effectiveIntrinsicValue!) / then.effectiveIntrinsicValue!) * 100, 2),
    });

    const answer = await service.graphql<{ valuationAnalytics: Record<string, unknown> }>(ANALYTICS, { symbol: 'AAPL' });
    expect(answer.errors).toEqual([]);
    expect(both).toHaveLength(3);
    expect(answer.data!.valuationAnalytics).toEqual({
      symbol: 'AAPL',
      snapshots: 3,
      mean: round(m, 2),
      standardDeviation: round(sd, 2),
      coefficientOfVariation: round((sd / m) * 100, 2),
      cagrPercent: round(cagr, 2),
      epsFcfCorrelation: round(r, 3),
      // the current quarter is 2026-04-01 (the clock): the latest before it, and 2025-04-01
      previousQuarter: change(rows[2]!),
      yearAgo: change(rows[0]!),
    });
  });

  it('leaves the changes null, and answers the rest, when the current valuation cannot be had', async () => {
    const analytics = await service.graphql<{ valuationAnalytics: { snapshots: number; previousQuarter: Change | null } }>(ANALYTICS, { symbol: 'ADBE' });
    // ADBE has only the current quarter's snapshot: nothing before it to compare with.
    expect(analytics.data!.valuationAnalytics).toMatchObject({ snapshots: 1, previousQuarter: null, yearAgo: null, standardDeviation: null });
    // A cold cache and a new instance (nothing of MSFT in flight): its valuation fails upstream.
    await client.flushAll();
    fake.setMode('http500', { symbol: 'MSFT' });
    const cold = await start();
    try {
      const answer = await cold.graphql<{ valuationAnalytics: { snapshots: number; previousQuarter: Change | null } }>(ANALYTICS, { symbol: 'MSFT' });
      expect(answer.errors).toEqual([]);
      expect(fake.callCount({ symbol: 'MSFT', function: 'EARNINGS' })).toBeGreaterThan(1);
      const msft = expected.get('MSFT')!.filter((row) => row.date < '2026-04-01').at(-1)!;
      expect(answer.data!.valuationAnalytics.snapshots).toBe(3);
      expect(answer.data!.valuationAnalytics.previousQuarter).toEqual({ date: msft.date, effectiveIntrinsicValue: msft.effectiveIntrinsicValue, change: null, changePercent: null });
    } finally {
      fake.clearModes();
      await cold.close();
    }
  });

  it('exports the history as CSV that parses back to the same rows, with the token only', async () => {
    const csvRow = (row: Snapshot) => [
      row.symbol,
      row.date,
      ...[row.epsTtm, row.fcfPerShare, row.epsIntrinsicValue, row.fcfIntrinsicValue, row.effectiveIntrinsicValue].map((value) => (value === null ? '' : String(value))),
      row.preferredMethod,
      ...['epsGrowthRate', 'epsMultiple', 'fcfGrowthRate', 'fcfMultiple', 'desiredReturn', 'projectionYears'].map((field) => String(row.assumptions[field])),
      row.recordedAt,
    ];
    const header = 'symbol,date,eps_ttm,fcf_per_share,eps_intrinsic_value,fcf_intrinsic_value,effective_intrinsic_value,preferred_method,eps_growth_rate,eps_multiple,fcf_growth_rate,fcf_multiple,desired_return,projection_years,recorded_at';
    const url = `${service.origin}/exports/valuation-history.csv`;

    const one = await fetch(`${url}?symbol=aapl`, { headers: AUTH });
    expect(one.status).toBe(200);
    expect(one.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(one.headers.get('content-disposition')).toBe('attachment; filename="valuation-history-AAPL.csv"');
    const text = await one.text();
    expect(text.startsWith(`${header}\r\n`)).toBe(true);
    expect(parse(text, { columns: false, from_line: 2 })).toEqual(expected.get('AAPL')!.map(csvRow));

    const all = await fetch(url, { headers: AUTH });
    const rows = parse(await all.text(), { from_line: 2 }) as string[][];
    // ADBE's and MSFT's current quarter were recorded by the failure test: only their keys are checked here.
    const keys = [...CURATED.flatMap((symbol) => expected.get(symbol)!.map((row) => `${row.symbol} ${row.date}`)), 'ADBE 2026-04-01', 'MSFT 2026-04-01'];
    expect(rows.map((row) => `${row[0]} ${row[1]}`)).toEqual(keys.sort());
    expect(rows.filter((row) => row[0] === 'NVDA')).toEqual(expected.get('NVDA')!.map(csvRow));

    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: TOKEN }] as Array<Record<string, string>>) {
      const refused = await fetch(url, { headers });
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    }
    for (const query of ['?symbol=not%20a%20ticker', '?symbol=A&symbol=B', '?symbol=']) {
      const refused = await fetch(`${url}${query}`, { headers: AUTH });
      expect(refused.status, query).toBe(400);
      const body = (await refused.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
      expect(body.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
      expect(body.errors[0]!.message).toContain('not a ticker symbol');
    }
  });

  it('keeps every snapshot through a Redis FLUSHALL, for this instance and a new one', async () => {
    await client.flushAll();
    const restarted = await start();
    try {
      for (const on of [service, restarted]) {
        for (const symbol of CURATED) expect((await history(symbol, {}, on)).filter((row) => row.date < '2026-04-01')).toEqual(expected.get(symbol));
      }
      // Recorded before the flush: still skipped, nothing valued again.
      const calls = fake.callCount();
      expect(await record({ date: '2025-04-01' }, restarted)).toEqual({ date: '2025-04-01', recorded: 0, skipped: 3, failed: [] });
      expect(fake.callCount()).toBe(calls);
    } finally {
      await restarted.close();
    }
  });
});

describe.skipIf(missingPostgres())('the scheduled snapshot run', () => {
  let fake: FakeAlphaVantage;
  let database: TestDatabase;
  const services: InProcessApp[] = [];
  let now = new Date('2026-03-31T14:00:00Z');
  // No REDIS_URL: each instance caches in its own embedded store, so a second valuation of a stock would call the fake again.
  const env = () => ({ DATABASE_URL: database.url, CURATED_SYMBOLS: CURATED.join(','), SNAPSHOT_SCHEDULE: 'true' });
  const start = () => startInProcessApp({ fake, env: env(), overrides: { clock: () => now } });
  const valuationCalls = () => CURATED.flatMap((symbol) => ['EARNINGS', 'OVERVIEW', 'CASH_FLOW'].map((fn) => fake.callCount({ function: fn, symbol })));

  beforeAll(async () => {
    fake = await startFakeAlphaVantage();
    // Answers slow enough that a run is still going when the other instance checks.
    fake.setLatency(150);
    database = await createTestDatabase();
    // Started the day before the quarter's first: their start-up checks find nothing to do.
    services.push(...(await Promise.all([start(), start()])));
    await Promise.all(services.map((service) => service.app.snapshotSchedule!.idle()));
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.close()));
    await fake?.close();
    await database?.drop();
  });

  it('records once when two instances on one database check at the same moment of a quarter’s first day', async () => {
    expect(fake.callCount()).toBe(0);
    now = new Date('2026-04-01T14:00:00Z'); // 10:00 in New York
    const ticks = await Promise.all(services.map((service) => service.app.snapshotSchedule!.tick()));
    expect(ticks.map((tick) => tick.outcome).sort()).toEqual(['locked elsewhere', 'ran']);
    expect(ticks.find((tick) => tick.outcome === 'ran')).toEqual({ outcome: 'ran', run: { date: '2026-04-01', recorded: 3, skipped: 0, failed: [] } });
    expect(valuationCalls()).toEqual(valuationCalls().map(() => 1));

    // The next checks that day: the one that ran is done; the other finds every stock recorded and values none.
    const again = await Promise.all(services.map((service) => service.app.snapshotSchedule!.tick()));
    expect(again.map((tick) => (tick.outcome === 'ran' ? tick.run : tick.outcome)).sort()).toEqual(['done before', { date: '2026-04-01', recorded: 0, skipped: 3, failed: [] }].sort());
    const late = await start();
    services.push(late);
    await late.app.snapshotSchedule!.idle();
    expect(valuationCalls()).toEqual(valuationCalls().map(() => 1));

    const rows = await Promise.all(CURATED.map(async (symbol) => (await late.graphql<{ valuationHistory: Snapshot[] }>(HISTORY, { symbol })).data!.valuationHistory));
    expect(rows.map((list) => list.map((row) => `${row.symbol} ${row.date} ${row.recordedAt}`))).toEqual(CURATED.map((symbol) => [`${symbol} 2026-04-01 ${now.toISOString()}`]));
  });

  it('does nothing on the quarter’s other days', async () => {
    const calls = fake.callCount();
    now = new Date('2026-04-02T14:00:00Z');
    expect(await services[0]!.app.snapshotSchedule!.tick()).toEqual({ outcome: 'not a quarter start' });
    // 03:30 UTC on July 1 is still June 30 in New York (UTC-4).
    now = new Date('2026-07-01T03:30:00Z');
    expect(await services[1]!.app.snapshotSchedule!.tick()).toEqual({ outcome: 'not a quarter start' });
    expect(fake.callCount()).toBe(calls);
  });
});
