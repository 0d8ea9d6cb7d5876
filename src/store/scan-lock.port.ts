/** What the lock entry holds: who holds it and since when. */
export interface ScanLockHolder {
  owner: string;
  startedAt: string;
}

/**
 * `scanner:scan_in_progress`: one entry, taken atomically by one holder at a time among
 * every process on the store, released only by its holder, and gone by itself after its
 * TTL (45 minutes) if the holder never releases it. Every call is bounded in time; a store
 * that does not answer throws StoreUnavailableError (a scan never runs without its lock).
 */
export interface ScanLock {
  /** @returns the holder's token when taken, undefined when another holds it */
  acquire(now: Date): Promise<string | undefined>;
  /** Frees the lock if `owner` is exactly its holder's token; otherwise does nothing. */
  release(owner: string): Promise<void>;
  /** The current holder, or undefined when free. */
  holder(): Promise<ScanLockHolder | undefined>;
}
