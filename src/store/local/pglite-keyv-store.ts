import { EventEmitter } from 'node:events';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import type { EmbeddedDatabase } from '../../db/embedded-database.js';
import type { Logger } from '../../logger.js';

/**
 * One row per key: Keyv's serialized text and when it expires (epoch ms, NULL for never).
 * CREATE IF NOT EXISTS until issue 13 brings migrations to this database.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS keyv_entries (
    key text PRIMARY KEY,
    value text NOT NULL,
    expires_at bigint
  );
  CREATE INDEX IF NOT EXISTS keyv_entries_expires_at ON keyv_entries (expires_at) WHERE expires_at IS NOT NULL;
`;

const LIVE = '(expires_at IS NULL OR expires_at > $2)';
/** Postgres in single-user mode has no autovacuum: the sweep deletes what expired and vacuums. */
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

export interface PgliteKeyvStoreOptions {
  /** the embedded database, opened or being opened */
  database: Promise<EmbeddedDatabase>;
  logger: Logger;
  /** epoch ms; tests move it */
  now?: () => number;
}

/**
 * Keyv's store adapter over the embedded database. Each write is one statement, committed
 * to the WAL before it answers, so a SIGKILL loses at most the writes in flight; a write
 * that fails (a full disk) fails alone and leaves what was stored as it was. Expired rows
 * are never returned, and are deleted by an hourly sweep.
 */
export class PgliteKeyvStore extends EventEmitter implements KeyvStoreAdapter {
  readonly opts = { dialect: 'postgres', table: 'keyv_entries' };
  namespace?: string | undefined;
  /** settles once the table is there (created if needed) and swept; rejects if the database does not open */
  readonly ready: Promise<EmbeddedDatabase>;
  private readonly now: () => number;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: PgliteKeyvStoreOptions) {
    super();
    this.now = options.now ?? Date.now;
    this.ready = options.database.then(async (database) => {
      await database.exec(SCHEMA);
      await this.sweepOn(database);
      this.sweeper = setInterval(() => void this.sweepOn(database), SWEEP_INTERVAL_MS).unref();
      return database;
    });
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const { rows } = await this.query<{ value: string }>(`SELECT value FROM keyv_entries WHERE key = $1 AND ${LIVE}`, [key, this.now()]);
    return rows[0]?.value as StoredData<Value> | undefined;
  }

  /** One query for the batch; the answer in the order asked, undefined for a miss. */
  async getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
    const { rows } = await this.query<{ key: string; value: string }>(
      `SELECT key, value FROM keyv_entries WHERE key = ANY($1::text[]) AND ${LIVE}`,
      [keys, this.now()],
    );
    const found = new Map(rows.map((row) => [row.key, row.value]));
    return keys.map((key) => found.get(key) as StoredData<Value | undefined>);
  }

  async has(key: string): Promise<boolean> {
    const { rows } = await this.query<unknown>(`SELECT 1 FROM keyv_entries WHERE key = $1 AND ${LIVE}`, [key, this.now()]);
    return rows.length > 0;
  }

  /** @param ttl milliseconds; undefined: never expires */
  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    await this.query(
      `INSERT INTO keyv_entries (key, value, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      [key, text(value), this.expiresAt(ttl)],
    );
    return true;
  }

  /** One statement for the batch (the last of a repeated key wins). */
  async setMany(entries: Array<{ key: string; value: unknown; ttl?: number }>): Promise<void> {
    const byKey = new Map(entries.map((entry) => [entry.key, entry]));
    const rows = [...byKey.values()];
    await this.query(
      `INSERT INTO keyv_entries (key, value, expires_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      [rows.map((row) => row.key), rows.map((row) => text(row.value)), rows.map((row) => this.expiresAt(row.ttl))],
    );
  }

  /** @returns whether a live entry was deleted */
  async delete(key: string): Promise<boolean> {
    const { rows } = await this.query<{ live: boolean }>(`DELETE FROM keyv_entries WHERE key = $1 RETURNING ${LIVE} AS live`, [key, this.now()]);
    return rows.some((row) => row.live);
  }

  /** @returns whether any live entry was deleted */
  async deleteMany(keys: string[]): Promise<boolean> {
    const { rows } = await this.query<{ live: boolean }>(`DELETE FROM keyv_entries WHERE key = ANY($1::text[]) RETURNING ${LIVE} AS live`, [keys, this.now()]);
    return rows.some((row) => row.live);
  }

  /** Deletes this namespace's entries (Keyv prefixes keys with `{namespace}:`), or all without one. */
  async clear(): Promise<void> {
    if (this.namespace === undefined) await this.query('DELETE FROM keyv_entries');
    else await this.query('DELETE FROM keyv_entries WHERE starts_with(key, $1)', [`${this.namespace}:`]);
  }

  /** Stops the sweep; the database is closed by its owner. */
  disconnect(): Promise<void> {
    clearInterval(this.sweeper);
    return Promise.resolve();
  }

  /** Deletes what has expired and vacuums, so that rewritten and expired entries give their space back. */
  async sweep(): Promise<void> {
    await this.sweepOn(await this.ready);
  }

  private async sweepOn(database: EmbeddedDatabase): Promise<void> {
    try {
      await database.query('DELETE FROM keyv_entries WHERE expires_at <= $1', [this.now()]);
      await database.exec('VACUUM keyv_entries');
    } catch (error) {
      this.options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'embedded store sweep failed; tried again in an hour');
    }
  }

  private async query<Row>(statement: string, parameters?: unknown[]): Promise<{ rows: Row[]; affectedRows?: number }> {
    return (await this.ready).query<Row>(statement, parameters);
  }

  private expiresAt(ttl: number | undefined): number | null {
    return typeof ttl === 'number' && ttl > 0 ? this.now() + ttl : null;
  }
}

/** Keyv hands over its serialized text; anything else is stored as JSON. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
