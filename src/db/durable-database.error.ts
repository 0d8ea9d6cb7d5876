/** The durable database cannot be opened or migrated: start-up stops with this message (what, where, why). */
export class DurableDatabaseError extends Error {
  override name = 'DurableDatabaseError';
}
