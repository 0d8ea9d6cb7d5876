import DataLoader from 'dataloader';
import type { OptionType } from '../domain/scan-rules.js';
import type { AlphaVantageLoader } from '../loaders/alpha-vantage.loader.js';
import { parseAlphaVantageOptions, parseBulkQuotePrices, parseGlobalQuotePrice } from '../upstream/alpha-vantage-options.js';
import type { OptionChain } from '../upstream/option-chain.js';
import {
  marketDataCacheKey,
  parseMarketDataChain,
  type MarketDataBody,
  type MarketDataChainRequest,
  type MarketDataSource,
} from '../upstream/marketdata.js';

/** One symbol's chain for the scan's expirations; throws the UpstreamError that stopped it. */
export interface OptionChains {
  /** a hint with every symbol of the scan before the first load */
  prefetch?(symbols: readonly string[]): void;
  load(symbol: string, type: OptionType, expirations: readonly string[]): Promise<OptionChain>;
}

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

/** marketdata.app: one chain call per symbol over the scan's expiration window, underlying price included. */
export class MarketDataOptionChains implements OptionChains {
  private readonly loader: DataLoader<MarketDataChainRequest, MarketDataBody, string>;

  constructor(source: MarketDataSource) {
    this.loader = new DataLoader<MarketDataChainRequest, MarketDataBody, string>((requests) => source.loadMany(requests), {
      cacheKeyFn: marketDataCacheKey,
    });
  }

  async load(symbol: string, type: OptionType, expirations: readonly string[]): Promise<OptionChain> {
    const from = expirations[0] ?? '';
    const to = expirations[expirations.length - 1] ?? from;
    const body = await this.loader.load({ symbol, side: type === 'PUT' ? 'put' : 'call', from, to });
    return parseMarketDataChain(body);
  }
}
