import { StoreUnavailableError } from '../store/store-unavailable.error.js';

/** The durable database did not answer: STORE_UNAVAILABLE, with the database named rather than Redis. */
export class DatabaseUnavailableError extends StoreUnavailableError {
  override name = 'DatabaseUnavailableError';
}
