import { Ctx, FieldResolver, Float, Resolver, Root } from 'type-graphql';
import { answeredPrice, type PricedQuote } from '../domain/market-quote.js';
import { discountPercent, valuationTier, type ValuationTier as DomainValuationTier } from '../domain/price-discount.js';
import type { StockValuationResult } from '../domain/valuation.js';
import type { GraphQLContext } from './context.js';
import { IntrinsicValue } from './intrinsic-value.type.js';
import { Quote } from './quote.type.js';
import { ValuationTier } from './valuation-tier.enum.js';

/**
 * The price side of a valuation: each symbol's quote through the request's loaders (one
 * batch, one cache read, for every valuation of the request), its discount and tier.
 * An upstream that fails the quote fails these fields alone, with its code.
 */
@Resolver(() => IntrinsicValue)
export class IntrinsicValuePriceResolver {
  @FieldResolver(() => Quote, { nullable: true })
  async quote(@Root() valuation: StockValuationResult, @Ctx() context: GraphQLContext): Promise<PricedQuote | null> {
    const quote = await context.loaders.quote(valuation.symbol);
    return quote === null ? null : { ...quote, price: answeredPrice(quote.price) };
  }

  @FieldResolver(() => Float, { nullable: true })
  discountPercent(@Root() valuation: StockValuationResult, @Ctx() context: GraphQLContext): Promise<number | null> {
    return discountOf(context, valuation);
  }

  @FieldResolver(() => ValuationTier, { nullable: true })
  async tier(@Root() valuation: StockValuationResult, @Ctx() context: GraphQLContext): Promise<DomainValuationTier | null> {
    return valuationTier(await discountOf(context, valuation));
  }
}

/** The valuation's discount against the symbol's quote (the request's loaders share the call). */
export async function discountOf(context: GraphQLContext, valuation: StockValuationResult): Promise<number | null> {
  // Without a positive intrinsic value there is no discount: no price is asked.
  if (discountPercent(valuation.effectiveIntrinsicValue, 1) === null) return null;
  const quote = await context.loaders.quote(valuation.symbol);
  return discountPercent(valuation.effectiveIntrinsicValue, quote?.price ?? null);
}
