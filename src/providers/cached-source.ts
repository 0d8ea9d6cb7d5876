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
  /** a key's call upstream; for a moment after it succeeded, the same call, or STORED */
  private readonly inFlight = new Map<string, Promise<Body> | typeof STORED>();

  constructor(private readonly options: CachedSourceOptions<Request, Body>) {}

  /**
   * One answer per request, in order: the body, or the error that stands for it (an
   * UpstreamError, or an unexpected one that the error boundary logs and masks). Each call
   * that goes upstream is charged to `allowance` first.
   */
  async loadMany(requests: readonly Request[], allowance: UpstreamAllowance = UNMETERED): Promise<Array<Body | UpstreamError | Error>> {
    const keys = requests.map(this.options.keyOf);
    const found = await this.lookUp(requests, keys);
    return Promise.all(requests.map((request, index) => found[index] ?? this.fetchOnce(keys[index]!, request, allowance)));
  }

  /**
   * What the cache holds for each request, in the same reads as loadMany, and nothing more:
   * no upstream call, no wait for one in flight. undefined: not cached (or the store did not answer).
   */
  async cachedMany(requests: readonly Request[]): Promise<Array<Body | SymbolNotFoundError | undefined>> {
    return this.lookUp(requests, requests.map(this.options.keyOf));
  }

  /**
   * Asks the upstream again whatever the cache holds, and stores the answer (over the old
   * one, which answers readers meanwhile): the background refresher's call. A call already
   * in flight for the key is joined. Not charged to any allowance: the caller paid first.
   */
  refresh(request: Request): Promise<Body | Error> {
    return this.fetchOnce(this.options.keyOf(request), request, UNMETERED);
  }

  /** One cache read for the batch, then one for the remembered unknown symbols of its misses. */
  private async lookUp(requests: readonly Request[], keys: readonly string[]): Promise<Array<Body | SymbolNotFoundError | undefined>> {
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
    return requests.map((request, index) => {
      const hit = cached[index];
      const unknown = asNotFoundError(notFound.get(index));
      this.options.metrics.cacheLookup(this.options.labelOf(request), hit !== undefined || unknown !== undefined);
      return hit ?? unknown;
    });
  }

  private remembersNotFound(request: Request): boolean {
    return this.options.notFoundTtlMs !== undefined && this.options.notFoundTtlMs(request) > 0;
  }

  private fetchOnce(key: string, request: Request, allowance: UpstreamAllowance): Promise<Body | Error> {
    const known = this.inFlight.get(key);
    if (known === STORED) {
      // Stored a moment ago, and this request's read missed it (raced the write): read it again.
      return this.options.cache.get<Body>(key).then((stored) => stored ?? this.fetchUpstream(key, request, allowance));
    }
    return this.fetchUpstream(key, request, allowance);
  }

  private fetchUpstream(key: string, request: Request, allowance: UpstreamAllowance): Promise<Body | Error> {
    const running = this.inFlight.get(key);
    if (running !== undefined && running !== STORED) return running.catch(asError);
    try {
      allowance.spend();
    } catch (refusal) {
      return Promise.resolve(asError(refusal));
    }
    const fetched = this.fetchAndStore(key, request);
    const call = fetched.then(({ body }) => body);
    this.inFlight.set(key, call);
    fetched.then(
      ({ stored }) => {
        // Kept a moment after success: a request whose cache read raced this write still joins it.
        // The body itself only when the store did not take it: a scan's chains are not all held for seconds.
        if (this.inFlight.get(key) === call) this.settle(key, stored ? STORED : call);
      },
      () => {
        // A failure is never shared beyond the callers already waiting on it.
        if (this.inFlight.get(key) === call) this.inFlight.delete(key);
      },
    );
    return call.catch(asError);
  }

  /** A method of its own: a timer made in fetchUpstream would keep its scope, the body included, alive. */
  private settle(key: string, entry: Promise<Body> | typeof STORED): void {
    this.inFlight.set(key, entry);
    setTimeout(() => {
      if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
    }, this.options.settleMs ?? 5_000).unref();
  }

  private async fetchAndStore(key: string, request: Request): Promise<{ body: Body; stored: boolean }> {
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
    const stored = await this.options.cache.set(key, body, this.options.ttlMs(request));
    return { body, stored };
  }
}

/** What a key's entry in flight says after its call stored the answer: the store has it. */
const STORED = Symbol('stored');

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
