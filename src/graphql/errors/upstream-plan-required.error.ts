import { GraphQLError } from 'graphql';

export class UpstreamPlanRequiredGraphQLError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'UPSTREAM_PLAN_REQUIRED' } });
  }
}
