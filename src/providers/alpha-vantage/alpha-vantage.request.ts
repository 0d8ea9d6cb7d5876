import type { CachedSource, Fetcher } from '../cached-source.js';
import type { AlphaVantageFunction } from './alpha-vantage.functions.js';

export interface AlphaVantageRequest {
  fn: AlphaVantageFunction;
  symbol: string;
  /** extra query parameters, part of the cache key */
  params?: Readonly<Record<string, string>>;
}

/** One answer as Alpha Vantage sent it; never leaves src/providers/alpha-vantage/. */
export type AlphaVantageBody = Record<string, unknown>;

/** Anything that answers Alpha Vantage requests: the real API, or the bundled sample data. */
export type AlphaVantageFetcher = Fetcher<AlphaVantageRequest, AlphaVantageBody>;

export type AlphaVantageSource = CachedSource<AlphaVantageRequest, AlphaVantageBody>;
