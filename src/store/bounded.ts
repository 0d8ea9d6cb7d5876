import pTimeout from 'p-timeout';
import { StoreUnavailableError } from './store-unavailable.error.js';

/** A store call that must answer: bounded in time, and any failure is StoreUnavailableError. */
export async function answeredOrUnavailable<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  try {
    return await pTimeout(promise, { milliseconds: timeoutMs });
  } catch (error) {
    throw new StoreUnavailableError(`the store did not answer ${what} (${error instanceof Error ? error.message : String(error)})`);
  }
}

/**
 * Bounds every call to one store connection in time, and may refuse a call at once while
 * the connection is known not to answer (see redis/redis-liveness.ts).
 */
export interface StoreCallBound {
  run<T>(call: () => Promise<T>): Promise<T>;
}
