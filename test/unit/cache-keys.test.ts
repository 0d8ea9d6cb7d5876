import { describe, expect, it } from 'vitest';
import { alphaVantageKey } from '../../src/providers/alpha-vantage/cache-policy.js';

describe('alphaVantageKey', () => {
  it('is alphavantage:{function lower-case}:{SYMBOL}', () => {
    expect(alphaVantageKey('CASH_FLOW', 'aapl')).toBe('alphavantage:cash_flow:AAPL');
  });

  it('appends parameters sorted by name as :{param}_{value}', () => {
    expect(alphaVantageKey('REALTIME_OPTIONS', 'MSFT', { require_greeks: 'true', date: '2026-11-20' })).toBe(
      'alphavantage:realtime_options:MSFT:date_2026-11-20:require_greeks_true',
    );
  });
});
