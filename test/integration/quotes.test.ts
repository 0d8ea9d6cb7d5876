import type { RedisClientType } from '@redis/client';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pricedQuoteBody } from '../support/alpha-vantage-data.js';
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { errorCodes } from '../support/graphql-client.js';
import { startInProcessApp, type InProcessApp } from '../support/in-process-app.js';
import { connectRedis } from '../support/redis.js';
import { OwnRedis } from '../support/redis-server.js';

const TOKEN = 'quotes-test-token';
// Wednesday March 4, 2026, 10:00 EST: the market is open. Monday March 2 closed at 21:00 UTC.
const IN_SESSION = new Date('2026-03-04T15:00:00Z');
const TODAY = '2026-03-04';
const MONDAY = '2026-03-02';
// ADBE is curated but made inactive; every other stock is active.
const CURATED = ['AAPL', 'MSFT', 'NVDA', 'JPM', 'ADBE'];

let now = IN_SESSION;
let fake: FakeAlphaVantage;
let redis: RedisClientType;
let ownRedis: OwnRedis;
let service: InProcessApp;
const intrinsic = new Map<string, number>();

/** The price at which the intrinsic value stands `discount` % above it: value * (1 - discount / 100), 4 decimals. */
/** The price as answered: cents, half-even. */
const cents = (price: string) => new Decimal(price).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toNumber();
const priceAtDiscount = (symbol: string, discount: number) =>
  new Decimal(intrinsic.get(symbol)!).times(new Decimal(100).minus(discount)).div(100).toFixed(4);

type Priced = { symbol: string; effectiveIntrinsicValue: number; quote: { price: number; asOf: string; stale: boolean } | null; discountPercent: number | null; tier: string | null };
const PRICED = 'symbol effectiveIntrinsicValue quote { price asOf stale } discountPercent tier';

beforeAll(async () => {
  // A Redis of this file's own: the shared one's logical databases are all taken (and 14, 15 are the bench's).
  ownRedis = await OwnRedis.start();
  redis = await connectRedis(ownRedis.url);
  fake = await startFakeAlphaVantage();
  // 15 calls: the five stocks' valuations; undervaluedStocks cold (4 valuations + 4 quotes) is 16.
  service = await startInProcessApp({
    fake,
    env: { REDIS_URL: ownRedis.url, API_TOKENS: TOKEN, CURATED_SYMBOLS: CURATED.join(','), MAX_UPSTREAM_CALLS_PER_REQUEST: '15' },
    overrides: { clock: () => now },
  });
  const values = await service.graphql<{ intrinsicValues: Array<{ symbol: string; effectiveIntrinsicValue: number }> }>(
    `{ intrinsicValues(symbols: ${JSON.stringify(CURATED)}) { symbol effectiveIntrinsicValue } }`,
  );
  expect(values.errors).toEqual([]);
  for (const value of values.data!.intrinsicValues) intrinsic.set(value.symbol, value.effectiveIntrinsicValue);
  expect([...intrinsic.values()].every((value) => value > 0)).toBe(true);
  const saved = await service.graphql('mutation { saveCuratedStock(symbol: "ADBE", active: false) { active } }', undefined, { authorization: `Bearer ${TOKEN}` });
  expect(saved.errors).toEqual([]);
  // AAPL exactly 30 % below its value, NVDA 15 %, JPM 10 % above, MSFT 40 % but priced Monday, ADBE 50 % but inactive.
  fake.setBody('GLOBAL_QUOTE', 'AAPL', pricedQuoteBody('AAPL', priceAtDiscount('AAPL', 30), TODAY));
  fake.setBody('GLOBAL_QUOTE', 'NVDA', pricedQuoteBody('NVDA', priceAtDiscount('NVDA', 15), TODAY));
  fake.setBody('GLOBAL_QUOTE', 'JPM', pricedQuoteBody('JPM', priceAtDiscount('JPM', -10), TODAY));
  fake.setBody('GLOBAL_QUOTE', 'MSFT', pricedQuoteBody('MSFT', priceAtDiscount('MSFT', 40), MONDAY));
  fake.setBody('GLOBAL_QUOTE', 'ADBE', pricedQuoteBody('ADBE', priceAtDiscount('ADBE', 50), TODAY));
  fake.setBody('GLOBAL_QUOTE', 'CRM', pricedQuoteBody('CRM', 'None', TODAY));
  fake.setBody('GLOBAL_QUOTE', 'NOPR', pricedQuoteBody('NOPR', 50, TODAY));
});

