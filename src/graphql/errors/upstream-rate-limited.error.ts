import { GraphQLError } from 'graphql';

export class UpstreamRateLimitedGraphQLError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'UPSTREAM_RATE_LIMITED' } });
  }
}
