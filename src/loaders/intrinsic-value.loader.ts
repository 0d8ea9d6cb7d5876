import DataLoader from 'dataloader';
import type { Metrics } from '../observability/metrics.js';
import { resolveAssumptions, type PartialAssumptions } from '../domain/assumptions.js';
import type { StockValuationResult } from '../domain/valuation.js';
import type { SavedStock } from '../store/curated-stocks.js';
import type { AlphaVantageFunction } from '../upstream/alpha-vantage.js';
import { SymbolNotFoundError, UpstreamError } from '../upstream/upstream-errors.js';
import type { AlphaVantageLoader } from './alpha-vantage.loader.js';
import type { ValuationMemo } from './valuation-memo.js';

export interface IntrinsicValueKey {
  symbol: string;
  /** the caller's assumptions; missing fields fall back to the saved ones, then the defaults */
  assumptions?: PartialAssumptions | null;
}

export type IntrinsicValueLoader = DataLoader<IntrinsicValueKey, StockValuationResult, string>;

export interface IntrinsicValueLoaderDeps {
  alphaVantage: AlphaVantageLoader;
  /** the curated list with saved assumptions, read at most once per request */
  savedStocks: () => Promise<readonly SavedStock[]>;
  /** added to every valuation's notes (sample-data mode says so here) */
  notes: readonly string[];
  metrics: Metrics;
  /** shared by every request of the process */
  valuations: ValuationMemo;
}

const FUNDAMENTALS = ['EARNINGS', 'OVERVIEW', 'CASH_FLOW'] as const satisfies readonly AlphaVantageFunction[];

/**
 * Valuations for one GraphQL request: all symbols' fundamentals are asked of the
 * Alpha Vantage loader in the same tick, so a batch of N symbols is one cache read.
 */
export function createIntrinsicValueLoader(deps: IntrinsicValueLoaderDeps): IntrinsicValueLoader {
  return new DataLoader<IntrinsicValueKey, StockValuationResult, string>(
    async (keys) => {
      deps.metrics.batch('intrinsicValue', keys.length);
      const [saved, fundamentals] = await Promise.all([
        deps.savedStocks(),
        Promise.all(keys.map((key) => loadFundamentals(deps.alphaVantage, key.symbol))),
      ]);
      const savedBySymbol = new Map(saved.map((stock) => [stock.symbol, stock.assumptions]));
      return keys.map((key, index) => {
        const [earnings, overview, cashFlow] = fundamentals[index]!;
        const failure = failureOf(earnings, overview, cashFlow);
        if (failure) return failure;
        const result = deps.valuations.valueStock({
          symbol: key.symbol,
          earnings: dataOrNull(earnings),
          overview: dataOrNull(overview),
          cashFlow: dataOrNull(cashFlow),
          assumptions: resolveAssumptions(key.assumptions, savedBySymbol.get(key.symbol)),
        });
        const missing = [earnings, overview, cashFlow]
          .map((answer, at) => (answer instanceof SymbolNotFoundError ? `Alpha Vantage has no ${FUNDAMENTALS[at]} for ${key.symbol}` : null))
          .filter((note) => note !== null);
        return { ...result, notes: [...deps.notes, ...missing, ...result.notes] };
      });
    },
    { cacheKeyFn: (key) => `${key.symbol}|${JSON.stringify(key.assumptions ?? {})}`, maxBatchSize: 500 },
  );
}

function loadFundamentals(loader: AlphaVantageLoader, symbol: string): Promise<unknown[]> {
  return Promise.all(FUNDAMENTALS.map((fn) => loader.load({ fn, symbol }).catch((error: unknown) => error)));
}

/**
 * A valuation needs EARNINGS or OVERVIEW to know the stock at all; a rate limit or an
 * outage on any input fails it rather than giving figures that silently lack a model.
 */
function failureOf(...answers: unknown[]): Error | undefined {
  const failures = answers.filter((answer): answer is Error => answer instanceof Error);
  const blocking = failures.find((error) => !(error instanceof SymbolNotFoundError));
  if (blocking) return blocking instanceof UpstreamError ? blocking : new Error(blocking.message);
  const [earnings, overview] = answers;
  if (earnings instanceof SymbolNotFoundError && overview instanceof SymbolNotFoundError) return earnings;
  return undefined;
}

const dataOrNull = (answer: unknown): unknown => (answer instanceof Error ? null : answer);
