/**
 * The screener through the whole service in this process (test/support/in-process-app.ts, the
 * embedded store) against the fake Alpha Vantage: every OptionContract figure of a scan equals
 * a computation written out here from the fake's raw answers (its own Black-Scholes, its own
 * normal CDF by Simpson's rule, its own half-even rounding in whole units; nothing of
 * src/domain is used), the filters and orders give exactly the expected contracts, and the
 * cost rules hold: a filterless scan calls no more per ticker than before the screener, and a
 * query asking no OVERVIEW figure makes no OVERVIEW call.
 *
 * The one input taken from the service is the ticker's effective intrinsic value (for
 * marginOfSafety and belowIntrinsicValue): its DCF is checked on its own in the valuation tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { newYorkDate } from '../../src/domain/market-calendar.js';
import { bodyFor, clearBodyOverrides, defaultExpirations, earningsCalendarRows, generatedBody, setBodyOverride, TREASURY_3MONTH_PERCENT } from '../support/alpha-vantage-data.js';
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { errorCodes } from '../support/graphql-client.js';
import { startInProcessApp, type InProcessApp } from '../support/in-process-app.js';
import { AUTH, SCAN_TOKEN, scanEnd, SUCCESS, type OptionResult } from '../support/scan-client.js';

const SYMBOLS = ['AAPL', 'CRWD', 'DDOG', 'DUOL', 'JPM', 'MA', 'MSFT', 'NVDA', 'PLTR', 'SHOP', 'V'];
/** low enough that dividend payers keep puts too */
const MIN_RETURN = 12;
const WEEKS = 5;
/** scanResults.contracts lists this many when the query gives no `first` */
const DEFAULT_FIRST = 100;

const CONTRACT_FIELDS = `
  contractId type expiration daysToExpiration strike bid delta impliedVolatility underlyingPrice percentChange
  annualizedReturn belowIntrinsicValue symbol ask mid spreadPercent openInterest volume premium collateral breakeven
  probabilityOfAssignment probabilityOfProfit expectedMove marginOfSafety score earningsDate earningsBeforeExpiration
  exDividendDate exDividendBeforeExpiration`;

interface Contract extends OptionResult {
  symbol: string;
  ask: number | null;
  mid: number | null;
  spreadPercent: number | null;
  openInterest: number | null;
  volume: number | null;
  premium: number;
  collateral: number;
  breakeven: number;
  probabilityOfAssignment: number | null;
  probabilityOfProfit: number | null;
  expectedMove: number | null;
  marginOfSafety: number | null;
  score: number | null;
  earningsDate: string | null;
  earningsBeforeExpiration: boolean | null;
  exDividendDate: string | null;
  exDividendBeforeExpiration: boolean;
}

// ---------------------------------------------------------------------------
// The independent computation
// ---------------------------------------------------------------------------

/** Half-even rounding of x to `decimals`, in whole units of 10^-decimals (ties only where x is a tie up to 1e-9 of a unit). */
function halfEven(x: number, decimals: number): number {
  const scaled = x * 10 ** decimals;
  const floor = Math.floor(scaled);
  const rest = scaled - floor;
  const tie = Math.abs(rest - 0.5) < 1e-9;
  const units = tie ? (floor % 2 === 0 ? floor : floor + 1) : Math.round(scaled);
  return units / 10 ** decimals;
}
const money = (x: number) => halfEven(x, 2);

/** N(x) = 1/2 + ∫0^x φ(t) dt by Simpson's rule on 4000 intervals: error far below 1e-10. */
function normal(x: number): number {
  const n = 4000;
  const h = x / n;
  const phi = (t: number) => Math.exp(-(t * t) / 2) / Math.sqrt(2 * Math.PI);
  let sum = phi(0) + phi(x);
  for (let i = 1; i < n; i += 1) sum += (i % 2 === 1 ? 4 : 2) * phi(i * h);
  return 0.5 + (sum * h) / 3;
}

function d2(s: number, k: number, t: number, sigma: number, r: number, q: number): number {
  return (Math.log(s / k) + (r - q - (sigma * sigma) / 2) * t) / (sigma * Math.sqrt(t));
}

interface RawFacts {
  /** contractId → the chain row as the fake sends it */
  rows: Map<string, Record<string, string>>;
  dividendYield: number;
  exDividendDate: string | null;
  earningsDates: string[];
}

function plusDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

const numberOrNull = (raw: string | undefined): number | null => (raw === undefined || raw === 'None' || raw === '' ? null : Number(raw));

