import type { Logger } from '../logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Cache } from '../store/cache.js';
import { SymbolNotFoundError, type UpstreamError } from './provider-errors.js';
import { UNMETERED, type UpstreamAllowance } from './upstream-allowance.js';

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
  /** how long "no such symbol" (SymbolNotFoundError) is remembered, under notFoundKey; unset: never */
  notFoundTtlMs?: (request: Request) => number;
  /** how long a finished call keeps answering late joiners whose cache read missed it */
  settleMs?: number;
  metrics: Metrics;
  /** the metrics label of a request (its function) */
  labelOf: (request: Request) => string;
  /** told when the store does not answer (the batch then goes upstream as misses) */
  logger?: Logger;
}

/** What a remembered unknown symbol holds: enough to give the same SYMBOL_NOT_FOUND answer again. */
interface NotFoundEntry {
  symbol: string;
  what: string;
  provider: string;
  message: string;
}

/**
 * Where a request's "no such symbol" is remembered: its own key beside the data's, so that
 * no reader can ever take it for data, and the warm path still reads data keys only.
 */
export const notFoundKey = (key: string): string => `notfound:${key}`;

/**
 * An upstream behind the cache. A batch reads the cache once (one getMany) and only the
 * misses go upstream (after one more getMany for remembered unknown symbols); a key already
 * on its way upstream, for any request of this process, is joined rather than asked again.
 * Only real data is stored as data: fetchers throw on anything else, and of what they throw
 * only SymbolNotFoundError is remembered, under notFoundKey.
 */
export class CachedSource<Request, Body> {
  private readonly inFlight = new Map<string, Promise<Body>>();

  constructor(private readonly options: CachedSourceOptions<Request, Body>) {}

  /**
   * One answer per request, in order: the body, or the error that stands for it (an
   * UpstreamError, or an unexpected one that the error boundary logs and masks). Each call
   * that goes upstream is charged to `allowance` first.
   */
  async loadMany(requests: readonly Request[], allowance: UpstreamAllowance = UNMETERED): Promise<Array<Body | UpstreamError | Error>> {
    const keys = requests.map(this.options.keyOf);
    let cached: Array<Body | undefined>;
    let storeAnswered = true;
    try {
      cached = await this.options.cache.getManyOrFail<Body>(keys);
    } catch (error) {
      // A slow or dead store is a miss, as Cache.getMany has it; and not asked again for notfound: keys,
      // so a hung store costs one STORE_TIMEOUT_MS, not two.
      this.options.logger?.warn({ operation: 'getMany', err: error instanceof Error ? error.message : String(error) }, 'store call failed; treated as a miss');
      cached = keys.map(() => undefined);
      storeAnswered = false;
    }
    const misses = requests.flatMap((request, index) => (cached[index] === undefined && this.remembersNotFound(request) ? [index] : []));
    const notFound = new Map<number, unknown>();
    if (storeAnswered && misses.length > 0) {
      const remembered = await this.options.cache.getMany<unknown>(misses.map((index) => notFoundKey(keys[index]!)));
      misses.forEach((index, position) => notFound.set(index, remembered[position]));
    }
    return Promise.all(
      requests.map((request, index) => {
        const hit = cached[index];
        const unknown = asNotFoundError(notFound.get(index));
        this.options.metrics.cacheLookup(this.options.labelOf(request), hit !== undefined || unknown !== undefined);
        if (hit !== undefined) return hit;
        if (unknown !== undefined) return unknown;
        return this.fetchOnce(keys[index]!, request, allowance);
      }),
    );
  }

  private remembersNotFound(request: Request): boolean {
    return this.options.notFoundTtlMs !== undefined && this.options.notFoundTtlMs(request) > 0;
  }

  private fetchOnce(key: string, request: Request, allowance: UpstreamAllowance): Promise<Body | Error> {
    const running = this.inFlight.get(key);
    if (running) return running.catch(asError);
    try {
      allowance.spend();
    } catch (refusal) {
      return Promise.resolve(asError(refusal));
    }
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
    return call.catch(asError);
  }

  private async fetchAndStore(key: string, request: Request): Promise<Body> {
    let body: Body;
    try {
      body = await this.options.fetcher.fetch(request);
    } catch (error) {
      if (error instanceof SymbolNotFoundError && this.remembersNotFound(request)) {
        const entry: NotFoundEntry = { symbol: error.symbol, what: error.what, provider: error.provider, message: error.message };
        await this.options.cache.set(notFoundKey(key), entry, this.options.notFoundTtlMs!(request));
      }
      throw error;
    }
    await this.options.cache.set(key, body, this.options.ttlMs(request));
    return body;
  }
}

/** A remembered unknown symbol as the error the provider gave; anything else there is no answer. */
function asNotFoundError(stored: unknown): SymbolNotFoundError | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const { symbol, what, provider, message } = stored as Partial<Record<keyof NotFoundEntry, unknown>>;
  if (typeof symbol !== 'string' || typeof what !== 'string' || typeof provider !== 'string' || typeof message !== 'string') return undefined;
  return new SymbolNotFoundError(symbol, what, provider, message);
}

/** DataLoader takes an Error per failed key; anything else thrown is wrapped, cause kept. */
function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error), { cause: error });
}
