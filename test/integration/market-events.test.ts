import type { RedisClientType } from '@redis/client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RETRY_AFTER_FAILURE_MS } from '../../src/providers/alpha-vantage/market-events.js';
import { earningsCalendarRows, TREASURY_3MONTH_PERCENT } from '../support/alpha-vantage-data.js';
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { IN_PROCESS_API_KEY, startInProcessApp, type InProcessApp } from '../support/in-process-app.js';
import { connectRedis } from '../support/redis.js';
import { OwnRedis } from '../support/redis-server.js';
import { missingRedisServer } from '../support/tools.js';

const TODAY = '2025-11-14';
const CALENDAR_KEY = 'wheel:alphavantage:earnings_calendar:ALL:horizon_3month';
const TREASURY_KEY = 'wheel:alphavantage:treasury_yield:3MONTH:interval_daily';

describe.skipIf(missingRedisServer())('market events over the fake Alpha Vantage and Redis', () => {
  let redis: OwnRedis;
  let client: RedisClientType;
  let fake: FakeAlphaVantage;
  /** the service's clock: a minute before New York midnight unless a test moves it */
  let now: Date;
  const apps: InProcessApp[] = [];

  const start = async (env: Record<string, string> = {}) => {
    const service = await startInProcessApp({ fake, env: { REDIS_URL: redis.url, ...env }, overrides: { clock: () => now } });
    apps.push(service);
    return service;
  };
  const calls = (fn: string) => fake.callCount({ function: fn });

  beforeAll(async () => {
    redis = await OwnRedis.start();
    client = await connectRedis(redis.url);
    fake = await startFakeAlphaVantage({ today: TODAY });
  });

  afterAll(async () => {
    client?.destroy();
    await fake?.close();
    await redis?.stop();
  });

  beforeEach(async () => {
    now = new Date(`${TODAY}T23:59:00-05:00`);
    await client.flushAll();
  });

  afterEach(async () => {
    fake.reset();
    await Promise.all(apps.splice(0).map((service) => service.close()));
  });

  it('reads the whole calendar with one call that sends no symbol, then answers from memory, and another process from the cache', async () => {
    const service = await start();
    const [calendar, again] = await Promise.all([service.app.marketEvents.earningsCalendar(), service.app.marketEvents.earningsCalendar()]);
    expect(again).toBe(calendar);
    for (const row of earningsCalendarRows(TODAY)) expect(calendar?.datesOf(row.symbol)).toEqual([row.reportDate]);
    expect(calendar?.datesOf('brk.b')).toEqual(calendar?.datesOf('BRK.B'));
    expect(calendar?.datesOf('ZZZZ')).toEqual([]);
    expect(calls('EARNINGS_CALENDAR')).toBe(1);
    expect(fake.calls[0]).toMatchObject({ symbol: '', params: { function: 'EARNINGS_CALENDAR', horizon: '3month' }, apikey: IN_PROCESS_API_KEY });

    await service.app.marketEvents.earningsCalendar();
    const other = await start();
    expect((await other.app.marketEvents.earningsCalendar())?.datesOf('AAPL')).toEqual(calendar?.datesOf('AAPL'));
    expect(calls('EARNINGS_CALENDAR')).toBe(1);
  });

  it('keeps the calendar and the Treasury series in Redis until the next New York midnight, and only the kept columns', async () => {
    const service = await start();
    await service.app.marketEvents.earningsCalendar();
    await service.app.marketEvents.riskFreeRate();
    for (const key of [CALENDAR_KEY, TREASURY_KEY]) {
      const ttl = await client.pTTL(key);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    }
    const stored = await client.get(CALENDAR_KEY);
    expect(stored).not.toMatch(/Berkshire|fiscalDateEnding|estimate/);
    expect(stored).toContain('"reportDate"');
  });

  it('asks again on the next New York day, once the entry has expired', async () => {
    now = new Date(`${TODAY}T23:59:59.800-05:00`);
    const service = await start();
    await service.app.marketEvents.riskFreeRate();
    expect(await client.pTTL(TREASURY_KEY)).toBeLessThanOrEqual(200);
    now = new Date('2025-11-15T00:00:01-05:00');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await client.exists(TREASURY_KEY)).toBe(0);
    // Another process: this one's own call of a moment ago still answers late joiners for a few seconds (CachedSource settleMs).
    const next = await start();
    expect((await next.app.marketEvents.riskFreeRate()).source).toBe('TREASURY_YIELD');
    expect(calls('TREASURY_YIELD')).toBe(2);
    expect(await client.pTTL(TREASURY_KEY)).toBeGreaterThan(23 * 3_600_000);
  });

  it('gives the 3-month Treasury yield / 100 with its date, asked as maturity=3month interval=daily', async () => {
    const service = await start();
    // The fake's series ends the weekday before its today: Thursday 2025-11-13.
    expect(await service.app.marketEvents.riskFreeRate()).toEqual({ rate: Number(TREASURY_3MONTH_PERCENT) / 100, source: 'TREASURY_YIELD', asOf: '2025-11-13' });
    expect(fake.calls.find((call) => call.function === 'TREASURY_YIELD')?.params).toEqual({ function: 'TREASURY_YIELD', maturity: '3month', interval: 'daily' });
  });

  it('never caches an error answer, gives null, and does not ask again within the retry pause', async () => {
    fake.setMode('rateLimitNote', { function: 'EARNINGS_CALENDAR', times: 1 });
    const service = await start();
    expect(await service.app.marketEvents.earningsCalendar()).toBeNull();
    expect(await client.exists(CALENDAR_KEY)).toBe(0);
    expect(await service.app.marketEvents.earningsCalendar()).toBeNull();
    expect(calls('EARNINGS_CALENDAR')).toBe(1);
  });

  it('asks again once the retry pause is over on the same day, and caches the data then', async () => {
    now = new Date(`${TODAY}T10:00:00-05:00`);
    fake.setMode('errorMessage', { function: 'EARNINGS_CALENDAR', times: 1 });
    const service = await start();
    expect(await service.app.marketEvents.earningsCalendar()).toBeNull();
    now = new Date(now.getTime() + RETRY_AFTER_FAILURE_MS - 1000);
    expect(await service.app.marketEvents.earningsCalendar()).toBeNull();
    now = new Date(now.getTime() + 1000);
    expect((await service.app.marketEvents.earningsCalendar())?.datesOf('AAPL')).toHaveLength(1);
    expect(calls('EARNINGS_CALENDAR')).toBe(2);
    expect(await client.exists(CALENDAR_KEY)).toBe(1);
  });

  it('falls back to RISK_FREE_RATE when the Treasury yield cannot be had, and logs it once', async () => {
    now = new Date(`${TODAY}T10:00:00-05:00`);
    fake.setMode('errorMessage', { function: 'TREASURY_YIELD' });
    const service = await start({ RISK_FREE_RATE: '0.0375' });
    expect(await service.app.marketEvents.riskFreeRate()).toEqual({ rate: 0.0375, source: 'RISK_FREE_RATE', asOf: null });
    now = new Date(now.getTime() + RETRY_AFTER_FAILURE_MS);
    expect(await service.app.marketEvents.riskFreeRate()).toEqual({ rate: 0.0375, source: 'RISK_FREE_RATE', asOf: null });
    expect(calls('TREASURY_YIELD')).toBe(2);
    expect(await client.exists(TREASURY_KEY)).toBe(0);
    const fallbacks = service.logs.filter((line) => line.msg === 'Treasury yield unavailable; RISK_FREE_RATE used');
    expect(fallbacks).toHaveLength(1);
    expect(fallbacks[0]).toMatchObject({ level: 40, riskFreeRate: 0.0375 });
    expect(JSON.stringify(service.logs)).not.toContain(IN_PROCESS_API_KEY);
  });

  it('uses 0.04 by default when the daily budget is spent, without calling upstream', async () => {
    const service = await start({ ALPHAVANTAGE_RATE_LIMIT_PER_DAY: '1' });
    await service.app.marketEvents.earningsCalendar();
    expect(await service.app.marketEvents.riskFreeRate()).toEqual({ rate: 0.04, source: 'RISK_FREE_RATE', asOf: null });
    expect(calls('TREASURY_YIELD')).toBe(0);
  });
});
