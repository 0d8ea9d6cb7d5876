/**
 * The curated list's writes (src/store/curated-list.port.ts): concurrent saveCuratedStock
 * calls from two service instances on one Redis all stay, and the entry stays in Keyv's
 * format. The two instances are two Applications in this process, each with its own
 * connections, HTTP server and queue, sharing nothing but Redis: how two processes stand.
 * Redis is this file's own (OwnRedis); the embedded store runs in a temp dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import KeyvRedis from '@keyv/redis';
import type { RedisClientType } from '@redis/client';
import { Keyv } from 'keyv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CURATED_SYMBOLS } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createStore, type Store, type StoreOptions } from '../../src/store/create-store.js';
import type { SavedStock } from '../../src/store/curated-list.port.js';
import { StoreUnavailableError } from '../../src/store/store-unavailable.error.js';
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { errorCodes } from '../support/graphql-client.js';
import { startInProcessApp, type InProcessApp } from '../support/in-process-app.js';
import { commandCalls, connectRedis } from '../support/redis.js';
import { OwnRedis, freePort } from '../support/redis-server.js';
import { missingRedisServer } from '../support/tools.js';

const TOKEN = 'curated-list-token-7f3e';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const PHYSICAL_KEY = 'wheel:curated:stocks';
const logger = createLogger('silent');

const SAVE = `mutation($symbol: String!, $active: Boolean, $assumptions: ValuationAssumptionsInput) {
  saveCuratedStock(symbol: $symbol, active: $active, assumptions: $assumptions) { symbol }
}`;
const LIST = '{ curatedStocks { symbol active assumptions { projectionYears desiredReturn epsMultiple fcfMultiple } } }';
type Listed = { curatedStocks: Array<{ symbol: string; active: boolean; assumptions: Record<string, number> }> };

const directories: string[] = [];
const stores: Store[] = [];
async function open(options: Partial<StoreOptions>): Promise<Store> {
  // A temp CACHE_DIR, not the repository's .cache: the store keeps files there (the budget's process id).
  const cacheDir = mkdtempSync(join(tmpdir(), 'wheel-curated-'));
  directories.push(cacheDir);
  const store = createStore({ redisUrl: undefined, cacheDir, namespace: 'wheel', timeoutMs: 500, ...options }, logger);
  stores.push(store);
  await store.ready;
  return store;
}

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  for (const made of directories) rmSync(made, { recursive: true, force: true });
});

describe.skipIf(missingRedisServer())('the curated list on one Redis shared by two service instances', () => {
  let redis: OwnRedis;
  let client: RedisClientType;
  let fake: FakeAlphaVantage;
  const services: InProcessApp[] = [];

  beforeAll(async () => {
    redis = await OwnRedis.start();
    client = await connectRedis(redis.url);
    fake = await startFakeAlphaVantage();
    // One after the other, as a deployment starts them: the second finds the list seeded.
    for (let i = 0; i < 2; i += 1) services.push(await startInProcessApp({ fake, env: { REDIS_URL: redis.url, API_TOKENS: TOKEN } }));
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.close()));
    await fake?.close();
    client?.destroy();
    await redis?.stop();
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
      // The defaults first; the new ones in the order their saves landed.
      expect(listed.slice(0, DEFAULT_CURATED_SYMBOLS.length).map((stock) => stock.symbol)).toEqual([...DEFAULT_CURATED_SYMBOLS]);
      expect(listed.map((stock) => stock.symbol).sort()).toEqual([...DEFAULT_CURATED_SYMBOLS, ...first, ...second].sort());
      const missing = [...first, ...second].filter((symbol) => bySymbol.get(symbol)?.assumptions['projectionYears'] !== 3 + last);
      expect(missing).toEqual([]);
      expect(second.every((symbol) => bySymbol.get(symbol)?.active === (last % 2 === 0))).toBe(true);
      expect(bySymbol.get('NFLX')?.assumptions).toMatchObject({ desiredReturn: 10 + last, epsMultiple: 20 + last });
    }
  }, 60_000);

  it("stores the entry as Keyv does ({value}, no expiry), which a plain Keyv reads back", async () => {
    await services[0]!.graphql(SAVE, { symbol: 'KEYV', active: false, assumptions: { fcfMultiple: 17 } }, AUTH);
    const raw = await client.get(PHYSICAL_KEY);
    const entry = JSON.parse(raw!) as { value: SavedStock[] };
    expect(Object.keys(entry)).toEqual(['value']);
    expect(await client.pTTL(PHYSICAL_KEY)).toBe(-1);
    const keyv = new Keyv({ store: new KeyvRedis(redis.url, { namespace: 'wheel', keyPrefixSeparator: ':' }), namespace: 'wheel', useKeyPrefix: false });
    try {
      expect(await keyv.get<SavedStock[]>('curated:stocks')).toEqual(entry.value);
      expect(entry.value.find((stock) => stock.symbol === 'KEYV')).toEqual({ symbol: 'KEYV', active: false, assumptions: { fcfMultiple: 17 } });
    } finally {
      await keyv.disconnect();
    }
  });

  it('applies a change again to the newer list when another process wrote between its read and its write', async () => {
    const store = await open({ redisUrl: redis.url });
    await client.set(PHYSICAL_KEY, JSON.stringify({ value: [{ symbol: 'AAA', active: true, assumptions: {} }] }));
    const seen: string[][] = [];
    const written = await store.curatedList.update((stored) => {
      seen.push((stored ?? []).map((stock) => stock.symbol));
      // The first time only: another process saves BBB meanwhile.
      if (seen.length === 1) void client.set(PHYSICAL_KEY, JSON.stringify({ value: [...stored!, { symbol: 'BBB', active: true, assumptions: {} }] }));
      return [...(stored ?? []), { symbol: 'CCC', active: true, assumptions: {} }];
    });
    expect(seen).toEqual([['AAA'], ['AAA', 'BBB']]);
    expect(written.map((stock) => stock.symbol)).toEqual(['AAA', 'BBB', 'CCC']);
    expect((JSON.parse((await client.get(PHYSICAL_KEY))!) as { value: SavedStock[] }).value.map((stock) => stock.symbol)).toEqual(['AAA', 'BBB', 'CCC']);
  });

  it('writes nothing when the change answers the stored list itself (the seed of a second process)', async () => {
    const store = await open({ redisUrl: redis.url });
    const before = await client.get(PHYSICAL_KEY);
    const calls = await commandCalls(client);
    await store.curatedList.update((stored) => stored ?? []);
    const after = await commandCalls(client);
    expect({ eval: after['eval'], set: after['set'] }).toEqual({ eval: calls['eval'], set: calls['set'] });
    expect(await client.get(PHYSICAL_KEY)).toBe(before);
  });
});

describe('the curated list when the store cannot answer', () => {
  it('refuses a save within the store timeout (STORE_UNAVAILABLE), rather than lose it', async () => {
    const store = createStore({ redisUrl: `redis://127.0.0.1:${await freePort()}`, cacheDir: '.cache', namespace: 'wheel', timeoutMs: 300 }, logger);
    stores.push(store);
    const started = Date.now();
    await expect(store.curatedList.update((stored) => [...(stored ?? [])])).rejects.toThrow(StoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(800);
  });

  it('answers saveCuratedStock with STORE_UNAVAILABLE while Redis is down, and the service starts without it', async () => {
    const service = await startInProcessApp({ env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}`, API_TOKENS: TOKEN, STORE_TIMEOUT_MS: '300' } });
    try {
      const answer = await service.graphql(SAVE, { symbol: 'AAPL', active: false }, AUTH);
      expect(errorCodes(answer)).toEqual(['STORE_UNAVAILABLE']);
      expect(service.logs.some((line) => line.msg === 'curated list not seeded: the store did not answer')).toBe(true);
    } finally {
      await service.close();
    }
  });
});

describe('the curated list on the embedded store (one process)', () => {
  it('keeps every one of 30 concurrent saves, and has them after a restart', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'wheel-curated-'));
    directories.push(cacheDir);
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
