import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { resolveAssumptions } from '../domain/assumptions.js';
import type { StockValuationResult } from '../domain/valuation.js';
import type { SavedStock } from '../store/curated-stocks.js';
import type { GraphQLContext } from './context.js';
import { CuratedStock } from './curated-stock.type.js';
import { IntrinsicValue } from './intrinsic-value.type.js';
import { valueOf } from './valuation.resolver.js';

@Resolver(() => CuratedStock)
export class CuratedStockResolver {
  @Query(() => [CuratedStock], { description: 'The curated list, with each stock’s saved assumptions.' })
  async curatedStocks(@Ctx() context: GraphQLContext): Promise<Array<Omit<CuratedStock, 'intrinsicValue'>>> {
    const stocks = await context.loaders.savedStocks();
    return stocks.map((stock: SavedStock) => ({
      symbol: stock.symbol,
      active: stock.active,
      assumptions: resolveAssumptions(null, stock.assumptions),
    }));
  }

  /** Through the request's DataLoader: one batch for the whole list. */
  @FieldResolver(() => IntrinsicValue, { nullable: true })
  intrinsicValue(@Root() stock: CuratedStock, @Ctx() context: GraphQLContext): Promise<StockValuationResult> {
    return valueOf(context, stock.symbol);
  }
}
