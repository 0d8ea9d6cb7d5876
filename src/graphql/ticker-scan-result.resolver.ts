import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';
import { Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import type { StockValuationResult } from '../domain/valuation.js';
import type { GraphQLContext } from './context.js';
import { IntrinsicValue } from './intrinsic-value.type.js';
import { OptionContract } from './option-contract.type.js';
import { TickerScanResult } from './ticker-scan-result.type.js';
import { valueOf } from './valuation.resolver.js';

@Resolver(() => TickerScanResult)
export class TickerScanResultResolver {
  /** Through the request's DataLoader: every ticker of the query in one batch. */
  @FieldResolver(() => IntrinsicValue, { nullable: true })
  intrinsicValue(@Root() ticker: TickerScanResult, @Ctx() context: GraphQLContext): Promise<StockValuationResult> {
    return valueOf(context, ticker.symbol);
  }

  /**
   * The belowIntrinsicValue badge is set here as a plain value, one valuation per ticker
   * (the same batched load as the ticker's intrinsicValue), rather than by an async resolver
   * on each contract: a promise per contract was a third of a warm scanResults' CPU. A query
   * that does not ask for the badge costs no valuation, hence no upstream call.
   */
  @FieldResolver(() => [OptionContract])
  options(
    @Root() ticker: TickerScanResult,
    @Ctx() context: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ): OptionContract[] | Promise<OptionContract[]> {
    if (!selectsBadge(info)) return ticker.options;
    return effectiveIntrinsicValue(context, ticker.symbol).then((value) =>
      ticker.options.map((option) => ({ ...option, belowIntrinsicValue: value === null ? null : option.strike <= value })),
    );
  }
}

/** Through fragments, @include and @skip, as graphql-js itself reads the selection. */
function selectsBadge(info: GraphQLResolveInfo): boolean {
  const tree = parseResolveInfo(info) as ResolveTree | null;
  const fields = tree?.fieldsByTypeName['OptionContract'] ?? {};
  return Object.values(fields).some((field) => field.name === 'belowIntrinsicValue');
}

/** No valuation (the model could not run, or it failed): no badge; the ticker's intrinsicValue carries the error. */
async function effectiveIntrinsicValue(context: GraphQLContext, symbol: string): Promise<number | null> {
  try {
    return (await context.loaders.intrinsicValue.load({ symbol })).effectiveIntrinsicValue;
  } catch {
    return null;
  }
}
