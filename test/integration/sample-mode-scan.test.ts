/**
 * Sample-data mode as a newcomer meets it (`npm ci && npm start`, no environment): the
 * in-process service without ALPHAVANTAGE_API_KEY, a token made at start-up as main.ts
 * makes it, and a clock on a Saturday night. A scan with that token runs outside market
 * hours on the generated chains; the IDE page carries the token to this machine only.
 */
import { Decimal } from 'decimal.js';
import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CURATED_SYMBOLS } from '../../src/config.js';
import { newYorkDate, nextWeeklyExpirations } from '../../src/domain/market-calendar.js';
import { selectContracts } from '../../src/domain/scan-rules.js';
import { parseAlphaVantageOptions, parseGlobalQuotePrice } from '../../src/providers/alpha-vantage/market.parsers.js';
import { SampleAlphaVantage } from '../../src/providers/alpha-vantage/sample-alpha-vantage.js';
import { withStartupToken } from '../../src/server/startup-token.js';
import { errorCodes } from '../support/graphql-client.js';
import { startInProcessApp, type InProcessApp } from '../support/in-process-app.js';
import { scanEnd, startScan } from '../support/scan-client.js';
import { SCAN_RESULTS } from '../support/scan-operations.js';

/** Saturday 2026-03-07, 03:00 in New York, moving on with real time. */
const SATURDAY_NIGHT = Date.parse('2026-03-07T08:00:00Z');
const startedAt = Date.now();
const clock = () => new Date(SATURDAY_NIGHT + (Date.now() - startedAt));

interface Results {
  scanResults: {
    lastRun: string;
    tickers: Array<{ symbol: string; options: Array<{ contractId: string; expiration: string; bid: number; delta: number; annualizedReturn: number }> }>;
  };
}

let service: InProcessApp;
let token: string;

beforeAll(async () => {
  service = await startInProcessApp({
    env: { ALPHAVANTAGE_API_KEY: undefined, API_TOKENS: undefined },
    configure: (config) => withStartupToken(config),
    overrides: { clock },
  });
  token = service.config.startupToken!;
}, 30_000);

afterAll(async () => {
  await service?.close();
});

/** The puts a default scan keeps, from the sample chains of the same day, read here without the service. */
async function expectedPuts(): Promise<Map<string, string[]>> {
  const sample = new SampleAlphaVantage(clock);
  const now = clock();
  const expirations = nextWeeklyExpirations(now, 4);
  const kept = new Map<string, string[]>();
  for (const symbol of DEFAULT_CURATED_SYMBOLS) {
    const quotes = parseAlphaVantageOptions(await sample.fetch({ fn: 'REALTIME_OPTIONS', symbol, params: { require_greeks: 'true' } }));
    const underlyingPrice = parseGlobalQuotePrice(await sample.fetch({ fn: 'GLOBAL_QUOTE', symbol }))!;
    const selected = selectContracts({ quotes, underlyingPrice, type: 'PUT', todayNy: newYorkDate(now), expirations });
    if (selected.length > 0) kept.set(symbol, selected.map((contract) => contract.contractId).sort());
  }
  return kept;
}

describe('sample-data mode scans', () => {
  it('makes a token for this run, refuses a scan without it', async () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const refused = await startScan(service.url, {}, {});
    expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
  });

  it('scans the default symbols with that token outside market hours, and lastRun says it ran on sample data', async () => {
    const started = await startScan(service.url, {}, { authorization: `Bearer ${token}` });
    expect(started.errors).toEqual([]);
    expect(started.data?.startScan).toMatchObject({ started: true, reason: null });

    const end = await scanEnd(service.url);
    expect(end.progress).toEqual({ total: 26, completed: 26 });
    expect(end.lastRun).toMatch(/^Scan completed successfully at 2026-03-07 03:\d{2}:\d{2} \(sample data: .*market hours do not apply\)$/);

    const results = await service.graphql<Results>(SCAN_RESULTS);
    expect(results.errors).toEqual([]);
    const tickers = results.data!.scanResults.tickers;
    const expected = await expectedPuts();
    expect(expected.size).toBeGreaterThanOrEqual(8);
    expect(Object.fromEntries(tickers.map((ticker) => [ticker.symbol, ticker.options.map((option) => option.contractId).sort()]))).toEqual(
      Object.fromEntries(expected),
    );
    const expirations = new Set(nextWeeklyExpirations(clock(), 4));
    for (const option of tickers.flatMap((ticker) => ticker.options)) {
      expect(expirations.has(option.expiration)).toBe(true);
      expect(option.bid).toBeGreaterThan(0);
      expect(Math.abs(option.delta)).toBeLessThanOrEqual(0.2);
      expect(option.annualizedReturn).toBeGreaterThanOrEqual(30);
    }
  }, 30_000);

  it('never writes the token in a log line', () => {
    expect(service.logs.length).toBeGreaterThan(0);
    expect(JSON.stringify(service.logs)).not.toContain(token);
  });
});

