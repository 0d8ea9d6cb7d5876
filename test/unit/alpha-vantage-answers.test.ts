import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { AlphaVantageRequest } from '../../src/providers/alpha-vantage/alpha-vantage.request.js';
import { classifyAnswer } from '../../src/providers/alpha-vantage/answer-classifier.js';
import { parseCashFlow, parseEarnings, parseOverview } from '../../src/providers/alpha-vantage/fundamentals.parser.js';
import { parseAlphaVantageOptions, parseBulkQuotes, parseGlobalQuote, parseGlobalQuotePrice } from '../../src/providers/alpha-vantage/market.parsers.js';
import {
  SymbolNotFoundError,
  UpstreamPlanRequiredError,
  UpstreamRateLimitedError,
  UpstreamUnavailableError,
} from '../../src/providers/provider-errors.js';
import { MISSING_API_KEY_BODY, RATE_LIMIT_INFORMATION_BODY, RATE_LIMIT_NOTE_BODY } from '../support/fake-alpha-vantage.js';

const earnings: AlphaVantageRequest = { fn: 'EARNINGS', symbol: 'AAPL' };
const cashFlow: AlphaVantageRequest = { fn: 'CASH_FLOW', symbol: 'AAPL' };
const overview: AlphaVantageRequest = { fn: 'OVERVIEW', symbol: 'AAPL' };
const realtimeOptions: AlphaVantageRequest = { fn: 'REALTIME_OPTIONS', symbol: 'AAPL', params: { require_greeks: 'true' } };

/** Alpha Vantage's answer to a free key asking a premium function, word for word. */
const PREMIUM_ENDPOINT_BODY = {
  Information:
    'Thank you for using Alpha Vantage! This is a premium endpoint. You may subscribe to any of the premium plans at ' +
    'https://www.alphavantage.co/premium/ to instantly unlock all premium endpoints',
};

/** What classifyAnswer threw (the test fails when it threw nothing). */
function refusal(request: AlphaVantageRequest, body: unknown): Error {
  try {
    classifyAnswer(request, body);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`classifyAnswer accepted ${JSON.stringify(body)}`);
}

