/** SCAN_LEASE_SECONDS's default: a scan whose heartbeat is older than this may be taken over. */
export const DEFAULT_SCAN_LEASE_MS = 30_000;

/** What the lock entry holds, as the port shows it. */
export interface ScanLockHolder {
  owner: string;
  /** ISO instant, the scanning process's clock */
  startedAt: string;
  /** ISO instant of the last heartbeat, the store's clock; null for an entry written without one (held until its TTL) */
  heartbeatAt: string | null;
  /** no heartbeat for longer than the lease: the holder stopped answering, and the next acquire takes over */
  lapsed: boolean;
}

/**
 * `scanner:scan_in_progress`: one entry, taken atomically by one holder at a time among
 * every process on the store, and gone by itself 45 minutes (its TTL) after the last
 * heartbeat. A lease: the holder renews a heartbeat well within the lease (lease/3), and an
 * entry whose heartbeat is older than the lease may be taken over by the next acquire, so a
 * process killed mid-scan blocks scans for one lease, not 45 minutes. Every call is bounded
 * in time; a store that does not answer throws StoreUnavailableError (a scan never runs
 * without its lock).
 */
export interface ScanLock {
  /** how long a heartbeat holds the lock */
  readonly leaseMs: number;
  /**
   * Takes the lock when free or lapsed (check-and-set in one step).
   * @returns the holder's token when taken, undefined while another holds it and answers
   */
  acquire(now: Date): Promise<string | undefined>;
  /**
   * The heartbeat: renews the lease (and the entry's TTL) if `owner` is exactly its
   * holder's token. A vanished entry is written again only if the store itself lost it
   * (Redis restarted since the owner's last heartbeat) and nothing else is there; one removed
   * while the store answered (cleared, flushed) stays gone.
   * @returns whether `owner` still holds the lock
   */
  renew(owner: string): Promise<boolean>;
  /** Frees the lock if `owner` is exactly its holder's token; otherwise does nothing. */
  release(owner: string): Promise<void>;
  /** Frees the lock whoever holds it (by hand): @returns the holder it freed, undefined when it was free */
  clear(): Promise<ScanLockHolder | undefined>;
  /** The current holder, or undefined when free. */
  holder(): Promise<ScanLockHolder | undefined>;
}
