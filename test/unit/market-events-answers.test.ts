import { describe, expect, it } from 'vitest';
import { describeCall, wireParams } from '../../src/providers/alpha-vantage/alpha-vantage.functions.js';
import { classifyAnswer } from '../../src/providers/alpha-vantage/answer-classifier.js';
import { decodeCsvAnswer } from '../../src/providers/alpha-vantage/answer-wire.js';
import { alphaVantageCacheKey, alphaVantageTtlMs } from '../../src/providers/alpha-vantage/cache-policy.js';
import { EARNINGS_CALENDAR_REQUEST, TREASURY_YIELD_REQUEST } from '../../src/providers/alpha-vantage/market-events.js';
import { parseEarningsCalendar, parseTreasuryYield } from '../../src/providers/alpha-vantage/market-events.parsers.js';
import { SampleAlphaVantage } from '../../src/providers/alpha-vantage/sample-alpha-vantage.js';
import {
  sampleEarningsCalendarCsv,
  sampleReportDate,
  sampleTreasuryYieldBody,
} from '../../src/providers/alpha-vantage/sample-market-events.js';
import { untilNextNewYorkDay } from '../../src/providers/new-york-day.js';
import { UpstreamRateLimitedError, UpstreamUnavailableError } from '../../src/providers/provider-errors.js';
import { DEFAULT_SYMBOLS, earningsCalendarCsv, earningsCalendarRows } from '../support/alpha-vantage-data.js';
import { RATE_LIMIT_INFORMATION_BODY, RATE_LIMIT_NOTE_BODY, invalidCallBody } from '../support/fake-alpha-vantage.js';

const HEADER = 'symbol,name,reportDate,fiscalDateEnding,estimate,currency';

/** The CSV text as the client receives it, through the decoder and the one classifier, then parsed. */
const calendarOf = (text: string) => parseEarningsCalendar(classifyAnswer(EARNINGS_CALENDAR_REQUEST, decodeCsvAnswer(EARNINGS_CALENDAR_REQUEST, text)));

function thrownBy(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('nothing was thrown');
}

describe('EARNINGS_CALENDAR answers', () => {
  it('reads quoted fields (commas, doubled quotes, CRLF) and gives each symbol its dates ascending and distinct', () => {
    const text = [
      HEADER,
      'MSFT,Microsoft Corporation,2026-01-28,2025-12-31,3.88,USD',
      '"BRK.B","Berkshire Hathaway Inc., Class B",2026-02-21,2025-12-31,,USD',
      'QTEST,"The ""Quoted"" Test Company, Inc.",2026-03-02,2026-01-31,0.41,USD',
      'msft,Microsoft Corporation,2026-01-20,2025-12-31,3.88,USD',
      'MSFT,Microsoft Corporation,2026-01-28,2025-12-31,3.88,USD',
      'NODATE,No Date Inc,,2025-12-31,,USD',
    ].join('\r\n');
    const calendar = calendarOf(`${text}\r\n`);
    expect(calendar.get('MSFT')).toEqual(['2026-01-20', '2026-01-28']);
    expect(calendar.get('BRK.B')).toEqual(['2026-02-21']);
    expect(calendar.get('QTEST')).toEqual(['2026-03-02']);
    expect(calendar.has('NODATE')).toBe(false);
  });

  it('keeps only the symbol and report date of each row (what is cached stays small)', () => {
    const decoded = decodeCsvAnswer(EARNINGS_CALENDAR_REQUEST, `${HEADER}\nAAPL,"Apple, Inc.",2026-01-29,2025-12-31,2.35,USD\n`);
    expect(decoded).toEqual({ data: [{ symbol: 'AAPL', reportDate: '2026-01-29' }] });
  });

  it('takes a calendar with no rows (the header alone) as data: an empty calendar, not an unknown symbol', () => {
    expect(calendarOf(`${HEADER}\r\n`).size).toBe(0);
  });

  it.each([
    ['Note', RATE_LIMIT_NOTE_BODY, UpstreamRateLimitedError],
    ['Information', RATE_LIMIT_INFORMATION_BODY, UpstreamRateLimitedError],
    ['Error Message', invalidCallBody('EARNINGS_CALENDAR'), UpstreamUnavailableError],
  ])('refuses a JSON %s answer, which Alpha Vantage sends even for this CSV function', (_, body, kind) => {
    const error = thrownBy(() => calendarOf(JSON.stringify(body, null, 4)));
    expect(error).toBeInstanceOf(kind);
    expect(error.message).not.toMatch(/ALL/);
  });

  it.each([
    ['no reportDate column', 'symbol,name,fiscalDateEnding\nAAPL,Apple Inc,2025-12-31\n', /no reportDate column/],
    ['an empty answer', '', /no symbol, reportDate column/],
    ['an unclosed quote', `${HEADER}\nAAPL,"Apple Inc,2026-01-29,2025-12-31,2.35,USD\n`, /does not parse/],
    ['malformed JSON', '{"Note": "Thank', /malformed JSON/],
  ])('refuses %s as UPSTREAM_UNAVAILABLE', (_, text, message) => {
    const error = thrownBy(() => calendarOf(text));
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error.message).toMatch(message);
  });

  it("reads the fake upstream's calendar as its rows say", () => {
    const today = '2025-11-14';
    const calendar = calendarOf(earningsCalendarCsv(today).text);
    const expected = new Map<string, string[]>();
    for (const row of earningsCalendarRows(today)) expected.set(row.symbol, [...(expected.get(row.symbol) ?? []), row.reportDate]);
    expect(calendar).toEqual(expected);
    expect(calendar.get('BRK.B')).toHaveLength(1);
  });
});

