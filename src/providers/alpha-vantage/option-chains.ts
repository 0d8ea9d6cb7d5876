import DataLoader from 'dataloader';
import type { OptionChain, OptionChains } from '../option-chain.js';
import type { AlphaVantageLoader } from './alpha-vantage.loader.js';
import { parseAlphaVantageOptions, parseBulkQuotePrices, parseGlobalQuotePrice } from './market.parsers.js';

/** REALTIME_BULK_QUOTES takes at most this many symbols a call. */
const BULK_QUOTE_SYMBOLS = 100;

/**
 * Alpha Vantage: one options call (all expirations) per symbol through the loader, and the
 * underlying price from GLOBAL_QUOTE per symbol or, with a premium key, from
 * REALTIME_BULK_QUOTES: one call for each batch of up to 100 symbols.
 */
export class AlphaVantageOptionChains implements OptionChains {
  private readonly prices: DataLoader<string, number | null>;

  constructor(
    private readonly loader: AlphaVantageLoader,
    private readonly optionsFunction: 'REALTIME_OPTIONS' | 'HISTORICAL_OPTIONS',
    private readonly bulkQuotes: boolean,
  ) {
    this.prices = bulkQuotes
      ? new DataLoader(
          async (symbols) => {
            const prices = parseBulkQuotePrices(await loader.load({ fn: 'REALTIME_BULK_QUOTES', symbol: symbols.join(',') }));
            return symbols.map((symbol) => prices.get(symbol) ?? null);
          },
          { maxBatchSize: BULK_QUOTE_SYMBOLS },
        )
      : new DataLoader(async (symbols) =>
          Promise.all(symbols.map(async (symbol) => parseGlobalQuotePrice(await loader.load({ fn: 'GLOBAL_QUOTE', symbol })))),
        );
  }

  /**
   * With bulk quotes, asks every price at once so that they cover the scan in as few calls
   * as possible. Single quotes are left to each ticker's turn, so that progress moves.
   */
  prefetch(symbols: readonly string[]): void {
    if (this.bulkQuotes) this.prices.loadMany(symbols).catch(() => undefined);
  }

  async load(symbol: string): Promise<OptionChain> {
    // Without require_greeks, REALTIME_OPTIONS has no delta, and no contract could pass.
    const params = this.optionsFunction === 'REALTIME_OPTIONS' ? { require_greeks: 'true' } : undefined;
    const [chain, underlyingPrice] = await Promise.all([
      this.loader.load({ fn: this.optionsFunction, symbol, ...(params ? { params } : {}) }),
      this.prices.load(symbol),
    ]);
    return { underlyingPrice, quotes: parseAlphaVantageOptions(chain) };
  }
}
