import { nextDateOnOrAfter, fallsWithin } from '../domain/contract-events.js';
import type { ScreenedContract } from '../domain/contract-filter.js';
import { contractFigures } from '../domain/option-metrics.js';
import type { ScannedContract } from '../domain/scan-rules.js';
import type { IntrinsicValueLoader } from '../loaders/intrinsic-value.loader.js';
import type { AlphaVantageLoader } from '../providers/alpha-vantage/alpha-vantage.loader.js';
import { parseOverview } from '../providers/alpha-vantage/fundamentals.parser.js';
import type { EarningsCalendar } from '../providers/alpha-vantage/market-events.js';
import { SymbolNotFoundError } from '../providers/provider-errors.js';
import type { ContractNeeds } from './contract-needs.js';

/** Where the facts beyond the stored contracts come from: a request's loaders (or a scan's own), and the calendar. */
export interface FactSources {
  alphaVantage: AlphaVantageLoader;
  intrinsicValue: IntrinsicValueLoader;
  /** null when the calendar cannot be had: the earnings figures are then null */
  earningsCalendar: () => Promise<EarningsCalendar | null>;
}

/** One ticker's facts beyond its contracts; what was not needed stays at its "not loaded" value. */
export interface TickerFacts {
  /** OVERVIEW DividendYield (decimal); null when missing (counts as 0) or not loaded */
  dividendYield: number | null;
  /** false when OVERVIEW could not be had (an upstream error, not an unknown symbol): the probabilities are then null */
  overviewAnswered: boolean;
  exDividendDate: string | null;
  /** the effective intrinsic value under the saved assumptions; null without one or not loaded */
  intrinsicValue: number | null;
  /** the calendar's report dates for the symbol; null when the calendar was not loaded or could not be had */
  earningsDates: readonly string[] | null;
  /** why a needed load failed (an upstream error, not an unknown symbol); null when all answered */
  problem: string | null;
}

const NOT_LOADED: TickerFacts = Object.freeze({
  dividendYield: null,
  overviewAnswered: true,
  exDividendDate: null,
  intrinsicValue: null,
  earningsDates: null,
  problem: null,
});

/**
 * The facts of every symbol, only what `needs` names: one batched load per data kind for all
 * symbols (the loaders batch what is asked in one tick), plain values out.
 */
export async function loadTickerFacts(sources: FactSources, symbols: readonly string[], needs: ContractNeeds): Promise<Map<string, TickerFacts>> {
  const settle = <T>(promise: Promise<T>) => promise.catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  const [overviews, valuations, calendar] = await Promise.all([
    needs.overview ? Promise.all(symbols.map((symbol) => settle(sources.alphaVantage.load({ fn: 'OVERVIEW', symbol })))) : null,
    needs.valuation ? Promise.all(symbols.map((symbol) => settle(sources.intrinsicValue.load({ symbol })))) : null,
    needs.earnings ? sources.earningsCalendar().catch(() => null) : null,
  ]);
  const facts = new Map<string, TickerFacts>();
  symbols.forEach((symbol, index) => {
    const overview = overviews?.[index];
    const valuation = valuations?.[index];
    const parsed = overview === undefined || overview instanceof Error ? null : parseOverview(overview);
    const failed = [overview, valuation].find((answer) => answer instanceof Error && !(answer instanceof SymbolNotFoundError)) as Error | undefined;
    facts.set(symbol, {
      dividendYield: parsed?.dividendYield.value?.toNumber() ?? null,
      overviewAnswered: !(overview instanceof Error) || overview instanceof SymbolNotFoundError,
      exDividendDate: parsed?.exDividendDate ?? null,
      intrinsicValue: valuation === undefined || valuation instanceof Error ? null : valuation.effectiveIntrinsicValue,
      earningsDates: calendar ? calendar.datesOf(symbol) : null,
      problem: failed?.message ?? null,
    });
  });
  return facts;
}

export interface ScreenContext {
  riskFreeRate: number;
  /** the New York date the contracts' days to expiration were counted from */
  todayNy: string;
}

/** The last screening of each stored contract object, for the inputs it had: warm reads redo no Black-Scholes. */
const lastScreening = new WeakMap<ScannedContract, { inputs: string; screened: ScreenedContract }>();

/** Every figure of the contract file for one ticker's contracts, as plain values. */
export function screenTicker(
  symbol: string,
  contracts: readonly ScannedContract[],
  facts: TickerFacts = NOT_LOADED,
  context: ScreenContext,
): ScreenedContract[] {
  const inputs = JSON.stringify([symbol, context.riskFreeRate, context.todayNy, facts]);
  const exDividendDate = nextDateOnOrAfter(facts.exDividendDate === null ? [] : [facts.exDividendDate], context.todayNy);
  const earningsDate = facts.earningsDates === null ? null : nextDateOnOrAfter(facts.earningsDates, context.todayNy);
  const market = { riskFreeRate: context.riskFreeRate, dividendYield: facts.dividendYield, intrinsicValue: facts.intrinsicValue };
  return contracts.map((contract) => {
    const last = lastScreening.get(contract);
    if (last?.inputs === inputs) return last.screened;
    const figures = contractFigures(contract, market);
    const screened: ScreenedContract = {
      ...contract,
      ...figures,
      ...(facts.overviewAnswered ? {} : { probabilityOfAssignment: null, probabilityOfProfit: null, score: null }),
      symbol,
      earningsDate,
      earningsBeforeExpiration: facts.earningsDates === null ? null : fallsWithin(earningsDate, context.todayNy, contract.expiration),
      exDividendDate,
      exDividendBeforeExpiration: fallsWithin(exDividendDate, context.todayNy, contract.expiration),
      belowIntrinsicValue: facts.intrinsicValue === null ? null : contract.strike <= facts.intrinsicValue,
    };
    lastScreening.set(contract, { inputs, screened });
    return screened;
  });
}
