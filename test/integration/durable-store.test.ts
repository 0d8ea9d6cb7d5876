/**
 * The durable store (src/db): the same suite on the embedded PGlite and on a PostgreSQL
 * server (TEST_DATABASE_URL), each test on a database of its own: migrations, the curated
 * list's table, its one-time import. Then what only a server has: two processes migrating at
 * once, a server that cannot be reached or stops answering.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CuratedStockRepository } from '../../src/db/curated-stock.repository.js';
import { DatabaseUnavailableError } from '../../src/db/database-unavailable.error.js';
import { DurableDatabaseError } from '../../src/db/durable-database.error.js';
import { MIGRATIONS_FOLDER, openDurableDatabase, type DurableDatabase } from '../../src/db/durable-database.js';
import { createLogger } from '../../src/logger.js';
import { StoreUnavailableError } from '../../src/store/store-unavailable.error.js';
import { durableEngines, openDurable, rowsOf, runCleanups, type Cleanups } from '../support/durable-engines.js';
import { createTestDatabase, proxiedDatabase, type TestDatabase } from '../support/postgres.js';
import { freePort } from '../support/redis-server.js';

const logger = createLogger('silent');
const TIMEOUT_MS = 2000;
const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> };

const cleanups: Cleanups = [];
afterEach(() => runCleanups(cleanups));

const [pgliteEngine, postgresEngine] = durableEngines(cleanups);
const postgresSkipped = postgresEngine.skip;
const open = (options: { databaseUrl: string | undefined; cacheDir: string }) => openDurable(cleanups, options, TIMEOUT_MS, logger);

async function tables(database: DurableDatabase): Promise<string[]> {
  const rows = await rowsOf<{ table_name: string }>(database, sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`);
  return rows.map((row) => row.table_name);
}

async function appliedMigrations(database: DurableDatabase): Promise<number> {
  const rows = await rowsOf<{ count: string }>(database, sql`select count(*)::text as count from drizzle.__drizzle_migrations`);
  return Number(rows[0]!.count);
}

describe.each([pgliteEngine, postgresEngine])('the durable store on $name', (engine) => {
  describe.skipIf(engine.skip)('', () => {
    it('creates every table on a fresh database, and applies nothing twice when opened again', async () => {
      const options = await engine.fresh();
      const first = await open(options);
      expect(await tables(first)).toEqual(['curated_stocks', 'data_imports', 'valuation_snapshots']);
      expect(await appliedMigrations(first)).toBe(journal.entries.length);
      await first.close();
      const again = await open(options);
      expect(await appliedMigrations(again)).toBe(journal.entries.length);
    });

    it('lists the curated stocks in the order they were added and merges saved assumptions field by field', async () => {
      const repository = new CuratedStockRepository((await open(await engine.fresh())).db);
      await repository.save('MSFT', { assumptions: { epsGrowthRate: 12 } });
      await repository.save('AAPL', { active: false, assumptions: {} });
      await repository.save('MSFT', { assumptions: { desiredReturn: 11 } });
      await repository.save('MSFT', { active: false, assumptions: { epsGrowthRate: 9 } });
      expect(await repository.list()).toEqual([
        { symbol: 'MSFT', active: false, assumptions: { epsGrowthRate: 9, desiredReturn: 11 } },
        { symbol: 'AAPL', active: false, assumptions: {} },
      ]);
    });

    it('keeps every one of 40 concurrent saves of one stock, each a field of its own, from two connections', async () => {
      const options = await engine.fresh();
      const one = await open(options);
      // Two openings: two pools on a server (as two processes); on PGlite, the process's one engine shared.
      const two = await open(options);
      const repositories = [new CuratedStockRepository(one.db), new CuratedStockRepository(two.db)];
      const fields = ['epsGrowthRate', 'fcfGrowthRate', 'epsMultiple', 'fcfMultiple'] as const;
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => repositories[i % 2]!.save('NFLX', { assumptions: { [fields[i % 4]!]: 1 + Math.floor(i / 4) } })),
      );
      const [saved] = await repositories[0]!.list();
      // Each field's last save is i = 36..39, value 1 + 9 = 10; whichever landed last, no field is lost.
      expect(Object.keys(saved!.assumptions).sort()).toEqual([...fields].sort());
    });

    it('imports a list once: a second import (another process, or a restart) changes nothing, and saves made since stay', async () => {
      const repository = new CuratedStockRepository((await open(await engine.fresh())).db);
      expect(await repository.imported()).toBe(false);
      const legacy = [
        { symbol: 'V', active: true, assumptions: { fcfMultiple: 25 } },
        { symbol: 'MA', active: false, assumptions: {} },
      ];
      expect(await repository.importOnce(legacy, 'curated:stocks')).toEqual({ imported: true, source: 'curated:stocks', rows: 2 });
      await repository.save('V', { assumptions: { epsMultiple: 30 } });
      const twice = await Promise.all([repository.importOnce([{ symbol: 'X', active: true, assumptions: {} }], 'CURATED_SYMBOLS'), repository.importOnce([], 'x')]);
      expect(twice).toEqual([{ imported: false, reason: 'done before' }, { imported: false, reason: 'done before' }]);
      expect(await repository.imported()).toBe(true);
      expect(await repository.list()).toEqual([
        { symbol: 'V', active: true, assumptions: { fcfMultiple: 25, epsMultiple: 30 } },
        { symbol: 'MA', active: false, assumptions: {} },
      ]);
    });
  });
});

describe.skipIf(postgresSkipped)('the durable store on a PostgreSQL server only', () => {
  let database: TestDatabase;
  afterAll(async () => database?.drop());

  it('migrates once when two processes start on a fresh database at the same moment', async () => {
    database = await createTestDatabase();
    const script = `
      const { openDurableDatabase } = await import(${JSON.stringify(new URL('../../dist/db/durable-database.js', import.meta.url).href)});
      const { createLogger } = await import(${JSON.stringify(new URL('../../dist/logger.js', import.meta.url).href)});
      const database = await openDurableDatabase({ databaseUrl: process.argv[1], cacheDir: '/nonexistent', timeoutMs: 10000 }, createLogger('silent'));
      await database.close();
      process.stdout.write('migrated');`;
    const runs = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise<{ code: number | null; out: string }>((resolve) => {
            const child = spawn(process.execPath, ['--input-type=module', '-e', script, database.url], { stdio: ['ignore', 'pipe', 'pipe'] });
            let out = '';
            child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
            child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
            child.on('exit', (code) => resolve({ code, out }));
          }),
      ),
    );
    expect(runs).toEqual([0, 1, 2].map(() => ({ code: 0, out: 'migrated' })));
    const opened = await openDurableDatabase({ databaseUrl: database.url, cacheDir: '/nonexistent', timeoutMs: TIMEOUT_MS }, logger);
    try {
      expect(await appliedMigrations(opened)).toBe(journal.entries.length);
      expect(await tables(opened)).toEqual(['curated_stocks', 'data_imports', 'valuation_snapshots']);
    } finally {
      await opened.close();
    }
  });

  it('stops start-up with where and why when the server cannot be reached, never with the password', async () => {
    const url = `postgres://wheel:s3cret-pw@127.0.0.1:${await freePort()}/wheel`;
    const started = Date.now();
    const failure = await openDurableDatabase({ databaseUrl: url, cacheDir: '/nonexistent', timeoutMs: 500 }, logger).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DurableDatabaseError);
    expect((failure as Error).message).toMatch(/^the database at 127\.0\.0\.1:\d+\/wheel \(DATABASE_URL\) cannot be used: .*ECONNREFUSED/);
    expect((failure as Error).message).not.toContain('s3cret-pw');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('answers StoreUnavailableError within the timeout while the server does not answer, and serves again once it does', async () => {
    const own = await createTestDatabase();
    cleanups.push(() => own.drop());
    const { url, proxy } = await proxiedDatabase(own);
    cleanups.push(() => proxy.close());
    const opened = await openDurableDatabase({ databaseUrl: url, cacheDir: '/nonexistent', timeoutMs: 500 }, logger);
    cleanups.push(() => opened.close());
    const repository = new CuratedStockRepository(opened.db);
    await repository.save('AAPL', { assumptions: {} });
    proxy.silence();
    const started = Date.now();
    await expect(repository.save('MSFT', { assumptions: {} })).rejects.toThrow(DatabaseUnavailableError);
    await expect(repository.list()).rejects.toThrow(StoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(4 * 1500);
    expect(await opened.isUsable()).toBe(false);
    proxy.resume();
    // The pool drops the connections that timed out and opens new ones.
    expect((await repository.list()).map((stock) => stock.symbol)).toEqual(['AAPL']);
  });
});
