/**
 * A scan of an index, 500 tickers (the scan's limit), through the real Application and HTTP
 * app in this process (test/support/in-process-app.ts) on a Redis of this file's own, the
 * fake Alpha Vantage answering all 500 (test/support/symbol-universe.ts). A budget far above
 * the scan's 1 000 calls keeps it fast: how fast it is at 1 200 a minute is the bench's row.
 */
import type { RedisClientType } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TickerOptions } from '../../src/store/scan-records.port.js';
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { startInProcessApp, type InProcessApp } from '../support/in-process-app.js';
import { connectRedis } from '../support/redis.js';
import { OwnRedis } from '../support/redis-server.js';
import { AUTH, SCAN_TOKEN, SUCCESS, scanEnd, startScan } from '../support/scan-client.js';
import { INDEX_SIZE, symbolUniverse } from '../support/symbol-universe.js';
import { missingRedisServer } from '../support/tools.js';

const INDEX_RESULTS = `query IndexResults {
  scanResults { lastRun tickers { symbol options { contractId strike bid annualizedReturn } } }
}`;

interface IndexResults {
  scanResults: { lastRun: string; tickers: Array<{ symbol: string; options: Array<{ contractId: string; strike: number; bid: number; annualizedReturn: number }> }> };
}

describe.skipIf(missingRedisServer())('a 500-ticker scan', () => {
  let server: OwnRedis;
  let redis: RedisClientType;
  let fake: FakeAlphaVantage;
  let service: InProcessApp;

  beforeAll(async () => {
    server = await OwnRedis.start();
    redis = await connectRedis(server.url);
    fake = await startFakeAlphaVantage();
    service = await startInProcessApp({
      fake,
      env: {
        REDIS_URL: server.url,
        ALPHAVANTAGE_RATE_LIMIT_PER_MINUTE: '60000',
        ALPHAVANTAGE_RETRIES: '0',
        // The fake answers every call; on a loaded 2-core CI machine the 10 s default timed five of
        // 1 000 out (the fake shares this process's event loop). How fast the scan is, is the bench's.
        ALPHAVANTAGE_TIMEOUT_MS: '60000',
        ENVIRONMENT: 'LOCAL',
        API_TOKENS: SCAN_TOKEN,
        LOG_LEVEL: 'warn',
        STORE_TIMEOUT_MS: '5000',
      },
    });
  });

  afterAll(async () => {
    await service?.close();
    await fake?.close();
    redis?.destroy();
    await server?.stop();
  });

  it('completes, and scanResults reads back every ticker and contract the scan stored', { timeout: 180_000 }, async () => {
    const symbols = symbolUniverse();
    expect(new Set(symbols).size).toBe(INDEX_SIZE);
    const started = await startScan(service.url, { symbols, optionType: 'PUT', weeks: 4, minAnnualizedReturn: 20, maxDelta: 0.25 }, AUTH);
    expect(started.errors).toEqual([]);
    expect(started.data?.startScan.started).toBe(true);

    const end = await scanEnd(service.url, 150_000);
    expect(end.lastRun).toMatch(SUCCESS);
    expect(end.progress).toEqual({ total: INDEX_SIZE, completed: INDEX_SIZE });
    // Each ticker once: its chain and its quote.
    expect(fake.callCount({ function: 'REALTIME_OPTIONS' })).toBe(INDEX_SIZE);
    expect(fake.callCount({ function: 'GLOBAL_QUOTE' })).toBe(INDEX_SIZE);

    // The stored entry, read plainly: the whole dict, one entry.
    const stored = (JSON.parse((await redis.get('wheel:scanner:ticker_options'))!) as { value: TickerOptions }).value;
    const storedSymbols = Object.keys(stored).sort();
    expect(storedSymbols.length).toBeGreaterThan(INDEX_SIZE * 0.8);
    expect(storedSymbols.every((symbol) => symbols.includes(symbol))).toBe(true);

    for (let read = 0; read < 2; read += 1) {
      const answer = await service.graphql<IndexResults>(INDEX_RESULTS);
      expect(answer.errors).toEqual([]);
      const { tickers } = answer.data!.scanResults;
      expect(tickers.map((ticker) => ticker.symbol)).toEqual(storedSymbols);
      for (const ticker of tickers) {
        expect(ticker.options).toEqual(
          stored[ticker.symbol]!.map(({ contractId, strike, bid, annualizedReturn }) => ({ contractId, strike, bid, annualizedReturn })),
        );
      }
    }
  });
});
