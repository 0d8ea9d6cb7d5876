import { randomUUID } from 'node:crypto';
import type { Keyv } from 'keyv';
import { answeredOrUnavailable } from '../bounded.js';
import { SCANNER_KEYS, SCANNER_TTL_MS } from '../cache-keys.js';
import { scanLockHolderOf, type StoredScanLock } from '../scan-lock-entry.js';
import type { ScanLock, ScanLockHolder } from '../scan-lock.port.js';

export interface LocalScanLockOptions {
  /** the embedded store's Keyv */
  keyv: Keyv;
  timeoutMs: number;
  ttlMs?: number;
  leaseMs: number;
  /** the heartbeats' clock (one process, so its own) */
  clock?: () => Date;
  /** the entry's logical key: the scan lock's, unless this lease is another job's */
  key?: string;
}

/**
 * The scan lock on the embedded store, which serves one process: a local queue makes each
 * check-and-set (take-over, heartbeat, release) atomic, heartbeats are timed by the injected
 * clock, and Keyv's TTL lets the entry go 45 minutes after the last one. One instance per
 * store (two would queue separately).
 */
export class LocalScanLock implements ScanLock {
  readonly leaseMs: number;
  private readonly ttlMs: number;
  private readonly clock: () => Date;
  private readonly key: string;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: LocalScanLockOptions) {
    this.ttlMs = options.ttlMs ?? SCANNER_TTL_MS;
    this.leaseMs = options.leaseMs;
    this.clock = options.clock ?? (() => new Date());
    this.key = options.key ?? SCANNER_KEYS.scanInProgress;
  }

  acquire(now: Date): Promise<string | undefined> {
    return this.atomically(async (stored, nowMs) => {
      const current = this.holderOf(stored, nowMs);
      // An entry without a heartbeat (an older version's) is held until its TTL.
      if (current !== undefined && (!current.lapsed || current.heartbeatAt === null)) return undefined;
      const owner = randomUUID();
      await this.write({ owner, startedAt: now.toISOString(), heartbeatAt: nowMs });
      return owner;
    });
  }

  renew(owner: string): Promise<boolean> {
    return this.atomically(async (stored, nowMs) => {
      if (stored === undefined || this.holderOf(stored, nowMs)?.owner !== owner) return false;
      await this.write({ ...stored, heartbeatAt: nowMs });
      return true;
    });
  }

  async release(owner: string): Promise<void> {
    await this.atomically(async (stored, nowMs) => {
      if (this.holderOf(stored, nowMs)?.owner === owner) await this.options.keyv.delete(this.key);
    });
  }

  clear(): Promise<ScanLockHolder | undefined> {
    return this.atomically(async (stored, nowMs) => {
      if (stored !== undefined) await this.options.keyv.delete(this.key);
      return this.holderOf(stored, nowMs);
    });
  }

  holder(): Promise<ScanLockHolder | undefined> {
    return this.atomically(async (stored, nowMs) => this.holderOf(stored, nowMs));
  }

  private holderOf(stored: StoredScanLock | undefined, nowMs: number): ScanLockHolder | undefined {
    return scanLockHolderOf(stored, nowMs, this.leaseMs);
  }

  private async write(entry: StoredScanLock): Promise<void> {
    await this.options.keyv.set(this.key, entry, this.ttlMs);
  }

  /** One check-and-set at a time, each given the entry and the clock's time; bounded in time. */
  private atomically<T>(work: (stored: StoredScanLock | undefined, nowMs: number) => Promise<T>): Promise<T> {
    const step = async () => work(await this.options.keyv.get<StoredScanLock>(this.key), this.clock().getTime());
    const run = this.tail.then(step, step);
    this.tail = run.catch(() => undefined);
    return answeredOrUnavailable(run, this.options.timeoutMs, 'the scan lock');
  }
}
