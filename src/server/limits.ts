import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import express, { type RequestHandler } from 'express';
import type { ValidationRule } from 'graphql';
import type { Config } from '../config.js';
import type { GraphQLContext } from '../graphql/context.js';
import { KnownOperationTypesRule } from './known-operation-types.rule.js';
import { RequestBodyTooLargeError } from './request-errors.js';

export interface OperationLimits {
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin<GraphQLContext>[];
}

/** Operation types the schema has, then depth, cost, alias and directive limits, checked before anything executes. */
export function operationLimits(limits: Config['graphql']): OperationLimits {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth },
    costLimit: { maxCost: limits.maxCost },
    maxAliases: { n: limits.maxAliases },
    maxDirectives: { n: 20 },
    // Not armor's token limit: it parses in a plugin hook and turns syntax errors into HTTP 500s;
    // the body size limit bounds the tokens instead.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: !limits.introspection },
  });
  const protection = armor.protect();
  return {
    validationRules: [KnownOperationTypesRule, ...(protection.validationRules as ValidationRule[])],
    // graphql-armor is typed against Apollo's CommonJS build; its plugins are plain objects.
    plugins: protection.plugins as unknown as ApolloServerPlugin<GraphQLContext>[],
  };
}

/**
 * JSON bodies up to MAX_BODY_BYTES; a larger one fails with 413 (answered by request-errors.ts).
 * Every route that reads a body reads it through this.
 */
export function bodyLimit(maxBodyBytes: number): RequestHandler[] {
  return [announcedLengthLimit(maxBodyBytes), express.json({ limit: maxBodyBytes })];
}

/**
 * A Content-Length over the limit is refused before a byte of the body is read: the JSON
 * parser would refuse it too, but only after reading (and discarding) the whole body. The
 * connection is closed after the answer rather than drained for the next request.
 */
function announcedLengthLimit(maxBodyBytes: number): RequestHandler {
  return (request, response, next) => {
    const announced = Number(request.headers['content-length'] ?? 0);
    if (!(announced > maxBodyBytes)) return next();
    response.setHeader('connection', 'close');
    next(new RequestBodyTooLargeError(announced, maxBodyBytes));
  };
}
