import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePostgres } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import type { Logger } from '../logger.js';
import { DurableDatabaseError } from './durable-database.error.js';
import { openEmbeddedDatabase } from './embedded-database.js';
import * as schema from './schema.js';

/** src/db/migrations from src/db (tests) and from dist/db (the build): both are two levels below the package. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../src/db/migrations', import.meta.url));

/** Any number, the same in every process: the migrations of one start-up at a time. */
const MIGRATION_LOCK_KEY = 7_310_013;

/** The query layer over either engine: Drizzle's Postgres core, the same for PGlite and a server. */
export type DurableDb = PgDatabase<PgQueryResultHKT, typeof schema, ExtractTablesWithRelations<typeof schema>>;

export interface DurableDatabase {
  readonly db: DurableDb;
  readonly engine: 'postgres' | 'pglite';
  /** where it is, for logs: host, port and database (never the password), or the directory */
  readonly location: string;
  /** the database answers a trivial query within the timeout */
  isUsable(): Promise<boolean>;
  close(): Promise<void>;
}

export interface DurableDatabaseOptions {
  /** set: a PostgreSQL server; unset: the embedded PGlite under cacheDir (the embedded cache's engine, when it runs there) */
  databaseUrl: string | undefined;
  cacheDir: string;
  /** every statement and every connection attempt gives up after this long */
  timeoutMs: number;
  /** connections to a server, per process */
  poolSize?: number;
}

/**
 * Opens the durable database and brings its tables to the latest migration before anything
 * reads them. Several processes starting at once on one server take turns (an advisory lock),
 * so each migration runs once. A server that cannot be reached stops start-up with why.
 */
export async function openDurableDatabase(options: DurableDatabaseOptions, logger: Logger): Promise<DurableDatabase> {
  return options.databaseUrl === undefined ? openPglite(options, logger) : openPostgres(options, options.databaseUrl, logger);
}

/** host:port/database of a connection string, without user or password. */
export function describeDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'DATABASE_URL (unparsable)';
  }
}

async function openPostgres(options: DurableDatabaseOptions, databaseUrl: string, logger: Logger): Promise<DurableDatabase> {
  const location = describeDatabaseUrl(databaseUrl);
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.timeoutMs,
    // Server side and client side: a slow statement is cancelled, a silent server is given up on.
    statement_timeout: options.timeoutMs,
    query_timeout: options.timeoutMs + 1000,
    idleTimeoutMillis: 30_000,
    application_name: 'wheel-graphql',
  });
  // An idle connection the server dropped: the pool replaces it; the next query reports trouble.
  pool.on('error', (error) => logger.warn({ err: error.message, database: location }, 'database connection lost'));
  try {
    const client = await pool.connect();
    try {
      // Migrations may take longer than a request's statement: this session waits as long as needed.
      await client.query('set statement_timeout = 0');
      await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      try {
        await migrateNodePostgres(drizzleNodePostgres({ client, schema }), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
      }
    } finally {
      client.release(true);
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DurableDatabaseError(`the database at ${location} (DATABASE_URL) cannot be used: ${messageOf(error)}`);
  }
  logger.info({ database: location }, 'durable data on PostgreSQL (DATABASE_URL)');
  const db = drizzleNodePostgres({ client: pool, schema }) as unknown as DurableDb;
  return {
    db,
    engine: 'postgres',
    location,
    isUsable: () => pool.query('select 1').then(() => true, () => false),
    close: () => pool.end(),
  };
}

async function openPglite(options: DurableDatabaseOptions, logger: Logger): Promise<DurableDatabase> {
  // The process's one PGlite for CACHE_DIR, shared with the embedded cache when it runs there.
  const embedded = await openEmbeddedDatabase(options.cacheDir, logger);
  // The facade serializes statements (see EmbeddedDatabase) and has the part of PGlite's surface Drizzle calls: query, transaction.
  const db = drizzlePglite({ client: embedded as unknown as PGlite, schema });
  try {
    await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (error) {
    await embedded.close();
    throw new DurableDatabaseError(`the embedded database in ${embedded.directory} could not be migrated: ${messageOf(error)}`);
  }
  logger.info({ directory: embedded.directory }, 'durable data on the embedded database (DATABASE_URL unset)');
  return {
    db: db as unknown as DurableDb,
    engine: 'pglite',
    location: embedded.directory,
    isUsable: async () => embedded.failure() === undefined,
    close: () => embedded.close(),
  };
}

function messageOf(error: unknown): string {
  const messages: string[] = [];
  for (let current: unknown = error; current instanceof Error && messages.length < 3; current = current.cause) messages.push(current.message);
  return messages.length > 0 ? messages.join(': ') : String(error);
}
