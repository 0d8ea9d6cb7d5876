/**
 * The background refresher of curated fundamentals (src/refresher/fundamentals-refresher.ts)
 * against the fake Alpha Vantage, its ticks driven directly (no timer): its share of a
 * 10-call day, spent stalest first; one refresher at a time among two service instances on
 * one Redis; and curatedStocks answering from the cache without waiting on the budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alphaVantageKey } from '../../src/providers/alpha-vantage/cache-policy.js';
import { notValuedYetNote } from '../../src/loaders/intrinsic-value.loader.js';
import { cashFlowBody, earningsBody, overviewBody } from '../support/alpha-vantage-data.js';
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { startInProcessApp, type InProcessApp } from '../support/in-process-app.js';
import { OwnRedis } from '../support/redis-server.js';
import { missingRedisServer } from '../support/tools.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const FUNDAMENTALS = ['EARNINGS', 'OVERVIEW', 'CASH_FLOW'] as const;
const BODIES = { EARNINGS: earningsBody, OVERVIEW: overviewBody, CASH_FLOW: cashFlowBody } as const;

/** Puts a stock's three fundamentals in the cache as the client would, each leaving it `ttlMs` from now. */
async function cacheFundamentals(service: InProcessApp, symbol: string, ttlMs: number): Promise<void> {
  for (const fn of FUNDAMENTALS) expect(await service.app.store.cache.set(alphaVantageKey(fn, symbol), BODIES[fn](symbol), ttlMs)).toBe(true);
}

const calls = (fake: FakeAlphaVantage) => fake.calls.map((call) => `${call.function} ${call.symbol}`);

const CURATED = `{ curatedStocks { symbol intrinsicValue { symbol effectiveIntrinsicValue epsTtm notes } } }`;
type Curated = { curatedStocks: Array<{ symbol: string; intrinsicValue: { symbol: string; effectiveIntrinsicValue: number | null; epsTtm: number | null; notes: string[] } | null }> };

describe('the refresher with a 10-call daily budget and a 0.5 share', () => {
  let service: InProcessApp;

  beforeAll(async () => {
    service = await startInProcessApp({
      env: { ALPHAVANTAGE_RATE_LIMIT_PER_DAY: '10', REFRESH_BUDGET_SHARE: '0.5', CURATED_SYMBOLS: 'AAA,FRESH,BBB,CCC,OFF', API_TOKENS: 'refresh-token' },
    });
    // In list order: AAA has a day left, FRESH six, BBB an hour, CCC was never valued; OFF is inactive and never valued.
    await cacheFundamentals(service, 'AAA', DAY);
    await cacheFundamentals(service, 'FRESH', 6 * DAY);
    await cacheFundamentals(service, 'BBB', HOUR);
    const saved = await service.graphql('mutation { saveCuratedStock(symbol: "OFF", active: false) { symbol } }', undefined, { authorization: 'Bearer refresh-token' });
    expect(saved.errors).toEqual([]);
    service.fake.resetCalls();
  });

  afterAll(async () => {
    await service?.close();
  });

  it('makes at most 5 calls that day, stalest first: the never-valued stock whole, then the entries closest to expiry', async () => {
    const first = await service.app.refresher!.tick();
    expect(first.leader).toBe(true);
    // 0.5 × 10 = 5 calls: CCC (never valued) first of all, then BBB (an hour left) before AAA (a day left); FRESH is not due
    expect(calls(service.fake)).toEqual(['EARNINGS CCC', 'OVERVIEW CCC', 'CASH_FLOW CCC', 'EARNINGS BBB', 'OVERVIEW BBB']);
    expect(first.stoppedBy).toMatch(/daily Alpha Vantage background refresh budget of 5 calls is spent/);

    const again = await service.app.refresher!.tick();
    expect(again.calls).toEqual([]);
    expect(service.fake.calls).toHaveLength(5);

    // The refreshed entries are cached for their 7 days again; the one not reached still has its hour.
    const [ccc, bbbEarnings, bbbCashFlow] = await service.app.store.cache.expiries([
      alphaVantageKey('EARNINGS', 'CCC'),
      alphaVantageKey('EARNINGS', 'BBB'),
      alphaVantageKey('CASH_FLOW', 'BBB'),
    ]);
    expect(ccc! - Date.now()).toBeGreaterThan(7 * DAY - HOUR);
    expect(bbbEarnings! - Date.now()).toBeGreaterThan(7 * DAY - HOUR);
    expect(bbbCashFlow! - Date.now()).toBeLessThanOrEqual(HOUR);
  });

  it('leaves the rest of the day to interactive requests: the key answers 5 more calls, then refuses', async () => {
    service.fake.resetCalls();
    const valued = await service.graphql('{ intrinsicValue(symbol: "NEW1") { symbol } }');
    expect(valued.errors).toEqual([]);
    const refused = await service.graphql('{ intrinsicValue(symbol: "NEW2") { symbol } }');
    expect(refused.errors.map((error) => error.extensions?.['code'])).toEqual(['UPSTREAM_RATE_LIMITED']);
    // 3 for NEW1, 2 for NEW2 before the key's 10 were spent
    expect(service.fake.calls).toHaveLength(5);
  });

  it('answers curatedStocks from the cache: valued where cached, the never-valued inactive stock with the note, no upstream call', async () => {
    service.fake.resetCalls();
    const answer = await service.graphql<Curated>(CURATED);
    expect(answer.errors).toEqual([]);
    const bySymbol = new Map(answer.data!.curatedStocks.map((stock) => [stock.symbol, stock.intrinsicValue]));
    for (const symbol of ['AAA', 'FRESH', 'BBB', 'CCC']) expect(bySymbol.get(symbol)?.epsTtm).not.toBeNull();
    expect(bySymbol.get('OFF')).toMatchObject({ symbol: 'OFF', effectiveIntrinsicValue: null, epsTtm: null, notes: [notValuedYetNote('OFF')] });
    expect(service.fake.calls).toHaveLength(0);
  });
});

