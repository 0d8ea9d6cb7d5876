/**
 * The option scanner through the real Application and HTTP app in this process (the
 * in-process harness, test/support/in-process-app.ts) on Redis, with Alpha Vantage and
 * marketdata.app replaced by the fakes in test/support. What needs a process (two servers
 * on one Redis, a server killed or stopped mid-scan) is in test/e2e/scanner.e2e.test.ts.
 *
 * The expected selections are computed here, from the same generator the fakes answer
 * with (same New York `today`, same expirations), by a filter written out plainly from the
 * rules in the contract. Nothing in src/domain/scan-rules.ts is used for it.
 *
 * Redis databases owned by this file: 8 (Alpha Vantage as the options source),
 * 11 (marketdata.app as the options source).
 */
import type { RedisClientType } from '@redis/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { newYorkDate, nextWeeklyExpirations } from '../../src/domain/market-calendar.js';
import { defaultExpirations, globalQuoteBody, marketDataChainBody, optionsBody } from '../support/alpha-vantage-data.js';
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { newYorkDateOfUnix, startFakeMarketData, type FakeMarketData } from '../support/fake-marketdata.js';
import { ask, errorCodes } from '../support/graphql-client.js';
import { startInProcessApp, type InProcessApp } from '../support/in-process-app.js';
import { dropDatabase, freshDatabase } from '../support/redis.js';
import { SCAN_TOKEN as TOKEN, SUCCESS, scannerEnv, noScanRunning, scanEnd, scanStatus, sleep, startScan, waitFor, type OptionResult, type OptionType, type ScanInput, type ScanStatus } from '../support/scan-client.js';
import { SCAN_RESULTS } from '../support/scan-operations.js';

// ---------------------------------------------------------------------------
// Operations and their answers
// ---------------------------------------------------------------------------


interface TickerResult {
  symbol: string;
  scannedAt: string;
  options: OptionResult[];
  intrinsicValue: { effectiveIntrinsicValue: number | null } | null;
}

interface ScanResultsData {
  scanResults: { lastRun: string; tickers: TickerResult[] };
}

const SCANNER_TTL_MS = 45 * 60 * 1000;

const KEY = {
  tickerOptions: 'wheel:scanner:ticker_options',
  tickerScanTimes: 'wheel:scanner:ticker_scan_times',
  lastRun: 'wheel:scanner:last_run',
  lock: 'wheel:scanner:scan_in_progress',
} as const;

async function scanResults(url: string): Promise<ScanResultsData['scanResults']> {
  const answer = await ask<ScanResultsData, object>(url, SCAN_RESULTS);
  expect(answer.errors).toEqual([]);
  return answer.data!.scanResults;
}

async function startedScan(url: string, input?: ScanInput): Promise<ScanStatus> {
  const answer = await startScan(url, input);
  expect(answer.errors).toEqual([]);
  expect(answer.data?.startScan).toMatchObject({ started: true, reason: null });
  return scanEnd(url);
}

// ---------------------------------------------------------------------------
// The expectation: the rules, written out plainly
// ---------------------------------------------------------------------------

/** One contract as a provider lists it, whatever the wire format. */
interface Row {
  contractId: string;
  type: OptionType;
  expiration: string;
  strike: number;
  bid: number | null;
  delta: number | null;
}

interface Expected {
  contractId: string;
  daysToExpiration: number;
  annualizedReturn: number;
}

/** Missing on the wire: absent, null, '' or Alpha Vantage's "None". */
function numberOrNull(raw: unknown): number | null {
  if (raw === undefined || raw === null || raw === '' || raw === 'None') return null;
  return Number(raw);
}

function calendarDays(from: string, to: string): number {
  const utc = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return Math.round((utc(to) - utc(from)) / 86_400_000);
}

/**
 * bid / strike / max(DTE, 1) × 365 × 100 rounded to 2 decimals (half to even), computed
 * in whole cents so that the test and the service can never disagree by a float ulp.
 */
