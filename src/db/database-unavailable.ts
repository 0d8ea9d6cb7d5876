import { EmbeddedDatabaseStoppedError } from './embedded-database.js';

/** SQLSTATE classes that mean "the server is not there for us", not "the statement is wrong". */
const UNAVAILABLE_CLASSES = ['08', '53', '57', '58'];
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);
/** node-postgres says these in words, without a code */
const UNAVAILABLE_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|Query read timeout|Client has encountered a connection error|connection timeout/i;

/**
 * The database did not answer (down, unreachable, too slow, shutting down, out of
 * connections), as opposed to a query it refused: the first is STORE_UNAVAILABLE for the
 * client, the second a bug. Drizzle wraps the driver's error: the chain of causes is read.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    if (current instanceof EmbeddedDatabaseStoppedError) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (code.length === 5 && UNAVAILABLE_CLASSES.includes(code.slice(0, 2))) return true;
      if (UNAVAILABLE_ERRNOS.has(code)) return true;
    }
    if (UNAVAILABLE_MESSAGES.test(current.message)) return true;
  }
  return false;
}
