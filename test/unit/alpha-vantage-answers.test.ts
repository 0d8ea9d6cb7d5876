import { describe, expect, it } from 'vitest';
import { classifyAnswer, type AlphaVantageRequest } from '../../src/upstream/alpha-vantage.js';
import { parseAlphaVantageOptions, parseBulkQuotePrices, parseGlobalQuotePrice } from '../../src/upstream/alpha-vantage-options.js';
import { SymbolNotFoundError, UpstreamRateLimitedError, UpstreamUnavailableError } from '../../src/upstream/upstream-errors.js';

const earnings: AlphaVantageRequest = { fn: 'EARNINGS', symbol: 'AAPL' };

describe('classifyAnswer', () => {
  it('returns a body with data as it is', () => {
    const body = { symbol: 'AAPL', quarterlyEarnings: [{ reportedEPS: '1.64' }] };
    expect(classifyAnswer(earnings, body)).toBe(body);
  });

  it('reads an "Error Message" as an unknown symbol', () => {
    expect(() => classifyAnswer(earnings, { 'Error Message': 'Invalid API call.' })).toThrow(SymbolNotFoundError);
  });

  it('reads an empty object, or one holding only empty objects, as an unknown symbol', () => {
    expect(() => classifyAnswer(earnings, {})).toThrow(SymbolNotFoundError);
    expect(() => classifyAnswer({ fn: 'GLOBAL_QUOTE', symbol: 'ZZZZ' }, { 'Global Quote': {} })).toThrow(SymbolNotFoundError);
  });

  it('reads "Note" and "Information" as the upstream rate limit', () => {
    expect(() => classifyAnswer(earnings, { Note: 'Thank you for using Alpha Vantage! ...' })).toThrow(UpstreamRateLimitedError);
    expect(() => classifyAnswer(earnings, { Information: 'Our standard API rate limit is 25 requests per day.' })).toThrow(
      UpstreamRateLimitedError,
    );
  });

  it('reads anything that is not a JSON object as the upstream being unavailable', () => {
    for (const body of [null, 'text', 42, [1, 2]]) {
      expect(() => classifyAnswer(earnings, body)).toThrow(UpstreamUnavailableError);
    }
  });
});

describe('option chain answers', () => {
  it('reads REALTIME_BULK_QUOTES rows as symbol → close, skipping rows without a price', () => {
    const prices = parseBulkQuotePrices({
      endpoint: 'Realtime Bulk Quotes',
      data: [
        { symbol: 'MSFT', close: '415.2300' },
        { symbol: 'aapl', close: '230.1' },
        { symbol: 'NOPE', close: 'None' },
        { close: '1' },
      ],
    });
    expect([...prices]).toEqual([
      ['MSFT', 415.23],
      ['AAPL', 230.1],
    ]);
  });

  it('reads option rows with missing bid or delta as null, and drops rows without a type or strike', () => {
    const quotes = parseAlphaVantageOptions({
      data: [
        { contractID: 'A1', type: 'put', strike: '100.00', expiration: '2026-12-18', bid: '1.20', delta: '-0.15000', implied_volatility: '0.3' },
        { contractID: 'A2', type: 'call', strike: '110.00', expiration: '2026-12-18', bid: 'None' },
        { contractID: 'A3', type: 'straddle', strike: '100.00', expiration: '2026-12-18' },
        { contractID: 'A4', type: 'put', strike: 'None', expiration: '2026-12-18' },
      ],
    });
    expect(quotes).toEqual([
      { contractId: 'A1', type: 'PUT', expiration: '2026-12-18', strike: 100, bid: 1.2, delta: -0.15, impliedVolatility: 0.3 },
      { contractId: 'A2', type: 'CALL', expiration: '2026-12-18', strike: 110, bid: null, delta: null, impliedVolatility: null },
    ]);
  });

  it('reads GLOBAL_QUOTE "05. price", and nothing from an empty quote', () => {
    expect(parseGlobalQuotePrice({ 'Global Quote': { '05. price': '231.4500' } })).toBe(231.45);
    expect(parseGlobalQuotePrice({ 'Global Quote': {} })).toBeNull();
  });
});
