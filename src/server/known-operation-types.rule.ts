import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * An operation whose type the schema has no root for (here: `subscription`, as there is no
 * Subscription type) is a validation error, so Apollo answers 400 before execution; graphql 16
 * checks this only when executing, where it surfaces as an internal error (graphql 17 has
 * this rule built in as KnownOperationTypesRule).
 */
export const KnownOperationTypesRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (context.getSchema().getRootType(node.operation) !== undefined) return;
    context.reportError(
      new GraphQLError(`This API has no ${node.operation} operations; send a query or a mutation.`, { nodes: node }),
    );
  },
});