function rawFacts(symbol: string, today: string): RawFacts {
  const context = { today, expirations: defaultExpirations(today, 12) };
  const chain = generatedBody('REALTIME_OPTIONS', symbol, { require_greeks: 'true' }, context) as { data: Array<Record<string, string>> };
  const overview = bodyFor('OVERVIEW', symbol, {}, context) as Record<string, string>;
  return {
    rows: new Map(chain.data.map((row) => [row['contractID']!, row])),
    dividendYield: numberOrNull(overview['DividendYield']) ?? 0,
    exDividendDate: /^\d{4}-\d{2}-\d{2}$/.test(overview['ExDividendDate'] ?? '') ? overview['ExDividendDate']! : null,
    earningsDates: earningsCalendarRows(today, { horizon: '3month' })
      .filter((row) => row.symbol === symbol)
      .map((row) => row.reportDate),
  };
}

/** Every screener figure of one kept put, from the fake's raw row, the raw OVERVIEW, the raw calendar and the rate. */
function expectedFigures(kept: Contract, raw: RawFacts, rate: number, today: string, intrinsicValue: number | null): Partial<Contract> {
  const row = raw.rows.get(kept.contractId)!;
  const bid = Number(row['bid']);
  const ask = numberOrNull(row['ask']);
  const strike = Number(row['strike']);
  const sigma = Number(row['implied_volatility']);
  const s = kept.underlyingPrice!;
  const t = Math.max(kept.daysToExpiration, 1) / 365;
  const q = raw.dividendYield;
  const bidCents = Math.round(bid * 100);
  const askCents = ask === null ? null : Math.round(ask * 100);
  const assignment = halfEven(normal(-d2(s, strike, t, sigma, rate, q)), 4);
  const breakevenLevel = strike - bid;
  const nextEarnings = raw.earningsDates.filter((date) => date >= today).sort()[0] ?? null;
  const nextExDividend = raw.exDividendDate !== null && raw.exDividendDate >= today ? raw.exDividendDate : null;
  return {
    symbol: kept.symbol,
    bid,
    strike,
    impliedVolatility: sigma,
    ask,
    openInterest: Number(row['open_interest']),
    volume: Number(row['volume']),
    // (bid + ask) / 2 in half cents: a tie goes to the even cent
    mid: askCents === null ? null : (askCents + bidCents) % 2 === 0 ? (askCents + bidCents) / 200 : halfEven((askCents + bidCents) / 200, 2),
    spreadPercent: askCents === null ? null : money(((askCents - bidCents) * 100) / ((askCents + bidCents) / 2)),
    premium: bidCents,
    collateral: Math.round(strike * 100) * 100 / 100,
    breakeven: (Math.round(strike * 100) - bidCents) / 100,
    probabilityOfAssignment: assignment,
    probabilityOfProfit: breakevenLevel <= 0 ? 1 : halfEven(normal(d2(s, breakevenLevel, t, sigma, rate, q)), 4),
    expectedMove: money(s * sigma * Math.sqrt(t)),
    marginOfSafety: intrinsicValue !== null && intrinsicValue > 0 ? money(((intrinsicValue - breakevenLevel) / intrinsicValue) * 100) : null,
    score: money(kept.annualizedReturn * (1 - assignment)),
    earningsDate: nextEarnings,
    earningsBeforeExpiration: nextEarnings !== null && nextEarnings <= kept.expiration,
    exDividendDate: nextExDividend,
    exDividendBeforeExpiration: nextExDividend !== null && nextExDividend <= kept.expiration,
    belowIntrinsicValue: intrinsicValue === null ? null : strike <= intrinsicValue,
  };
}

type SortField = 'SCORE' | 'ANNUALIZED_RETURN' | 'PROBABILITY_OF_ASSIGNMENT' | 'MARGIN_OF_SAFETY' | 'OPEN_INTEREST' | 'SPREAD_PERCENT' | 'EXPIRATION' | 'STRIKE';
const FIELD_OF: Record<SortField, keyof Contract> = {
  SCORE: 'score',
  ANNUALIZED_RETURN: 'annualizedReturn',
  PROBABILITY_OF_ASSIGNMENT: 'probabilityOfAssignment',
  MARGIN_OF_SAFETY: 'marginOfSafety',
  OPEN_INTEREST: 'openInterest',
  SPREAD_PERCENT: 'spreadPercent',
  EXPIRATION: 'expiration',
  STRIKE: 'strike',
};

