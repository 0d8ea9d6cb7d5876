import type { CachedSource } from '../cached-source.js';

/** marketdata.app's options chain for one symbol, one side, expirations in [from, to]. */
export interface MarketDataChainRequest {
  symbol: string;
  side: 'put' | 'call';
  /** YYYY-MM-DD */
  from: string;
  to: string;
}

/** One answer as marketdata.app sent it; never leaves src/providers/marketdata/. */
export type MarketDataBody = Record<string, unknown>;
export type MarketDataSource = CachedSource<MarketDataChainRequest, MarketDataBody>;

export const marketDataCacheKey = (request: MarketDataChainRequest): string =>
  `marketdata:chain:${request.symbol.toUpperCase()}:from_${request.from}:side_${request.side}:to_${request.to}`;

/** Chains move with the market: kept for a scan's 45 minutes. */
export const MARKETDATA_CHAIN_TTL_MS = 45 * 60 * 1000;