describe('TREASURY_YIELD answers', () => {
  const body = (data: Array<{ date: string; value: string }>) => ({
    name: '3-Month Treasury Constant Maturity Rate',
    interval: 'daily',
    unit: 'percent',
    data,
  });

  it('takes the latest quoted day, skipping "." (no quote on a holiday), as percent / 100', () => {
    const answer = body([
      { date: '2025-11-11', value: '.' },
      { date: '2025-11-10', value: '4.21' },
      { date: '2025-11-07', value: '4.19' },
    ]);
    expect(parseTreasuryYield(classifyAnswer(TREASURY_YIELD_REQUEST, answer))).toEqual({ rate: 0.0421, asOf: '2025-11-10' });
  });

  it('does not rely on the order of the rows', () => {
    const answer = body([
      { date: '2025-11-07', value: '4.19' },
      { date: '2025-11-12', value: '4.07' },
      { date: '2025-11-10', value: '4.21' },
    ]);
    expect(parseTreasuryYield(classifyAnswer(TREASURY_YIELD_REQUEST, answer))).toEqual({ rate: 0.0407, asOf: '2025-11-12' });
  });

  it('refuses a series without one quoted day, and empty data, as UPSTREAM_UNAVAILABLE (never cached)', () => {
    expect(thrownBy(() => classifyAnswer(TREASURY_YIELD_REQUEST, body([{ date: '2025-11-11', value: '.' }])))).toBeInstanceOf(UpstreamUnavailableError);
    expect(thrownBy(() => classifyAnswer(TREASURY_YIELD_REQUEST, body([])))).toBeInstanceOf(UpstreamUnavailableError);
    expect(thrownBy(() => classifyAnswer(TREASURY_YIELD_REQUEST, {}))).toBeInstanceOf(UpstreamUnavailableError);
  });
});

