import type { Keyv } from 'keyv';
import pTimeout from 'p-timeout';
import type { Logger } from '../logger.js';
import type { StoreCallBound } from './bounded.js';
import { StoreUnavailableError } from './store-unavailable.error.js';

/**
 * The store as the rest of the service sees it: every call is bounded in time, and a
 * store that is slow or down reads as a miss and writes as a no-op, never as an error.
 * The cache enhances the service; it must never break it.
 */
export class Cache {
  constructor(
    private readonly keyv: Keyv,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
    /** the connection's own bound, instead of a plain timeout: fails at once while Redis is known not to answer */
    private readonly bound?: StoreCallBound,
  ) {}

  /** One round trip for the whole batch (MGET on Redis). */
  async getMany<T>(keys: readonly string[]): Promise<Array<T | undefined>> {
    try {
      return await this.getManyOrFail<T>(keys);
    } catch (error) {
      this.fail('getMany', error);
      return keys.map(() => undefined);
    }
  }

  /** getMany for reads where a miss would be a wrong answer: throws StoreUnavailableError. */
  async getManyOrFail<T>(keys: readonly string[]): Promise<Array<T | undefined>> {
    if (keys.length === 0) return [];
    return this.orUnavailable(() => this.keyv.getMany<T>([...keys]));
  }

  /**
   * When each entry leaves the store (epoch ms, the clock Keyv writes expiries with:
   * Date.now()), in one round trip: undefined for no entry, null for one without an expiry.
   * Throws StoreUnavailableError, like getManyOrFail.
   */
  async expiries(keys: readonly string[]): Promise<Array<number | null | undefined>> {
    if (keys.length === 0) return [];
    const rows: Array<{ expires?: number | null } | undefined> = await this.orUnavailable(() => this.keyv.getMany<unknown>([...keys], { raw: true }));
    return rows.map((row) => (row === undefined ? undefined : typeof row.expires === 'number' ? row.expires : null));
  }

  async get<T>(key: string): Promise<T | undefined> {
    try {
      return await this.bounded('get', () => this.keyv.get<T>(key));
    } catch (error) {
      this.fail('get', error);
      return undefined;
    }
  }

  /** @returns whether the value was stored */
  async set(key: string, value: unknown, ttlMs?: number): Promise<boolean> {
    try {
      return await this.bounded('set', () => this.keyv.set(key, value, ttlMs));
    } catch (error) {
      this.fail('set', error);
      return false;
    }
  }

  /**
   * All the entries or none, as one write: a MULTI/EXEC on Redis, one INSERT on the embedded
   * store, so a reader's batch sees either every new value or every old one.
   * @returns whether they were stored
   */
  async setMany(entries: ReadonlyArray<{ key: string; value: unknown }>, ttlMs: number): Promise<boolean> {
    try {
      await this.bounded('setMany', () => this.keyv.setMany(entries.map(({ key, value }) => ({ key, value, ttl: ttlMs }))));
      return true;
    } catch (error) {
      this.fail('setMany', error);
      return false;
    }
  }

  async delete(key: string): Promise<boolean> {
    try {
      return await this.bounded('delete', () => this.keyv.delete(key));
    } catch (error) {
      this.fail('delete', error);
      return false;
    }
  }

  /** A bounded read whose failure throws StoreUnavailableError. */
  private async orUnavailable<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await this.bounded('getMany', read);
    } catch (error) {
      throw new StoreUnavailableError(`the store did not answer (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  private bounded<T>(operation: string, call: () => Promise<T>): Promise<T> {
    if (this.bound) return this.bound.run(call);
    return pTimeout(call(), { milliseconds: this.timeoutMs, message: `store ${operation} timed out after ${this.timeoutMs} ms` });
  }

  private fail(operation: string, error: unknown): void {
    this.logger.warn({ operation, err: error instanceof Error ? error.message : String(error) }, 'store call failed; treated as a miss');
  }
}
