import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger.js';

/** An `x-request-id` a client sends is kept when it looks like an id; anything else is replaced. */
export const REQUEST_ID = /^[\w.-]{1,64}$/;

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
    // Only what identifies the request: headers may carry bearer tokens.
    serializers: {
      req: (request: { id: unknown; method: string; url: string }) => ({ id: request.id, method: request.method, url: request.url }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    },
    autoLogging: { ignore: (request) => QUIET_PATHS.has(request.url ?? '') },
  });
}
