import type { GraphQLFormattedError } from 'graphql';

/** What the client sees of anything unexpected: the code, and the request id to quote to us. */
export function internalServerError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  return {
    message: 'internal error',
    ...(formatted.path ? { path: formatted.path } : {}),
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
