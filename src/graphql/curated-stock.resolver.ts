import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { resolveAssumptions } from '../domain/assumptions.js';
import { discountPercent } from '../domain/price-discount.js';
import { selectUndervalued } from '../domain/undervalued-stocks.js';
import type { StockValuationResult } from '../domain/valuation.js';
import { SymbolNotFoundError } from '../providers/provider-errors.js';
import type { SavedStock } from '../services/curated-stocks.js';
import type { GraphQLContext } from './context.js';
import { CuratedStock } from './curated-stock.type.js';
import { BadUserInputError } from './errors/bad-user-input.error.js';
import { IntrinsicValue } from './intrinsic-value.type.js';
import { parseSymbol } from './symbol-argument.js';
import { ValuationAssumptionsInput, checkAssumptions } from './valuation-assumptions.input.js';
import { valueOf } from './valuation.resolver.js';

/** undervaluedStocks answers at most this many stocks; the curated list is rarely longer. */
export const MAX_UNDERVALUED_FIRST = 100;

@Resolver(() => CuratedStock)
export class CuratedStockResolver {
  @Query(() => [CuratedStock], { description: 'The curated list, with each stock’s saved assumptions.' })
  async curatedStocks(@Ctx() context: GraphQLContext): Promise<Array<Omit<CuratedStock, 'intrinsicValue'>>> {
    return (await context.loaders.savedStocks()).map(toCuratedStock);
  }

  /**
   * Values and prices every active stock through the request's loaders (one batch each). A
   * stock the upstream does not know is left out; any other failure fails the query, since
   * a list missing the stocks that could not be priced would pass for the whole answer.
   */
  @Query(() => [CuratedStock], {
    description: 'active curated stocks priced below their intrinsic value with a price that is not stale, largest discount first',
  })
  async undervaluedStocks(
    @Arg('first', () => Int, { nullable: true, defaultValue: 10, description: `at most this many stocks (1-${MAX_UNDERVALUED_FIRST})` })
    first: number | null,
    @Ctx() context: GraphQLContext,
  ): Promise<Array<Omit<CuratedStock, 'intrinsicValue'>>> {
    const limit = first ?? 10;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_UNDERVALUED_FIRST) {
      throw new BadUserInputError(`first must be a whole number from 1 to ${MAX_UNDERVALUED_FIRST} (got ${limit}).`, 'first');
    }
    const active = (await context.loaders.savedStocks()).filter((stock) => stock.active);
    const priced = await Promise.all(
      active.map(async (stock) => {
        // Asked in the same tick: every valuation's fundamentals and every quote go in one batch.
        const [valuation, quote] = await Promise.all([knownOrNull(valueOf(context, stock.symbol)), knownOrNull(context.loaders.quote(stock.symbol))]);
        const discount = discountPercent(valuation?.effectiveIntrinsicValue ?? null, quote?.price ?? null);
        return { stock, symbol: stock.symbol, active: stock.active, discountPercent: discount, stale: quote?.stale ?? null };
      }),
    );
    return selectUndervalued(priced, limit).map(({ stock }) => toCuratedStock(stock));
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

  /**
   * Through the request's DataLoader: one batch for the whole list. From the cache only while
   * the background refresher runs: a cold stock answers at once, its notes saying so.
   */
  @FieldResolver(() => IntrinsicValue, { nullable: true })
  intrinsicValue(@Root() stock: CuratedStock, @Ctx() context: GraphQLContext): Promise<StockValuationResult> {
    return context.loaders.curatedIntrinsicValue.load({ symbol: stock.symbol });
  }
}

/** A symbol the upstream does not know has no value and no price; every other failure stands. */
function knownOrNull<T>(load: Promise<T>): Promise<T | null> {
  return load.catch((error: unknown) => {
    if (error instanceof SymbolNotFoundError) return null;
    throw error;
  });
}

function toCuratedStock(stock: SavedStock): Omit<CuratedStock, 'intrinsicValue'> {
  return { symbol: stock.symbol, active: stock.active, assumptions: resolveAssumptions(null, stock.assumptions) };
}
