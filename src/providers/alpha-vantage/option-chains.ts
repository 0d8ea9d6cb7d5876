import DataLoader from 'dataloader';
import type { OptionChain, OptionChains } from '../option-chain.js';
import type { AlphaVantageBody, AlphaVantageRequest, AlphaVantageSource } from './alpha-vantage.request.js';
import { parseAlphaVantageOptions, parseBulkQuotes, parseGlobalQuotePrice } from './market.parsers.js';
import { BULK_QUOTE_SYMBOLS } from './quotes.js';

/**
 * Alpha Vantage: one options call (all expirations) per symbol, and the underlying price
 * from GLOBAL_QUOTE per symbol or, with a premium key, from REALTIME_BULK_QUOTES: one call
 * for each batch of up to 100 symbols. Each ticker reads the cache and waits for its own
 * calls only: batched with the tickers started beside it, it would wait for the slowest of
 * them, and a scan would go in waves. The quotes are the same cache entries
 * IntrinsicValue.quote reads (src/providers/alpha-vantage/quotes.ts).
 */
export class AlphaVantageOptionChains implements OptionChains {
  /** bulk quotes only: the symbols asked in one tick share a call */
  private readonly bulkPrices: DataLoader<string, number | null> | undefined;

  constructor(
    private readonly source: AlphaVantageSource,
    private readonly optionsFunction: 'REALTIME_OPTIONS' | 'HISTORICAL_OPTIONS',
    bulkQuotes: boolean,
  ) {
    this.bulkPrices = bulkQuotes
      ? new DataLoader(
          async (symbols) => {
            const quotes = parseBulkQuotes(await loadOne(source, { fn: 'REALTIME_BULK_QUOTES', symbol: symbols.join(',') }));
            return symbols.map((symbol) => quotes.get(symbol)?.price ?? null);
          },
          { maxBatchSize: BULK_QUOTE_SYMBOLS },
        )
      : undefined;
  }

  /**
   * With bulk quotes, asks every price at once so that they cover the scan in as few calls
   * as possible. Single quotes are left to each ticker's turn, so that progress moves.
   */
  prefetch(symbols: readonly string[]): void {
    this.bulkPrices?.loadMany(symbols).catch(() => undefined);
  }

  async load(symbol: string): Promise<OptionChain> {
    // Without require_greeks, REALTIME_OPTIONS has no delta, and no contract could pass.
    const params = this.optionsFunction === 'REALTIME_OPTIONS' ? { require_greeks: 'true' } : undefined;
    const chainRequest: AlphaVantageRequest = { fn: this.optionsFunction, symbol, ...(params ? { params } : {}) };
    if (this.bulkPrices) {
      const [chain, underlyingPrice] = await Promise.all([loadOne(this.source, chainRequest), this.bulkPrices.load(symbol)]);
      return { underlyingPrice, quotes: parseAlphaVantageOptions(chain) };
    }
    // The chain and the quote in one cache read.
    const [chain, quote] = await this.source.loadMany([chainRequest, { fn: 'GLOBAL_QUOTE', symbol }]);
    if (chain instanceof Error) throw chain;
    if (quote instanceof Error) throw quote;
    return { underlyingPrice: parseGlobalQuotePrice(quote!), quotes: parseAlphaVantageOptions(chain!) };
  }
}

/** One request's body through the source; its error thrown. */
async function loadOne(source: AlphaVantageSource, request: AlphaVantageRequest): Promise<AlphaVantageBody> {
  const [answer] = await source.loadMany([request]);
  if (answer instanceof Error) throw answer;
  return answer!;
}
