import DataLoader from 'dataloader';
import type { AlphaVantageLoader } from './alpha-vantage.loader.js';
import { parseBulkQuotes, parseGlobalQuote, type ProviderQuote } from './market.parsers.js';

/** REALTIME_BULK_QUOTES takes at most this many symbols a call. */
export const BULK_QUOTE_SYMBOLS = 100;

/** symbol → its latest price (null when the answer has none), over an Alpha Vantage loader. */
export type QuoteLoader = DataLoader<string, ProviderQuote | null>;

/**
 * Prices from GLOBAL_QUOTE, one call a symbol, or with a premium key from
 * REALTIME_BULK_QUOTES, one call for each batch of up to 100 symbols. Scans and
 * IntrinsicValue.quote read them alike, through the same cache entries.
 */
export function createQuoteLoader(loader: AlphaVantageLoader, bulkQuotes: boolean): QuoteLoader {
  return bulkQuotes
    ? new DataLoader(
        async (symbols) => {
          const quotes = parseBulkQuotes(await loader.load({ fn: 'REALTIME_BULK_QUOTES', symbol: symbols.join(',') }));
          return symbols.map((symbol) => quotes.get(symbol) ?? null);
        },
        { maxBatchSize: BULK_QUOTE_SYMBOLS },
      )
    : // Each symbol settles on its own: one unknown symbol does not fail the batch.
      new DataLoader(async (symbols) =>
        Promise.all(symbols.map((symbol) => loader.load({ fn: 'GLOBAL_QUOTE', symbol }).then(parseGlobalQuote, (error: unknown) => error as Error))),
      );
}
