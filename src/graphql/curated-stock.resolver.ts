import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { resolveAssumptions } from '../domain/assumptions.js';
import type { StockValuationResult } from '../domain/valuation.js';
import type { SavedStock } from '../store/curated-stocks.js';
import type { GraphQLContext } from './context.js';
import { CuratedStock } from './curated-stock.type.js';
import { IntrinsicValue } from './intrinsic-value.type.js';
import { parseSymbol } from './symbol-argument.js';
import { ValuationAssumptionsInput, checkAssumptions } from './valuation-assumptions.input.js';
import { valueOf } from './valuation.resolver.js';

@Resolver(() => CuratedStock)
export class CuratedStockResolver {
  @Query(() => [CuratedStock], { description: 'The curated list, with each stock’s saved assumptions.' })
  async curatedStocks(@Ctx() context: GraphQLContext): Promise<Array<Omit<CuratedStock, 'intrinsicValue'>>> {
    return (await context.loaders.savedStocks()).map(toCuratedStock);
  }

  @Authorized()
  @Mutation(() => CuratedStock, {
    description:
      "Adds a stock to the curated list or changes it: active (scanned by default) and saved assumptions, merged field by field. Needs Authorization: Bearer <one of API_TOKENS>.",
  })
  async saveCuratedStock(
    @Arg('symbol', () => String) symbol: string,
    @Arg('active', () => Boolean, { nullable: true }) active: boolean | null,
    @Arg('assumptions', () => ValuationAssumptionsInput, { nullable: true }) assumptions: ValuationAssumptionsInput | null,
    @Ctx() context: GraphQLContext,
  ): Promise<Omit<CuratedStock, 'intrinsicValue'>> {
    const ticker = parseSymbol(symbol);
    return toCuratedStock(await context.curatedStocks.save(ticker, { active, assumptions: checkAssumptions(assumptions) }));
  }

  /** Through the request's DataLoader: one batch for the whole list. */
  @FieldResolver(() => IntrinsicValue, { nullable: true })
  intrinsicValue(@Root() stock: CuratedStock, @Ctx() context: GraphQLContext): Promise<StockValuationResult> {
    return valueOf(context, stock.symbol);
  }
}

function toCuratedStock(stock: SavedStock): Omit<CuratedStock, 'intrinsicValue'> {
  return { symbol: stock.symbol, active: stock.active, assumptions: resolveAssumptions(null, stock.assumptions) };
}
