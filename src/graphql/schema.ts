import 'reflect-metadata';
import { DateTimeResolver } from 'graphql-scalars';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type AuthChecker } from 'type-graphql';
import type { GraphQLContext } from './context.js';
import { UnauthenticatedError } from './errors/unauthenticated.error.js';
import { CuratedStockResolver } from './curated-stock.resolver.js';
import { IntrinsicValuePriceResolver } from './intrinsic-value-price.resolver.js';
import { ScanResolver } from './scan.resolver.js';
import { TickerScanResultResolver } from './ticker-scan-result.resolver.js';
import { ValuationHistoryResolver } from './valuation-history.resolver.js';
import { ValuationResolver } from './valuation.resolver.js';

export const RESOLVERS = [
  ValuationResolver,
  IntrinsicValuePriceResolver,
  CuratedStockResolver,
  ScanResolver,
  TickerScanResultResolver,
  ValuationHistoryResolver,
] as const;

/** @Authorized() operations need a valid bearer token; our error keeps its message and HTTP 401. */
const bearerTokenChecker: AuthChecker<GraphQLContext> = ({ context }) => {
  if (!context.authenticated) throw new UnauthenticatedError();
  return true;
};

/** Built once at start-up; `schema.graphql` is this schema printed (npm run schema). */
export function buildGraphQLSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    authChecker: bearerTokenChecker,
    // Arguments are checked by hand against the domain's own rules (BAD_USER_INPUT).
    validate: false,
  });
}
