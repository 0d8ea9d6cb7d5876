/**
 * The two engines of the durable store for a suite that runs on both (describe.each): the
 * embedded PGlite in a temp CACHE_DIR, and a database of its own on the PostgreSQL server at
 * TEST_DATABASE_URL (skipped with a warning when it does not answer). What a test makes is
 * undone by the file's `cleanups`, run after each test, newest first.
 *
 *   const cleanups: Cleanups = [];
 *   afterEach(() => runCleanups(cleanups));
 *   describe.each(durableEngines(cleanups))('… on $name', (engine) => { … engine.fresh() … });
 */
import { rmSync } from 'node:fs';
import type { sql } from 'drizzle-orm';
import { openDurableDatabase, type DurableDatabase } from '../../src/db/durable-database.js';
import type { Logger } from '../../src/logger.js';
import { seededCacheDir } from './embedded-store-template.js';
import { createTestDatabase, missingPostgres } from './postgres.js';

export type Cleanups = Array<() => Promise<void> | void>;

export async function runCleanups(cleanups: Cleanups): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

export interface DurableEngine {
  name: 'pglite' | 'postgres';
  skip: boolean;
  /** a new, empty database and its options */
  fresh(): Promise<{ databaseUrl: string | undefined; cacheDir: string }>;
}

export function durableEngines(cleanups: Cleanups): [DurableEngine, DurableEngine] {
  const cacheDir = () => {
    const made = seededCacheDir('wheel-durable-');
    cleanups.push(() => rmSync(made, { recursive: true, force: true }));
    return made;
  };
  return [
    { name: 'pglite', skip: false, fresh: async () => ({ databaseUrl: undefined, cacheDir: cacheDir() }) },
    {
      name: 'postgres',
      skip: missingPostgres(),
      fresh: async () => {
        const database = await createTestDatabase();
        cleanups.push(() => database.drop());
        return { databaseUrl: database.url, cacheDir: cacheDir() };
      },
    },
  ];
}

/** Opens (and migrates) the database, closed by the cleanups unless the test closed it. */
export async function openDurable(
  cleanups: Cleanups,
  options: { databaseUrl: string | undefined; cacheDir: string },
  timeoutMs: number,
  logger: Logger,
): Promise<DurableDatabase> {
  const database = await openDurableDatabase({ ...options, timeoutMs }, logger);
  let closed = false;
  const close = database.close.bind(database);
  cleanups.push(async () => {
    if (!closed) await close();
  });
  return {
    ...database,
    db: database.db,
    close: async () => {
      closed = true;
      await close();
    },
  };
}

/** Both drivers answer `execute` with `{ rows }`; the shared Drizzle type leaves the result open. */
export async function rowsOf<Row>(database: DurableDatabase, query: ReturnType<typeof sql>): Promise<Row[]> {
  return ((await database.db.execute(query)) as unknown as { rows: Row[] }).rows;
}
