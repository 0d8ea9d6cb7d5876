/**
 * A fake Alpha Vantage on 127.0.0.1 (random port) for integration and e2e tests.
 *
 *   const av = await startFakeAlphaVantage();
 *   // point the service at av.url (http://127.0.0.1:PORT/query)
 *   av.setMode('rateLimitNote', { function: 'EARNINGS', times: 1 });
 *   ...
 *   expect(av.callCount({ function: 'EARNINGS', symbol: 'AAPL' })).toBe(2);
 *   await av.close();
 *
 * GET /query?function=…&symbol=…&apikey=… answers like Alpha Vantage: HTTP 200
 * with the body deciding (data, "Note", "Information", "Error Message", `{}`).
 * Bodies come from ./alpha-vantage-data.ts, so they are deterministic per symbol.
 * EARNINGS_CALENDAR (no symbol) answers CSV as text/csv, its errors JSON like every
 * function's; TREASURY_YIELD takes `maturity`. Dates that depend on the day (the calendar,
 * the Treasury series, OVERVIEW's ex-dividend dates) are placed around `today`.
 * The API key is recorded on each call (so a test can check it was sent) but
 * never written to any log or echoed back in a body.
 */
import http from 'node:http';
import { listenOnLoopback } from './loopback-server.js';

import { newYorkDate } from '../../src/domain/market-calendar.js';
import {
  bodyOverride,
  bodyOverrideKey,
  CsvText,
  defaultExpirations,
  generatedBody,
  SUPPORTED_FUNCTIONS,
  SYMBOLLESS_FUNCTIONS,
  type BodyContext,
  type BodyOverride,
} from './alpha-vantage-data.js';

export type FakeMode =
  | 'data'
  | 'rateLimitNote'
  | 'rateLimitInformation'
  | 'errorMessage'
  | 'emptyObject'
  | 'http500'
  | 'garbage'
  | 'reset'
  | 'hang';

export const FAKE_MODES: readonly FakeMode[] = [
  'data',
  'rateLimitNote',
  'rateLimitInformation',
  'errorMessage',
  'emptyObject',
  'http500',
  'garbage',
  'reset',
  'hang',
];

/** Which calls a rule or a count applies to; both fields optional, case-insensitive. */
export interface CallMatch {
  function?: string;
  symbol?: string;
}

export interface ModeMatch extends CallMatch {
  /** the mode applies to this many matching calls, then the rule is dropped */
  times?: number;
}

export interface RecordedCall {
  /** upper-cased `function` parameter ('' when absent) */
  function: string;
  /** upper-cased `symbol` parameter ('' when absent) */
  symbol: string;
  /** every query parameter as sent, except apikey */
  params: Record<string, string>;
  /** the apikey parameter (recorded, never logged) */
  apikey: string | undefined;
  /** how the fake answered */
  mode: FakeMode;
  /** Date.now() when the request arrived */
  at: number;
}

export interface FakeAlphaVantageOptions {
  /** quote date for REALTIME_OPTIONS chains (default: today's New York date, at request time) */
  today?: string;
  /** expirations listed in option chains (default: the 12 weekly expirations on or after `today`) */
  expirations?: readonly string[];
  /** "as of" date for fundamentals and GLOBAL_QUOTE (default: the generator's DEFAULT_AS_OF) */
  asOf?: string;
  /** initial latency for every call, ms (default 0) */
  latencyMs?: number;
  /** answer a call without apikey with Alpha Vantage's "apikey is invalid or missing" (default false) */
  requireApiKey?: boolean;
  /**
   * render each generated body once and answer its text again after (default false). For
   * benchmarks: rendering a 150 kB chain takes this single thread ~15 ms, which would add up
   * when many calls arrive at once, while the upstream it stands for answers them in parallel.
   */
  reuseRenderedBodies?: boolean;
}

/** Alpha Vantage pretty-prints its JSON with four spaces. */
const render = (body: unknown): string => JSON.stringify(body, null, 4);

class RenderedBody {
  constructor(
    readonly text: string,
    readonly csv = false,
  ) {}
}

