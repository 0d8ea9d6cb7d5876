import cors from 'cors';
import type { RequestHandler } from 'express';

/**
 * Request headers a browser on an allowed origin may send: GraphQL over JSON, the bearer
 * token, our request id, and the headers Apollo's CSRF prevention and Apollo clients use.
 */
export const CORS_ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'x-request-id',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
] as const;

/**
 * The CORS allow-list (CORS_ORIGINS), mounted before every route: a preflight
 * (OPTIONS with Origin and Access-Control-Request-Method) is answered here with 204 for any
 * path, so no route (the IDE's GET /graphql among them) can answer it first without the
 * CORS headers. An origin not on the list gets no Access-Control-Allow-Origin, so the
 * browser refuses the call; an empty list refuses every cross-origin call.
 */
export function corsMiddleware(origins: readonly string[]): RequestHandler {
  return cors({
    origin: [...origins],
    methods: ['GET', 'POST'],
    allowedHeaders: [...CORS_ALLOWED_HEADERS],
    exposedHeaders: ['x-request-id'],
    maxAge: 600,
  });
}
