/** The embedded database cannot be used: start-up stops with this message (what is wrong, where, what to do). */
export class EmbeddedDatabaseError extends Error {
  override name = 'EmbeddedDatabaseError';
}