describe('classifyAnswer', () => {
  it('returns a body with data as it is', () => {
    const body = { symbol: 'AAPL', quarterlyEarnings: [{ reportedEPS: '1.64' }] };
    expect(classifyAnswer(earnings, body)).toBe(body);
  });

  it('accepts a well-formed body with an empty quarterly list as data', () => {
    const body = { symbol: 'AAPL', annualEarnings: [], quarterlyEarnings: [] };
    expect(classifyAnswer(earnings, body)).toBe(body);
  });

  it('reads an "Error Message" as an unknown symbol', () => {
    expect(() => classifyAnswer(earnings, { 'Error Message': 'Invalid API call.' })).toThrow(SymbolNotFoundError);
  });

  it('reads the invalid-key answer as the upstream refusing the key, not as an unknown symbol', () => {
    for (const request of [earnings, overview, cashFlow]) {
      const error = refusal(request, MISSING_API_KEY_BODY);
      expect(error).toBeInstanceOf(UpstreamUnavailableError);
      expect(error.message).toBe(`Alpha Vantage refused ${request.fn} for AAPL: the API key was refused (check ALPHAVANTAGE_API_KEY)`);
    }
  });

  it('reads an empty object, or one holding only empty objects, as an unknown symbol', () => {
    expect(() => classifyAnswer(earnings, {})).toThrow(SymbolNotFoundError);
    expect(() => classifyAnswer({ fn: 'GLOBAL_QUOTE', symbol: 'ZZZZ' }, { 'Global Quote': {} })).toThrow(SymbolNotFoundError);
  });

  it('reads "Note" and a plain "Information" as the upstream rate limit', () => {
    expect(() => classifyAnswer(earnings, { Note: 'Thank you for using Alpha Vantage! ...' })).toThrow(UpstreamRateLimitedError);
    expect(() => classifyAnswer(earnings, { Information: 'Our standard API rate limit is 25 requests per day.' })).toThrow(
      UpstreamRateLimitedError,
    );
    const error = refusal(realtimeOptions, { Information: 'Our standard API rate limit is 25 requests per day.' });
    expect(error).toBeInstanceOf(UpstreamRateLimitedError);
    expect(error).not.toBeInstanceOf(UpstreamPlanRequiredError);
  });

  // Alpha Vantage's real rate-limit texts point to its premium plans too: they are still the rate limit.
  it('reads Alpha Vantage’s real rate-limit texts, which mention the premium plans, as the rate limit', () => {
    for (const request of [earnings, realtimeOptions]) {
      expect(refusal(request, RATE_LIMIT_INFORMATION_BODY)).toBeInstanceOf(UpstreamRateLimitedError);
      expect(refusal(request, RATE_LIMIT_NOTE_BODY)).toBeInstanceOf(UpstreamRateLimitedError);
    }
  });

  it('reads a premium-endpoint "Information" on REALTIME_OPTIONS as a plan refusal naming what to configure', () => {
    const error = refusal(realtimeOptions, PREMIUM_ENDPOINT_BODY);
    expect(error).toBeInstanceOf(UpstreamPlanRequiredError);
    expect((error as UpstreamPlanRequiredError).code).toBe('UPSTREAM_PLAN_REQUIRED');
    expect(error.message).toContain('REALTIME_OPTIONS');
    expect(error.message).toContain('ALPHAVANTAGE_OPTIONS_FUNCTION');
  });

  it('reads anything that is not a JSON object as the upstream being unavailable', () => {
    for (const body of [null, 'text', 'Thank you for using Alpha Vantage!', 42, [1, 2], []]) {
      expect(() => classifyAnswer(earnings, body), JSON.stringify(body)).toThrow(UpstreamUnavailableError);
    }
    expect(() => classifyAnswer(cashFlow, 42)).toThrow(UpstreamUnavailableError);
    expect(() => classifyAnswer(overview, [])).toThrow(UpstreamUnavailableError);
  });

  describe('refuses a body of the wrong shape as the upstream being unavailable', () => {
    const quarter = (fiscalDateEnding: string, reportedEPS: string) => ({ fiscalDateEnding, reportedDate: fiscalDateEnding, reportedEPS });
    const cashQuarter = (fiscalDateEnding: string, operatingCashflow: string) => ({
      fiscalDateEnding,
      operatingCashflow,
      capitalExpenditures: '10',
    });

    it.each<[string, AlphaVantageRequest, unknown]>([
      ['EARNINGS without a quarterlyEarnings list', earnings, { symbol: 'AAPL' }],
      ['EARNINGS whose quarterlyEarnings is a string', earnings, { symbol: 'AAPL', quarterlyEarnings: 'None' }],
      [
        'EARNINGS with rows that are not objects',
        earnings,
        { symbol: 'AAPL', quarterlyEarnings: ['junk', null, quarter('2024-09-30', '1.64')] },
      ],
      [
        'EARNINGS whose every reportedEPS is "None"',
        earnings,
        { symbol: 'AAPL', quarterlyEarnings: [quarter('2024-09-30', 'None'), quarter('2024-06-30', 'None')] },
      ],
      ['CASH_FLOW whose quarterlyReports is a string', cashFlow, { symbol: 'AAPL', quarterlyReports: 'None' }],
      [
        'CASH_FLOW with malformed rows',
        cashFlow,
        { symbol: 'AAPL', quarterlyReports: [{ fiscalDateEnding: 12 }, null, 'x'] },
      ],
      [
        'CASH_FLOW whose every operatingCashflow is "None"',
        cashFlow,
        { symbol: 'AAPL', quarterlyReports: [cashQuarter('2024-09-30', 'None'), cashQuarter('2024-06-30', 'None')] },
      ],
      ['OVERVIEW without a Symbol', overview, { EPS: '6.08' }],
      ['REALTIME_OPTIONS whose data is not a list', realtimeOptions, { endpoint: 'Realtime Options', data: 'None' }],
    ])('%s', (_case, request, body) => {
      const error = refusal(request, body);
      expect(error).toBeInstanceOf(UpstreamUnavailableError);
      expect(error.message).toContain(`${request.fn} for AAPL`);
      expect(error.message).toContain('unexpected shape');
    });

    it('but takes a list where only some reportedEPS are "None"', () => {
      const body = { symbol: 'AAPL', quarterlyEarnings: [quarter('2024-12-31', 'None'), quarter('2024-09-30', '1.64')] };
      expect(classifyAnswer(earnings, body)).toBe(body);
    });
  });
});