function annualized(bid: number, strike: number, dte: number): number {
  const numerator = Math.round(bid * 100) * 365 * 100 * 100; // hundredths of a percent, times the denominator
  const denominator = Math.round(strike * 100) * Math.max(dte, 1);
  let hundredths = Math.floor(numerator / denominator);
  const twiceRemainder = 2 * (numerator - hundredths * denominator);
  if (twiceRemainder > denominator || (twiceRemainder === denominator && hundredths % 2 === 1)) hundredths += 1;
  return hundredths / 100;
}

function callDeltaBound(dte: number): number {
  if (dte <= 7) return 0.2;
  if (dte <= 14) return 0.24;
  if (dte <= 21) return 0.28;
  if (dte <= 28) return 0.32;
  return 0.36;
}

/** The contracts the default rules keep: OTM, bid and delta present, annualized and delta within bounds. */
function selectPlainly(rows: readonly Row[], price: number, type: OptionType, today: string, expirations: readonly string[]): Expected[] {
  const kept: Expected[] = [];
  for (const row of rows) {
    if (row.type !== type || !expirations.includes(row.expiration)) continue;
    if (row.bid === null || row.delta === null) continue;
    const outOfTheMoney = type === 'PUT' ? row.strike < price : row.strike > price;
    if (!outOfTheMoney) continue;
    const dte = calendarDays(today, row.expiration);
    const yearly = annualized(row.bid, row.strike, dte);
    if (yearly < (type === 'PUT' ? 30 : 20)) continue;
    if (Math.abs(row.delta) > (type === 'PUT' ? 0.2 : callDeltaBound(dte))) continue;
    kept.push({ contractId: row.contractId, daysToExpiration: dte, annualizedReturn: yearly });
  }
  return kept.sort((a, b) => (a.contractId < b.contractId ? -1 : 1));
}

interface Chain {
  price: number;
  rows: Row[];
}

/** What the fake Alpha Vantage serves for REALTIME_OPTIONS (with greeks) and GLOBAL_QUOTE. */
function alphaVantageChain(symbol: string, today: string, body?: Record<string, unknown>): Chain {
  const chain = body ?? optionsBody(symbol, { today, expirations: defaultExpirations(today, 12), requireGreeks: true });
  const quote = globalQuoteBody(symbol)['Global Quote'] as Record<string, string>;
  const rows = (chain['data'] as Array<Record<string, string>>).map(
    (row): Row => ({
      contractId: row['contractID']!,
      type: row['type'] === 'put' ? 'PUT' : 'CALL',
      expiration: row['expiration']!,
      strike: Number(row['strike']),
      bid: numberOrNull(row['bid']),
      delta: numberOrNull(row['delta']),
    }),
  );
  return { price: Number(quote['05. price']), rows };
}

/** What the fake marketdata.app serves (before its side/from/to filter), read column by column. */
function marketDataChain(symbol: string, today: string): Chain {
  const body = marketDataChainBody(symbol, { today, expirations: defaultExpirations(today, 12) });
  const column = (name: string) => body[name] as unknown[];
  const rows = column('optionSymbol').map(
    (id, i): Row => ({
      contractId: String(id),
      type: column('side')[i] === 'put' ? 'PUT' : 'CALL',
      expiration: newYorkDateOfUnix(column('expiration')[i] as number),
      strike: column('strike')[i] as number,
      bid: numberOrNull(column('bid')[i]),
      delta: numberOrNull(column('delta')[i]),
    }),
  );
  return { price: column('underlyingPrice')[0] as number, rows };
}

/** symbol → expected contracts, for the symbols with at least one. */
function expectedSelection(
  chains: Record<string, Chain>,
  type: OptionType,
  today: string,
  weeks: number,
): Map<string, Expected[]> {
  const expirations = nextWeeklyExpirations(new Date(), weeks);
  const expected = new Map<string, Expected[]>();
  for (const [symbol, chain] of Object.entries(chains)) {
    const kept = selectPlainly(chain.rows, chain.price, type, today, expirations);
    if (kept.length > 0) expected.set(symbol, kept);
  }
  return expected;
}

