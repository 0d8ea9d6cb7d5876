import type { OptionQuote, OptionType } from '../domain/scan-rules.js';

/** One symbol's option quotes and the underlying's price, whatever the provider. */
export interface OptionChain {
  underlyingPrice: number | null;
  quotes: OptionQuote[];
}

/** One symbol's chain for the scan's expirations; throws the UpstreamError that stopped it. */
export interface OptionChains {
  /** a hint with every symbol of the scan before the first load */
  prefetch?(symbols: readonly string[]): void;
  load(symbol: string, type: OptionType, expirations: readonly string[]): Promise<OptionChain>;
}