describe('the IDE page in sample-data mode', () => {
  // node:http, not fetch: fetch leaves out a Host header it is given.
  const page = (headers: Record<string, string> = {}) =>
    new Promise<{ text: string; cacheControl: string | undefined }>((resolve, reject) => {
      get(service.url, { headers: { accept: 'text/html', ...headers } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), cacheControl: response.headers['cache-control'] }));
      }).on('error', reject);
    });

  it('pre-fills the Authorization header for a browser on this machine, and is never stored', async () => {
    const { text, cacheControl } = await page();
    expect(text).toContain(`"defaultHeaders":"{\\n  \\"Authorization\\": \\"Bearer ${token}\\"\\n}"`);
    expect(text).toContain('"shouldPersistHeaders":false');
    expect(cacheControl).toBe('no-store');
  });

  it('leaves it out for a proxied request, another host name or another site', async () => {
    const elsewhere: Array<Record<string, string>> = [{ 'x-forwarded-for': '203.0.113.9' }, { host: 'rebound.example' }, { origin: 'https://elsewhere.example' }];
    for (const headers of elsewhere) {
      const { text, cacheControl } = await page(headers);
      expect(text).toContain('GraphiQL');
      expect(text).not.toContain(token);
      expect(text).not.toContain('Authorization');
      expect(cacheControl).toBe('no-cache');
    }
  });
});

describe('with a real key or a public bind', () => {
  it('makes no token: the IDE page has no header and scans keep to market hours', async () => {
    const keyed = await startInProcessApp({ env: { API_TOKENS: undefined }, configure: (config) => withStartupToken(config), overrides: { clock } });
    try {
      expect(keyed.config.startupToken).toBeUndefined();
      expect(keyed.config.apiTokens).toEqual([]);
      const text = await fetch(keyed.url, { headers: { accept: 'text/html' } }).then((response) => response.text());
      expect(text).not.toContain('Authorization');
      expect(errorCodes(await startScan(keyed.url, {}, { authorization: `Bearer ${token}` }))).toEqual(['UNAUTHENTICATED']);
    } finally {
      await keyed.close();
    }
    const scansWithToken = await startInProcessApp({ env: { API_TOKENS: 'configured-token' }, overrides: { clock } });
    try {
      const refused = await startScan(scansWithToken.url, {}, { authorization: 'Bearer configured-token' });
      expect(refused.data?.startScan).toMatchObject({ started: false, reason: 'MARKET_CLOSED' });
    } finally {
      await scansWithToken.close();
    }
  }, 30_000);

  it('prices the sample stocks too: Friday’s close, read on Saturday night, fresh (under 24 hours)', async () => {
    const answer = await service.graphql<{ intrinsicValue: { quote: { price: number; asOf: string; stale: boolean } | null; tier: string | null } }>(
      '{ intrinsicValue(symbol: "NVDA") { quote { price asOf stale } tier } }',
    );
    expect(answer.errors).toEqual([]);
    const sample = new SampleAlphaVantage(clock);
    const price = parseGlobalQuotePrice(await sample.fetch({ fn: 'GLOBAL_QUOTE', symbol: 'NVDA' }));
    // Friday 2026-03-06, 16:00 EST = 21:00 UTC
    // Answered in cents, half-even.
    expect(answer.data!.intrinsicValue.quote).toEqual({ price: new Decimal(price!).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toNumber(), asOf: '2026-03-06T21:00:00.000Z', stale: false });
    expect(answer.data!.intrinsicValue.tier).not.toBeNull();
  });

  it('makes no token on 0.0.0.0', async () => {
    const config = withStartupToken({ ...service.config, apiTokens: [], startupToken: undefined, host: '0.0.0.0' });
    expect(config.startupToken).toBeUndefined();
    expect(config.apiTokens).toEqual([]);
  });
});