export interface FakeAlphaVantage {
  /** base URL, e.g. http://127.0.0.1:PORT/query */
  readonly url: string;
  readonly port: number;
  /** every request to /query, oldest first (live view) */
  readonly calls: readonly RecordedCall[];
  callCount(filter?: CallMatch | ((call: RecordedCall) => boolean)): number;
  resetCalls(): void;
  /**
   * Answer matching calls in `mode`. The most specific rule wins (function + symbol,
   * then symbol, then function, then global); among equals, the latest. A rule set
   * again for the same match replaces the old one. `setMode('data')` resets the
   * global rule only.
   */
  setMode(mode: FakeMode, match?: ModeMatch): void;
  /** drop every mode rule: all calls answer with data again */
  clearModes(): void;
  /** delay before answering (any mode but 'hang'); the most specific rule wins, as for modes */
  setLatency(ms: number, match?: CallMatch): void;
  /** symbols Alpha Vantage does not know (case-insensitive): see `unknownSymbolBody` */
  readonly unknownSymbols: Set<string>;
  /** answer (function, symbol) with this body; a function receives the query parameters */
  setBody(fn: string, symbol: string, body: BodyOverride): void;
  clearBodies(): void;
  /** calls, modes, latency, bodies and unknown symbols back to the start */
  reset(): void;
  /** stops listening and destroys every connection, hanging ones included */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------
// Alpha Vantage's non-data bodies
// ---------------------------------------------------------------------------

export function invalidCallBody(fn: string): Record<string, string> {
  return {
    'Error Message': `Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for ${fn}.`,
  };
}

export const RATE_LIMIT_NOTE_BODY: Readonly<Record<string, string>> = {
  Note:
    'Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute and 500 calls per day. ' +
    'Please visit https://www.alphavantage.co/premium/ if you would like to target a higher API call frequency.',
};

/** The real message quotes the key; the fake never echoes it. */
export const RATE_LIMIT_INFORMATION_BODY: Readonly<Record<string, string>> = {
  Information:
    'We have detected your API key as [redacted] and our standard API rate limit is 25 requests per day. ' +
    'Please subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly remove all daily rate limits.',
};

export const MISSING_API_KEY_BODY: Readonly<Record<string, string>> = {
  'Error Message':
    'the parameter apikey is invalid or missing. Please claim your free API key on (https://www.alphavantage.co/support/#api-key). It should take less than 20 seconds.',
};

export function unknownFunctionBody(fn: string): Record<string, string> {
  return { 'Error Message': `This API function (${fn}) does not exist.` };
}

/** What Alpha Vantage sends for a symbol it does not know: it depends on the function. */
export function unknownSymbolBody(fn: string): Record<string, unknown> {
  switch (fn.toUpperCase()) {
    case 'GLOBAL_QUOTE':
      return { 'Global Quote': {} };
    case 'OVERVIEW':
      return {};
    default:
      return invalidCallBody(fn.toUpperCase());
  }
}

/** Malformed JSON, as a proxy or a cut connection might deliver. */
const GARBAGE = '{\n    "Global Quote": {\n        "01. symbol": "IBM",\n        "05. price": "1';

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

interface Rule<T> {
  value: T;
  fn: string | undefined;
  symbol: string | undefined;
  remaining: number | undefined;
  seq: number;
}

function specificity(rule: Rule<unknown>): number {
  return (rule.symbol === undefined ? 0 : 2) + (rule.fn === undefined ? 0 : 1);
}

function upper(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value.toUpperCase();
}

class RuleSet<T> {
  private rules: Rule<T>[] = [];
  private seq = 0;

  set(value: T, match: ModeMatch = {}): void {
    const fn = upper(match.function);
    const symbol = upper(match.symbol);
    if (match.times !== undefined && (!Number.isInteger(match.times) || match.times < 1)) {
      throw new RangeError(`times must be a positive integer, got ${match.times}`);
    }
    this.rules = this.rules.filter((rule) => rule.fn !== fn || rule.symbol !== symbol);
    this.seq += 1;
    this.rules.push({ value, fn, symbol, remaining: match.times, seq: this.seq });
  }

