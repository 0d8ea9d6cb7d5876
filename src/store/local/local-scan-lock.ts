import { randomUUID } from 'node:crypto';
import type { Keyv } from 'keyv';
import { answeredOrUnavailable } from '../bounded.js';
import { SCANNER_KEYS, SCANNER_TTL_MS } from '../cache-keys.js';
import type { ScanLock, ScanLockHolder } from '../scan-lock.port.js';

export interface LocalScanLockOptions {
  /** the embedded store's Keyv */
  keyv: Keyv;
  timeoutMs: number;
  ttlMs?: number;
}

/**
 * The scan lock on the embedded store, which serves one process: a local queue makes
 * check-and-set atomic, and Keyv's TTL lets the entry go after 45 minutes. One instance per
 * store (two would queue separately).
 */
export class LocalScanLock implements ScanLock {
  private readonly ttlMs: number;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: LocalScanLockOptions) {
    this.ttlMs = options.ttlMs ?? SCANNER_TTL_MS;
  }

  async acquire(now: Date): Promise<string | undefined> {
    const holder: ScanLockHolder = { owner: randomUUID(), startedAt: now.toISOString() };
    const { keyv } = this.options;
    const taken = await this.bounded(
      this.serialized(async () => {
        if ((await keyv.get(SCANNER_KEYS.scanInProgress)) !== undefined) return false;
        return keyv.set(SCANNER_KEYS.scanInProgress, holder, this.ttlMs);
      }),
    );
    return taken ? holder.owner : undefined;
  }

  async release(owner: string): Promise<void> {
    const { keyv } = this.options;
    await this.bounded(
      this.serialized(async () => {
        const holder = await keyv.get<ScanLockHolder>(SCANNER_KEYS.scanInProgress);
        if (holder?.owner === owner) await keyv.delete(SCANNER_KEYS.scanInProgress);
      }),
    );
  }

  holder(): Promise<ScanLockHolder | undefined> {
    return this.bounded(this.options.keyv.get<ScanLockHolder>(SCANNER_KEYS.scanInProgress));
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private bounded<T>(promise: Promise<T>): Promise<T> {
    return answeredOrUnavailable(promise, this.options.timeoutMs, 'the scan lock');
  }
}
