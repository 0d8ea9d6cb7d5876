/**
 * A fake marketdata.app on 127.0.0.1 (random port) for e2e tests.
 *
 *   const md = await startFakeMarketData({ apiKey: 'md-key' });
 *   // point the service at md.url (http://127.0.0.1:PORT/v1) with MARKETDATA_API_KEY=md-key
 *   md.setMode('ZS', 'noData');
 *   ...
 *   expect(md.callCount({ symbol: 'AAPL', side: 'put' })).toBe(1);
 *   await md.close();
 *
 * GET /v1/options/chain/{SYMBOL}/?side=put|call&from=YYYY-MM-DD&to=YYYY-MM-DD answers with
 * `marketDataChainBody` from ./alpha-vantage-data.ts (columnar JSON, one array per field,
 * null for a missing bid or delta), keeping the rows of the requested side whose expiration
 * (its New York date) lies in [from, to]. No row left: 404 `{"s":"no_data"}`, as the real API.
 * Without `Authorization: Bearer <apiKey>`: 401 with an error body.
 * The chain is generated for `today` (default: the New York date at request time) over the
 * 12 weekly expirations on or after it, so it matches the fake Alpha Vantage's chains.
 */
import http from 'node:http';
import { listenOnLoopback } from './loopback-server.js';

import { newYorkDate } from '../../src/domain/market-calendar.js';
import { defaultExpirations, marketDataChainBody } from './alpha-vantage-data.js';

/** data: the chain; noData: 404 {"s":"no_data"}; http500: an HTML 500; rateLimited: 429; hang: never answers */
export type MarketDataMode = 'data' | 'noData' | 'http500' | 'rateLimited' | 'hang';

export interface MarketDataCall {
  /** upper-cased symbol from the path ('' when the path is not a chain) */
  symbol: string;
  /** the query parameters as sent */
  side: string | undefined;
  from: string | undefined;
  to: string | undefined;
  /** the request carried `Authorization: Bearer <apiKey>` */
  authorized: boolean;
  /** HTTP status answered (0 for a hang) */
  status: number;
  /** how the fake answered */
  mode: MarketDataMode | 'unauthorized' | 'notFound';
  /** Date.now() when the request arrived */
  at: number;
}

export interface FakeMarketDataOptions {
  /** the key the fake expects as a Bearer token (default 'md-test-key') */
  apiKey?: string;
  /** quote date of the chains (default: today's New York date, at request time) */
  today?: string;
  /** expirations in the chains (default: the 12 weekly expirations on or after `today`) */
  expirations?: readonly string[];
  /** delay before every answer, ms (default 0) */
  latencyMs?: number;
}

export interface MarketDataCallMatch {
  symbol?: string;
  side?: string;
}

export interface FakeMarketData {
  /** base URL to configure as MARKETDATA_BASE_URL: http://127.0.0.1:PORT/v1 */
  readonly url: string;
  readonly port: number;
  readonly apiKey: string;
  /** every request, oldest first (live view) */
  readonly calls: readonly MarketDataCall[];
  callCount(filter?: MarketDataCallMatch | ((call: MarketDataCall) => boolean)): number;
  resetCalls(): void;
  /** answer every chain request for this symbol (case-insensitive) in `mode`; 'data' drops the rule */
  setMode(symbol: string, mode: MarketDataMode): void;
  clearModes(): void;
  setLatency(ms: number): void;
  /** calls, modes and latency back to the start */
  reset(): void;
  /** stops listening and destroys every connection, hanging ones included */
  close(): Promise<void>;
}

const MODES: readonly MarketDataMode[] = ['data', 'noData', 'http500', 'rateLimited', 'hang'];
const CHAIN_PATH = /^\/v1\/options\/chain\/([^/]+)\/?$/;
const NEW_YORK_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The New York calendar date of a Unix-seconds instant, 'YYYY-MM-DD'. */
export function newYorkDateOfUnix(seconds: number): string {
  return NEW_YORK_DATE.format(new Date(seconds * 1000));
}

