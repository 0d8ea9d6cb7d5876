import type { Logger } from '../logger.js';
import type { ScanLock } from '../store/scan-lock.port.js';

/** Heartbeats per lease: two may go unanswered before another process may take over. */
const HEARTBEATS_PER_LEASE = 3;

/**
 * One scan's hold on the scan lock: a heartbeat every lease/3 while the scan runs, and the
 * answer to "do we still own it?" before each write. Once the lock is found gone or
 * another's (cleared by hand, taken over after a lapse, the store emptied), the lease is
 * lost for good and `whenLost` settles: the scan stops and writes nothing more.
 */
export class ScanLease {
  /** settles once the lease is lost; never rejects */
  readonly whenLost: Promise<void>;
  private lostFor = false;
  private markLost!: () => void;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly lock: ScanLock,
    readonly owner: string,
    private readonly logger: Logger,
  ) {
    this.whenLost = new Promise((resolve) => {
      this.markLost = resolve;
    });
    this.heartbeat = setInterval(() => void this.confirm(), Math.max(1, Math.floor(lock.leaseMs / HEARTBEATS_PER_LEASE)));
    // A heartbeat alone never keeps a process alive that has nothing else to do.
    this.heartbeat.unref();
  }

  get lost(): boolean {
    return this.lostFor;
  }

  /**
   * Renews the heartbeat now. A store that does not answer is not a loss: no other process
   * can take the lock over while it does not answer either, and the next heartbeat asks again.
   * @returns whether this scan still holds the lock
   */
  async confirm(): Promise<boolean> {
    if (this.lostFor) return false;
    try {
      if (!(await this.lock.renew(this.owner))) this.lose();
    } catch (error) {
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'scan heartbeat not renewed; trying again');
    }
    return !this.lostFor;
  }

  /** Stops the heartbeat and frees the lock if it is still ours. */
  async release(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.lock.release(this.owner);
  }

  private lose(): void {
    if (this.lostFor) return;
    this.lostFor = true;
    clearInterval(this.heartbeat);
    this.logger.warn('scan stopped: it no longer holds the scan lock (cleared, taken over or gone from the store); its results are not written');
    this.markLost();
  }
}
