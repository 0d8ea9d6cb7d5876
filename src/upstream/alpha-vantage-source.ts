import type { Logger } from '../logger.js';
import type { Cache } from '../store/cache.js';
import { alphaVantageKey } from '../store/cache-keys.js';
import type { AlphaVantageBody, AlphaVantageFetcher, AlphaVantageRequest } from './alpha-vantage.js';
import { UpstreamError, UpstreamUnavailableError } from './upstream-errors.js';

export interface AlphaVantageSourceOptions {
  cache: Cache;
  fetcher: AlphaVantageFetcher;
  logger: Logger;
  /** how long a response of this request stays cached */
  ttlMs: (request: AlphaVantageRequest) => number;
  /** how long a finished call keeps answering late joiners whose cache read missed it */
  settleMs?: number;
}

export const cacheKeyOf = (request: AlphaVantageRequest): string =>
  alphaVantageKey(request.fn, request.symbol, request.params);

/**
 * Alpha Vantage behind the cache. A batch reads the cache once (one getMany) and only the
 * misses go upstream; a key already on its way upstream, for any request of this process,
 * is joined rather than asked again.
 */
export class AlphaVantageSource {
  private readonly inFlight = new Map<string, Promise<AlphaVantageBody>>();

  constructor(private readonly options: AlphaVantageSourceOptions) {}

  /** One answer per request, in order: the body, or the UpstreamError that stands for it. */
  async loadMany(requests: readonly AlphaVantageRequest[]): Promise<Array<AlphaVantageBody | UpstreamError>> {
    const keys = requests.map(cacheKeyOf);
    const cached = await this.options.cache.getMany<AlphaVantageBody>(keys);
    return Promise.all(
      requests.map((request, index) => {
        const hit = cached[index];
        if (hit !== undefined) return hit;
        return this.fetchOnce(keys[index]!, request).catch(asUpstreamError);
      }),
    );
  }

  private fetchOnce(key: string, request: AlphaVantageRequest): Promise<AlphaVantageBody> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const call = this.fetchAndStore(key, request);
    this.inFlight.set(key, call);
    const forget = () => {
      if (this.inFlight.get(key) === call) this.inFlight.delete(key);
    };
    call.then(
      // Kept a moment after success: a request whose cache read raced this write still joins it.
      () => setTimeout(forget, this.options.settleMs ?? 5_000).unref(),
      // A failure is never shared beyond the callers already waiting on it.
      forget,
    );
    return call;
  }

  private async fetchAndStore(key: string, request: AlphaVantageRequest): Promise<AlphaVantageBody> {
    const body = await this.options.fetcher.fetch(request);
    await this.options.cache.set(key, body, this.options.ttlMs(request));
    return body;
  }
}

function asUpstreamError(error: unknown): UpstreamError {
  return error instanceof UpstreamError ? error : new UpstreamUnavailableError('Alpha Vantage call failed unexpectedly');
}
