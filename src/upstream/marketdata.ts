import { HTTPError, type Got } from 'got';
import { newYorkDate } from '../domain/market-calendar.js';
import type { OptionQuote } from '../domain/scan-rules.js';
import type { CachedSource, Fetcher } from './cached-source.js';
import { numberOrNull, type OptionChain } from './option-chain.js';
import { SymbolNotFoundError, UpstreamError, UpstreamRateLimitedError, UpstreamUnavailableError } from './upstream-errors.js';
import { createUpstreamHttp, describeHttpFailure, type ProviderClientOptions } from './upstream-http.js';

/** marketdata.app's options chain for one symbol, one side, expirations in [from, to]. */
export interface MarketDataChainRequest {
  symbol: string;
  side: 'put' | 'call';
  /** YYYY-MM-DD */
  from: string;
  to: string;
}

export type MarketDataBody = Record<string, unknown>;
export type MarketDataSource = CachedSource<MarketDataChainRequest, MarketDataBody>;

export const marketDataCacheKey = (request: MarketDataChainRequest): string =>
  `marketdata:chain:${request.symbol.toUpperCase()}:from_${request.from}:side_${request.side}:to_${request.to}`;

/** The data provider the original app used: columnar JSON, Bearer token. */
export class MarketDataClient implements Fetcher<MarketDataChainRequest, MarketDataBody> {
  private readonly http: Got;

  constructor(private readonly options: ProviderClientOptions) {
    this.http = createUpstreamHttp({
      ...options,
      provider: 'marketdata.app',
      headers: { authorization: `Bearer ${options.apiKey}`, accept: 'application/json' },
    });
  }

  async fetch(request: MarketDataChainRequest): Promise<MarketDataBody> {
    const url = `${this.options.baseUrl.replace(/\/$/, '')}/options/chain/${encodeURIComponent(request.symbol)}/`;
    const what = `the ${request.side} chain of ${request.symbol}`;
    let body: unknown;
    try {
      try {
        body = await this.http.get(url, { searchParams: { side: request.side, from: request.from, to: request.to } }).json();
      } catch (error) {
        // 404 is how marketdata.app says "no data" for a symbol or window; its body tells which.
        if (error instanceof HTTPError && error.response.statusCode === 404) body = parseJson(error.response.body);
        else throw describeHttpFailure(error, 'marketdata.app', what);
      }
      const data = classifyMarketDataAnswer(request, body);
      this.options.metrics.upstreamAnswer('marketdata', 'OPTIONS_CHAIN', 'ok');
      return data;
    } catch (error) {
      this.options.metrics.upstreamAnswer('marketdata', 'OPTIONS_CHAIN', error instanceof UpstreamError ? error.code : 'UPSTREAM_UNAVAILABLE');
      throw error;
    }
  }
}

function parseJson(text: unknown): unknown {
  try {
    return JSON.parse(String(text));
  } catch {
    return undefined;
  }
}

export function classifyMarketDataAnswer(request: MarketDataChainRequest, body: unknown): MarketDataBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new UpstreamUnavailableError(`marketdata.app answered ${request.symbol} with something that is not an object`);
  }
  const answer = body as MarketDataBody;
  if (answer['s'] === 'ok' || answer['s'] === 'no_data') return answer;
  const message = String(answer['errmsg'] ?? '');
  if (/limit|credits|quota/i.test(message)) throw new UpstreamRateLimitedError(`marketdata.app refused ${request.symbol}: ${message}`);
  if (/symbol|not found|invalid/i.test(message)) throw new SymbolNotFoundError(request.symbol, 'options chain');
  throw new UpstreamUnavailableError(`marketdata.app could not answer ${request.symbol}`);
}

/** Columnar arrays (one per field) as quotes; the underlying price from its own column. */
export function parseMarketDataChain(body: MarketDataBody): OptionChain {
  if (body['s'] !== 'ok') return { underlyingPrice: null, quotes: [] };
  const column = (name: string): unknown[] => (Array.isArray(body[name]) ? (body[name] as unknown[]) : []);
  const ids = column('optionSymbol');
  const [sides, strikes, expirations, bids, deltas, ivs, underlying] = [
    column('side'),
    column('strike'),
    column('expiration'),
    column('bid'),
    column('delta'),
    column('iv'),
    column('underlyingPrice'),
  ];
  const quotes: OptionQuote[] = [];
  ids.forEach((id, row) => {
    const side = String(sides[row] ?? '').toLowerCase();
    const strike = numberOrNull(strikes[row]);
    const expiresAt = numberOrNull(expirations[row]);
    if ((side !== 'put' && side !== 'call') || strike === null || expiresAt === null) return;
    quotes.push({
      contractId: String(id),
      type: side === 'put' ? 'PUT' : 'CALL',
      expiration: newYorkDate(new Date(expiresAt * 1000)),
      strike,
      bid: numberOrNull(bids[row]),
      delta: numberOrNull(deltas[row]),
      impliedVolatility: numberOrNull(ivs[row]),
    });
  });
  const price = underlying.map(numberOrNull).find((value) => value !== null && value > 0) ?? null;
  return { underlyingPrice: price, quotes };
}
