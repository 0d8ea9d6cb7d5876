import type { RedisClientType } from '@redis/client';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newYorkDate } from '../../src/domain/market-calendar.js';
import { IntrinsicValueDocument, PricedValueDocument, UndervaluedStocksDocument } from '../generated/graphql.js';
import { pricedQuoteBody } from '../support/alpha-vantage-data.js';
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { ask } from '../support/graphql-client.js';
import { connectRedis } from '../support/redis.js';
import { OwnRedis } from '../support/redis-server.js';
import { fakeUpstreamEnv, startServer, type ServerProcess } from '../support/server-process.js';


let fake: FakeAlphaVantage;
let redis: RedisClientType;
let ownRedis: OwnRedis;
let server: ServerProcess;

beforeAll(async () => {
  ownRedis = await OwnRedis.start();
  redis = await connectRedis(ownRedis.url);
  fake = await startFakeAlphaVantage();
  server = await startServer({ REDIS_URL: ownRedis.url, CURATED_SYMBOLS: 'AAPL,MSFT', ...fakeUpstreamEnv(fake.url, 'quotes-e2e-key') });
});

afterAll(async () => {
  await server?.stop();
  await fake?.close();
  redis?.destroy();
  await ownRedis?.stop();
});

describe('prices against value, in a spawned server', () => {
  it('answers a quote, its discount and tier, and lists the stock as undervalued', async () => {
    // The value first, without its price: the quote is then asked once, at the price set below.
    const cold = await ask(server.url, IntrinsicValueDocument, { symbol: 'AAPL' });
    const value = cold.data!.intrinsicValue.effectiveIntrinsicValue!;
    expect(value).toBeGreaterThan(0);
    // Priced 25 % below its value, dated today (New York): fresh whatever the hour.
    const price = new Decimal(value).times(0.75).toFixed(4);
    fake.setBody('GLOBAL_QUOTE', 'AAPL', pricedQuoteBody('AAPL', price, newYorkDate(new Date())));
    fake.setBody('GLOBAL_QUOTE', 'MSFT', pricedQuoteBody('MSFT', 1_000_000, newYorkDate(new Date())));

    const priced = await ask(server.url, PricedValueDocument, { symbol: 'AAPL' });
    expect(priced.errors).toEqual([]);
    const answer = priced.data!.intrinsicValue;
    expect(answer.quote).toMatchObject({ price: new Decimal(price).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toNumber(), stale: false });
    expect(Date.parse(answer.quote!.asOf as string)).toBeLessThanOrEqual(Date.now());
    expect([answer.discountPercent, answer.tier]).toEqual([25, 'DISCOUNT']);

    const undervalued = await ask(server.url, UndervaluedStocksDocument, { first: 5 });
    expect(undervalued.errors).toEqual([]);
    expect(undervalued.data!.undervaluedStocks).toEqual([{ symbol: 'AAPL', intrinsicValue: { discountPercent: 25, tier: 'DISCOUNT' } }]);
  });
});