/** Nulls last either way; ties by symbol, expiration, strike, contractId. */
function sortPlainly(contracts: readonly Contract[], field: SortField, direction: 'ASC' | 'DESC'): string[] {
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  const ties = (a: Contract, b: Contract) => cmp(a.symbol, b.symbol) || cmp(a.expiration, b.expiration) || cmp(a.strike, b.strike) || cmp(a.contractId, b.contractId);
  return [...contracts]
    .sort((a, b) => {
      const x = a[FIELD_OF[field]] as string | number | null;
      const y = b[FIELD_OF[field]] as string | number | null;
      if (x === null || y === null) return x === y ? ties(a, b) : x === null ? 1 : -1;
      return (direction === 'DESC' ? -cmp(x, y) : cmp(x, y)) || ties(a, b);
    })
    .map((contract) => contract.contractId);
}

// ---------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------

interface ResultsData {
  scanResults: {
    lastRun: string;
    riskFreeRate: number;
    criteria: { filter: Record<string, unknown> } | null;
    tickers: Array<{ symbol: string; options: Contract[]; intrinsicValue: { effectiveIntrinsicValue: number | null } | null }>;
    contracts: Contract[];
  };
}

describe('the screener (in-process service, fake Alpha Vantage)', () => {
  let today: string;
  let fake: FakeAlphaVantage;
  let service: InProcessApp;
  /** every kept contract of the filterless scan, with the figures the service gave */
  let all: Contract[];
  const rate = Number(TREASURY_3MONTH_PERCENT) / 100;

  const results = async (args: string, selection: string) => {
    const answer = await service.graphql<ResultsData>(`{ scanResults${args} { ${selection} } }`);
    expect(answer.errors).toEqual([]);
    return answer.data!.scanResults;
  };
  const ids = async (args: string) => (await results(args, 'contracts { contractId }')).contracts.map((contract) => contract.contractId);
  const scan = async (input: string) => {
    const started = await service.graphql(`mutation { startScan(input: ${input}) { started reason } }`, undefined, AUTH);
    expect(started.errors).toEqual([]);
    expect(started.data).toEqual({ startScan: { started: true, reason: null } });
    const status = await scanEnd(service.url);
    expect(status.lastRun).toMatch(SUCCESS);
  };

  beforeAll(async () => {
    today = newYorkDate(new Date());
    // Whatever the day: one volatile ticker goes ex-dividend in two days, another's ex-date has just passed (it does not count).
    const context = { today, expirations: defaultExpirations(today, 12) };
    const overview = (symbol: string) => generatedBody('OVERVIEW', symbol, {}, context) as Record<string, string>;
    setBodyOverride('OVERVIEW', 'NVDA', { ...overview('NVDA'), DividendYield: '0.0150', ExDividendDate: plusDays(today, 2) });
    setBodyOverride('OVERVIEW', 'PLTR', { ...overview('PLTR'), DividendYield: '0.0100', ExDividendDate: plusDays(today, -1) });
    fake = await startFakeAlphaVantage({ today });
    service = await startInProcessApp({
      fake,
      env: { ENVIRONMENT: 'LOCAL', API_TOKENS: SCAN_TOKEN, ALPHAVANTAGE_RETRIES: '0', LOG_LEVEL: 'info', STORE_TIMEOUT_MS: '5000' },
    });
  });

  afterAll(async () => {
    await service?.close();
    await fake?.close();
    clearBodyOverrides();
  });

  it('scans without a filter at no more calls per ticker than before the screener (chain and quote), plus the daily rate', async () => {
    fake.resetCalls();
    await scan(`{ symbols: ${JSON.stringify(SYMBOLS)}, weeks: ${WEEKS}, minAnnualizedReturn: ${MIN_RETURN} }`);
    const byFunction = Object.fromEntries(['REALTIME_OPTIONS', 'GLOBAL_QUOTE', 'TREASURY_YIELD', 'EARNINGS_CALENDAR', 'OVERVIEW', 'EARNINGS', 'CASH_FLOW'].map((fn) => [fn, fake.callCount({ function: fn })]));
    expect(byFunction).toEqual({ REALTIME_OPTIONS: SYMBOLS.length, GLOBAL_QUOTE: SYMBOLS.length, TREASURY_YIELD: 1, EARNINGS_CALENDAR: 0, OVERVIEW: 0, EARNINGS: 0, CASH_FLOW: 0 });
    expect(fake.calls.length).toBe(2 * SYMBOLS.length + 1);
  });

  it('answers the market-only figures without any OVERVIEW, valuation or calendar call', async () => {
    fake.resetCalls();
    const answer = await results('(orderBy: { field: SPREAD_PERCENT, direction: ASC })', 'contracts { contractId ask mid spreadPercent premium collateral breakeven expectedMove openInterest volume } tickers { options { strike } }');
    expect(answer.contracts.length).toBeGreaterThan(0);
    expect(fake.calls.map((call) => call.function)).toEqual([]);
  });

  it('gives every contract field as computed from the raw answers, at the rate the scan ran with', async () => {
    fake.resetCalls();
    const answer = await results('', `riskFreeRate criteria { filter { minOpenInterest excludeEarnings belowIntrinsicValueOnly } }
      tickers { symbol intrinsicValue { effectiveIntrinsicValue } options { ${CONTRACT_FIELDS} } } contracts { contractId }`);
    expect(answer.riskFreeRate).toBe(rate);
    expect(answer.criteria?.filter).toEqual({ minOpenInterest: null, excludeEarnings: false, belowIntrinsicValueOnly: false });
    // One OVERVIEW, EARNINGS and CASH_FLOW a ticker and one calendar for the whole answer; the rate was stored with the scan.
    const tickers = answer.tickers.length;
    expect(tickers).toBeGreaterThanOrEqual(3);
    expect([fake.callCount({ function: 'OVERVIEW' }), fake.callCount({ function: 'EARNINGS' }), fake.callCount({ function: 'EARNINGS_CALENDAR' }), fake.callCount({ function: 'TREASURY_YIELD' })]).toEqual([tickers, tickers, 1, 0]);

    all = answer.tickers.flatMap((ticker) => ticker.options);
    expect(all.length).toBeGreaterThan(10);
    let withExDividend = 0;
    for (const ticker of answer.tickers) {
      const raw = rawFacts(ticker.symbol, today);
      const value = ticker.intrinsicValue?.effectiveIntrinsicValue ?? null;
      for (const contract of ticker.options) {
        expect({ id: contract.contractId, ...contract }).toMatchObject({ id: contract.contractId, ...expectedFigures(contract, raw, rate, today, value) });
        if (contract.exDividendBeforeExpiration) withExDividend += 1;
      }
      // the ticker's own order: expiration, then strike
      expect(ticker.options.map((contract) => contract.contractId)).toEqual(sortPlainly(ticker.options, 'EXPIRATION', 'ASC'));
    }
    // the data exercise both sides of the ex-dividend flag (the earnings calendar's dates move with the day)
    expect(withExDividend).toBeGreaterThan(0);
    expect(withExDividend).toBeLessThan(all.length);
    expect(answer.tickers.map((ticker) => ticker.symbol)).toEqual(expect.arrayContaining(['NVDA', 'PLTR']));
    // the flat table: the same contracts, score highest first
    expect(answer.contracts.map((contract) => contract.contractId)).toEqual(sortPlainly(all, 'SCORE', 'DESC').slice(0, DEFAULT_FIRST));
  });

  it('orders the flat table by each field, both ways, nulls last, and keeps at most `first`', async () => {
    for (const field of Object.keys(FIELD_OF) as SortField[]) {
      for (const direction of ['ASC', 'DESC'] as const) {
        expect({ field, direction, ids: await ids(`(first: 500, orderBy: { field: ${field}, direction: ${direction} })`) }).toEqual({
          field,
          direction,
          ids: sortPlainly(all, field, direction),
        });
      }
    }
    expect(await ids('(first: 3)')).toEqual(sortPlainly(all, 'SCORE', 'DESC').slice(0, 3));
    for (const first of [0, -1, 501]) {
      const refused = await service.graphql(`{ scanResults(first: ${first}) { contracts { contractId } } }`);
      expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('narrows by each filter exactly as the figures say, a null figure failing its filter', async () => {
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const openInterest = median(all.map((contract) => contract.openInterest!));
    const volume = median(all.map((contract) => contract.volume!));
    const spread = median(all.filter((contract) => contract.spreadPercent !== null).map((contract) => contract.spreadPercent!));
    const assignment = median(all.map((contract) => contract.probabilityOfAssignment!));
    const margins = all.filter((contract) => contract.marginOfSafety !== null).map((contract) => contract.marginOfSafety!);
    const cases: Array<[string, (contract: Contract) => boolean]> = [
      [`minOpenInterest: ${openInterest}`, (c) => c.openInterest !== null && c.openInterest >= openInterest],
      [`minVolume: ${volume}`, (c) => c.volume !== null && c.volume >= volume],
      [`maxSpreadPercent: ${spread}`, (c) => c.spreadPercent !== null && c.spreadPercent <= spread],
      [`maxProbabilityOfAssignment: ${assignment}`, (c) => c.probabilityOfAssignment !== null && c.probabilityOfAssignment <= assignment],
      ['excludeEarnings: true', (c) => c.earningsBeforeExpiration !== true],
      ['excludeExDividend: true', (c) => !c.exDividendBeforeExpiration],
      ['belowIntrinsicValueOnly: true', (c) => c.belowIntrinsicValue === true],
      ...(margins.length > 0 ? [[`minMarginOfSafety: ${median(margins)}`, (c: Contract) => c.marginOfSafety !== null && c.marginOfSafety >= median(margins)] as [string, (c: Contract) => boolean]] : []),
      [`minOpenInterest: ${openInterest}, excludeEarnings: true`, (c) => c.openInterest! >= openInterest && c.earningsBeforeExpiration !== true],
    ];
    for (const [filter, passes] of cases) {
      const expected = sortPlainly(all.filter(passes), 'STRIKE', 'DESC');
      expect({ filter, ids: await ids(`(first: 500, filter: { ${filter} }, orderBy: { field: STRIKE, direction: DESC })`) }).toEqual({ filter, ids: expected });
      // the tickers listed are those with a passing contract
      const tickers = (await results(`(filter: { ${filter} })`, 'tickers { symbol options { contractId } }')).tickers;
      expect({ filter, tickers: tickers.map((ticker) => ticker.symbol) }).toEqual({ filter, tickers: [...new Set(all.filter(passes).map((c) => c.symbol))].sort() });
    }
    const refused = await service.graphql('{ scanResults(filter: { maxProbabilityOfAssignment: 2 }) { lastRun } }');
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
  });

  it('answers one ticker filtered and ordered, null when nothing of it passes', async () => {
    const symbol = all[0]!.symbol;
    const mine = all.filter((contract) => contract.symbol === symbol);
    const answer = await service.graphql<{ scanResult: { symbol: string; options: Contract[] } | null }>(
      `{ scanResult(symbol: "${symbol.toLowerCase()}", orderBy: { field: SCORE, direction: DESC }) { symbol options { contractId } } }`,
    );
    expect(answer.errors).toEqual([]);
    expect(answer.data?.scanResult?.options.map((contract) => contract.contractId)).toEqual(sortPlainly(mine, 'SCORE', 'DESC'));
    const none = await service.graphql('{ scanResult(symbol: "' + symbol + '", filter: { minOpenInterest: 2000000000 }) { symbol } }');
    expect(none.data).toEqual({ scanResult: null });
  });

  it('keeps in a filtered scan exactly the contracts the filter passes, and says so in its criteria', async () => {
    const openInterest = [...all.map((contract) => contract.openInterest!)].sort((a, b) => a - b)[Math.floor(all.length / 3)]!;
    fake.resetCalls();
    await scan(`{ symbols: ${JSON.stringify(SYMBOLS)}, weeks: ${WEEKS}, minAnnualizedReturn: ${MIN_RETURN}, filter: { minOpenInterest: ${openInterest}, excludeEarnings: true } }`);
    // the calendar (once), but no OVERVIEW nor valuation: the filter does not need them
    expect(['OVERVIEW', 'EARNINGS', 'CASH_FLOW'].map((fn) => fake.callCount({ function: fn }))).toEqual([0, 0, 0]);
    // cached since the reads above, until the next New York day
    expect(fake.callCount({ function: 'EARNINGS_CALENDAR' })).toBe(0);
    const answer = await results('', 'criteria { filter { minOpenInterest minVolume excludeEarnings excludeExDividend belowIntrinsicValueOnly } }');
    expect(answer.criteria?.filter).toEqual({ minOpenInterest: openInterest, minVolume: null, excludeEarnings: true, excludeExDividend: false, belowIntrinsicValueOnly: false });
    const expected = all.filter((contract) => contract.openInterest! >= openInterest && contract.earningsBeforeExpiration !== true);
    expect(await ids('(first: 500, orderBy: { field: STRIKE, direction: ASC })')).toEqual(sortPlainly(expected, 'STRIKE', 'ASC'));
  });
});
