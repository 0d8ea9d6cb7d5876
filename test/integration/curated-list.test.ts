/**
 * The curated list in the durable database (src/services/curated-stocks.ts, src/db):
 * concurrent saveCuratedStock calls from two service instances on one PostgreSQL and one
 * Redis all stay; an old `curated:stocks` cache entry is imported once; a Redis FLUSHALL
 * loses nothing; a database that does not answer refuses saves with STORE_UNAVAILABLE. The
 * two instances are two Applications in this process, each with its own connections, HTTP
 * server and queue, sharing nothing but the servers: how two processes stand.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisClientType } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CURATED_SYMBOLS } from '../../src/config.js';
import { DurableDatabaseError } from '../../src/db/durable-database.error.js';
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { errorCodes } from '../support/graphql-client.js';
import { startInProcessApp, type InProcessApp } from '../support/in-process-app.js';
import { createTestDatabase, missingPostgres, type TestDatabase } from '../support/postgres.js';
import { connectRedis } from '../support/redis.js';
import { OwnRedis, freePort } from '../support/redis-server.js';
import { missingRedisServer } from '../support/tools.js';

const TOKEN = 'curated-list-token-7f3e';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const PHYSICAL_KEY = 'wheel:curated:stocks';

const SAVE = `mutation($symbol: String!, $active: Boolean, $assumptions: ValuationAssumptionsInput) {
  saveCuratedStock(symbol: $symbol, active: $active, assumptions: $assumptions) { symbol }
}`;
const LIST = '{ curatedStocks { symbol active assumptions { projectionYears desiredReturn epsMultiple fcfMultiple } } }';
type Listed = { curatedStocks: Array<{ symbol: string; active: boolean; assumptions: Record<string, number> }> };

const directories: string[] = [];
afterAll(() => {
  for (const made of directories) rmSync(made, { recursive: true, force: true });
});

describe.skipIf(missingRedisServer() || missingPostgres())('the curated list on one PostgreSQL and one Redis shared by two service instances', () => {
  let redis: OwnRedis;
  let client: RedisClientType;
  let fake: FakeAlphaVantage;
  let database: TestDatabase;
  const services: InProcessApp[] = [];

  beforeAll(async () => {
    redis = await OwnRedis.start();
    client = await connectRedis(redis.url);
    fake = await startFakeAlphaVantage();
    database = await createTestDatabase();
    // An entry left by an earlier version, in Keyv's format: imported by the first start, once.
    await client.set(PHYSICAL_KEY, JSON.stringify({ value: [{ symbol: 'OLD1', active: false, assumptions: { fcfMultiple: 17 } }, ...DEFAULT_CURATED_SYMBOLS.map((symbol) => ({ symbol, active: true, assumptions: {} }))] }));
    // One after the other, as a deployment starts them: the second finds the list imported.
    for (let i = 0; i < 2; i += 1) services.push(await startInProcessApp({ fake, env: { REDIS_URL: redis.url, DATABASE_URL: database.url, API_TOKENS: TOKEN } }));
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.close()));
    await fake?.close();
    client?.destroy();
    await redis?.stop();
    await database?.drop();
  });

  it('imported the old curated:stocks entry once, with its saved assumptions and order', async () => {
    const listed = (await services[1]!.graphql<Listed>(LIST)).data!.curatedStocks;
    expect(listed.map((stock) => stock.symbol)).toEqual(['OLD1', ...DEFAULT_CURATED_SYMBOLS]);
    expect(listed[0]).toMatchObject({ active: false, assumptions: { fcfMultiple: 17 } });
    const imports = services.flatMap((service) => service.logs.filter((line) => line.msg === 'curated list imported into the database'));
    expect(imports).toHaveLength(1);
  });

  it('keeps every one of 3 rounds × 60 concurrent saves of different stocks and fields, split between the two', async () => {
    const symbols = (prefix: string) => Array.from({ length: 25 }, (_, i) => `${prefix}${i}`);
    const first = symbols('ONE');
    const second = symbols('TWO');
    const rounds = 3;
    for (let round = 0; round < rounds; round += 1) {
      const years = 3 + round;
      const saves = [
        ...first.map((symbol) => services[0]!.graphql(SAVE, { symbol, assumptions: { projectionYears: years } }, AUTH)),
        ...second.map((symbol) => services[1]!.graphql(SAVE, { symbol, active: round % 2 === 0, assumptions: { projectionYears: years } }, AUTH)),
        // The same stock from both at once, each a field of its own: merged, both kept.
        ...Array.from({ length: 5 }, () => services[0]!.graphql(SAVE, { symbol: 'NFLX', assumptions: { desiredReturn: 10 + round } }, AUTH)),
        ...Array.from({ length: 5 }, () => services[1]!.graphql(SAVE, { symbol: 'NFLX', assumptions: { epsMultiple: 20 + round } }, AUTH)),
      ];
      const answers = await Promise.all(saves);
      expect(answers.flatMap(errorCodes)).toEqual([]);
    }

    const last = rounds - 1;
    for (const service of services) {
      const listed = (await service.graphql<Listed>(LIST)).data!.curatedStocks;
      const bySymbol = new Map(listed.map((stock) => [stock.symbol, stock]));
      // The imported list first; the new ones in the order their saves landed.
      expect(listed.slice(0, 1 + DEFAULT_CURATED_SYMBOLS.length).map((stock) => stock.symbol)).toEqual(['OLD1', ...DEFAULT_CURATED_SYMBOLS]);
      expect(listed.map((stock) => stock.symbol).sort()).toEqual(['OLD1', ...DEFAULT_CURATED_SYMBOLS, ...first, ...second].sort());
      const missing = [...first, ...second].filter((symbol) => bySymbol.get(symbol)?.assumptions['projectionYears'] !== 3 + last);
      expect(missing).toEqual([]);
      expect(second.every((symbol) => bySymbol.get(symbol)?.active === (last % 2 === 0))).toBe(true);
      expect(bySymbol.get('NFLX')?.assumptions).toMatchObject({ desiredReturn: 10 + last, epsMultiple: 20 + last });
    }
  }, 60_000);

  it('keeps the list and its assumptions through a Redis FLUSHALL, and does not import the old entry again', async () => {
    await services[0]!.graphql(SAVE, { symbol: 'KEPT', active: false, assumptions: { fcfMultiple: 19 } }, AUTH);
    const before = (await services[0]!.graphql<Listed>(LIST)).data!.curatedStocks;
    await client.flushAll();
    // A different old entry appears (an older deployment writing): the table stays the truth.
    await client.set(PHYSICAL_KEY, JSON.stringify({ value: [{ symbol: 'OTHER', active: true, assumptions: {} }] }));
    const restarted = await startInProcessApp({ fake, env: { REDIS_URL: redis.url, DATABASE_URL: database.url, API_TOKENS: TOKEN } });
    try {
      for (const service of [services[1]!, restarted]) {
        expect((await service.graphql<Listed>(LIST)).data!.curatedStocks).toEqual(before);
      }
      expect(before.find((stock) => stock.symbol === 'KEPT')).toMatchObject({ active: false, assumptions: { fcfMultiple: 19 } });
    } finally {
      await restarted.close();
    }
  });
});

describe.skipIf(missingPostgres())('the curated list when a store cannot answer', () => {
  it('does not start on a DATABASE_URL that cannot be reached: the error says where, not the password', async () => {
    const url = `postgres://wheel:pw-not-shown@127.0.0.1:${await freePort()}/wheel`;
    const failure = await startInProcessApp({ env: { DATABASE_URL: url, DATABASE_TIMEOUT_MS: '500' } }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DurableDatabaseError);
    expect((failure as Error).message).toContain('127.0.0.1');
    expect((failure as Error).message).not.toContain('pw-not-shown');
  });

  it('waits with the import while Redis cannot say whether an old entry exists: saves get STORE_UNAVAILABLE, the list the configured symbols', async () => {
    const database = await createTestDatabase();
    const service = await startInProcessApp({
      env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}`, DATABASE_URL: database.url, API_TOKENS: TOKEN, STORE_TIMEOUT_MS: '300' },
    });
    try {
      const answer = await service.graphql(SAVE, { symbol: 'AAPL', active: false }, AUTH);
      expect(errorCodes(answer)).toEqual(['STORE_UNAVAILABLE']);
      const listed = (await service.graphql<Listed>(LIST)).data!.curatedStocks;
      expect(listed.map((stock) => stock.symbol)).toEqual([...DEFAULT_CURATED_SYMBOLS]);
      expect(service.logs.some((line) => line.msg?.startsWith('curated list import waits') === true)).toBe(true);
    } finally {
      await service.close();
      await database.drop();
    }
  });
});

describe('the curated list on the embedded store (one process)', () => {
  it('keeps every one of 30 concurrent saves, and has them after a restart', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'wheel-curated-'));
    directories.push(cacheDir);
    // No REDIS_URL, no DATABASE_URL: the cache and the durable data share the process's one PGlite.
    const env = { CACHE_DIR: cacheDir, API_TOKENS: TOKEN };
    const symbols = Array.from({ length: 30 }, (_, i) => `LOC${i}`);
    const service = await startInProcessApp({ env });
    try {
      const answers = await Promise.all(symbols.map((symbol, i) => service.graphql(SAVE, { symbol, assumptions: { projectionYears: 1 + (i % 10) } }, AUTH)));
      expect(answers.flatMap(errorCodes)).toEqual([]);
    } finally {
      await service.close();
    }
    const restarted = await startInProcessApp({ env });
    try {
      const listed = (await restarted.graphql<Listed>(LIST)).data!.curatedStocks;
      expect(listed.map((stock) => stock.symbol)).toEqual([...DEFAULT_CURATED_SYMBOLS, ...symbols]);
      expect(listed.slice(DEFAULT_CURATED_SYMBOLS.length).map((stock) => stock.assumptions['projectionYears'])).toEqual(symbols.map((_, i) => 1 + (i % 10)));
    } finally {
      await restarted.close();
    }
  });
});
