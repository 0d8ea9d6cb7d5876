import type { OptionQuote } from '../domain/scan-rules.js';
import { parseAlphaVantageNumber } from '../domain/valuation.js';

/** One symbol's option quotes and the underlying's price, whatever the provider. */
export interface OptionChain {
  underlyingPrice: number | null;
  quotes: OptionQuote[];
}

/** A finite number from a provider's field ("None", "", null and garbage are missing). */
export function numberOrNull(raw: unknown): number | null {
  return parseAlphaVantageNumber(raw)?.toNumber() ?? null;
}
