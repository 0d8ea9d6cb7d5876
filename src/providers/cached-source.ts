import type { Metrics } from '../observability/metrics.js';
import type { Cache } from '../store/cache.js';
import type { UpstreamError } from './provider-errors.js';

/** Anything that answers requests of one kind from upstream: a provider's client, or bundled data. */
export interface Fetcher<Request, Body> {
  fetch(request: Request): Promise<Body>;
}

export interface CachedSourceOptions<Request, Body> {
  cache: Cache;
  fetcher: Fetcher<Request, Body>;
  /** the logical store key of a request's answer */
  keyOf: (request: Request) => string;
  /** how long a request's answer stays cached */
  ttlMs: (request: Request) => number;
  /** how long a finished call keeps answering late joiners whose cache read missed it */
  settleMs?: number;
  metrics: Metrics;
  /** the metrics label of a request (its function) */
  labelOf: (request: Request) => string;
}

/**
 * An upstream behind the cache. A batch reads the cache once (one getMany) and only the
 * misses go upstream; a key already on its way upstream, for any request of this process,
 * is joined rather than asked again. Only real data is stored: fetchers throw on anything else.
 */
export class CachedSource<Request, Body> {
  private readonly inFlight = new Map<string, Promise<Body>>();

  constructor(private readonly options: CachedSourceOptions<Request, Body>) {}

  /**
   * One answer per request, in order: the body, or the error that stands for it (an
   * UpstreamError, or an unexpected one that the error boundary logs and masks).
   */
  async loadMany(requests: readonly Request[]): Promise<Array<Body | UpstreamError | Error>> {
    const keys = requests.map(this.options.keyOf);
    const cached = await this.options.cache.getMany<Body>(keys);
    return Promise.all(
      requests.map((request, index) => {
        const hit = cached[index];
        this.options.metrics.cacheLookup(this.options.labelOf(request), hit !== undefined);
        if (hit !== undefined) return hit;
        return this.fetchOnce(keys[index]!, request).catch(asError);
      }),
    );
  }

  private fetchOnce(key: string, request: Request): Promise<Body> {
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

  private async fetchAndStore(key: string, request: Request): Promise<Body> {
    const body = await this.options.fetcher.fetch(request);
    await this.options.cache.set(key, body, this.options.ttlMs(request));
    return body;
  }
}

/** DataLoader takes an Error per failed key; anything else thrown is wrapped, cause kept. */
function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error), { cause: error });
}
