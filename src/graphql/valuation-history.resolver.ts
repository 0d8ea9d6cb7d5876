import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { parseCalendarDate, snapshotDate } from '../domain/quarter-dates.js';
import { valuationAnalytics, type ValuationAnalytics as DomainAnalytics, type ValuationAnalyticsInput, type ValuationChange as DomainChange } from '../domain/valuation-analytics.js';
import type { ValuationSnapshot as DomainSnapshot } from '../domain/valuation-snapshot.js';
import { UpstreamError } from '../providers/provider-errors.js';
import type { SnapshotRunOutcome } from '../services/valuation-history.js';
import type { GraphQLContext } from './context.js';
import { BadUserInputError } from './errors/bad-user-input.error.js';
import { SnapshotRun } from './snapshot-run.type.js';
import { parseSymbol } from './symbol-argument.js';
import { ValuationAnalytics } from './valuation-analytics.type.js';
import { ValuationChange } from './valuation-change.type.js';
import { ValuationSnapshot } from './valuation-snapshot.type.js';
import { MAX_SYMBOLS_PER_QUERY, valueOf } from './valuation.resolver.js';

/** The analytics answered at the root (changes against no current value), with what the change fields recompute from. */
type AnalyticsRoot = DomainAnalytics & { readonly input: ValuationAnalyticsInput };

@Resolver(() => ValuationAnalytics)
export class ValuationHistoryResolver {
  @Authorized()
  @Mutation(() => SnapshotRun, {
    description:
      "records today's (or date's) snapshot of each curated stock, or of symbols; idempotent per stock and date unless force. Needs a bearer token.",
  })
  async recordValuationSnapshots(
    @Arg('date', () => String, { nullable: true }) date: string | null | undefined,
    @Arg('symbols', () => [String], { nullable: true }) symbols: string[] | null | undefined,
    @Arg('force', () => Boolean, { nullable: true, defaultValue: false }) force: boolean | null | undefined,
    @Ctx() context: GraphQLContext,
  ): Promise<SnapshotRunOutcome> {
    const { valuationHistory } = context;
    const parsed = snapshotDate(date, valuationHistory.clock());
    if (parsed.problem !== null) throw new BadUserInputError(parsed.problem, 'date');
    if (symbols != null) {
      if (symbols.length === 0) throw new BadUserInputError('symbols is empty: name at least one, or leave symbols out for the active curated stocks', 'symbols');
      if (symbols.length > MAX_SYMBOLS_PER_QUERY) throw new BadUserInputError(`at most ${MAX_SYMBOLS_PER_QUERY} symbols per run, got ${symbols.length}`, 'symbols');
    }
    const tickers = symbols?.map((symbol) => parseSymbol(symbol, 'symbols'));
    return valuationHistory.record({ date: parsed.date, symbols: tickers, force: force ?? false, trigger: 'mutation' }, context.loaders);
  }

  @Query(() => [ValuationSnapshot], { description: 'snapshots of one stock, oldest first, between from and to (YYYY-MM-DD, both included)' })
  valuationHistory(
    @Arg('symbol', () => String) symbol: string,
    @Arg('from', () => String, { nullable: true }) from: string | null | undefined,
    @Arg('to', () => String, { nullable: true }) to: string | null | undefined,
    @Ctx() context: GraphQLContext,
  ): Promise<DomainSnapshot[]> {
    const ticker = parseSymbol(symbol);
    const range = { from: dateArgument(from, 'from'), to: dateArgument(to, 'to') };
    if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
      throw new BadUserInputError(`from (${range.from}) is after to (${range.to})`, 'from');
    }
    return context.valuationHistory.history(ticker, range);
  }

  /** The statistics need only the snapshots; the changes against today's value are valued when asked (see below). */
  @Query(() => ValuationAnalytics, { description: "Statistics over one stock's valuation snapshots, and its current value against them." })
  async valuationAnalytics(@Arg('symbol', () => String) symbol: string, @Ctx() context: GraphQLContext): Promise<AnalyticsRoot> {
    const input = await context.valuationHistory.analyticsInput(parseSymbol(symbol));
    return { ...valuationAnalytics(input), input };
  }

  @FieldResolver(() => ValuationChange, { nullable: true, description: "against the latest snapshot before the current quarter's" })
  previousQuarter(@Root() root: AnalyticsRoot, @Ctx() context: GraphQLContext): Promise<DomainChange | null> {
    return withCurrentValue(root, root.previousQuarter, context, (analytics) => analytics.previousQuarter);
  }

  @FieldResolver(() => ValuationChange, { nullable: true, description: 'against the snapshot of the same quarter a year earlier' })
  yearAgo(@Root() root: AnalyticsRoot, @Ctx() context: GraphQLContext): Promise<DomainChange | null> {
    return withCurrentValue(root, root.yearAgo, context, (analytics) => analytics.yearAgo);
  }
}

/** An absent argument comes as undefined, an explicit null as null: both leave that end open. */
function dateArgument(raw: string | null | undefined, name: string): string | undefined {
  if (raw == null) return undefined;
  const parsed = parseCalendarDate(raw);
  if (parsed.problem !== null) throw new BadUserInputError(`${name}: ${parsed.problem}`, name);
  return parsed.date;
}

/**
 * The change against the stock's effective intrinsic value now (its saved assumptions),
 * valued through the request's DataLoader only when there is a snapshot value to compare
 * with. A valuation that fails upstream leaves the change null rather than fail the field:
 * the snapshot's own date and value still answer.
 */
async function withCurrentValue(
  root: AnalyticsRoot,
  change: DomainChange | null,
  context: GraphQLContext,
  pick: (analytics: DomainAnalytics) => DomainChange | null,
): Promise<DomainChange | null> {
  if (change === null || change.effectiveIntrinsicValue === null) return change;
  let current: number | null;
  try {
    current = (await valueOf(context, root.symbol)).effectiveIntrinsicValue;
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    context.logger.info({ symbol: root.symbol, err: error.message }, 'valuation analytics: no current value, changes answered null');
    return change;
  }
  return pick(valuationAnalytics({ ...root.input, currentEffectiveIntrinsicValue: current }));
}
