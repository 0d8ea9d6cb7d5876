/** The store could not answer an operation that must not run without it (the scan lock). */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}
