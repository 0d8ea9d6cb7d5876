import got, { HTTPError, ParseError, RequestError, type CancelableRequest, type Got, type HandlerFunction } from 'got';
import type { Logger } from '../logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { CallBudget } from '../store/call-budget.port.js';
import { UpstreamError, UpstreamRateLimitedError, UpstreamUnavailableError } from './provider-errors.js';
import type { ProviderDescriptor } from './provider-descriptor.js';

/** Decompressed bytes an upstream answer may have unless configured (UPSTREAM_MAX_ANSWER_BYTES). */
export const MAX_UPSTREAM_ANSWER_BYTES = 10_000_000;

export interface UpstreamHttpOptions {
  provider: ProviderDescriptor;
  timeoutMs: number;
  retries: number;
  budget: CallBudget;
  logger: Logger;
  metrics: Metrics;
  headers?: Record<string, string>;
  /** a larger answer (decompressed) is refused while it arrives; default MAX_UPSTREAM_ANSWER_BYTES */
  maxAnswerBytes?: number;
}

/** What a provider's client needs: where, with which key, how patiently, paid from which budget. */
export interface ProviderClientOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  retries: number;
  budget: CallBudget;
  logger: Logger;
  metrics: Metrics;
  maxAnswerBytes?: number;
}

/** An answer that grew past the size limit; describeHttpFailure names the call. */
class AnswerTooLargeError extends Error {
  override name = 'AnswerTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`the answer is larger than ${maxBytes} bytes`);
  }
}

/**
 * Cancels a call whose body, counted as it is read and after decompression, passes
 * `maxBytes`: a large or hostile answer is never buffered whole (a gzip bomb included).
 * Got's Content-Length check comes first, so a declared oversize is refused before reading.
 */
function answerSizeLimit(maxBytes: number): HandlerFunction {
  return (options, next) => {
    if (options.isStream) return next(options);
    const pending = next(options) as CancelableRequest;
    let tooLarge: AnswerTooLargeError | undefined;
    pending.on('downloadProgress', ({ transferred, total }) => {
      if (tooLarge || (transferred <= maxBytes && (total === undefined || total <= maxBytes))) return;
      tooLarge = new AnswerTooLargeError(maxBytes);
      pending.cancel();
    });
    // got copies .json() and the other shortcuts onto the promise a handler returns.
    return pending.catch((error: unknown) => {
      throw tooLarge ?? error;
    }) as unknown as ReturnType<typeof next>;
  };
}

/**
 * got, set up for a rationed provider: bounded time per attempt, bounded answer size,
 * retries with backoff on timeouts, resets and 5xx, and every attempt (retries included)
 * paid from the budget.
 */
export function createUpstreamHttp(options: UpstreamHttpOptions): Got {
  return got.extend({
    timeout: { request: options.timeoutMs },
    headers: options.headers ?? {},
    handlers: [answerSizeLimit(options.maxAnswerBytes ?? MAX_UPSTREAM_ANSWER_BYTES)],
    retry: {
      limit: options.retries,
      methods: ['GET'],
      statusCodes: [408, 500, 502, 503, 504, 521, 522, 524],
      backoffLimit: 2000,
    },
    hooks: {
      beforeRequest: [
        async () => {
          const waitStarted = performance.now();
          await options.budget.acquire();
          options.metrics.budgetWait(options.provider.id, (performance.now() - waitStarted) / 1000);
          options.metrics.upstreamAttempt(options.provider.id);
        },
      ],
      beforeRetry: [
        (error, retryCount) =>
          options.logger.warn(
            { provider: options.provider.id, code: error.code, status: error.response?.statusCode, retryCount },
            'retrying upstream call',
          ),
      ],
    },
  });
}

/** A got failure as the service's error, naming what failed but never the URL (it holds the key). */
export function describeHttpFailure(error: unknown, provider: string, what: string): UpstreamError {
  // A budget refusal raised in the request hook arrives wrapped by got.
  const cause = error instanceof RequestError ? (error.cause ?? error) : error;
  if (cause instanceof UpstreamError) return cause;
  if (cause instanceof AnswerTooLargeError) {
    return new UpstreamUnavailableError(
      `${provider} answered ${what} with more than ${cause.maxBytes} bytes: refused and not cached (UPSTREAM_MAX_ANSWER_BYTES)`,
    );
  }
  if (error instanceof HTTPError) {
    const status = error.response.statusCode;
    return status === 429
      ? new UpstreamRateLimitedError(`${provider} refused ${what} with HTTP 429`)
      : new UpstreamUnavailableError(`${provider} failed ${what} with HTTP ${status}`);
  }
  if (error instanceof ParseError) return new UpstreamUnavailableError(`${provider} answered ${what} with malformed JSON`);
  if (error instanceof RequestError) {
    return new UpstreamUnavailableError(`${provider} did not answer ${what} (${error.code ?? 'request failed'})`);
  }
  return new UpstreamUnavailableError(`${provider} call ${what} failed`);
}
