import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from './context.js';
import { OptionContract } from './option-contract.type.js';

@Resolver(() => OptionContract)
export class OptionContractResolver {
  /**
   * The badge reads the same batched valuation as the ticker; when there is none (the model
   * could not run, or the valuation failed) the badge is simply absent: the ticker's
   * intrinsicValue field carries the error.
   */
  @FieldResolver(() => Boolean, { nullable: true })
  async belowIntrinsicValue(@Root() option: OptionContract, @Ctx() context: GraphQLContext): Promise<boolean | null> {
    try {
      const valuation = await context.loaders.intrinsicValue.load({ symbol: option.symbol });
      return valuation.effectiveIntrinsicValue === null ? null : option.strike <= valuation.effectiveIntrinsicValue;
    } catch {
      return null;
    }
  }
}
