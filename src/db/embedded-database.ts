import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite, type QueryOptions, type Results, type Transaction } from '@electric-sql/pglite';
import type { Logger } from '../logger.js';
import { DataDirectoryLock } from './data-directory-lock.js';
import { EmbeddedDatabaseError } from './embedded-database.error.js';
import { initializeDataDirectory } from './initialize-data-directory.js';

/** The embedded database's data directory inside CACHE_DIR. */
export function embeddedDataDirectory(cacheDir: string): string {
  return join(cacheDir, 'pglite');
}

/** Beside the data directory, not in it: Postgres owns what is inside. */
export function embeddedLockFile(cacheDir: string): string {
  return join(cacheDir, 'pglite.lock');
}

/**
 * Postgres's defaults sized for a service that keeps a cache in it: 16 MB of shared buffers
 * (not 128 MB) keep the process's memory flat however many entries there are (the rest is
 * the OS's page cache), and a checkpoint every 64 MB of WAL bounds the disk and the replay
 * after a crash. The defaults' `-F` (no fsync) keeps a SIGKILL harmless, not a power cut.
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB', '-c', 'max_wal_size=64MB', '-c', 'min_wal_size=32MB'];

/** Postgres's own words about why it stopped, kept for the start-up message. */
const REASON_LINE = /\b(PANIC|FATAL|ERROR|DETAIL|HINT):\s+(.*)$/;

/**
 * The process's one PGlite, under CACHE_DIR: the embedded store's tables live in it, and the
 * durable data's (src/db/durable-database.ts) when DATABASE_URL is unset, on the same instance.
 * Statements go one at a time and none goes after Postgres has PANICked (a full disk, say):
 * a PGlite that PANICked spins on its next statement and blocks the process.
 */
export interface EmbeddedDatabase {
  readonly directory: string;
  /** PGlite's own `query` (Drizzle's PGlite driver calls it with its options): one statement, serialized */
  query<Row>(statement: string, parameters?: unknown[], options?: QueryOptions): Promise<Results<Row>>;
  exec(statements: string): Promise<Results[]>;
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  /** why the engine stopped (Postgres's PANIC), or undefined while it serves */
  failure(): string | undefined;
  /** gives this user's share back; the last one closes the database and frees the lock */
  close(): Promise<void>;
}

/** Thrown by every statement once the engine has stopped. */
export class EmbeddedDatabaseStoppedError extends Error {
  override name = 'EmbeddedDatabaseStoppedError';
}

/** One open database of this process, shared by its users. */
class OpenDatabase {
  private tail: Promise<unknown> = Promise.resolve();
  stoppedBecause: string | undefined;

  constructor(
    readonly pg: PGlite,
    readonly lock: DataDirectoryLock,
    readonly directory: string,
  ) {}