  /** The winning rule's value for a call; consumes one use of a counted rule. */
  take(fn: string, symbol: string): T | undefined {
    let best: Rule<T> | undefined;
    for (const rule of this.rules) {
      if (rule.fn !== undefined && rule.fn !== fn) continue;
      if (rule.symbol !== undefined && rule.symbol !== symbol) continue;
      if (
        best === undefined ||
        specificity(rule) > specificity(best) ||
        (specificity(rule) === specificity(best) && rule.seq > best.seq)
      ) {
        best = rule;
      }
    }
    if (best?.remaining !== undefined) {
      best.remaining -= 1;
      if (best.remaining <= 0) this.rules = this.rules.filter((rule) => rule !== best);
    }
    return best?.value;
  }

  clear(): void {
    this.rules = [];
  }
}

// ---------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------

export async function startFakeAlphaVantage(options: FakeAlphaVantageOptions = {}): Promise<FakeAlphaVantage> {
  const calls: RecordedCall[] = [];
  const modes = new RuleSet<FakeMode>();
  const latencies = new RuleSet<number>();
  const bodies = new Map<string, BodyOverride>();
  const unknownSymbols = new Set<string>();

  const initialLatency = (): void => {
    latencies.clear();
    if (options.latencyMs) latencies.set(options.latencyMs);
  };
  initialLatency();

  const isUnknown = (symbol: string): boolean => {
    for (const unknown of unknownSymbols) if (unknown.toUpperCase() === symbol) return true;
    return false;
  };

  /** A price from an explicit GLOBAL_QUOTE body, so option chains follow an overridden quote. */
  const overriddenPrice = (symbol: string): number | undefined => {
    const found = bodyOverride('GLOBAL_QUOTE', symbol, {}, bodies) ?? bodyOverride('GLOBAL_QUOTE', symbol);
    const quote = (found?.body as { 'Global Quote'?: Record<string, unknown> } | undefined)?.['Global Quote'];
    const price = Number(quote?.['05. price']);
    return Number.isFinite(price) && price > 0 ? price : undefined;
  };

  const dataBody = (fn: string, symbol: string, params: Record<string, string>, apikey: string | undefined): unknown => {
    if (options.requireApiKey && !apikey) return MISSING_API_KEY_BODY;
    const own = bodyOverride(fn, symbol, params, bodies);
    if (own) return own.body;
    if (fn === '') return unknownFunctionBody('');
    const supported = (SUPPORTED_FUNCTIONS as readonly string[]).includes(fn);
    const shared = bodyOverride(fn, symbol, params);
    if (!supported) return shared ? shared.body : unknownFunctionBody(fn);
    const symbolless = (SYMBOLLESS_FUNCTIONS as readonly string[]).includes(fn);
    if (symbol === '' && !symbolless) return invalidCallBody(fn);
    if (!symbolless && isUnknown(symbol)) return unknownSymbolBody(fn);
    if (shared) return shared.body;

    const today =
      (fn === 'HISTORICAL_OPTIONS' ? params['date'] : undefined) ?? options.today ?? newYorkDate(new Date());
    const context: BodyContext = { today, expirations: options.expirations ?? defaultExpirations(today, 12) };
    if (options.asOf !== undefined) context.asOf = options.asOf;
    const price = fn.endsWith('_OPTIONS') ? overriddenPrice(symbol) : undefined;
    if (price !== undefined) context.underlyingPrice = price;
    if (!options.reuseRenderedBodies) return generatedBody(fn, symbol, params, context);
    const key = JSON.stringify([fn, symbol, Object.entries(params).sort(), context]);
    let done = rendered.get(key);
    if (done === undefined) {
      const body = generatedBody(fn, symbol, params, context);
      done = body instanceof CsvText ? new RenderedBody(body.text, true) : new RenderedBody(render(body));
      rendered.set(key, done);
    }
    return done;
  };
  const rendered = new Map<string, RenderedBody>();

  const sendJson = (res: http.ServerResponse, status: number, body: unknown): void => {
    // CSV functions (EARNINGS_CALENDAR) answer data as CSV; their errors still come as JSON.
    const csv = body instanceof CsvText || (body instanceof RenderedBody && body.csv);
    const text = body instanceof RenderedBody || body instanceof CsvText ? body.text : render(body);
    res.writeHead(status, { 'Content-Type': csv ? 'text/csv' : 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };

  const answer = (
    res: http.ServerResponse,
    mode: FakeMode,
    call: { fn: string; symbol: string; params: Record<string, string>; apikey: string | undefined },
  ): void => {
    if (res.destroyed || res.writableEnded) return;
    switch (mode) {
      case 'rateLimitNote':
        return sendJson(res, 200, RATE_LIMIT_NOTE_BODY);
      case 'rateLimitInformation':
        return sendJson(res, 200, RATE_LIMIT_INFORMATION_BODY);
      case 'errorMessage':
        return sendJson(res, 200, invalidCallBody(call.fn || 'the requested function'));
      case 'emptyObject':
        return sendJson(res, 200, {});
      case 'http500': {
        const text = '<html><body><h1>500 Internal Server Error</h1></body></html>';
        res.writeHead(500, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(text) });
        res.end(text);
        return;
      }
      case 'garbage':
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(GARBAGE) });
        res.end(GARBAGE);
        return;
      case 'reset':
        res.socket?.destroy();
        return;
      case 'hang':
        return;
      case 'data':
        try {
          return sendJson(res, 200, dataBody(call.fn, call.symbol, call.params, call.apikey));
        } catch (error) {
          // A broken override or an invalid date in the request: fail loudly, as a 500.
          const text = `fake Alpha Vantage failed: ${error instanceof Error ? error.message : String(error)}`;
          res.writeHead(500, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text) });
          res.end(text);
          return;
        }
    }
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== '/query') {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    const apikey = url.searchParams.get('apikey') ?? undefined;
    url.searchParams.delete('apikey');
    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    const fn = (params['function'] ?? '').toUpperCase();
    const symbol = (params['symbol'] ?? '').toUpperCase();
    const mode = modes.take(fn, symbol) ?? 'data';
    calls.push({ function: fn, symbol, params, apikey, mode, at: Date.now() });

    if (mode === 'hang') return; // answered never; close() destroys the socket
    const delay = latencies.take(fn, symbol) ?? 0;
    const call = { fn, symbol, params, apikey };
    if (delay <= 0) {
      answer(res, mode, call);
      return;
    }
    loopback.later(delay, () => answer(res, mode, call));
  });

  // Node's 5 s default closes an idle kept-alive socket while a busy client may be writing on
  // it (ECONNRESET: three calls of a 500-ticker scan without retries, in CI); close() destroys them all.
  server.keepAliveTimeout = 60_000;
  const loopback = await listenOnLoopback(server);
  const { port } = loopback;

  const fake: FakeAlphaVantage = {
    url: `http://127.0.0.1:${port}/query`,
    port,
    calls,
    callCount(filter) {
      if (filter === undefined) return calls.length;
      if (typeof filter === 'function') return calls.filter(filter).length;
      const fn = upper(filter.function);
      const symbol = upper(filter.symbol);
      return calls.filter((c) => (fn === undefined || c.function === fn) && (symbol === undefined || c.symbol === symbol))
        .length;
    },
    resetCalls() {
      calls.length = 0;
    },
    setMode(mode, match) {
      if (!FAKE_MODES.includes(mode)) throw new RangeError(`unknown mode ${String(mode)}`);
      modes.set(mode, match);
    },
    clearModes() {
      modes.clear();
    },
    setLatency(ms, match) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`latency must be a non-negative number, got ${ms}`);
      latencies.set(ms, { ...match });
    },
    unknownSymbols,
    setBody(fn, symbol, body) {
      bodies.set(bodyOverrideKey(fn, symbol), body);
    },
    clearBodies() {
      bodies.clear();
    },
    reset() {
      calls.length = 0;
      modes.clear();
      initialLatency();
      bodies.clear();
      unknownSymbols.clear();
    },
    close: () => loopback.close(),
  };
  return fake;
}
