import type { OptionType } from '../../domain/scan-rules.js';
import type { OptionChain, OptionChains } from '../option-chain.js';
import { parseMarketDataChain } from './chain.parser.js';
import type { MarketDataSource } from './marketdata.request.js';

/**
 * marketdata.app: one chain call per symbol over the scan's expiration window, underlying
 * price included. Each ticker reads the cache and waits for its own call only (see the
 * Alpha Vantage chains: batched tickers would wait for the slowest of them).
 */
export class MarketDataOptionChains implements OptionChains {
  constructor(private readonly source: MarketDataSource) {}

  async load(symbol: string, type: OptionType, expirations: readonly string[]): Promise<OptionChain> {
    const from = expirations[0] ?? '';
    const to = expirations[expirations.length - 1] ?? from;
    const [body] = await this.source.loadMany([{ symbol, side: type === 'PUT' ? 'put' : 'call', from, to }]);
    if (body instanceof Error) throw body;
    return parseMarketDataChain(body!);
  }
}
