/**
 * The reference for the cold scan: the scan as the original app ran it, one upstream call
 * at a time. For each ticker in turn: its options chain, then its quote, from the same fake
 * Alpha Vantage, parsed and filtered by the service's own functions (dist/).
 */
import pLimit from 'p-limit';
import { alphaVantageOptions, marketCalendar, scanRules } from './dist.js';

export interface SequentialScanResult {
  ms: number;
  calls: number;
  tickersWithContracts: number;
  /** contract ids selected, by ticker */
  selected: Record<string, string[]>;
}

/** A ticker's two calls: its options chain (with greeks), then its quote. */
const scanRequests = (symbol: string): [Record<string, string>, Record<string, string>] => [
  { function: 'REALTIME_OPTIONS', symbol, require_greeks: 'true' },
  { function: 'GLOBAL_QUOTE', symbol },
];

/**
 * Asks the fake for every body of a scan once, all at once, under its own key, so that it
 * has rendered them before either timed scan (its `reuseRenderedBodies`): each timed call
 * then costs the upstream's latency, not the fake's single thread rendering 150 kB chains.
 */
export async function renderScanBodies(upstreamUrl: string, apiKey: string, symbols: readonly string[]): Promise<void> {
  // 32 at a time: an index's 1 000 at once would only queue in the fake's single thread.
  const limit = pLimit(32);
  await Promise.all(
    symbols.flatMap(scanRequests).map((params) => limit(async () => {
      const url = new URL(upstreamUrl);
      for (const [name, value] of Object.entries({ ...params, apikey: apiKey })) url.searchParams.set(name, value);
      const response = await fetch(url);
      if (!response.ok) throw new Error(`upstream answered HTTP ${response.status}`);
      await response.arrayBuffer();
    })),
  );
}

export async function sequentialScan(
  upstreamUrl: string,
  apiKey: string,
  symbols: readonly string[],
  input: { weeks: number; minAnnualizedReturn: number; maxDelta: number },
): Promise<SequentialScanResult> {
  const started = performance.now();
  const now = new Date();
  const today = marketCalendar.newYorkDate(now);
  const expirations = marketCalendar.nextWeeklyExpirations(now, input.weeks);
  const thresholds = scanRules.resolveThresholds('PUT', input);
  const selected: Record<string, string[]> = {};
  let calls = 0;

  const get = async (params: Record<string, string>): Promise<Record<string, unknown>> => {
    calls += 1;
    const url = new URL(upstreamUrl);
    for (const [name, value] of Object.entries({ ...params, apikey: apiKey })) url.searchParams.set(name, value);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`upstream answered HTTP ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  };

  for (const symbol of symbols) {
    const [chainRequest, quoteRequest] = scanRequests(symbol);
    const chain = await get(chainRequest);
    const quote = await get(quoteRequest);
    const price = alphaVantageOptions.parseGlobalQuotePrice(quote);
    if (price === null) continue;
    const contracts = scanRules.selectContracts({
      quotes: alphaVantageOptions.parseAlphaVantageOptions(chain),
      underlyingPrice: price,
      type: 'PUT',
      todayNy: today,
      expirations,
      thresholds,
    });
    if (contracts.length > 0) selected[symbol] = contracts.map((contract) => contract.contractId);
  }
  return { ms: performance.now() - started, calls, tickersWithContracts: Object.keys(selected).length, selected };
}
