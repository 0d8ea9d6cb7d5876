import 'reflect-metadata';
import { DateTimeResolver } from 'graphql-scalars';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { CuratedStockResolver } from './curated-stock.resolver.js';
import { ScanResolver } from './scan.resolver.js';
import { TickerScanResultResolver } from './ticker-scan-result.resolver.js';
import { ValuationResolver } from './valuation.resolver.js';

export const RESOLVERS = [
  ValuationResolver,
  CuratedStockResolver,
  ScanResolver,
  TickerScanResultResolver,
] as const;

/** Built once at start-up; `schema.graphql` is this schema printed (npm run schema). */
export function buildGraphQLSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
    // Arguments are checked by hand against the domain's own rules (BAD_USER_INPUT).
    validate: false,
  });
}