/** scanResults lists exactly the expected tickers (sorted) and contracts, with the expected figures. */
function expectSelection(tickers: readonly TickerResult[], expected: Map<string, Expected[]>, type: OptionType): void {
  expect(tickers.map((ticker) => ticker.symbol)).toEqual([...expected.keys()].sort());
  for (const ticker of tickers) {
    const want = expected.get(ticker.symbol)!;
    const got = [...ticker.options].sort((a, b) => (a.contractId < b.contractId ? -1 : 1));
    expect({ symbol: ticker.symbol, ids: got.map((option) => option.contractId) }).toEqual({
      symbol: ticker.symbol,
      ids: want.map((contract) => contract.contractId),
    });
    got.forEach((option, i) => {
      expect(option.type).toBe(type);
      expect(option.daysToExpiration).toBe(want[i]!.daysToExpiration);
      expect(option.annualizedReturn).toBe(want[i]!.annualizedReturn);
    });
  }
}

const chainsOf = (symbols: readonly string[], today: string, chainOf = alphaVantageChain): Record<string, Chain> =>
  Object.fromEntries(symbols.map((symbol) => [symbol, chainOf(symbol, today)]));


// ---------------------------------------------------------------------------
// One server on Alpha Vantage
// ---------------------------------------------------------------------------

