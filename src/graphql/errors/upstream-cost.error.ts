import { GraphQLError } from 'graphql';

/**
 * BAD_USER_INPUT for an operation whose worst-case upstream cost is over the limit. Its own
 * class because it is thrown before execution, where only an `http` extension keeps Apollo
 * from answering 500; the numbers are extensions too, for clients that split their queries.
 */
export class UpstreamCostError extends GraphQLError {
  constructor(cost: number, limit: number) {
    super(
      `this operation could make up to ${cost} upstream calls (3 a symbol valued cold: EARNINGS, OVERVIEW, CASH_FLOW; 1 a scan ticker's OVERVIEW; ` +
        `1 each for the daily earnings calendar and rate), over the limit of ${limit} per request (MAX_UPSTREAM_CALLS_PER_REQUEST): ` +
        'ask for fewer symbols or fewer figures at once',
      { extensions: { code: 'BAD_USER_INPUT', upstreamCalls: cost, limit, http: { status: 400 } } },
    );
  }
}
