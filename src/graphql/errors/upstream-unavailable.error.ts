import { GraphQLError } from 'graphql';

export class UpstreamUnavailableGraphQLError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
  }
}