  /** One statement (or transaction) at a time, so that none is already queued in PGlite when one PANICs. */
  serialized<T>(work: (pg: PGlite) => Promise<T>): Promise<T> {
    const run = this.tail.then(() => {
      this.refuseIfStopped();
      return work(this.pg);
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  refuseIfStopped(): void {
    if (this.stoppedBecause !== undefined) {
      throw new EmbeddedDatabaseStoppedError(
        `the embedded database in ${this.directory} stopped (${this.stoppedBecause}); what it stored is kept on disk: fix the cause and restart the service`,
      );
    }
  }
}

/** Open databases of this process by directory: users in one process share one instance (two would corrupt it). */
const openInProcess = new Map<string, { opening: Promise<OpenDatabase>; users: number }>();
/** Databases of this process being closed: a new open waits (our own pid in the lock file would read as stale). */
const closingInProcess = new Map<string, Promise<void>>();

/**
 * Opens (creating it on first use) the database of CACHE_DIR. Refuses, with a message naming
 * the holder, a directory another live process holds, and, with a message saying what to do,
 * a directory Postgres cannot open: never an empty start over what was stored.
 */
export async function openEmbeddedDatabase(cacheDir: string, logger: Logger): Promise<EmbeddedDatabase> {
  const directory = resolve(embeddedDataDirectory(cacheDir));
  await closingInProcess.get(directory)?.catch(() => undefined);
  let entry = openInProcess.get(directory);
  if (entry === undefined) {
    entry = { opening: open(resolve(cacheDir), directory, logger), users: 0 };
    openInProcess.set(directory, entry);
    const opening = entry.opening;
    opening.catch(() => {
      if (openInProcess.get(directory)?.opening === opening) openInProcess.delete(directory);
    });
  }
  entry.users += 1;
  const shared = entry;
  let database: OpenDatabase;
  try {
    database = await shared.opening;
  } catch (error) {
    shared.users -= 1;
    throw error;
  }
  let closed: Promise<void> | undefined;
  return {
    directory,
    query: (statement, parameters, options) => database.serialized((pg) => pg.query(statement, parameters, options)),
    exec: (statements) => database.serialized((pg) => pg.exec(statements)),
    transaction: (work) =>
      database.serialized((pg) =>
        pg.transaction((tx) =>
          work({
            ...tx,
            query: (statement, parameters, options) => (database.refuseIfStopped(), tx.query(statement, parameters, options)),
            exec: (statements, options) => (database.refuseIfStopped(), tx.exec(statements, options)),
            sql: (strings, ...parameters) => (database.refuseIfStopped(), tx.sql(strings, ...parameters)),
            rollback: () => tx.rollback(),
            listen: (channel, callback) => tx.listen(channel, callback),
            get closed() {
              return tx.closed;
            },
          }),
        ),
      ),
    failure: () => database.stoppedBecause,
    close: () =>
      (closed ??= (async () => {
        shared.users -= 1;
        if (shared.users > 0) return;
        openInProcess.delete(directory);
        const closing = (async () => {
          try {
            // A stopped engine is not asked to shut down (it would spin): the process's exit frees it.
            if (database.stoppedBecause === undefined) await database.serialized((pg) => pg.close());
          } finally {
            database.lock.release();
          }
        })();
        closingInProcess.set(directory, closing);
        try {
          await closing;
        } finally {
          if (closingInProcess.get(directory) === closing) closingInProcess.delete(directory);
        }
      })()),
  };
}

async function open(cacheDir: string, directory: string, logger: Logger): Promise<OpenDatabase> {
  try {
    mkdirSync(cacheDir, { recursive: true });
  } catch (error) {
    throw new EmbeddedDatabaseError(`cannot create CACHE_DIR ${cacheDir}: ${(error as Error).message}`);
  }
  const lock = DataDirectoryLock.acquire(embeddedLockFile(cacheDir), `the embedded store in ${directory}`);
  try {
    removeInterruptedInitializations(cacheDir, directory);
    if (!existsSync(directory)) {
      logger.info({ directory }, 'creating the embedded database (first start on this CACHE_DIR)');
      await initializeDataDirectory(directory);
    } else if (!existsSync(join(directory, 'PG_VERSION'))) {
      throw unopenable(directory, 'it holds no PG_VERSION file, so it is not a database');
    }
    return await start(directory, lock, logger);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function start(directory: string, lock: DataDirectoryLock, logger: Logger): Promise<OpenDatabase> {
  const reasons: string[] = [];
  let database: OpenDatabase | undefined;
  const onStderr = (text: string): boolean => {
    const reason = REASON_LINE.exec(text);
    if (reason === null) return true;
    const [, level, words] = reason;
    if (database === undefined) {
      reasons.push(`${level}: ${words}`);
    } else if (level === 'PANIC' || level === 'FATAL') {
      // Called before the statement's promise settles: no statement after this one reaches PGlite.
      database.stoppedBecause ??= `${level}: ${words}`;
      logger.error({ directory, postgres: text }, 'embedded database stopped; the store is unusable until the service restarts');
    } else if (level !== 'DETAIL' && level !== 'HINT') {
      logger.warn({ directory, postgres: text }, 'embedded database');
    }
    return true;
  };
  let pg: PGlite;
  try {
    pg = await PGlite.create({ dataDir: directory, startParams: START_PARAMS, onStderr });
  } catch (error) {
    throw unopenable(directory, reasons.length > 0 ? reasons.join('; ') : (error as Error).message);
  }
  database = new OpenDatabase(pg, lock, directory);
  return database;
}

function unopenable(directory: string, reason: string): EmbeddedDatabaseError {
  const todo = /No space left on device/i.test(reason)
    ? 'The disk is full: free some space and start again; what was stored is kept.'
    : `Nothing was changed: move the directory away (mv '${directory}' '${directory}.broken') to start with an empty store, or restore it from a copy.`;
  return new EmbeddedDatabaseError(`the embedded store in ${directory} cannot be opened (${reason}). ${todo}`);
}

/** A `pglite.init-<pid>` left by a start-up killed during initdb: never renamed, so never used. */
function removeInterruptedInitializations(cacheDir: string, directory: string): void {
  const prefix = `${directory.slice(cacheDir.length + 1)}.init-`;
  for (const name of readdirSync(cacheDir)) {
    if (name.startsWith(prefix)) rmSync(join(cacheDir, name), { recursive: true, force: true });
  }
}
