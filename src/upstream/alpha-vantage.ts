import type { Got } from 'got';
import { ALPHA_VANTAGE_TTL_MS, SCANNER_TTL_MS, alphaVantageKey } from '../store/cache-keys.js';
import type { CachedSource, Fetcher } from './cached-source.js';
import { SymbolNotFoundError, UpstreamError, UpstreamRateLimitedError, UpstreamUnavailableError } from './upstream-errors.js';
import { createUpstreamHttp, describeHttpFailure, type ProviderClientOptions } from './upstream-http.js';

export type AlphaVantageFunction =
  | 'EARNINGS'
  | 'OVERVIEW'
  | 'CASH_FLOW'
  | 'GLOBAL_QUOTE'
  | 'REALTIME_OPTIONS'
  | 'HISTORICAL_OPTIONS'
  /** premium: up to 100 comma-separated symbols in one call */
  | 'REALTIME_BULK_QUOTES';

export interface AlphaVantageRequest {
  fn: AlphaVantageFunction;
  symbol: string;
  /** extra query parameters, part of the cache key */
  params?: Readonly<Record<string, string>>;
}

export type AlphaVantageBody = Record<string, unknown>;

/** Anything that answers Alpha Vantage requests: the real API, or the bundled sample data. */
export type AlphaVantageFetcher = Fetcher<AlphaVantageRequest, AlphaVantageBody>;

export type AlphaVantageSource = CachedSource<AlphaVantageRequest, AlphaVantageBody>;

export const alphaVantageCacheKey = (request: AlphaVantageRequest): string =>
  alphaVantageKey(request.fn, request.symbol, request.params);

/** The real Alpha Vantage over HTTP: every attempt, retries included, is paid from the budget. */
export class AlphaVantageClient implements AlphaVantageFetcher {
  private readonly http: Got;

  constructor(private readonly options: ProviderClientOptions) {
    this.http = createUpstreamHttp({ ...options, provider: 'Alpha Vantage' });
  }

  async fetch(request: AlphaVantageRequest): Promise<AlphaVantageBody> {
    const searchParams = { function: request.fn, symbol: request.symbol, ...request.params, apikey: this.options.apiKey };
    const started = Date.now();
    try {
      const body: unknown = await this.http.get(this.options.baseUrl, { searchParams }).json().catch((error: unknown) => {
        throw describeHttpFailure(error, 'Alpha Vantage', `${request.fn} for ${request.symbol}`);
      });
      const data = classifyAnswer(request, body);
      this.options.metrics.upstreamAnswer('alphavantage', request.fn, 'ok');
      return data;
    } catch (error) {
      const code = error instanceof UpstreamError ? error.code : 'UPSTREAM_UNAVAILABLE';
      this.options.metrics.upstreamAnswer('alphavantage', request.fn, code);
      throw error;
    } finally {
      this.options.logger.debug({ fn: request.fn, symbol: request.symbol, ms: Date.now() - started }, 'alpha vantage call');
    }
  }
}

/**
 * Alpha Vantage answers errors with HTTP 200: the body decides. Only real data comes back;
 * everything else throws, so that nothing but data is ever cached.
 */
export function classifyAnswer(request: AlphaVantageRequest, body: unknown): AlphaVantageBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new UpstreamUnavailableError(`Alpha Vantage answered ${request.fn} for ${request.symbol} with something that is not an object`);
  }
  const answer = body as AlphaVantageBody;
  if (typeof answer['Note'] === 'string' || typeof answer['Information'] === 'string') {
    throw new UpstreamRateLimitedError(`Alpha Vantage refused ${request.fn} for ${request.symbol}: its rate limit is reached`);
  }
  if (typeof answer['Error Message'] === 'string' || isEmpty(answer)) {
    throw new SymbolNotFoundError(request.symbol, request.fn);
  }
  return answer;
}

/** `{}`, `{"Global Quote": {}}`, `{"data": []}`: an answer with nothing in it. */
function isEmpty(answer: AlphaVantageBody): boolean {
  const values = Object.values(answer);
  return values.every(
    (value) =>
      value === null ||
      (Array.isArray(value) && value.length === 0) ||
      (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0),
  );
}

/** Chains and quotes move with the market: kept for a scan's 45 minutes, fundamentals for 7 days. */
export function alphaVantageTtlMs(request: AlphaVantageRequest): number {
  return MARKET_FUNCTIONS.has(request.fn) ? SCANNER_TTL_MS : ALPHA_VANTAGE_TTL_MS;
}

const MARKET_FUNCTIONS = new Set<AlphaVantageFunction>([
  'GLOBAL_QUOTE',
  'REALTIME_BULK_QUOTES',
  'REALTIME_OPTIONS',
  'HISTORICAL_OPTIONS',
]);