describe('curatedStocks while the refresher runs', () => {
  let service: InProcessApp;

  beforeAll(async () => {
    // A request may cost 3 upstream calls at most: valuing the two stocks cold would cost 6.
    service = await startInProcessApp({ env: { REFRESH_BUDGET_SHARE: '0.5', CURATED_SYMBOLS: 'WARM,COLD', MAX_UPSTREAM_CALLS_PER_REQUEST: '3' } });
  });

  afterAll(async () => {
    await service?.close();
  });

  it('answers a cold stock at once with the note, without waiting for the refresh in flight for it', async () => {
    await cacheFundamentals(service, 'WARM', 6 * DAY);
    service.fake.setLatency(2500, { function: 'EARNINGS', symbol: 'COLD' });
    const refreshing = service.app.refresher!.tick();
    // the refresher's first call for COLD is on its way (and slow)
    await expect.poll(() => service.fake.calls.length).toBeGreaterThan(0);
    const started = performance.now();
    const answer = await service.graphql<Curated>(CURATED);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(answer.errors).toEqual([]);
    const [warm, cold] = answer.data!.curatedStocks;
    expect(warm?.intrinsicValue?.effectiveIntrinsicValue).not.toBeNull();
    expect(cold?.intrinsicValue).toMatchObject({ symbol: 'COLD', effectiveIntrinsicValue: null, notes: [notValuedYetNote('COLD')] });
    expect((await refreshing).calls.map((call) => `${call.fn} ${call.symbol}`)).toEqual(['EARNINGS COLD', 'OVERVIEW COLD', 'CASH_FLOW COLD']);
    // the refresher's calls only: the query made none
    expect(calls(service.fake)).toEqual(['EARNINGS COLD', 'OVERVIEW COLD', 'CASH_FLOW COLD']);

    const refreshed = await service.graphql<Curated>(CURATED);
    expect(refreshed.data!.curatedStocks[1]?.intrinsicValue?.epsTtm).not.toBeNull();
    expect(service.fake.calls).toHaveLength(3);
  }, 20_000);

  it('costs nothing in the upstream estimate: a list of cold stocks is not refused as too costly', async () => {
    const answer = await service.graphql('{ curatedStocks { intrinsicValue { symbol } } intrinsicValue(symbol: "NEW") { symbol } }');
    expect(answer.errors).toEqual([]);
    const tooCostly = await service.graphql('{ intrinsicValues(symbols: ["NEW", "OTHER"]) { symbol } }');
    expect(tooCostly.errors.map((error) => error.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
  });
});

describe.skipIf(missingRedisServer())('two service instances on one Redis', () => {
  let redis: OwnRedis;
  let fake: FakeAlphaVantage;
  const services: InProcessApp[] = [];

  beforeAll(async () => {
    redis = await OwnRedis.start();
    fake = await startFakeAlphaVantage();
    const env = { REDIS_URL: redis.url, ALPHAVANTAGE_RATE_LIMIT_PER_DAY: '10', REFRESH_BUDGET_SHARE: '0.5', CURATED_SYMBOLS: 'P1,P2,P3,P4' };
    for (let i = 0; i < 2; i += 1) services.push(await startInProcessApp({ fake, env }));
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.close()));
    await fake?.close();
    await redis?.stop();
  });

  it('refresh one at a time, and share the refresher’s day: 5 calls between them', async () => {
    const [a, b] = await Promise.all(services.map((service) => service.app.refresher!.tick()));
    expect([a!.leader, b!.leader].filter(Boolean)).toHaveLength(1);
    const leader = a!.leader ? 0 : 1;
    const follower = 1 - leader;
    expect([a, b][follower]!.calls).toEqual([]);
    const ledCalls = [a, b][leader]!.calls.length;
    expect(ledCalls).toBeGreaterThan(0);
    expect((await services[follower]!.app.refresher!.tick()).leader).toBe(false);

    // The leader stops (its lease given back): the other takes over, within what is left of the day's 5.
    await services[leader]!.close();
    const takeover = await services[follower]!.app.refresher!.tick();
    expect(takeover.leader).toBe(true);
    expect(ledCalls + takeover.calls.length).toBe(5);
    expect(fake.calls).toHaveLength(5);
    expect((await services[follower]!.app.refresher!.tick()).calls).toEqual([]);
    // Redis gives back the refreshed entry's expiry (Keyv's envelope): 7 days from now
    const first = fake.calls[0]!;
    const [expiry] = await services[follower]!.app.store.cache.expiries([alphaVantageKey(first.function, first.symbol)]);
    expect(expiry! - Date.now()).toBeGreaterThan(7 * DAY - HOUR);
  });
});
