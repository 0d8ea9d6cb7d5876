import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger.js';

/** A body over MAX_BODY_BYTES, known from its Content-Length before it is read. */
export class RequestBodyTooLargeError extends Error {
  readonly status = 413;
  constructor(announced: number, limit: number) {
    super(`request body of ${announced} bytes is over the limit of ${limit}`);
  }
}

/**
 * Failures before GraphQL runs (body too large, malformed JSON): a short JSON answer with
 * the right 4xx status, never express's default HTML page with a stack trace.
 */
export function requestErrorHandler(logger: Logger) {
  return (error: unknown, _request: Request, response: Response, next: NextFunction): void => {
    if (response.headersSent) return next(error);
    const status = statusOf(error);
    const message =
      status === 413 ? 'request body too large' : status === 400 ? 'malformed request body' : status < 500 ? 'bad request' : 'internal error';
    if (status >= 500) logger.error({ err: error instanceof Error ? error.message : String(error) }, 'request failed');
    response.status(status).json({ errors: [{ message, extensions: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } }] });
  };
}

function statusOf(error: unknown): number {
  const status = (error as { status?: unknown; statusCode?: unknown } | null)?.status ?? (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}
