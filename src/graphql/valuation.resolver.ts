import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { PartialAssumptions } from '../domain/assumptions.js';
import type { StockValuationResult } from '../domain/valuation.js';
import type { GraphQLContext } from './context.js';
import { BadUserInputError } from './errors/bad-user-input.error.js';
import { IntrinsicValue } from './intrinsic-value.type.js';
import { parseSymbol } from './symbol-argument.js';
import { ValuationAssumptionsInput, checkAssumptions } from './valuation-assumptions.input.js';

/** More than this in one query is refused: each symbol can cost three upstream calls. */
export const MAX_SYMBOLS_PER_QUERY = 100;

@Resolver(() => IntrinsicValue)
export class ValuationResolver {
  @Query(() => IntrinsicValue, { description: 'Fair value per share of one stock by the EPS and FCF models.' })
  async intrinsicValue(
    @Arg('symbol', () => String) symbol: string,
    @Arg('assumptions', () => ValuationAssumptionsInput, { nullable: true }) assumptions: ValuationAssumptionsInput | null,
    @Ctx() context: GraphQLContext,
  ): Promise<StockValuationResult> {
    const ticker = parseSymbol(symbol);
    return valueOf(context, ticker, checkAssumptions(assumptions));
  }

  /** Each symbol settles on its own: a failed one is null with its error at ["intrinsicValues", i]. */
  @Query(() => [IntrinsicValue], {
    nullable: 'items',
    description: `one entry per symbol asked, in order: null where that symbol failed, with its error at path [intrinsicValues, i] (at most ${MAX_SYMBOLS_PER_QUERY} symbols)`,
  })
  intrinsicValues(
    @Arg('symbols', () => [String]) symbols: string[],
    @Arg('assumptions', () => ValuationAssumptionsInput, { nullable: true }) assumptions: ValuationAssumptionsInput | null,
    @Ctx() context: GraphQLContext,
  ): Array<Promise<StockValuationResult>> {
    if (symbols.length > MAX_SYMBOLS_PER_QUERY) {
      throw new BadUserInputError(`at most ${MAX_SYMBOLS_PER_QUERY} symbols per query, got ${symbols.length}`, 'symbols');
    }
    const given = checkAssumptions(assumptions);
    return symbols.map(async (symbol) => valueOf(context, parseSymbol(symbol, 'symbols'), given));
  }
}

/** Through the request's DataLoader: every valuation of the request in one batch. */
export function valueOf(context: GraphQLContext, symbol: string, assumptions?: PartialAssumptions | null): Promise<StockValuationResult> {
  return context.loaders.intrinsicValue.load({ symbol, assumptions });
}
