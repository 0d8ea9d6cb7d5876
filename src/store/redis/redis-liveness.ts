import type { RedisClientType } from '@redis/client';
import type { Logger } from '../../logger.js';
import type { StoreCallBound } from '../bounded.js';

/** How often a connection that stopped answering is asked again, one PING at a time. */
const RECHECK_MS = 500;
/** How long an answer (a PING, or any call) vouches for the connection to /ready. */
const FRESH_MS = 1_000;

/** A call refused at once: the connection did not answer within the timeout and has not answered a PING since. */
export class RedisNotAnsweringError extends Error {
  override name = 'RedisNotAnsweringError';
}

/** A call that got no answer within the timeout. */
export class RedisTimeoutError extends Error {
  override name = 'RedisTimeoutError';
}

export interface RedisLivenessOptions {
  redis: RedisClientType;
  timeoutMs: number;
  logger: Logger;
  /** names the connection in log lines: 'cache', 'budget' */
  name: string;
  /** told when this connection stops answering (the store's other connection, to stop waiting too) */
  onNotAnswering?: () => void;
}

/**
 * Whether one Redis connection answers, and the bound on every call to it. node-redis
 * bounds nothing on a connection that stays open: a command written to a hung server
 * (SIGSTOP, a full network buffer, a failover in progress) waits for its reply for ever,
 * and its per-command `timeout` only covers the wait before the command is written. So
 * each call is raced against the store timeout here. The first that times out marks the
 * connection as not answering; from then on calls fail at once (the cache reads a miss,
 * the budget counts in process) rather than each waiting the timeout again, until a PING,
 * sent one at a time every RECHECK_MS, is answered within the timeout.
 */
export class RedisLiveness implements StoreCallBound {
  private answering = true;
  private lastAnswerAt = 0;
  private ping: Promise<boolean> | undefined;

  constructor(private readonly options: RedisLivenessOptions) {}

  async run<T>(call: () => Promise<T>): Promise<T> {
    const { name, timeoutMs } = this.options;
    if (!this.answering) throw new RedisNotAnsweringError(`redis (${name} connection) gave no answer within ${timeoutMs} ms and has not answered since`);
    try {
      const answer = await this.within(call());
      this.lastAnswerAt = Date.now();
      return answer;
    } catch (error) {
      if (error instanceof RedisTimeoutError) this.notAnswering();
      throw error;
    }
  }

  /**
   * Whether the connection answers now, for /ready: a PING within the timeout. One PING
   * at a time, and an answer of the last second stands, so probes never pile PINGs up.
   */
  async answers(): Promise<boolean> {
    if (!this.options.redis.isReady || !this.answering) return false;
    if (Date.now() - this.lastAnswerAt < FRESH_MS) return true;
    this.ping ??= this.pingWithin().then(
      () => true,
      (error: unknown) => {
        if (error instanceof RedisTimeoutError) this.notAnswering();
        return false;
      },
    ).finally(() => (this.ping = undefined));
    return this.ping;
  }

  /** Calls fail at once from now on, until a PING is answered (also when the store's other connection stopped answering). */
  notAnswering(): void {
    if (!this.answering) return;
    this.answering = false;
    const { logger, name, timeoutMs } = this.options;
    logger.warn({ connection: name, timeoutMs }, 'redis gave no answer in time: its calls fail at once until it answers a PING');
    this.options.onNotAnswering?.();
    void this.recheck();
  }

  private async recheck(): Promise<void> {
    if (!this.options.redis.isOpen) return;
    try {
      await this.pingWithin();
      this.answering = true;
      this.options.logger.info({ connection: this.options.name }, 'redis answers again');
    } catch {
      setTimeout(() => void this.recheck(), RECHECK_MS).unref();
    }
  }

  private async pingWithin(): Promise<void> {
    await this.within(this.options.redis.ping());
    this.lastAnswerAt = Date.now();
  }

  /**
   * `call`, or RedisTimeoutError after the timeout. An event loop that was busy for longer
   * than the timeout (a flood's burst of work) runs the timer before it reads the replies
   * that came meanwhile: those are read first (the poll phase runs before setImmediate), so
   * a busy process does not take an answering Redis for a hung one.
   */
  private within<T>(call: Promise<T>): Promise<T> {
    const { name, timeoutMs } = this.options;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (done: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        done();
      };
      const timer = setTimeout(
        () => setImmediate(() => settle(() => reject(new RedisTimeoutError(`redis (${name} connection) gave no answer within ${timeoutMs} ms`)))),
        timeoutMs,
      );
      call.then(
        (value) => settle(() => resolve(value)),
        (error: unknown) => settle(() => reject(error)),
      );
    });
  }
}
