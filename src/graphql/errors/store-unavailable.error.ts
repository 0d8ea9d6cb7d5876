import { GraphQLError } from 'graphql';

/** The store is needed for this operation (the scan lock, the scan's state) and does not answer. */
export class StoreUnavailableGraphQLError extends GraphQLError {
  constructor(what: 'cache' | 'database' = 'cache') {
    super(
      what === 'database'
        ? 'the database is not answering: the curated list and the valuation history cannot be changed or read until it is back; nothing was lost, try again shortly'
        : 'the store (Redis) is not answering: scans cannot be started or shown until it is back; try again shortly',
      {
        extensions: { code: 'STORE_UNAVAILABLE' },
      },
    );
  }
}
