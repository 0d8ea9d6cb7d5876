import { sql } from 'drizzle-orm';
import { durableCall } from './durable-call.js';
import type { DurableDatabase } from './durable-database.js';

/** Any number, the same in every process: the scheduled snapshot run of one process at a time. */
const SNAPSHOT_RUN_LOCK_KEY = 7_310_015;

export type Exclusive<T> = { ran: true; value: T } | { ran: false };

/** Runs work in at most one process at a time; a caller that finds it taken does not wait. */
export interface SnapshotRunLock {
  runExclusively<T>(work: () => Promise<T>): Promise<Exclusive<T>>;
}

/**
 * On a PostgreSQL server: a transaction-level advisory lock, held by one pooled connection
 * while the work runs on the others, and freed by the server if this process dies. On the
 * embedded PGlite (one process per data directory, one statement at a time, so a transaction
 * held open would stall the work's own writes): a flag in this process.
 */
export function snapshotRunLock(database: DurableDatabase): SnapshotRunLock {
  return database.engine === 'postgres' ? new AdvisorySnapshotRunLock(database) : new InProcessSnapshotRunLock();
}

class AdvisorySnapshotRunLock implements SnapshotRunLock {
  constructor(private readonly database: DurableDatabase) {}

  runExclusively<T>(work: () => Promise<T>): Promise<Exclusive<T>> {
    return durableCall('the snapshot run lock', () =>
      this.database.db.transaction(async (tx) => {
        const result = (await tx.execute(sql`select pg_try_advisory_xact_lock(${SNAPSHOT_RUN_LOCK_KEY}) as taken`)) as unknown as {
          rows: Array<{ taken: boolean }>;
        };
        if (result.rows[0]?.taken !== true) return { ran: false } as const;
        return { ran: true, value: await work() } as const;
      }),
    );
  }
}

class InProcessSnapshotRunLock implements SnapshotRunLock {
  private held = false;

  async runExclusively<T>(work: () => Promise<T>): Promise<Exclusive<T>> {
    if (this.held) return { ran: false };
    this.held = true;
    try {
      return { ran: true, value: await work() };
    } finally {
      this.held = false;
    }
  }
}
