import { GraphQLError } from 'graphql';

/** The store is needed for this operation (the scan lock, the scan's state) and does not answer. */
export class StoreUnavailableGraphQLError extends GraphQLError {
  constructor() {
    super('the store (Redis) is not answering: scans cannot be started or shown until it is back; try again shortly', {
      extensions: { code: 'STORE_UNAVAILABLE' },
    });
  }
}
