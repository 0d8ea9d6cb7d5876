import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { StockValuationResult } from '../domain/valuation.js';
import type { GraphQLContext } from './context.js';
import { IntrinsicValue } from './intrinsic-value.type.js';
import { TickerScanResult } from './ticker-scan-result.type.js';
import { valueOf } from './valuation.resolver.js';

/**
 * A ticker's options come screened, filtered and ordered from scanResults / scanResult as
 * plain values (their figures loaded once per ticker, see src/scanner/screener.ts); only the
 * ticker's own valuation is resolved here.
 */
@Resolver(() => TickerScanResult)
export class TickerScanResultResolver {
  /** Through the request's DataLoader: every ticker of the query in one batch. */
  @FieldResolver(() => IntrinsicValue, { nullable: true })
  intrinsicValue(@Root() ticker: TickerScanResult, @Ctx() context: GraphQLContext): Promise<StockValuationResult> {
    return valueOf(context, ticker.symbol);
  }
}
