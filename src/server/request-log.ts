import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger.js';

/** An `x-request-id` a client sends is kept when it looks like an id; anything else is replaced. */
export const REQUEST_ID = /^[\w.-]{1,64}$/;

/**
 * Query parameters whose value is a credential whatever it is (keys and tokens that clients
 * put in URLs), compared without case, '-' or '_': their values are logged as [REDACTED], so a
 * client's key is kept out of the log though the logger cannot know it (logger.ts masks only ours).
 */
const SECRET_PARAMETERS = new Set([
  'apikey', 'key', 'token', 'accesstoken', 'authtoken', 'idtoken', 'refreshtoken', 'bearer',
  'secret', 'clientsecret', 'password', 'authorization', 'auth', 'sig', 'signature',
]);

/** The URL as logged: every other part exactly as sent, the values of SECRET_PARAMETERS replaced. */
export function redactedUrl(url: string): string {
  const start = url.indexOf('?');
  if (start === -1) return url;
  const query = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      return SECRET_PARAMETERS.has(parameterName(name)) ? `${name}=[REDACTED]` : pair;
    });
  return `${url.slice(0, start)}?${query.join('&')}`;
}

/** As a server would read it (percent-decoded, '+' a space, `key[]` as `key`), then without case, '-', '_' or spaces. */
function parameterName(raw: string): string {
  let name = raw.replaceAll('+', ' ');
  try {
    name = decodeURIComponent(name);
  } catch {
    // malformed escapes: compared as sent
  }
  return name.replace(/\[.*$/, '').toLowerCase().replace(/[-_\s]/g, '');
}

/** Paths probed often by orchestrators and scrapers: not logged per request (see health.ts for /ready). */
const QUIET_PATHS = new Set(['/health', '/ready', '/metrics']);

/**
 * A request id per HTTP request (the client's `x-request-id` if it matches REQUEST_ID, else
 * a UUID), echoed in the response and on `req.log`; one log line per request.
 */
export function requestLogging(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (request, response) => {
      const offered = request.headers['x-request-id'];
      const id = typeof offered === 'string' && REQUEST_ID.test(offered) ? offered : randomUUID();
      response.setHeader('x-request-id', id);
      return id;
    },
    // Only what identifies the request: headers may carry bearer tokens, query strings keys.
    serializers: {
      req: (request: { id: unknown; method: string; url: string }) => ({ id: request.id, method: request.method, url: redactedUrl(request.url) }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    },
    autoLogging: { ignore: (request) => QUIET_PATHS.has(request.url ?? '') },
  });
}
