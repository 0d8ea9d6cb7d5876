/**
 * The valuation history while PostgreSQL does not answer (a TCP proxy in front of the real
 * server swallows every byte): the CSV export is a 503 with STORE_UNAVAILABLE in the GraphQL
 * errors' shape, within the database timeout, and not a half-sent file; the GraphQL history
 * says the same; both answer again once the server does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { errorCodes } from '../support/graphql-client.js';
import { startInProcessApp, type InProcessApp } from '../support/in-process-app.js';
import { createTestDatabase, missingPostgres, proxiedDatabase, type TestDatabase } from '../support/postgres.js';
import { OwnRedis } from '../support/redis-server.js';
import type { TcpProxy } from '../support/tcp-proxy.js';
import { missingRedisServer } from '../support/tools.js';

const TOKEN = 'history-database-down-token-5e1a';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const DATABASE_TIMEOUT_MS = 500;
const RECORD = 'mutation($date: String) { recordValuationSnapshots(date: $date) { date recorded failed } }';
const HISTORY = 'query($symbol: String!) { valuationHistory(symbol: $symbol) { symbol date } }';

interface ErrorBody {
  errors: Array<{ message: string; extensions: { code: string } }>;
}

describe.skipIf(missingRedisServer() || missingPostgres())('the valuation history while the database does not answer', () => {
  let redis: OwnRedis;
  let fake: FakeAlphaVantage;
  let database: TestDatabase;
  let proxy: TcpProxy;
  let service: InProcessApp;
  const csvUrl = () => `${service.origin}/exports/valuation-history.csv`;

  beforeAll(async () => {
    redis = await OwnRedis.start();
    fake = await startFakeAlphaVantage();
    database = await createTestDatabase();
    const proxied = await proxiedDatabase(database);
    proxy = proxied.proxy;
    service = await startInProcessApp({
      fake,
      env: {
        REDIS_URL: redis.url,
        DATABASE_URL: proxied.url,
        DATABASE_TIMEOUT_MS: String(DATABASE_TIMEOUT_MS),
        API_TOKENS: TOKEN,
        CURATED_SYMBOLS: 'AAPL,MSFT',
      },
    });
    const recorded = await service.graphql<{ recordValuationSnapshots: { recorded: number; failed: string[] } }>(RECORD, { date: '2026-01-01' }, AUTH);
    expect(recorded.errors).toEqual([]);
    expect(recorded.data!.recordValuationSnapshots).toMatchObject({ recorded: 2, failed: [] });
  });

  afterAll(async () => {
    proxy?.resume();
    await service?.close();
    await proxy?.close();
    await fake?.close();
    await redis?.stop();
    await database?.drop();
  });

  it('answers the export 503 STORE_UNAVAILABLE and the GraphQL history STORE_UNAVAILABLE, then both again once it answers', async () => {
    proxy.silence();
    const started = Date.now();
    const refused = await fetch(`${csvUrl()}?symbol=AAPL`, { headers: AUTH, signal: AbortSignal.timeout(15_000) });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await refused.json()) as ErrorBody;
    expect(body.errors.map((error) => error.extensions.code)).toEqual(['STORE_UNAVAILABLE']);
    expect(body.errors[0]!.message).toContain('database is not answering');
    // bounded by the database timeout (the pool's wait, then the query's), not a hang
    expect(Date.now() - started).toBeLessThan(10_000);

    const history = await service.graphql(HISTORY, { symbol: 'AAPL' });
    expect(errorCodes(history)).toEqual(['STORE_UNAVAILABLE']);

    proxy.resume();
    // The pool drops the connections that timed out and opens new ones.
    const again = await fetch(`${csvUrl()}?symbol=AAPL`, { headers: AUTH });
    expect(again.status).toBe(200);
    const lines = (await again.text()).trim().split('\r\n');
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 2).join(' '))).toEqual(['AAPL 2026-01-01']);
    const answered = await service.graphql<{ valuationHistory: Array<{ symbol: string; date: string }> }>(HISTORY, { symbol: 'AAPL' });
    expect(answered.errors).toEqual([]);
    expect(answered.data!.valuationHistory).toEqual([{ symbol: 'AAPL', date: '2026-01-01' }]);
  });
});
