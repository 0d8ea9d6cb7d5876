import got, { HTTPError, ParseError, RequestError, type Got } from 'got';
import type { Logger } from '../logger.js';
import type { RateBudget } from './rate-budget.js';
import {
  SymbolNotFoundError,
  UpstreamError,
  UpstreamRateLimitedError,
  UpstreamUnavailableError,
} from './upstream-errors.js';

export type AlphaVantageFunction =
  | 'EARNINGS'
  | 'OVERVIEW'
  | 'CASH_FLOW'
  | 'GLOBAL_QUOTE'
  | 'REALTIME_OPTIONS'
  | 'HISTORICAL_OPTIONS';

export interface AlphaVantageRequest {
  fn: AlphaVantageFunction;
  symbol: string;
  /** extra query parameters, part of the cache key */
  params?: Readonly<Record<string, string>>;
}

export type AlphaVantageBody = Record<string, unknown>;

/** Anything that answers Alpha Vantage requests: the real API, or the bundled sample data. */
export interface AlphaVantageFetcher {
  fetch(request: AlphaVantageRequest): Promise<AlphaVantageBody>;
}

export interface AlphaVantageClientOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  retries: number;
  budget: RateBudget;
  logger: Logger;
}

/** The real Alpha Vantage over HTTP: every attempt, retries included, is paid from the budget. */
export class AlphaVantageClient implements AlphaVantageFetcher {
  private readonly http: Got;

  constructor(private readonly options: AlphaVantageClientOptions) {
    this.http = got.extend({
      timeout: { request: options.timeoutMs },
      retry: {
        limit: options.retries,
        methods: ['GET'],
        statusCodes: [408, 429, 500, 502, 503, 504, 521, 522, 524],
        backoffLimit: 2000,
      },
      hooks: {
        beforeRequest: [() => options.budget.acquire()],
        beforeRetry: [
          (error, retryCount) =>
            options.logger.warn({ code: error.code, status: error.response?.statusCode, retryCount }, 'retrying Alpha Vantage call'),
        ],
      },
    });
  }

  async fetch(request: AlphaVantageRequest): Promise<AlphaVantageBody> {
    const searchParams = { function: request.fn, symbol: request.symbol, ...request.params, apikey: this.options.apiKey };
    const started = Date.now();
    let body: unknown;
    try {
      body = await this.http.get(this.options.baseUrl, { searchParams }).json();
    } catch (error) {
      throw describeFailure(error, request);
    } finally {
      this.options.logger.debug({ fn: request.fn, symbol: request.symbol, ms: Date.now() - started }, 'alpha vantage call');
    }
    return classifyAnswer(request, body);
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

function describeFailure(error: unknown, request: AlphaVantageRequest): UpstreamError {
  // A budget refusal raised in the request hook arrives wrapped by got.
  const cause = error instanceof RequestError ? error.cause ?? error : error;
  if (cause instanceof UpstreamError) return cause;
  const what = `${request.fn} for ${request.symbol}`;
  if (error instanceof HTTPError) {
    return error.response.statusCode === 429
      ? new UpstreamRateLimitedError(`Alpha Vantage refused ${what} with HTTP 429`)
      : new UpstreamUnavailableError(`Alpha Vantage failed ${what} with HTTP ${error.response.statusCode}`);
  }
  if (error instanceof ParseError) return new UpstreamUnavailableError(`Alpha Vantage answered ${what} with malformed JSON`);
  if (error instanceof RequestError) {
    return new UpstreamUnavailableError(`Alpha Vantage did not answer ${what} (${error.code ?? 'request failed'})`);
  }
  return new UpstreamUnavailableError(`Alpha Vantage call ${what} failed`);
}