/** The generated body for one request: the rows of `side` expiring within [from, to]; undefined when none. */
export function filteredChainBody(
  symbol: string,
  query: { side?: string | undefined; from?: string | undefined; to?: string | undefined },
  chain: { today: string; expirations: readonly string[] },
): Record<string, unknown> | undefined {
  const full = marketDataChainBody(symbol, { today: chain.today, expirations: chain.expirations });
  if (full['s'] !== 'ok') return undefined;
  const sides = full['side'] as string[];
  const expirations = full['expiration'] as number[];
  const side = query.side?.toLowerCase();
  const keep: number[] = [];
  sides.forEach((rowSide, row) => {
    const date = newYorkDateOfUnix(expirations[row]!);
    if (side !== undefined && side !== '' && rowSide !== side) return;
    if (query.from && date < query.from) return;
    if (query.to && date > query.to) return;
    keep.push(row);
  });
  if (keep.length === 0) return undefined;
  const body: Record<string, unknown> = { s: 'ok' };
  for (const [name, value] of Object.entries(full)) {
    if (Array.isArray(value)) body[name] = keep.map((row) => value[row] as unknown);
  }
  return body;
}

export async function startFakeMarketData(options: FakeMarketDataOptions = {}): Promise<FakeMarketData> {
  const apiKey = options.apiKey ?? 'md-test-key';
  const calls: MarketDataCall[] = [];
  const modes = new Map<string, MarketDataMode>();
  let latencyMs = options.latencyMs ?? 0;

  const sendJson = (res: http.ServerResponse, status: number, body: unknown): void => {
    if (res.destroyed || res.writableEnded) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = req.method === 'GET' ? CHAIN_PATH.exec(url.pathname) : null;
    const symbol = match ? decodeURIComponent(match[1]!).toUpperCase() : '';
    const authorized = req.headers.authorization === `Bearer ${apiKey}`;
    const call: MarketDataCall = {
      symbol,
      side: url.searchParams.get('side') ?? undefined,
      from: url.searchParams.get('from') ?? undefined,
      to: url.searchParams.get('to') ?? undefined,
      authorized,
      status: 0,
      mode: 'data',
      at: Date.now(),
    };
    calls.push(call);

    const respond = (): void => {
      if (!match) {
        call.mode = 'notFound';
        call.status = 404;
        return sendJson(res, 404, { s: 'error', errmsg: 'Not found.' });
      }
      if (!authorized) {
        call.mode = 'unauthorized';
        call.status = 401;
        return sendJson(res, 401, { s: 'error', errmsg: 'Invalid token header. No credentials provided.' });
      }
      const mode = modes.get(symbol) ?? 'data';
      call.mode = mode;
      switch (mode) {
        case 'hang':
          return;
        case 'noData':
          call.status = 404;
          return sendJson(res, 404, { s: 'no_data' });
        case 'rateLimited':
          call.status = 429;
          return sendJson(res, 429, { s: 'error', errmsg: 'Concurrent request limit reached. Please upgrade your plan.' });
        case 'http500': {
          call.status = 500;
          const text = '<html><body><h1>500 Internal Server Error</h1></body></html>';
          res.writeHead(500, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(text) });
          res.end(text);
          return;
        }
        case 'data': {
          const today = options.today ?? newYorkDate(new Date());
          const expirations = options.expirations ?? defaultExpirations(today, 12);
          let body: Record<string, unknown> | undefined;
          try {
            body = filteredChainBody(symbol, call, { today, expirations });
          } catch (error) {
            call.status = 500;
            const text = `fake marketdata.app failed: ${error instanceof Error ? error.message : String(error)}`;
            res.writeHead(500, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text) });
            res.end(text);
            return;
          }
          call.status = body ? 200 : 404;
          return sendJson(res, call.status, body ?? { s: 'no_data' });
        }
      }
    };

    if (latencyMs <= 0) {
      respond();
      return;
    }
    loopback.later(latencyMs, respond);
  });

  const loopback = await listenOnLoopback(server);
  const { port } = loopback;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    apiKey,
    calls,
    callCount(filter) {
      if (filter === undefined) return calls.length;
      if (typeof filter === 'function') return calls.filter(filter).length;
      const symbol = filter.symbol?.toUpperCase();
      const side = filter.side?.toLowerCase();
      return calls.filter((c) => (symbol === undefined || c.symbol === symbol) && (side === undefined || c.side === side)).length;
    },
    resetCalls() {
      calls.length = 0;
    },
    setMode(symbol, mode) {
      if (!MODES.includes(mode)) throw new RangeError(`unknown mode ${String(mode)}`);
      if (mode === 'data') modes.delete(symbol.toUpperCase());
      else modes.set(symbol.toUpperCase(), mode);
    },
    clearModes() {
      modes.clear();
    },
    setLatency(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`latency must be a non-negative number, got ${ms}`);
      latencyMs = ms;
    },
    reset() {
      calls.length = 0;
      modes.clear();
      latencyMs = options.latencyMs ?? 0;
    },
    close: () => loopback.close(),
  };
}
