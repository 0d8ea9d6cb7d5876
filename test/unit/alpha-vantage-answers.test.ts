import { describe, expect, it } from 'vitest';
import { classifyAnswer, type AlphaVantageRequest } from '../../src/upstream/alpha-vantage.js';
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
