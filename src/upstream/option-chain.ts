import type { OptionQuote } from '../domain/scan-rules.js';

/** One symbol's option quotes and the underlying's price, whatever the provider. */
export interface OptionChain {
  underlyingPrice: number | null;
  quotes: OptionQuote[];
}

/** A finite number from a provider's field ("None", "", null and garbage are missing). */
export function numberOrNull(raw: unknown): number | null {
  if (raw === null || raw === undefined || raw === '' || raw === 'None') return null;
  const value = typeof raw === 'number' ? raw : Number(raw);
  return Number.isFinite(value) ? value : null;
}
