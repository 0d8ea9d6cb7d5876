import type { AlphaVantageBody, AlphaVantageFetcher, AlphaVantageRequest } from './alpha-vantage.request.js';

/**
 * Where a GLOBAL_QUOTE answer keeps the instant it arrived (ISO 8601), beside Alpha
 * Vantage's own "Global Quote": the answer dates its price by a trading day only, and a
 * live price read from the cache minutes later must still say when it was priced.
 */
export const RECEIVED_AT = 'receivedAt';

/** The fetcher, with each GLOBAL_QUOTE answer stamped by `clock` as it arrives. */
export function stampingQuoteReceipts(fetcher: AlphaVantageFetcher, clock: () => Date): AlphaVantageFetcher {
  return {
    async fetch(request: AlphaVantageRequest): Promise<AlphaVantageBody> {
      const body = await fetcher.fetch(request);
      return request.fn === 'GLOBAL_QUOTE' ? { ...body, [RECEIVED_AT]: clock().toISOString() } : body;
    },
  };
}
