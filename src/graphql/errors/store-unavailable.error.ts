import { GraphQLError } from 'graphql';

/** The store is needed for this operation (the scan lock) and does not answer; try again later. */
export class StoreUnavailableGraphQLError extends GraphQLError {
  constructor() {
    super('the store (Redis) is not answering, so no scan can be started safely; try again shortly', {
      extensions: { code: 'STORE_UNAVAILABLE' },
    });
  }
}