describe('the two daily functions on the wire and in the cache', () => {
  it('are keyed as SERVICE.md says', () => {
    expect(alphaVantageCacheKey(EARNINGS_CALENDAR_REQUEST)).toBe('alphavantage:earnings_calendar:ALL:horizon_3month');
    expect(alphaVantageCacheKey(TREASURY_YIELD_REQUEST)).toBe('alphavantage:treasury_yield:3MONTH:interval_daily');
  });

  it('send no symbol for the calendar (ALL is only the key placeholder) and the maturity for the Treasury yield', () => {
    expect(wireParams(EARNINGS_CALENDAR_REQUEST)).toEqual({ function: 'EARNINGS_CALENDAR', horizon: '3month' });
    expect(wireParams(TREASURY_YIELD_REQUEST)).toEqual({ function: 'TREASURY_YIELD', maturity: '3month', interval: 'daily' });
    expect(wireParams({ fn: 'OVERVIEW', symbol: 'AAPL' })).toEqual({ function: 'OVERVIEW', symbol: 'AAPL' });
    expect(describeCall(EARNINGS_CALENDAR_REQUEST)).toBe('EARNINGS_CALENDAR');
  });

  it('stay cached until the next New York midnight, whatever the offset (EST, EDT, the DST days)', () => {
    expect(untilNextNewYorkDay(new Date('2025-11-14T23:59:00-05:00'))).toBe(60_000);
    expect(untilNextNewYorkDay(new Date('2025-07-01T00:00:00-04:00'))).toBe(24 * 3_600_000);
    // 2026-03-08 has 23 hours in New York, 2025-11-02 has 25.
    expect(untilNextNewYorkDay(new Date('2026-03-08T00:00:00-05:00'))).toBe(23 * 3_600_000);
    expect(untilNextNewYorkDay(new Date('2025-11-02T00:00:00-04:00'))).toBe(25 * 3_600_000);
    expect(alphaVantageTtlMs(TREASURY_YIELD_REQUEST, new Date('2025-11-14T23:00:00-05:00'))).toBe(3_600_000);
    expect(alphaVantageTtlMs({ fn: 'OVERVIEW', symbol: 'AAPL' }, new Date('2025-11-14T23:00:00-05:00'))).toBe(7 * 24 * 3_600_000);
  });
});

describe('sample-data mode', () => {
  const today = '2025-11-14';

  it('has a calendar for today: every sample symbol once, within the 3-month horizon, the same on every call', () => {
    const text = sampleEarningsCalendarCsv(DEFAULT_SYMBOLS, today);
    expect(sampleEarningsCalendarCsv(DEFAULT_SYMBOLS, today)).toBe(text);
    const calendar = calendarOf(text);
    expect([...calendar.keys()].sort()).toEqual([...DEFAULT_SYMBOLS].sort());
    for (const [, dates] of calendar) {
      expect(dates).toHaveLength(1);
      expect(dates[0]! >= today && dates[0]! <= '2026-02-16').toBe(true);
    }
    const withinFourWeeks = [...calendar.values()].filter(([date]) => date! <= '2025-12-12').length;
    expect(withinFourWeeks).toBeGreaterThan(0);
  });

  it("keeps a symbol's report date from day to day until it has passed, and never on a weekend or holiday", () => {
    for (const symbol of DEFAULT_SYMBOLS) {
      const date = sampleReportDate(symbol, today);
      if (date > today) expect(sampleReportDate(symbol, '2025-11-15')).toBe(date);
      else expect(sampleReportDate(symbol, '2025-11-15') > today).toBe(true);
      expect([0, 6]).not.toContain(new Date(`${date}T12:00:00Z`).getUTCDay());
      expect(date).not.toBe('2025-11-27');
    }
  });

  it('has a Treasury yield of 4.20 % on its latest quoted day, "." on a holiday', () => {
    // The day after Thanksgiving: the 27th has no quote, the 26th is the latest.
    const answer = sampleTreasuryYieldBody('2025-11-28');
    expect((answer['data'] as Array<{ date: string; value: string }>).slice(0, 2)).toEqual([
      { date: '2025-11-27', value: '.' },
      { date: '2025-11-26', value: '4.20' },
    ]);
    expect(parseTreasuryYield(classifyAnswer(TREASURY_YIELD_REQUEST, answer))).toEqual({ rate: 0.042, asOf: '2025-11-26' });
  });

  it('answers both functions through the sample fetcher and its classifier', async () => {
    const sample = new SampleAlphaVantage();
    const calendar = parseEarningsCalendar(await sample.fetch(EARNINGS_CALENDAR_REQUEST));
    expect(calendar.size).toBe(26);
    expect(parseTreasuryYield(await sample.fetch(TREASURY_YIELD_REQUEST))?.rate).toBe(0.042);
  });
});