afterAll(async () => {
  await service?.close();
  await fake?.close();
  redis?.destroy();
  await ownRedis?.stop();
});

beforeEach(() => {
  now = IN_SESSION;
  fake.resetCalls();
});

describe('undervaluedStocks', () => {
  it('is refused cold when its valuations and quotes pass the limit, and counts a cached quote as nothing', async () => {
    const cold = await service.graphql('{ undervaluedStocks { symbol } }');
    expect(errorCodes(cold)).toEqual(['BAD_USER_INPUT']);
    expect(cold.errors[0]!.message).toContain('up to 16 upstream calls');
    expect(fake.callCount({ function: 'GLOBAL_QUOTE' })).toBe(0);

    const one = await service.graphql('{ intrinsicValue(symbol: "AAPL") { quote { price } } }');
    expect(one.errors).toEqual([]);
    expect(fake.callCount({ function: 'GLOBAL_QUOTE' })).toBe(1);

    // AAPL's quote is cached now: 4 × 3 + 3 = 15 calls at most, within the limit; one GLOBAL_QUOTE for each other active stock.
    const warm = await service.graphql('{ undervaluedStocks { symbol intrinsicValue { quote { price } tier } } }');
    expect(warm.errors).toEqual([]);
    for (const symbol of ['MSFT', 'NVDA', 'JPM']) expect(fake.callCount({ function: 'GLOBAL_QUOTE', symbol }), symbol).toBe(1);
    expect(fake.callCount({ function: 'GLOBAL_QUOTE' })).toBe(4);
    expect(fake.callCount({ symbol: 'ADBE' })).toBe(0);
  });

  it('lists active stocks below their value with a fresh price, largest discount first, at most first', async () => {
    const all = await service.graphql<{ undervaluedStocks: Array<{ symbol: string; active: boolean; intrinsicValue: { discountPercent: number; tier: string } }> }>(
      '{ undervaluedStocks { symbol active intrinsicValue { discountPercent tier } } }',
    );
    expect(all.errors).toEqual([]);
    // MSFT (40 %, stale), ADBE (50 %, inactive) and JPM (overvalued) are left out.
    expect(all.data!.undervaluedStocks).toEqual([
      { symbol: 'AAPL', active: true, intrinsicValue: { discountPercent: 30, tier: 'DEEP_DISCOUNT' } },
      { symbol: 'NVDA', active: true, intrinsicValue: { discountPercent: 15, tier: 'MODEST_DISCOUNT' } },
    ]);
    const one = await service.graphql<{ undervaluedStocks: Array<{ symbol: string }> }>('{ undervaluedStocks(first: 1) { symbol } }');
    expect(one.data!.undervaluedStocks).toEqual([{ symbol: 'AAPL' }]);
  });

  it('refuses a first outside 1-100', async () => {
    for (const first of [0, -1, 101]) {
      const answer = await service.graphql(`{ undervaluedStocks(first: ${first}) { symbol } }`);
      expect(errorCodes(answer), String(first)).toEqual(['BAD_USER_INPUT']);
      expect(answer.errors[0]!.message).toContain('first must be a whole number from 1 to 100');
    }
  });
});