describe('fundamentals parsers', () => {
  it('reads EARNINGS quarters as typed figures, keeping how a missing one was reported', () => {
    const body = classifyAnswer(earnings, {
      symbol: 'AAPL',
      annualEarnings: [{ fiscalDateEnding: '2024-09-30', reportedEPS: '6.08' }],
      quarterlyEarnings: [
        { fiscalDateEnding: '2024-12-31', reportedDate: '2025-01-30', reportedEPS: 'None', estimatedEPS: '2.35' },
        { fiscalDateEnding: '2024-09-30', reportedDate: '2024-10-31', reportedEPS: '1.64', estimatedEPS: '1.60' },
        { fiscalDateEnding: '2024/06/30', reportedEPS: '-0.05' },
        { reportedEPS: '' },
      ],
    });
    expect(parseEarnings(body)).toEqual({
      quarters: [
        { fiscalDateEnding: '2024-12-31', eps: { value: null, reported: '"None"' } },
        { fiscalDateEnding: '2024-09-30', eps: { value: new Decimal('1.64'), reported: '"1.64"' } },
        { fiscalDateEnding: null, eps: { value: new Decimal('-0.05'), reported: '"-0.05"' } },
        { fiscalDateEnding: null, eps: { value: null, reported: 'empty' } },
      ],
    });
  });

  it('reads OVERVIEW figures and the ex-dividend date', () => {
    const body = classifyAnswer(overview, {
      Symbol: 'AAPL',
      EPS: '6.08',
      SharesOutstanding: '15115800000',
      DividendYield: '0.0044',
      ExDividendDate: '2024-11-08',
      PERatio: '37.5',
    });
    expect(parseOverview(body)).toEqual({
      eps: { value: new Decimal('6.08'), reported: '"6.08"' },
      sharesOutstanding: { value: new Decimal('15115800000'), reported: '"15115800000"' },
      dividendYield: { value: new Decimal('0.0044'), reported: '"0.0044"' },
      exDividendDate: '2024-11-08',
    });
  });

  it('reads an OVERVIEW without EPS, shares or a dividend as missing figures', () => {
    const body = classifyAnswer(overview, { Symbol: 'BRKX', EPS: 'None', DividendYield: 'None', ExDividendDate: 'None' });
    expect(parseOverview(body)).toEqual({
      eps: { value: null, reported: '"None"' },
      sharesOutstanding: { value: null, reported: 'missing' },
      dividendYield: { value: null, reported: '"None"' },
      exDividendDate: null,
    });
  });

  it('reads CASH_FLOW quarters, capex "None" included', () => {
    const body = classifyAnswer(cashFlow, {
      symbol: 'AAPL',
      annualReports: [],
      quarterlyReports: [
        { fiscalDateEnding: '2024-09-30', reportedCurrency: 'USD', operatingCashflow: '26811000000', capitalExpenditures: '2908000000' },
        { fiscalDateEnding: '2024-06-30', reportedCurrency: 'USD', operatingCashflow: '28858000000', capitalExpenditures: 'None' },
        { fiscalDateEnding: '2024-03-31', reportedCurrency: 'USD', operatingCashflow: 'None', capitalExpenditures: '-1996000000' },
      ],
    });
    expect(parseCashFlow(body)).toEqual({
      quarters: [
        {
          fiscalDateEnding: '2024-09-30',
          operatingCashFlow: { value: new Decimal('26811000000'), reported: '"26811000000"' },
          capitalExpenditures: { value: new Decimal('2908000000'), reported: '"2908000000"' },
        },
        {
          fiscalDateEnding: '2024-06-30',
          operatingCashFlow: { value: new Decimal('28858000000'), reported: '"28858000000"' },
          capitalExpenditures: { value: null, reported: '"None"' },
        },
        {
          fiscalDateEnding: '2024-03-31',
          operatingCashFlow: { value: null, reported: '"None"' },
          capitalExpenditures: { value: new Decimal('-1996000000'), reported: '"-1996000000"' },
        },
      ],
    });
  });

  it('keeps figures exact (no binary floating point)', () => {
    const body = classifyAnswer(earnings, { symbol: 'AAPL', quarterlyEarnings: [{ fiscalDateEnding: '2024-09-30', reportedEPS: '0.1' }] });
    expect(parseEarnings(body).quarters[0]!.eps.value!.plus('0.2').toString()).toBe('0.3');
  });
});

