import DataLoader from 'dataloader';
import { resolveAssumptions, type PartialAssumptions } from '../domain/assumptions.js';
import { unvaluedStock } from '../domain/unvalued-stock.js';
import type { StockValuationResult } from '../domain/valuation.js';
import type { Metrics } from '../observability/metrics.js';
import type { AlphaVantageLoader } from '../providers/alpha-vantage/alpha-vantage.loader.js';
import { loadFundamentals } from '../providers/alpha-vantage/fundamentals.loader.js';
import { NotCachedError } from '../providers/not-cached.error.js';
import type { SavedStock } from '../services/curated-stocks.js';
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

/** What a stock the cache cannot value yet says, when its valuations answer from the cache only. */
export function notValuedYetNote(symbol: string): string {
  return (
    'Not valued yet: its fundamentals (EARNINGS, OVERVIEW, CASH_FLOW) are not all cached, and the curated list answers from the cache. ' +
    `The background refresher fetches the active stocks' fundamentals, never-valued first, within its share of the Alpha Vantage budget (REFRESH_BUDGET_SHARE); intrinsicValue(symbol: "${symbol}") values it now.`
  );
}

/**
 * Valuations for one GraphQL request: all symbols' fundamentals are asked of the
 * Alpha Vantage loader in the same tick, so a batch of N symbols is one cache read.
 * A symbol that fails is its error, alone: the others are valued. Over a cache-only loader, a
 * symbol whose fundamentals are not all cached is answered at once without figures.
 */
export function createIntrinsicValueLoader(deps: IntrinsicValueLoaderDeps): IntrinsicValueLoader {
  return new DataLoader<IntrinsicValueKey, StockValuationResult, string>(
    async (keys) => {
      deps.metrics.batch('intrinsicValue', keys.length);
      const [saved, answers] = await Promise.all([
        deps.savedStocks(),
        Promise.all(keys.map((key) => loadFundamentals(deps.alphaVantage, key.symbol).catch((error: unknown) => error as Error))),
      ]);
      const savedBySymbol = new Map(saved.map((stock) => [stock.symbol, stock.assumptions]));
      return keys.map((key, index) => {
        const answer = answers[index]!;
        const assumptions = resolveAssumptions(key.assumptions, savedBySymbol.get(key.symbol));
        // Only a cache-only loader misses this way: the stock is not valued yet, and says so.
        if (answer instanceof NotCachedError) return unvaluedStock(key.symbol, assumptions, [...deps.notes, notValuedYetNote(key.symbol)]);
        if (answer instanceof Error) return answer;
        const result = deps.valuations.valueStock({ ...answer.fundamentals, assumptions });
        return { ...result, notes: [...deps.notes, ...answer.notes, ...result.notes] };
      });
    },
    { cacheKeyFn: (key) => `${key.symbol}|${JSON.stringify(key.assumptions ?? {})}`, maxBatchSize: 500 },
  );
}