describe('IntrinsicValue.quote, discountPercent and tier', () => {
  it('prices a live quote as of its arrival, with its discount and tier', async () => {
    const answer = await service.graphql<{ intrinsicValues: Priced[] }>(`{ intrinsicValues(symbols: ["AAPL", "NVDA", "JPM"]) { ${PRICED} } }`);
    expect(answer.errors).toEqual([]);
    const [aapl, nvda, jpm] = answer.data!.intrinsicValues;
    expect(aapl!.quote!.price).toBe(cents(priceAtDiscount('AAPL', 30)));
    // fetched during the session (the first test's clock): the live price's asOf is its arrival
    expect(aapl!.quote!.asOf).toBe(IN_SESSION.toISOString());
    expect(aapl!.quote!.stale).toBe(false);
    expect([aapl!.discountPercent, aapl!.tier]).toEqual([30, 'DEEP_DISCOUNT']);
    expect([nvda!.discountPercent, nvda!.tier]).toEqual([15, 'MODEST_DISCOUNT']);
    expect([jpm!.discountPercent, jpm!.tier]).toEqual([-10, 'OVERVALUED']);
  });

  it('flags a quote older than 24 hours as stale: Monday’s close read on Wednesday', async () => {
    const answer = await service.graphql<{ intrinsicValue: Priced }>(`{ intrinsicValue(symbol: "MSFT") { ${PRICED} } }`);
    expect(answer.errors).toEqual([]);
    expect(answer.data!.intrinsicValue.quote).toEqual({ price: cents(priceAtDiscount('MSFT', 40)), asOf: '2026-03-02T21:00:00.000Z', stale: true });
    expect(answer.data!.intrinsicValue.discountPercent).toBe(40);
  });

  it('answers quote, discount and tier null when the answer has no price', async () => {
    const answer = await service.graphql<{ intrinsicValue: Priced }>(`{ intrinsicValue(symbol: "CRM") { ${PRICED} } }`);
    expect(answer.errors).toEqual([]);
    expect(answer.data!.intrinsicValue.effectiveIntrinsicValue).toBeGreaterThan(0);
    expect(answer.data!.intrinsicValue).toMatchObject({ quote: null, discountPercent: null, tier: null });
  });

  it('answers discount and tier null without an intrinsic value, and asks no price for them alone', async () => {
    const bare = await service.graphql<{ intrinsicValue: Priced }>('{ intrinsicValue(symbol: "NOPR") { effectiveIntrinsicValue discountPercent tier } }');
    expect(bare.errors).toEqual([]);
    expect(bare.data!.intrinsicValue).toEqual({ effectiveIntrinsicValue: null, discountPercent: null, tier: null });
    expect(fake.callCount({ function: 'GLOBAL_QUOTE' })).toBe(0);
    const priced = await service.graphql<{ intrinsicValue: Priced }>('{ intrinsicValue(symbol: "NOPR") { quote { price } discountPercent tier } }');
    expect(priced.data!.intrinsicValue).toEqual({ quote: { price: 50 }, discountPercent: null, tier: null });
  });

  it('reads a quote already cached without an upstream call', async () => {
    const answer = await service.graphql('{ intrinsicValue(symbol: "AAPL") { quote { price } } }');
    expect(answer.errors).toEqual([]);
    expect(fake.callCount({ function: 'GLOBAL_QUOTE' })).toBe(0);
  });
});

describe('the quote cache', () => {
  const ttlOf = (symbol: string) => redis.pTTL(`wheel:alphavantage:global_quote:${symbol}`);

  it('keeps a quote 15 minutes during a session', async () => {
    fake.setBody('GLOBAL_QUOTE', 'ANET', pricedQuoteBody('ANET', 100, TODAY));
    await service.graphql('{ intrinsicValue(symbol: "ANET") { quote { price } } }');
    const ttl = await ttlOf('ANET');
    expect(ttl).toBeGreaterThan(15 * 60_000 - 10_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);
  });

  it('keeps a quote until the next open outside a session: Wednesday 17:00 EST to Thursday 9:30 is 16.5 hours', async () => {
    now = new Date('2026-03-04T22:00:00Z');
    fake.setBody('GLOBAL_QUOTE', 'CRWD', pricedQuoteBody('CRWD', 100, TODAY));
    const answer = await service.graphql<{ intrinsicValue: Priced }>('{ intrinsicValue(symbol: "CRWD") { quote { price asOf stale } } }');
    // after the close: as of the close, 21:00 UTC
    expect(answer.data!.intrinsicValue.quote).toEqual({ price: 100, asOf: '2026-03-04T21:00:00.000Z', stale: false });
    const ttl = await ttlOf('CRWD');
    expect(ttl).toBeGreaterThan(16.5 * 3_600_000 - 10_000);
    expect(ttl).toBeLessThanOrEqual(16.5 * 3_600_000);
  });
});
