import { readFileSync } from 'node:fs';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import {
  buildSampleData,
  cashFlowBody,
  companyProfile,
  DEFAULT_SYMBOLS,
  earningsBody,
  globalQuoteBody,
  marketDataChainBody,
  optionsBody,
  overviewBody,
} from '../support/alpha-vantage-data.js';
import {
  RATE_LIMIT_INFORMATION_BODY,
  RATE_LIMIT_NOTE_BODY,
  startFakeAlphaVantage,
  type FakeAlphaVantage,
} from '../support/fake-alpha-vantage.js';

const KEY = 'TEST-KEY-123';

let av: FakeAlphaVantage;

beforeAll(async () => {
  av = await startFakeAlphaVantage({ today: '2025-11-14' });
});

afterAll(async () => {
  await av.close();
});

afterEach(() => {
  av.reset();
});

function query(fn: string, symbol: string, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ function: fn, symbol, ...extra, apikey: KEY });
  return `${av.url}?${params.toString()}`;
}

async function getJson(fn: string, symbol: string, extra?: Record<string, string>): Promise<unknown> {
  const response = await fetch(query(fn, symbol, extra));
  expect(response.status).toBe(200);
  return response.json();
}

type OptionRow = Record<string, string>;

describe('fake Alpha Vantage', () => {
  it('listens on 127.0.0.1 with a random port and serves /query', () => {
    expect(av.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/query$/);
    expect(av.port).toBeGreaterThan(0);
  });

  it('with reuseRenderedBodies, answers the same bytes as without, whatever the parameter order, and still honours overrides', async () => {
    const reusing = await startFakeAlphaVantage({ today: '2025-11-14', reuseRenderedBodies: true });
    try {
      const text = async (url: string) => (await fetch(url)).text();
      const expected = await text(query('REALTIME_OPTIONS', 'MSFT', { require_greeks: 'true' }));
      const reordered = `${reusing.url}?require_greeks=true&apikey=${KEY}&symbol=MSFT&function=REALTIME_OPTIONS`;
      expect(await text(reordered)).toBe(expected);
      expect(await text(reordered)).toBe(expected);
      expect(reusing.callCount({ function: 'REALTIME_OPTIONS', symbol: 'MSFT' })).toBe(2);
      reusing.setBody('GLOBAL_QUOTE', 'MSFT', { 'Global Quote': { '05. price': '1.23' } });
      expect(await text(`${reusing.url}?function=GLOBAL_QUOTE&symbol=MSFT`)).toContain('1.23');
    } finally {
      await reusing.close();
    }
  });

  it('answers with the generated body and counts calls, recording the key outside params', async () => {
    const body = await getJson('EARNINGS', 'AAPL');
    expect(body).toEqual(earningsBody('AAPL'));
    await getJson('EARNINGS', 'aapl');
    await getJson('OVERVIEW', 'MSFT');

    expect(av.callCount()).toBe(3);
    expect(av.callCount({ function: 'EARNINGS' })).toBe(2);
    expect(av.callCount({ function: 'earnings', symbol: 'AAPL' })).toBe(2);
    expect(av.callCount({ symbol: 'MSFT' })).toBe(1);
    expect(av.callCount((c) => c.function === 'OVERVIEW')).toBe(1);

    const [first] = av.calls;
    expect(first).toMatchObject({ function: 'EARNINGS', symbol: 'AAPL', apikey: KEY, mode: 'data' });
    expect(first?.params).toEqual({ function: 'EARNINGS', symbol: 'AAPL' });
    expect(typeof first?.at).toBe('number');

    av.resetCalls();
    expect(av.callCount()).toBe(0);
  });

  it('serves every fundamentals function in Alpha Vantage wire format', async () => {
    expect(await getJson('OVERVIEW', 'NVDA')).toEqual(overviewBody('NVDA'));
    expect(await getJson('CASH_FLOW', 'NVDA')).toEqual(cashFlowBody('NVDA'));
    const quote = (await getJson('GLOBAL_QUOTE', 'NVDA')) as Record<string, Record<string, string>>;
    expect(quote).toEqual(globalQuoteBody('NVDA'));
    expect(Object.keys(quote['Global Quote'] ?? {})).toEqual([
      '01. symbol', '02. open', '03. high', '04. low', '05. price', '06. volume',
      '07. latest trading day', '08. previous close', '09. change', '10. change percent',
    ]);
  });

  it.each([
    ['rateLimitNote', RATE_LIMIT_NOTE_BODY],
    ['rateLimitInformation', RATE_LIMIT_INFORMATION_BODY],
    ['emptyObject', {}],
  ] as const)('mode %s answers HTTP 200 with its body', async (mode, expected) => {
    av.setMode(mode);
    expect(await getJson('EARNINGS', 'AAPL')).toEqual(expected);
    expect(av.calls[0]?.mode).toBe(mode);
  });

  it('mode errorMessage answers with the "Invalid API call" message for the function', async () => {
    av.setMode('errorMessage');
    expect(await getJson('CASH_FLOW', 'AAPL')).toEqual({
      'Error Message':
        'Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for CASH_FLOW.',
    });
  });

  it('never echoes the API key, even in the rate-limit Information message', async () => {
    av.setMode('rateLimitInformation');
    const text = await (await fetch(query('OVERVIEW', 'AAPL'))).text();
    expect(text).not.toContain(KEY);
  });

  it('mode http500 answers HTTP 500', async () => {
    av.setMode('http500');
    const response = await fetch(query('EARNINGS', 'AAPL'));
    expect(response.status).toBe(500);
    await response.text();
  });

  it('mode garbage answers malformed JSON', async () => {
    av.setMode('garbage');
    const response = await fetch(query('EARNINGS', 'AAPL'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const text = await response.text();
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  it('mode reset destroys the socket', async () => {
    av.setMode('reset');
    await expect(fetch(query('EARNINGS', 'AAPL'))).rejects.toThrow();
    expect(av.callCount()).toBe(1);
  });

  it('mode hang never answers', async () => {
    av.setMode('hang');
    await expect(fetch(query('EARNINGS', 'AAPL'), { signal: AbortSignal.timeout(150) })).rejects.toThrow();
    expect(av.calls[0]?.mode).toBe('hang');
  });

  it('applies the most specific rule, and counted rules expire', async () => {
    av.setMode('emptyObject');
    av.setMode('rateLimitNote', { function: 'EARNINGS' });
    av.setMode('data', { function: 'EARNINGS', symbol: 'MSFT' });
    av.setMode('errorMessage', { symbol: 'NVDA', times: 1 });

    expect(await getJson('OVERVIEW', 'AAPL')).toEqual({});
    expect(await getJson('EARNINGS', 'AAPL')).toEqual(RATE_LIMIT_NOTE_BODY);
    expect(await getJson('EARNINGS', 'MSFT')).toEqual(earningsBody('MSFT'));
    expect(await getJson('EARNINGS', 'NVDA')).toHaveProperty('Error Message');
    expect(await getJson('EARNINGS', 'NVDA')).toEqual(RATE_LIMIT_NOTE_BODY); // the counted rule is used up

    av.setMode('data');
    av.clearModes();
    expect(await getJson('OVERVIEW', 'AAPL')).toEqual(overviewBody('AAPL'));
  });

  it('rate-limits once, then answers with data (a retry scenario)', async () => {
    av.setMode('rateLimitNote', { function: 'GLOBAL_QUOTE', symbol: 'AAPL', times: 1 });
    expect(await getJson('GLOBAL_QUOTE', 'AAPL')).toEqual(RATE_LIMIT_NOTE_BODY);
    expect(await getJson('GLOBAL_QUOTE', 'AAPL')).toEqual(globalQuoteBody('AAPL'));
    expect(av.callCount({ function: 'GLOBAL_QUOTE', symbol: 'AAPL' })).toBe(2);
  });

  it('answers unknown symbols the way Alpha Vantage does for each function', async () => {
    av.unknownSymbols.add('zzzz');
    expect(await getJson('EARNINGS', 'ZZZZ')).toHaveProperty('Error Message');
    expect(await getJson('CASH_FLOW', 'ZZZZ')).toHaveProperty('Error Message');
    expect(await getJson('OVERVIEW', 'ZZZZ')).toEqual({});
    expect(await getJson('GLOBAL_QUOTE', 'ZZZZ')).toEqual({ 'Global Quote': {} });
    expect(await getJson('EARNINGS', 'AAPL')).toEqual(earningsBody('AAPL'));
  });

  it('answers an unsupported function with Alpha Vantage\'s message', async () => {
    expect(await getJson('TIME_SERIES_NOPE', 'AAPL')).toEqual({
      'Error Message': 'This API function (TIME_SERIES_NOPE) does not exist.',
    });
  });

  it('setBody overrides one function and symbol', async () => {
    const body = { symbol: 'AAPL', annualEarnings: [], quarterlyEarnings: [{ fiscalDateEnding: '2025-09-30', reportedEPS: 'None' }] };
    av.setBody('EARNINGS', 'aapl', body);
    expect(await getJson('EARNINGS', 'AAPL')).toEqual(body);
    expect(await getJson('EARNINGS', 'MSFT')).toEqual(earningsBody('MSFT'));
    av.setBody('OVERVIEW', 'AAPL', (params: Readonly<Record<string, string>>) => ({ Symbol: params['symbol'] }));
    expect(await getJson('OVERVIEW', 'AAPL')).toEqual({ Symbol: 'AAPL' });
  });

  it('setLatency delays answers', async () => {
    av.setLatency(120, { function: 'OVERVIEW' });
    const started = Date.now();
    await getJson('OVERVIEW', 'AAPL');
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    const quick = Date.now();
    await getJson('EARNINGS', 'AAPL');
    expect(Date.now() - quick).toBeLessThan(100);
  });

  it('serves REALTIME_OPTIONS with greeks only when require_greeks=true', async () => {
    const plain = (await getJson('REALTIME_OPTIONS', 'AAPL')) as { endpoint: string; data: OptionRow[] };
    expect(plain.endpoint).toBe('Realtime Options');
    expect(plain.data[0]).not.toHaveProperty('implied_volatility');
    expect(plain.data[0]).not.toHaveProperty('delta');

    const withGreeks = (await getJson('REALTIME_OPTIONS', 'AAPL', { require_greeks: 'true' })) as {
      message: string;
      data: OptionRow[];
    };
    expect(withGreeks.message).toBe('success');
    expect(withGreeks.data.length).toBeGreaterThan(100);
    const row = withGreeks.data.find((r) => r['type'] === 'put' && r['delta'] !== undefined && r['delta'] !== 'None');
    expect(Object.keys(row ?? {})).toEqual([
      'contractID', 'symbol', 'expiration', 'strike', 'type', 'last', 'mark', 'bid', 'bid_size', 'ask', 'ask_size',
      'volume', 'open_interest', 'date', 'implied_volatility', 'delta', 'gamma', 'theta', 'vega', 'rho',
    ]);
    expect(row?.['contractID']).toMatch(/^AAPL\d{6}P\d{8}$/);
    expect(row?.['date']).toBe('2025-11-14');
    for (const r of withGreeks.data) {
      const delta = r['delta'];
      if (delta === undefined || delta === 'None') continue;
      if (r['type'] === 'put') expect(Number(delta)).toBeLessThanOrEqual(0);
      else expect(Number(delta)).toBeGreaterThanOrEqual(0);
    }
    const missingBid = withGreeks.data.filter((r) => r['bid'] === undefined || r['bid'] === 'None');
    const missingDelta = withGreeks.data.filter((r) => r['delta'] === undefined || r['delta'] === 'None');
    expect(missingBid.length).toBeGreaterThan(0);
    expect(missingDelta.length).toBeGreaterThan(0);
    expect(missingBid.length + missingDelta.length).toBeLessThan(withGreeks.data.length * 0.08);

    const one = (await getJson('REALTIME_OPTIONS', 'AAPL', { require_greeks: 'true', contract: row?.['contractID'] ?? '' })) as {
      data: OptionRow[];
    };
    expect(one.data).toEqual([row]);
  });

  it('serves HISTORICAL_OPTIONS for the requested date, greeks included', async () => {
    const body = (await getJson('HISTORICAL_OPTIONS', 'MSFT', { date: '2025-10-01' })) as { endpoint: string; data: OptionRow[] };
    expect(body.endpoint).toBe('Historical Options');
    expect(body.data.every((r) => r['date'] === '2025-10-01')).toBe(true);
    expect(body.data.every((r) => r['expiration']! >= '2025-10-01')).toBe(true);
    expect(body.data[0]).toHaveProperty('implied_volatility');
  });

  it('builds option chains around an overridden GLOBAL_QUOTE price', async () => {
    av.setBody('GLOBAL_QUOTE', 'AAPL', { 'Global Quote': { '01. symbol': 'AAPL', '05. price': '100.0000' } });
    const body = (await getJson('REALTIME_OPTIONS', 'AAPL')) as { data: OptionRow[] };
    const strikes = body.data.map((r) => Number(r['strike']));
    expect(Math.min(...strikes)).toBeGreaterThanOrEqual(70);
    expect(Math.max(...strikes)).toBeLessThanOrEqual(130);
  });

  it('answers a missing apikey with Alpha Vantage\'s message when requireApiKey is set', async () => {
    const strict = await startFakeAlphaVantage({ requireApiKey: true });
    try {
      const response = await fetch(`${strict.url}?function=EARNINGS&symbol=AAPL`);
      expect(await response.json()).toHaveProperty('Error Message', expect.stringContaining('apikey is invalid or missing'));
      expect(strict.calls[0]?.apikey).toBeUndefined();
    } finally {
      await strict.close();
    }
  });

  it('close() resolves promptly with a hanging request and a pending latency', async () => {
    const fake = await startFakeAlphaVantage();
    fake.setMode('hang', { function: 'EARNINGS' });
    fake.setLatency(60_000, { function: 'OVERVIEW' });
    const hanging = fetch(`${fake.url}?function=EARNINGS&symbol=AAPL&apikey=k`).catch((error: unknown) => error);
    const delayed = fetch(`${fake.url}?function=OVERVIEW&symbol=AAPL&apikey=k`).catch((error: unknown) => error);
    await expect.poll(() => fake.callCount(), { timeout: 2000 }).toBe(2);

    const started = Date.now();
    await fake.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await hanging).toBeInstanceOf(Error);
    expect(await delayed).toBeInstanceOf(Error);
    await fake.close(); // idempotent
  });
});

describe('Alpha Vantage data generator', () => {
  it('is deterministic per symbol and differs between symbols', () => {
    expect(earningsBody('DDOG')).toEqual(earningsBody('ddog'));
    expect(overviewBody('DDOG')).toEqual(overviewBody('DDOG'));
    expect(optionsBody('DDOG', { today: '2025-11-14' })).toEqual(optionsBody('DDOG', { today: '2025-11-14' }));
    expect(earningsBody('DDOG')).not.toEqual(earningsBody('NOW'));
  });

  it('writes numbers as strings, 8 quarters newest first, and the TTM EPS adds up', () => {
    const body = earningsBody('AAPL') as { quarterlyEarnings: Array<Record<string, string>> };
    expect(body.quarterlyEarnings).toHaveLength(8);
    const dates = body.quarterlyEarnings.map((q) => q.fiscalDateEnding!);
    expect([...dates].sort().reverse()).toEqual(dates);
    const ttm = body.quarterlyEarnings.slice(0, 4).reduce((sum, q) => sum + Number(q.reportedEPS), 0);
    expect(ttm.toFixed(2)).toBe(overviewBody('AAPL')['EPS']);
    const overview = overviewBody('AAPL');
    expect(Object.values(overview).every((v) => typeof v === 'string')).toBe(true);
    expect(Number(overview['SharesOutstanding'])).toBeGreaterThan(14e9);
    expect(Number(overview['EPS'])).toBeGreaterThan(6);
  });

  it('mixes healthy and unhealthy companies deterministically', () => {
    const symbols = Array.from({ length: 200 }, (_, i) => `T${i.toString(36).toUpperCase()}`);
    const negativeEps = symbols.filter((s) => companyProfile(s).epsTtm < 0).length;
    const negativeFcf = symbols.filter((s) => companyProfile(s).fcfTtm < 0).length;
    expect(negativeEps).toBeGreaterThan(5);
    expect(negativeEps).toBeLessThan(50);
    expect(negativeFcf).toBeGreaterThan(5);
    expect(negativeFcf).toBeLessThan(60);
    expect(companyProfile('LOSSCO').epsTtm).toBeLessThan(0);
    expect(companyProfile('BURNCO').fcfTtm).toBeLessThan(0);
    expect(overviewBody('LOSSCO')['PERatio']).toBe('None');
  });

  it('writes "None" for a bank\'s capital expenditures, as Alpha Vantage does', () => {
    const body = cashFlowBody('JPM') as { quarterlyReports: Array<Record<string, string>> };
    expect(body.quarterlyReports[0]?.['capitalExpenditures']).toBe('None');
    expect(body.quarterlyReports[0]?.['reportedCurrency']).toBe('USD');
  });

  it('builds a marketdata.app columnar chain with equal-length columns', () => {
    const body = marketDataChainBody('AAPL', { today: '2025-11-14', expirations: ['2025-12-19'] });
    expect(body['s']).toBe('ok');
    const symbols = body['optionSymbol'] as string[];
    for (const [key, value] of Object.entries(body)) {
      if (key !== 's') expect(value, key).toHaveLength(symbols.length);
    }
    expect((body['expiration'] as number[])[0]).toBe(Date.UTC(2025, 11, 19, 21, 0, 0) / 1000); // 16:00 EST
    expect((body['delta'] as Array<number | null>).some((d) => d === null)).toBe(true);
  });

  it('answers EARNINGS_CALENDAR without a symbol as CSV (text/csv), filtered by symbol when one is sent; its errors as JSON', async () => {
    const url = (extra: Record<string, string>) => `${av.url}?${new URLSearchParams({ function: 'EARNINGS_CALENDAR', horizon: '3month', ...extra, apikey: KEY })}`;
    const all = await fetch(url({}));
    expect(all.headers.get('content-type')).toBe('text/csv');
    const lines = (await all.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('symbol,name,reportDate,fiscalDateEnding,estimate,currency');
    expect(lines).toHaveLength(1 + DEFAULT_SYMBOLS.length + 2);
    expect(lines.some((line) => line.startsWith('QTEST,"The ""Quoted"" Test Company, Inc.",'))).toBe(true);
    const one = (await (await fetch(url({ symbol: 'MSFT' }))).text()).trimEnd().split('\r\n');
    expect(one.slice(1).map((line) => line.split(',')[0])).toEqual(['MSFT']);
    av.setMode('rateLimitNote', { function: 'EARNINGS_CALENDAR', times: 1 });
    expect(await (await fetch(url({}))).json()).toEqual(RATE_LIMIT_NOTE_BODY);
  });

  it('answers TREASURY_YIELD by maturity, latest first, "." on exchange holidays', async () => {
    const fake = await startFakeAlphaVantage({ today: '2025-11-28' });
    try {
      const answer = await (await fetch(`${fake.url}?function=TREASURY_YIELD&maturity=3month&interval=daily&apikey=${KEY}`)).json();
      const data = (answer as { data: Array<{ date: string; value: string }> }).data;
      expect(data.slice(0, 2)).toEqual([{ date: '2025-11-27', value: '.' }, { date: '2025-11-26', value: '4.50' }]);
      expect(data).toHaveLength(40);
    } finally {
      await fake.close();
    }
  });

  it("places OVERVIEW's ex-dividend dates around its today: mostly ahead, some just past", async () => {
    const fake = await startFakeAlphaVantage({ today: '2031-06-02' });
    try {
      const dates: string[] = [];
      for (const symbol of DEFAULT_SYMBOLS) {
        const body = (await (await fetch(`${fake.url}?function=OVERVIEW&symbol=${symbol}&apikey=${KEY}`)).json()) as Record<string, string>;
        if (body['ExDividendDate'] !== 'None') dates.push(body['ExDividendDate']!);
      }
      expect(dates.length).toBeGreaterThan(3);
      expect(dates.every((date) => date >= '2031-05-23' && date <= '2031-08-11')).toBe(true);
      expect(dates.filter((date) => date >= '2031-06-02').length).toBeGreaterThan(dates.length / 2);
    } finally {
      await fake.close();
    }
  });

  it('matches the bundled sample data', () => {
    const file = new URL('../../sample-data/alpha-vantage-sample.json', import.meta.url);
    const bundled: unknown = JSON.parse(readFileSync(file, 'utf8'));
    expect(bundled).toEqual(buildSampleData(DEFAULT_SYMBOLS));
  });
});