describe('option chain answers', () => {
  it('reads REALTIME_BULK_QUOTES rows as symbol → close and New York timestamp, skipping rows without a price', () => {
    const prices = parseBulkQuotes(
      classifyAnswer(
        { fn: 'REALTIME_BULK_QUOTES', symbol: 'MSFT,AAPL,NOPE' },
        {
          endpoint: 'Realtime Bulk Quotes',
          data: [
            { symbol: 'MSFT', close: '415.2300', timestamp: '2026-03-02 16:00:00.000' },
            { symbol: 'aapl', close: '230.1', timestamp: 'later' },
            { symbol: 'NOPE', close: 'None' },
            { close: '1' },
          ],
        },
      ),
    );
    expect([...prices]).toEqual([
      // 16:00 EST on March 2, 2026 is 21:00 UTC.
      ['MSFT', { price: 415.23, asOf: new Date('2026-03-02T21:00:00Z') }],
      ['AAPL', { price: 230.1, asOf: null }],
    ]);
  });

  it('reads option rows with missing figures as null, and drops rows without a type or strike', () => {
    const quotes = parseAlphaVantageOptions(
      classifyAnswer(realtimeOptions, {
        endpoint: 'Realtime Options',
        data: [
          { contractID: 'A1', type: 'put', strike: '100.00', expiration: '2026-12-18', bid: '1.20', delta: '-0.15000', implied_volatility: '0.3' },
          { contractID: 'A2', type: 'call', strike: '110.00', expiration: '2026-12-18', bid: 'None' },
          { contractID: 'A3', type: 'straddle', strike: '100.00', expiration: '2026-12-18' },
          { contractID: 'A4', type: 'put', strike: 'None', expiration: '2026-12-18' },
        ],
      }),
    );
    const noExtras = { ask: null, mark: null, volume: null, openInterest: null, gamma: null, theta: null, vega: null };
    expect(quotes).toEqual([
      { contractId: 'A1', type: 'PUT', expiration: '2026-12-18', strike: 100, bid: 1.2, delta: -0.15, impliedVolatility: 0.3, ...noExtras },
      { contractId: 'A2', type: 'CALL', expiration: '2026-12-18', strike: 110, bid: null, delta: null, impliedVolatility: null, ...noExtras },
    ]);
  });

  it('keeps ask, mark, volume, open interest, gamma, theta and vega of an option row', () => {
    const [quote] = parseAlphaVantageOptions(
      classifyAnswer(realtimeOptions, {
        endpoint: 'Realtime Options',
        data: [
          {
            contractID: 'AAPL261218P00200000',
            symbol: 'AAPL',
            expiration: '2026-12-18',
            strike: '200.00',
            type: 'put',
            last: '7.10',
            mark: '7.15',
            bid: '7.05',
            bid_size: '12',
            ask: '7.25',
            ask_size: '30',
            volume: '431',
            open_interest: '10234',
            date: '2026-11-13',
            implied_volatility: '0.27181',
            delta: '-0.24512',
            gamma: '0.00871',
            theta: '-0.04123',
            vega: '0.35877',
            rho: '-0.08511',
          },
        ],
      }),
    );
    expect(quote).toEqual({
      contractId: 'AAPL261218P00200000',
      type: 'PUT',
      expiration: '2026-12-18',
      strike: 200,
      bid: 7.05,
      delta: -0.24512,
      impliedVolatility: 0.27181,
      ask: 7.25,
      mark: 7.15,
      volume: 431,
      openInterest: 10234,
      gamma: 0.00871,
      theta: -0.04123,
      vega: 0.35877,
    });
  });

  it('reads GLOBAL_QUOTE "05. price", and nothing from a price that is not positive', () => {
    const quote = (price: string) => classifyAnswer({ fn: 'GLOBAL_QUOTE', symbol: 'AAPL' }, { 'Global Quote': { '01. symbol': 'AAPL', '05. price': price } });
    expect(parseGlobalQuotePrice(quote('231.4500'))).toBe(231.45);
    expect(parseGlobalQuotePrice(quote('None'))).toBeNull();
    expect(parseGlobalQuotePrice(quote('0.0000'))).toBeNull();
  });

  it('dates a GLOBAL_QUOTE price by its latest trading day and the instant it was received', () => {
    const quote = (day: unknown, receivedAt?: string) =>
      parseGlobalQuote(classifyAnswer({ fn: 'GLOBAL_QUOTE', symbol: 'AAPL' }, { 'Global Quote': { '05. price': '231.4500', '07. latest trading day': day }, ...(receivedAt ? { receivedAt } : {}) }));
    // Friday 2026-03-06 closes at 16:00 EST = 21:00 UTC; received on Saturday, the close stands.
    expect(quote('2026-03-06', '2026-03-07T15:00:00.000Z')).toEqual({ price: 231.45, asOf: new Date('2026-03-06T21:00:00Z') });
    // Received during that session (11:00 EST): the live price is as of its arrival.
    expect(quote('2026-03-06', '2026-03-06T16:00:00.000Z')).toEqual({ price: 231.45, asOf: new Date('2026-03-06T16:00:00Z') });
    // No receipt stamp (an entry cached before the stamp existed): the close.
    expect(quote('2026-03-06')).toEqual({ price: 231.45, asOf: new Date('2026-03-06T21:00:00Z') });
    expect(quote('2026-02-30')).toEqual({ price: 231.45, asOf: null });
    expect(quote(undefined)).toEqual({ price: 231.45, asOf: null });
  });
});
