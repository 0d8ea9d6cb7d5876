import type { ScanLockHolder } from './scan-lock.port.js';

/** The entry's value as stored (inside Keyv's {value, expires} envelope), the same on every store. */
export interface StoredScanLock {
  owner: string;
  startedAt: string;
  /** epoch milliseconds of the last heartbeat, the store's clock; absent in entries of older versions */
  heartbeatAt?: number;
}

/** The port's view of a stored entry at the store's `nowMs`; undefined for no entry or one of another shape. */
export function scanLockHolderOf(stored: unknown, nowMs: number, leaseMs: number): ScanLockHolder | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const { owner, startedAt, heartbeatAt } = stored as Partial<StoredScanLock>;
  if (typeof owner !== 'string' || typeof startedAt !== 'string') return undefined;
  const beat = typeof heartbeatAt === 'number' && Number.isFinite(heartbeatAt) ? heartbeatAt : null;
  return {
    owner,
    startedAt,
    heartbeatAt: beat === null ? null : new Date(beat).toISOString(),
    lapsed: beat !== null && nowMs - beat > leaseMs,
  };
}
