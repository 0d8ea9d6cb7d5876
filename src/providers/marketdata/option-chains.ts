import DataLoader from 'dataloader';
import type { OptionType } from '../../domain/scan-rules.js';
import type { OptionChain, OptionChains } from '../option-chain.js';
import { parseMarketDataChain } from './chain.parser.js';
import { marketDataCacheKey, type MarketDataBody, type MarketDataChainRequest, type MarketDataSource } from './marketdata.request.js';

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
