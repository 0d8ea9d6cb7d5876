import { GraphQLError } from 'graphql';
import { UpstreamError } from '../../upstream/upstream-errors.js';
import { SymbolNotFoundGraphQLError } from './symbol-not-found.error.js';
import { UpstreamRateLimitedGraphQLError } from './upstream-rate-limited.error.js';
import { UpstreamUnavailableGraphQLError } from './upstream-unavailable.error.js';

/** The edge where upstream failures become the API's error codes (SERVICE.md). */
export function toGraphQLError(error: unknown, symbol: string): GraphQLError {
  if (error instanceof GraphQLError) return error;
  if (error instanceof UpstreamError) {
    switch (error.code) {
      case 'SYMBOL_NOT_FOUND':
        return new SymbolNotFoundGraphQLError(symbol);
      case 'UPSTREAM_RATE_LIMITED':
        return new UpstreamRateLimitedGraphQLError(error.message);
      case 'UPSTREAM_UNAVAILABLE':
        return new UpstreamUnavailableGraphQLError(error.message);
    }
  }
  return new UpstreamUnavailableGraphQLError(`could not value ${symbol}`);
}
