import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { PartialAssumptions } from '../domain/assumptions.js';
import { DEFAULT_ASSUMPTIONS, validateAssumptions, type StockValuationResult } from '../domain/valuation.js';
import type { GraphQLContext } from './context.js';
import { BadUserInputError } from './errors/bad-user-input.error.js';
import { toGraphQLError } from './errors/to-graphql-error.js';
import { IntrinsicValue } from './intrinsic-value.type.js';
import { parseSymbol } from './symbol-argument.js';
import { ValuationAssumptionsInput } from './valuation-assumptions.input.js';

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
    checkAssumptions(assumptions);
    return valueOf(context, ticker, assumptions);
  }

  @Query(() => [IntrinsicValue], {
    description: `Fair values of several stocks in one batch (at most ${MAX_SYMBOLS_PER_QUERY} symbols), in the order asked.`,
  })
  async intrinsicValues(
    @Arg('symbols', () => [String]) symbols: string[],
    @Arg('assumptions', () => ValuationAssumptionsInput, { nullable: true }) assumptions: ValuationAssumptionsInput | null,
    @Ctx() context: GraphQLContext,
  ): Promise<StockValuationResult[]> {
    if (symbols.length > MAX_SYMBOLS_PER_QUERY) {
      throw new BadUserInputError(`at most ${MAX_SYMBOLS_PER_QUERY} symbols per query, got ${symbols.length}`, 'symbols');
    }
    const tickers = symbols.map((symbol) => parseSymbol(symbol, 'symbols'));
    checkAssumptions(assumptions);
    return Promise.all(tickers.map((ticker) => valueOf(context, ticker, assumptions)));
  }
}

export async function valueOf(
  context: GraphQLContext,
  symbol: string,
  assumptions?: PartialAssumptions | null,
): Promise<StockValuationResult> {
  try {
    return await context.loaders.intrinsicValue.load({ symbol, assumptions });
  } catch (error) {
    throw toGraphQLError(error, symbol);
  }
}

export function checkAssumptions(input: ValuationAssumptionsInput | null): void {
  if (!input) return;
  const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null && value !== undefined));
  const problems = validateAssumptions({ ...DEFAULT_ASSUMPTIONS, ...given });
  if (problems.length > 0) throw new BadUserInputError(`invalid assumptions: ${problems.join('; ')}`, 'assumptions');
}
