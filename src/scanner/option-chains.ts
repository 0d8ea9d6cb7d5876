import DataLoader from 'dataloader';
import type { OptionType } from '../domain/scan-rules.js';
import type { AlphaVantageLoader } from '../loaders/alpha-vantage.loader.js';
import { parseAlphaVantageOptions, parseGlobalQuotePrice } from '../upstream/alpha-vantage-options.js';
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
  load(symbol: string, type: OptionType, expirations: readonly string[]): Promise<OptionChain>;
}

/** Alpha Vantage: one options call (all expirations) and one GLOBAL_QUOTE per symbol, through the loader. */
export class AlphaVantageOptionChains implements OptionChains {
  constructor(
    private readonly loader: AlphaVantageLoader,
    private readonly optionsFunction: 'REALTIME_OPTIONS' | 'HISTORICAL_OPTIONS',
  ) {}

  async load(symbol: string): Promise<OptionChain> {
    // Without require_greeks, REALTIME_OPTIONS has no delta, and no contract could pass.
    const params = this.optionsFunction === 'REALTIME_OPTIONS' ? { require_greeks: 'true' } : undefined;
    const [chain, quote] = await Promise.all([
      this.loader.load({ fn: this.optionsFunction, symbol, ...(params ? { params } : {}) }),
      this.loader.load({ fn: 'GLOBAL_QUOTE', symbol }),
    ]);
    return { underlyingPrice: parseGlobalQuotePrice(quote), quotes: parseAlphaVantageOptions(chain) };
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
