import type { Fundamentals } from '../../domain/fundamentals.js';
import { SymbolNotFoundError } from '../provider-errors.js';
import type { AlphaVantageLoader } from './alpha-vantage.loader.js';
import type { AlphaVantageRequest } from './alpha-vantage.request.js';
import { parseCashFlow, parseEarnings, parseOverview } from './fundamentals.parser.js';

/** The functions a valuation loads, one call each when cold. */
export const FUNDAMENTAL_FUNCTIONS = ['EARNINGS', 'OVERVIEW', 'CASH_FLOW'] as const;

/** A symbol's EARNINGS, OVERVIEW and CASH_FLOW requests. */
export const fundamentalsRequests = (symbol: string): AlphaVantageRequest[] => FUNDAMENTAL_FUNCTIONS.map((fn) => ({ fn, symbol }));

/** A symbol's fundamentals, with what the provider lacked for it said in notes. */
export interface FundamentalsAnswer {
  fundamentals: Fundamentals;
  notes: string[];
}

/**
 * EARNINGS, OVERVIEW and CASH_FLOW of one symbol, asked of the request's loader in the same
 * tick (so a batch of N symbols is one cache read), as typed fundamentals. A valuation needs
 * EARNINGS or OVERVIEW to know the stock at all; a rate limit, an outage or a bug on any
 * input throws rather than giving figures that silently lack a model.
 */
export async function loadFundamentals(loader: AlphaVantageLoader, symbol: string): Promise<FundamentalsAnswer> {
  const settle = <T>(promise: Promise<T>) => promise.catch((error: unknown) => error as Error);
  const [earnings, overview, cashFlow] = await Promise.all([
    settle(loader.load({ fn: 'EARNINGS', symbol })),
    settle(loader.load({ fn: 'OVERVIEW', symbol })),
    settle(loader.load({ fn: 'CASH_FLOW', symbol })),
  ]);
  const answers = [earnings, overview, cashFlow];
  const blocking = answers.find((answer) => answer instanceof Error && !(answer instanceof SymbolNotFoundError));
  if (blocking) throw blocking;
  if (earnings instanceof SymbolNotFoundError && overview instanceof SymbolNotFoundError) throw earnings;
  const notes = answers.filter((answer) => answer instanceof SymbolNotFoundError).map((missing) => `${missing.provider} has no ${missing.what} for ${symbol}`);
  return {
    fundamentals: {
      symbol,
      earnings: earnings instanceof Error ? null : parseEarnings(earnings),
      overview: overview instanceof Error ? null : parseOverview(overview),
      cashFlow: cashFlow instanceof Error ? null : parseCashFlow(cashFlow),
    },
    notes,
  };
}
