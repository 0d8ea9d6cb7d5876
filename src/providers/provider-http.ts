import got, { HTTPError, ParseError, RequestError, type Got } from 'got';
import type { Logger } from '../logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { CallBudget } from '../store/call-budget.port.js';
import { UpstreamError, UpstreamRateLimitedError, UpstreamUnavailableError } from './provider-errors.js';
import type { ProviderDescriptor } from './provider-descriptor.js';

export interface UpstreamHttpOptions {
  provider: ProviderDescriptor;
  timeoutMs: number;
  retries: number;
  budget: CallBudget;
  logger: Logger;
  metrics: Metrics;
  headers?: Record<string, string>;
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
}

/**
 * got, set up for a rationed provider: bounded time per attempt, retries with backoff on
 * timeouts, resets and 5xx, and every attempt (retries included) paid from the budget.
 */
export function createUpstreamHttp(options: UpstreamHttpOptions): Got {
  return got.extend({
    timeout: { request: options.timeoutMs },
    headers: options.headers ?? {},
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
