import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CURATED_SYMBOLS, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.redisUrl).toBeUndefined();
    expect(config.alphaVantage.apiKey).toBeUndefined();
    expect(config.alphaVantage.baseUrl).toBe('https://www.alphavantage.co/query');
    expect(config.alphaVantage.ratePerMinute).toBe(5);
    expect(config.alphaVantage.ratePerDay).toBe(25);
    expect(config.alphaVantage.optionsFunction).toBe('REALTIME_OPTIONS');
    expect(config.optionsSource).toBe('alphavantage');
    expect(config.apiTokens).toEqual([]);
    expect(config.curatedSymbols).toEqual([...DEFAULT_CURATED_SYMBOLS]);
  });

  it('parses lists and treats an empty value as unset', () => {
    const config = loadConfig({ API_TOKENS: 'a, b,,', CURATED_SYMBOLS: 'aapl,MSFT,aapl', ALPHAVANTAGE_API_KEY: ' ', ENVIRONMENT: 'local' });
    expect(config.apiTokens).toEqual(['a', 'b']);
    expect(config.curatedSymbols).toEqual(['AAPL', 'MSFT']);
    expect(config.alphaVantage.apiKey).toBeUndefined();
    expect(config.scansOutsideMarketHours).toBe(true);
  });

  it('reads ENVIRONMENT once into a flag: only LOCAL (any case) lets scans run outside market hours', () => {
    expect(loadConfig({}).scansOutsideMarketHours).toBe(false);
    expect(loadConfig({ ENVIRONMENT: 'production' }).scansOutsideMarketHours).toBe(false);
    expect(loadConfig({ ENVIRONMENT: 'Local' }).scansOutsideMarketHours).toBe(true);
  });

  it('gives each provider its own timeout, retries and queue wait', () => {
    const config = loadConfig({ ALPHAVANTAGE_TIMEOUT_MS: '5000', MARKETDATA_TIMEOUT_MS: '2500', MARKETDATA_RETRIES: '0', MARKETDATA_MAX_QUEUE_WAIT_MS: '100' });
    expect(config.alphaVantage.timeoutMs).toBe(5000);
    expect(config.marketData).toMatchObject({ timeoutMs: 2500, retries: 0, maxQueueWaitMs: 100 });
    expect(config.alphaVantage.retries).toBe(2);
  });

  it('needs MARKETDATA_API_KEY with OPTIONS_SOURCE=marketdata', () => {
    expect(() => loadConfig({ OPTIONS_SOURCE: 'marketdata' })).toThrow(/MARKETDATA_API_KEY: required when OPTIONS_SOURCE=marketdata/);
  });

  it('names every bad variable at once and never echoes a value', () => {
    const attempt = () =>
      loadConfig({ PORT: 'eighty', REDIS_URL: 'http://user:hunter2@host', ALPHAVANTAGE_RATE_LIMIT_PER_DAY: '-1', OPTIONS_SOURCE: 'yahoo' });
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    for (const name of ['PORT', 'REDIS_URL', 'ALPHAVANTAGE_RATE_LIMIT_PER_DAY', 'OPTIONS_SOURCE']) expect(message).toContain(name);
    expect(message).not.toContain('hunter2');
  });

  it('scans one ticker at a time at a paced budget, sixteen above 60 calls a minute, thirty-two from 1 000, unless SCAN_CONCURRENCY says', () => {
    expect(loadConfig({}).scanConcurrency).toBe(1);
    expect(loadConfig({ ALPHAVANTAGE_RATE_LIMIT_PER_MINUTE: '60' }).scanConcurrency).toBe(1);
    expect(loadConfig({ ALPHAVANTAGE_RATE_LIMIT_PER_MINUTE: '75' }).scanConcurrency).toBe(16);
    expect(loadConfig({ ALPHAVANTAGE_RATE_LIMIT_PER_MINUTE: '999' }).scanConcurrency).toBe(16);
    expect(loadConfig({ ALPHAVANTAGE_RATE_LIMIT_PER_MINUTE: '1000' }).scanConcurrency).toBe(32);
    expect(loadConfig({ ALPHAVANTAGE_RATE_LIMIT_PER_MINUTE: '1200' }).scanConcurrency).toBe(32);
    expect(loadConfig({ OPTIONS_SOURCE: 'marketdata', MARKETDATA_API_KEY: 'm' }).scanConcurrency).toBe(16);
    expect(loadConfig({ OPTIONS_SOURCE: 'marketdata', MARKETDATA_API_KEY: 'm', MARKETDATA_RATE_LIMIT_PER_MINUTE: '30' }).scanConcurrency).toBe(1);
    expect(loadConfig({ ALPHAVANTAGE_RATE_LIMIT_PER_MINUTE: '600', SCAN_CONCURRENCY: '3' }).scanConcurrency).toBe(3);
    expect(() => loadConfig({ SCAN_CONCURRENCY: '0' })).toThrow(/SCAN_CONCURRENCY/);
  });

  it('gives the scan lock a 30 s lease unless SCAN_LEASE_SECONDS says, from 1 s to the lock\'s 45 minutes', () => {
    expect(loadConfig({}).scanLeaseMs).toBe(30_000);
    expect(loadConfig({ SCAN_LEASE_SECONDS: '3' }).scanLeaseMs).toBe(3000);
    for (const bad of ['0', '2701', '1.5']) expect(() => loadConfig({ SCAN_LEASE_SECONDS: bad })).toThrow(/SCAN_LEASE_SECONDS/);
  });

  it('gives the background refresher half the budget unless REFRESH_BUDGET_SHARE says, from 0 (off) to 1', () => {
    expect(loadConfig({}).refreshBudgetShare).toBe(0.5);
    expect(loadConfig({ REFRESH_BUDGET_SHARE: '0' }).refreshBudgetShare).toBe(0);
    expect(loadConfig({ REFRESH_BUDGET_SHARE: '0.25' }).refreshBudgetShare).toBe(0.25);
    for (const bad of ['-0.1', '1.5', 'half']) expect(() => loadConfig({ REFRESH_BUDGET_SHARE: bad })).toThrow(/REFRESH_BUDGET_SHARE/);
  });

  it('refuses a malformed curated symbol', () => {
    expect(() => loadConfig({ CURATED_SYMBOLS: 'AAPL,NOT A SYMBOL' })).toThrow(/CURATED_SYMBOLS/);
  });
});