describe('scanning with Alpha Vantage as the options source (one server)', () => {
  const DATABASE = 8;
  const CURATED = ['SHOP', 'DUOL', 'AMZN', 'PLTR', 'DDOG', 'MSFT', 'NVDA', 'AAPL', 'SPOT'];
  let today: string;
  let fake: FakeAlphaVantage;
  let server: InProcessApp;
  let redis: RedisClientType;

  beforeAll(async () => {
    redis = await freshDatabase(DATABASE);
    today = newYorkDate(new Date());
    fake = await startFakeAlphaVantage({ today });
    server = await startInProcessApp({
      database: DATABASE,
      fake,
      env: { ...scannerEnv(DATABASE, fake), SCAN_CONCURRENCY: '1', CURATED_SYMBOLS: CURATED.join(',') },
    });
  });

  afterAll(async () => {
    if (server) await noScanRunning(server.url);
    await server?.close();
    await fake?.close();
    await dropDatabase(redis);
  });

  /** symbol → when this server last fetched its options chain upstream (kept across fake.reset()) */
  const lastOptionsFetch = new Map<string, number>();
  const noteOptionsFetches = () => {
    for (const call of fake.calls) {
      if (call.function === 'REALTIME_OPTIONS') lastOptionsFetch.set(call.symbol, Math.max(call.at, lastOptionsFetch.get(call.symbol) ?? 0));
    }
  };

  beforeEach(() => {
    noteOptionsFetches();
    fake.reset();
  });

  it('refuses startScan without a token or with a wrong one (UNAUTHENTICATED) and starts no scan', async () => {
    const refusals = [
      await startScan(server.url, { symbols: ['AAPL'] }, {}),
      await startScan(server.url, { symbols: ['AAPL'] }, { authorization: 'Bearer wrong-token' }),
      await startScan(server.url, undefined, { authorization: TOKEN }),
    ];
    for (const answer of refusals) {
      expect(errorCodes(answer)).toEqual(['UNAUTHENTICATED']);
      expect(answer.data?.startScan ?? null).toBeNull();
    }
    await sleep(300); // a scan started in the background would have called upstream by now
    expect(await redis.exists(KEY.lock)).toBe(0);
    expect(fake.callCount({ function: 'REALTIME_OPTIONS' })).toBe(0);
    expect(fake.callCount({ function: 'GLOBAL_QUOTE' })).toBe(0);
    expect(await scanStatus(server.url)).toEqual({ inProgress: false, lastRun: 'Never', startedAt: null, finishedAt: null, progress: null });
  });

  it('refuses weeks 0, maxDelta 2 and a malformed symbol with BAD_USER_INPUT and starts no scan', async () => {
    const inputs: ScanInput[] = [
      { weeks: 0 },
      { weeks: 13 },
      { maxDelta: 2 },
      { minAnnualizedReturn: -1 },
      { symbols: ['AAPL', 'NOT A SYMBOL!'] },
      { symbols: [] },
    ];
    for (const input of inputs) {
      const answer = await startScan(server.url, input);
      expect({ input, codes: errorCodes(answer) }).toEqual({ input, codes: ['BAD_USER_INPUT'] });
      expect(answer.data?.startScan ?? null).toBeNull();
    }
    await sleep(300);
    expect(await redis.exists(KEY.lock)).toBe(0);
    expect(fake.callCount({ function: 'REALTIME_OPTIONS' })).toBe(0);
    expect((await scanStatus(server.url)).lastRun).toBe('Never');
  });

  it('scans the curated symbols for puts 4 weeks out by default: scanResults lists exactly the contracts the rules select, tickers sorted', async () => {
    const expected = expectedSelection(chainsOf(CURATED, today), 'PUT', today, 4);
    expect(expected.size).toBeGreaterThan(0); // the data must give the comparison something to compare

    const started = await startScan(server.url);
    expect(started.errors).toEqual([]);
    expect(started.data?.startScan.started).toBe(true);
    expect(started.data?.startScan.status).toMatchObject({ inProgress: true, progress: { total: CURATED.length } });
    const end = await scanEnd(server.url);
    expect(end.lastRun).toMatch(SUCCESS);
    expect(end.progress).toEqual({ total: CURATED.length, completed: CURATED.length });
    expect(end.finishedAt).not.toBeNull();

    const results = await scanResults(server.url);
    expect(results.lastRun).toBe(end.lastRun);
    expectSelection(results.tickers, expected, 'PUT');
    // one options call (with greeks) and one quote per symbol
    for (const symbol of CURATED) {
      expect(fake.callCount({ function: 'REALTIME_OPTIONS', symbol })).toBe(1);
      expect(fake.callCount({ function: 'GLOBAL_QUOTE', symbol })).toBe(1);
    }
    expect(fake.calls.filter((call) => call.function === 'REALTIME_OPTIONS').every((call) => call.params['require_greeks'] === 'true')).toBe(true);
  });

  it('marks belowIntrinsicValue exactly when strike <= intrinsicValue.effectiveIntrinsicValue', async () => {
    const results = await scanResults(server.url);
    const options = results.tickers.flatMap((ticker) => ticker.options.map((option) => ({ ticker, option })));
    expect(options.length).toBeGreaterThan(0);
    for (const { ticker, option } of options) {
      const value = ticker.intrinsicValue?.effectiveIntrinsicValue ?? null;
      expect({ contract: option.contractId, below: option.belowIntrinsicValue }).toEqual({
        contract: option.contractId,
        below: value === null ? null : option.strike <= value,
      });
    }
  });

  it('values the tickers only when the badge is asked for (through a fragment too), not when it is left out or skipped', async () => {
    const fundamentals = (await redis.keys('wheel:alphavantage:*')).filter((key) => /:(earnings|overview|cash_flow):/.test(key));
    expect(fundamentals.length).toBeGreaterThan(0); // the badge test above loaded them
    await redis.del(fundamentals);
    await sleep(5_500); // past the source's 5 s in which a finished upstream call still answers joiners
    const badges = (selection: string) => `query Badges${selection.includes('$ask') ? '($ask: Boolean!)' : ''} {
      scanResults { tickers { symbol options { contractId ${selection} } } }
    }
    ${selection.includes('...Badge') ? 'fragment Badge on OptionContract { belowIntrinsicValue }' : ''}`;
    type Answer = { scanResults: { tickers: Array<{ options: Array<{ contractId: string; belowIntrinsicValue?: boolean | null }> }> } };
    const contractsOf = (answer: Answer) => answer.scanResults.tickers.flatMap((ticker) => ticker.options);

    for (const [selection, variables] of [
      ['', {}],
      ['belowIntrinsicValue @include(if: $ask)', { ask: false }],
      ['belowIntrinsicValue @skip(if: $ask)', { ask: true }],
      ['...Badge @include(if: $ask)', { ask: false }],
    ] as const) {
      const answer = await ask<Answer, object>(server.url, badges(selection), variables);
      expect({ selection, errors: answer.errors }).toEqual({ selection, errors: [] });
      expect(contractsOf(answer.data!).length).toBeGreaterThan(0);
      expect(contractsOf(answer.data!).some((option) => 'belowIntrinsicValue' in option)).toBe(false);
    }
    expect(fake.callCount({ function: 'EARNINGS' })).toBe(0);
    expect(fake.callCount({ function: 'OVERVIEW' })).toBe(0);

    const answer = await ask<Answer, object>(server.url, badges('...Badge'));
    expect(answer.errors).toEqual([]);
    expect(fake.callCount({ function: 'EARNINGS' })).toBeGreaterThan(0);
    const viaFragment = new Map(contractsOf(answer.data!).map((option) => [option.contractId, option.belowIntrinsicValue]));
    const full = (await scanResults(server.url)).tickers.flatMap((ticker) => ticker.options);
    expect(full.some((option) => option.belowIntrinsicValue !== null)).toBe(true);
    for (const option of full) expect([option.contractId, viaFragment.get(option.contractId)]).toEqual([option.contractId, option.belowIntrinsicValue]);
  });

  it('never selects a contract without a bid or a delta, and lists no ticker none of whose contracts pass (puts, 6 weeks)', async () => {
    const symbols = ['DUOL', 'PLTR', 'ROKU'];
    // ROKU: every put delta pushed to -0.5, so none of its contracts can pass.
    const rokuBody = optionsBody('ROKU', { today, expirations: defaultExpirations(today, 12), requireGreeks: true });
    for (const row of rokuBody['data'] as Array<Record<string, string>>) row['delta'] = row['type'] === 'put' ? '-0.50000' : '0.50000';
    fake.setBody('REALTIME_OPTIONS', 'ROKU', rokuBody);
    const chains = { ...chainsOf(['DUOL', 'PLTR'], today), ROKU: alphaVantageChain('ROKU', today, rokuBody) };

    const expirations = nextWeeklyExpirations(new Date(), 6);
    const incomplete = Object.values(chains).flatMap((chain) =>
      chain.rows.filter((row) => row.type === 'PUT' && expirations.includes(row.expiration) && (row.bid === null || row.delta === null)),
    );
    expect(incomplete.length).toBeGreaterThan(0); // the generator plants some inside the window

    const expected = expectedSelection(chains, 'PUT', today, 6);
    expect(expected.has('ROKU')).toBe(false);
    expect(expected.size).toBeGreaterThan(0);

    const end = await startedScan(server.url, { symbols: symbols.map((symbol) => symbol.toLowerCase()), optionType: 'PUT', weeks: 6 });
    expect(end.lastRun).toMatch(SUCCESS);
    const results = await scanResults(server.url);
    expectSelection(results.tickers, expected, 'PUT');
    const listed = new Set(results.tickers.flatMap((ticker) => ticker.options.map((option) => option.contractId)));
    for (const row of incomplete) expect(listed.has(row.contractId)).toBe(false);
  });

  it('selects calls with the DTE-scaled delta bound (0.20 to 0.36) and a 20 % minimum', async () => {
    const symbols = ['DUOL', 'PLTR', 'SPOT', 'DDOG', 'NVDA'];
    const expected = expectedSelection(chainsOf(symbols, today), 'CALL', today, 6);
    expect(expected.size).toBeGreaterThan(0);

    const end = await startedScan(server.url, { symbols, optionType: 'CALL', weeks: 6 });
    expect(end.lastRun).toMatch(SUCCESS);
    const results = await scanResults(server.url);
    expectSelection(results.tickers, expected, 'CALL');
    for (const option of results.tickers.flatMap((ticker) => ticker.options)) {
      expect(option.strike).toBeGreaterThan(option.underlyingPrice!);
    }
  });

  it('advances scanStatus.progress.completed during a scan, then reports inProgress false and the completion message', async () => {
    const symbols = ['ZS', 'TEAM', 'SNOW', 'NET', 'COIN', 'SOFI'];
    fake.setLatency(300, { function: 'REALTIME_OPTIONS' });
    const started = await startScan(server.url, { symbols });
    expect(started.data?.startScan).toMatchObject({ started: true, status: { inProgress: true, lastRun: 'Scanning in progress...' } });

    const seen: ScanStatus[] = [];
    const end = await waitFor('the scan to finish', async () => {
      const status = await scanStatus(server.url);
      seen.push(status);
      return status.inProgress || status.finishedAt === null ? undefined : status;
    }, 20_000, 40);

    const running = seen.filter((status) => status.inProgress);
    const completed = running.map((status) => status.progress!.completed);
    expect(running.every((status) => status.progress?.total === symbols.length && status.lastRun === 'Scanning in progress...')).toBe(true);
    expect(completed).toEqual([...completed].sort((a, b) => a - b)); // never goes back
    const intermediate = new Set(completed.filter((count) => count > 0 && count < symbols.length));
    expect(intermediate.size).toBeGreaterThanOrEqual(2);
    expect(end.progress).toEqual({ total: symbols.length, completed: symbols.length });
    expect(end.lastRun).toMatch(SUCCESS);
    expect(new Date(end.finishedAt!).getTime()).toBeGreaterThanOrEqual(new Date(end.startedAt!).getTime());
  });

  it('keeps the lock key with a 45-minute TTL while a scan runs, and the result keys with the same TTL after it', async () => {
    const symbols = ['RIVN', 'HOOD', 'ROKU'];
    fake.setLatency(500, { function: 'REALTIME_OPTIONS' });
    const started = await startScan(server.url, { symbols });
    expect(started.data?.startScan.started).toBe(true);

    const lockTtl = await redis.pTTL(KEY.lock);
    expect(lockTtl).toBeGreaterThan(2_600_000);
    expect(lockTtl).toBeLessThanOrEqual(SCANNER_TTL_MS);
    const holder = JSON.parse((await redis.get(KEY.lock))!) as { value: { owner: string; startedAt: string } };
    expect(holder.value.owner).toEqual(expect.any(String));

    const end = await scanEnd(server.url);
    expect(end.lastRun).toMatch(SUCCESS);
    expect(await redis.exists(KEY.lock)).toBe(0);
    for (const key of [KEY.tickerOptions, KEY.tickerScanTimes, KEY.lastRun]) {
      const ttl = await redis.pTTL(key);
      expect({ key, inRange: ttl > 2_600_000 && ttl <= SCANNER_TTL_MS }).toEqual({ key, inRange: true });
    }
  });

  it('releases the lock after a scan whose upstream fails for some tickers, names them in lastRun and keeps earlier results', async () => {
    // Three symbols with matches, scanned successfully first.
    const pool = ['DUOL', 'PLTR', 'DDOG', 'SHOP', 'SPOT', 'CRWD', 'ANET', 'AVGO', 'NOW', 'META', 'ZS', 'TEAM'];
    const withMatches = [...expectedSelection(chainsOf(pool, today), 'PUT', today, 4).keys()];
    expect(withMatches.length).toBeGreaterThanOrEqual(3);
    const [kept, untouched, failing] = withMatches as [string, string, string];
    const limited = 'RDDT'; // never scanned before: its options call goes upstream
    const before = expectedSelection(chainsOf([kept, untouched, failing], today), 'PUT', today, 4);

    const first = await startedScan(server.url, { symbols: [kept, untouched, failing] });
    expect(first.lastRun).toMatch(SUCCESS);
    expectSelection((await scanResults(server.url)).tickers, before, 'PUT');

    // The cached chain of `failing` goes, so the next scan must ask upstream, which fails.
    // A successful upstream call is shared in-process for 5 s after it settles (CachedSource's
    // settleMs): wait that out, if the chain was fetched just now.
    noteOptionsFetches();
    await sleep(Math.max(0, (lastOptionsFetch.get(failing) ?? 0) + 5_500 - Date.now()));
    expect(await redis.del(`wheel:alphavantage:realtime_options:${failing}:require_greeks_true`)).toBe(1);
    fake.setMode('http500', { function: 'REALTIME_OPTIONS', symbol: failing });
    fake.setMode('rateLimitNote', { function: 'REALTIME_OPTIONS', symbol: limited });

    const started = await startScan(server.url, { symbols: [kept, failing, limited] });
    expect(started.data?.startScan.started).toBe(true);
    const end = await scanEnd(server.url);
    expect(fake.callCount((c) => c.symbol === failing && c.mode === 'http500')).toBeGreaterThan(0);
    expect(fake.callCount((c) => c.symbol === limited && c.mode === 'rateLimitNote')).toBeGreaterThan(0);

    expect(end.inProgress).toBe(false);
    expect(await redis.exists(KEY.lock)).toBe(0);
    expect(end.progress).toEqual({ total: 3, completed: 3 });
    expect(end.lastRun).toMatch(/^Scan failed for 2 of 3 tickers at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}: /);
    expect(end.lastRun).toContain(`${failing} (`);
    expect(end.lastRun).toContain(`${limited} (`);
    expect(end.lastRun).not.toContain(`${kept} (`);

    // Earlier results stay: the ticker not rescanned, and the failed one's previous contracts.
    const results = await scanResults(server.url);
    expect(results.lastRun).toBe(end.lastRun);
    expectSelection(results.tickers, before, 'PUT');

    // The lock is free: the next scan starts, and succeeds now the upstream answers.
    fake.clearModes();
    const again = await startedScan(server.url, { symbols: [failing, limited] });
    expect(again.lastRun).toMatch(SUCCESS);
  });

  it('refuses scans with ALREADY_RUNNING while a crashed holder’s lease lives (30 s from its last heartbeat), and takes its lock over once it lapses', async () => {
    const lapsesInMs = 1500;
    // The holder's last heartbeat, on Redis's clock, 28.5 s ago: its 30 s lease has 1.5 s left.
    const [seconds, micros] = (await redis.sendCommand(['TIME'])) as [string, string];
    const heartbeatAt = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - (30_000 - lapsesInMs);
    const setAt = Date.now();
    const entry = { value: { owner: 'dead-process', startedAt: new Date(heartbeatAt).toISOString(), heartbeatAt }, expires: setAt + SCANNER_TTL_MS };
    expect(await redis.set(KEY.lock, JSON.stringify(entry), { PX: SCANNER_TTL_MS })).toBe('OK');

    const refused = await startScan(server.url, { symbols: ['AAPL'] });
    expect(refused.errors).toEqual([]);
    expect(refused.data?.startScan).toMatchObject({ started: false, reason: 'ALREADY_RUNNING', status: { inProgress: true } });
    expect((await scanStatus(server.url)).inProgress).toBe(true);

    let refusals = 0;
    const startedAt = await waitFor('a scan to take over the dead lock once its lease lapsed', async () => {
      const answer = await startScan(server.url, { symbols: ['AAPL'] });
      expect(answer.errors).toEqual([]);
      if (answer.data?.startScan.started) return Date.now();
      expect(answer.data?.startScan.reason).toBe('ALREADY_RUNNING');
      refusals += 1;
      return undefined;
    }, 10_000, 100);
    expect(refusals).toBeGreaterThan(0);
    expect(startedAt - setAt).toBeGreaterThanOrEqual(lapsesInMs - 100);
    expect((await scanEnd(server.url)).lastRun).toMatch(SUCCESS);
  });
});

