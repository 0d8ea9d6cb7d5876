import { isDatabaseUnavailable } from './database-unavailable.js';
import { DatabaseUnavailableError } from './database-unavailable.error.js';

/**
 * One repository call: a database that does not answer becomes DatabaseUnavailableError (a StoreUnavailableError)
 * (STORE_UNAVAILABLE for the client: nothing is lost, the caller may try again); a query the
 * database refused stays what it is, a bug, logged at the boundary.
 */
export async function durableCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw new DatabaseUnavailableError(`the database did not answer (${what})`, { cause: error });
    throw error;
  }
}
