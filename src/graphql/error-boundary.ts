import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { SymbolNotFoundError, UpstreamError } from '../providers/provider-errors.js';
import { DatabaseUnavailableError } from '../db/database-unavailable.error.js';
import { StoreUnavailableError } from '../store/store-unavailable.error.js';
import type { GraphQLContext } from './context.js';
import { internalServerError } from './errors/internal-server.error.js';
import { StoreUnavailableGraphQLError } from './errors/store-unavailable.error.js';
import { SymbolNotFoundGraphQLError } from './errors/symbol-not-found.error.js';
import { UpstreamPlanRequiredGraphQLError } from './errors/upstream-plan-required.error.js';
import { UpstreamRateLimitedGraphQLError } from './errors/upstream-rate-limited.error.js';
import { UpstreamUnavailableGraphQLError } from './errors/upstream-unavailable.error.js';

/**
 * The one place where what resolvers throw becomes what clients see (the error codes of README.md, "Errors").
 * Domain, store and provider errors get their code; a GraphQLError with a code passes;
 * anything else is unexpected: logged once with its stack (errorBoundaryPlugin) and masked.
 */
export function toClientError(thrown: unknown): GraphQLError | undefined {
  if (thrown instanceof GraphQLError) return typeof thrown.extensions['code'] === 'string' ? thrown : undefined;
  if (thrown instanceof StoreUnavailableError) return new StoreUnavailableGraphQLError(thrown instanceof DatabaseUnavailableError ? 'database' : 'cache');
  if (thrown instanceof UpstreamError) {
    switch (thrown.code) {
      case 'SYMBOL_NOT_FOUND':
        return new SymbolNotFoundGraphQLError(thrown.message, thrown instanceof SymbolNotFoundError ? thrown.symbol : '');
      case 'UPSTREAM_RATE_LIMITED':
        return new UpstreamRateLimitedGraphQLError(thrown.message);
      case 'UPSTREAM_UNAVAILABLE':
        return new UpstreamUnavailableGraphQLError(thrown.message);
      case 'UPSTREAM_PLAN_REQUIRED':
        return new UpstreamPlanRequiredGraphQLError(thrown.message);
    }
  }
  return undefined;
}

/**
 * Unexpected: nothing maps it to a code, and it is not one of Apollo's own pre-execution
 * answers (parse, validation, variable coercion), which carry a code and no path.
 */
function unexpected(error: unknown, code: unknown): boolean {
  if (toClientError(unwrapResolverError(error)) !== undefined) return false;
  const path = error instanceof GraphQLError ? error.path : undefined;
  return path !== undefined || typeof code !== 'string' || code === 'INTERNAL_SERVER_ERROR';
}

/** Apollo's formatError: coded errors with their code, Apollo's own as they are, the rest masked. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const thrown = unwrapResolverError(error);
  const client = toClientError(thrown);
  // A coded GraphQLError is already formatted by Apollo (its http extension applied and removed).
  if (client === thrown) return formatted;
  if (client) return { ...formatted, message: client.message, extensions: { ...client.extensions } };
  return unexpected(error, formatted.extensions?.['code']) ? internalServerError(formatted) : formatted;
}

/** Logs each unexpected error once, with its stack, through the request's logger (request id bound). */
export function errorBoundaryPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (!unexpected(error, error.extensions['code'])) continue;
            contextValue.logger.error({ err: unwrapResolverError(error), path: error.path }, 'unexpected error');
          }
        },
      };
    },
  };
}