// ---------------------------------------------------------------------------
// marketdata.app as the options source
// ---------------------------------------------------------------------------

describe('scanning with marketdata.app as the options source', () => {
  const DATABASE = 11;
  let today: string;
  let fake: FakeAlphaVantage;
  let marketData: FakeMarketData;
  let server: InProcessApp;
  let redis: RedisClientType;

  beforeAll(async () => {
    redis = await freshDatabase(DATABASE);
    today = newYorkDate(new Date());
    fake = await startFakeAlphaVantage({ today });
    marketData = await startFakeMarketData({ today, apiKey: 'md-test-key-11' });
    server = await startInProcessApp({
      database: DATABASE,
      fake,
      env: {
        ...scannerEnv(DATABASE, fake),
        OPTIONS_SOURCE: 'marketdata',
        MARKETDATA_API_KEY: marketData.apiKey,
        MARKETDATA_BASE_URL: marketData.url,
        MARKETDATA_RATE_LIMIT_PER_MINUTE: '6000',
        SCAN_CONCURRENCY: '3',
      },
    });
  });

  afterAll(async () => {
    if (server) await noScanRunning(server.url);
    await server?.close();
    await marketData?.close();
    await fake?.close();
    await dropDatabase(redis);
  });

  beforeEach(() => {
    fake.reset();
    marketData.reset();
  });

  it('selects puts from the columnar chain exactly as the rules say, one authorized call per symbol over the scan window', async () => {
    const symbols = ['DUOL', 'PLTR', 'DDOG', 'SHOP', 'AMZN', 'SPOT'];
    const expected = expectedSelection(chainsOf(symbols, today, marketDataChain), 'PUT', today, 6);
    expect(expected.size).toBeGreaterThan(0);
    const expirations = nextWeeklyExpirations(new Date(), 6);

    const end = await startedScan(server.url, { symbols, weeks: 6 });
    expect(end.lastRun).toMatch(SUCCESS);
    expectSelection((await scanResults(server.url)).tickers, expected, 'PUT');

    expect(marketData.calls).toHaveLength(symbols.length);
    for (const call of marketData.calls) {
      expect(call).toMatchObject({ authorized: true, status: 200, side: 'put', from: expirations[0], to: expirations[5] });
    }
    for (const symbol of symbols) expect(marketData.callCount({ symbol })).toBe(1);
    expect(fake.callCount({ function: 'REALTIME_OPTIONS' }) + fake.callCount({ function: 'GLOBAL_QUOTE' })).toBe(0);
  });

  it('selects calls from the columnar chain with the DTE-scaled delta bound', async () => {
    const symbols = ['DUOL', 'PLTR', 'NVDA', 'ANET'];
    const expected = expectedSelection(chainsOf(symbols, today, marketDataChain), 'CALL', today, 4);
    expect(expected.size).toBeGreaterThan(0);

    const end = await startedScan(server.url, { symbols, optionType: 'CALL' });
    expect(end.lastRun).toMatch(SUCCESS);
    expectSelection((await scanResults(server.url)).tickers, expected, 'CALL');
    expect(marketData.calls.every((call) => call.side === 'call' && call.authorized)).toBe(true);
  });

  it('finishes a scan with a symbol answered 404 no_data (no contracts, not a failure) and one answered 500 (named as failed): lock released, the rest listed', async () => {
    const symbols = ['ZS', 'TEAM', 'COIN'];
    marketData.setMode('TEAM', 'noData');
    marketData.setMode('COIN', 'http500');
    const expected = expectedSelection(chainsOf(['ZS'], today, marketDataChain), 'PUT', today, 4);

    const started = await startScan(server.url, { symbols });
    expect(started.data?.startScan.started).toBe(true);
    const end = await scanEnd(server.url);
    expect(await redis.exists(KEY.lock)).toBe(0);
    expect(end.progress).toEqual({ total: 3, completed: 3 });
    expect(end.lastRun).toMatch(/^Scan failed for 1 of 3 tickers at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}: COIN \(/);
    expect(end.lastRun).not.toContain('TEAM (');
    expect(end.lastRun).not.toContain('ZS (');
    expect(marketData.calls.find((call) => call.symbol === 'TEAM')).toMatchObject({ status: 404, authorized: true });
    expect(marketData.callCount({ symbol: 'COIN' })).toBeGreaterThan(0);

    const results = await scanResults(server.url);
    expect(results.tickers.find((ticker) => ticker.symbol === 'TEAM')).toBeUndefined();
    expect(results.tickers.find((ticker) => ticker.symbol === 'COIN')).toBeUndefined();
    const zs = results.tickers.find((ticker) => ticker.symbol === 'ZS');
    expect(zs?.options.map((option) => option.contractId).sort()).toEqual(expected.get('ZS')?.map((contract) => contract.contractId));

    marketData.clearModes();
    const again = await startScan(server.url, { symbols: ['COIN'] });
    expect(again.data?.startScan.started).toBe(true);
    await scanEnd(server.url);
  });
});
