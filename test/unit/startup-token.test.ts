import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { isLoopbackHost, requestIsLocal, startupTokenApplies, withStartupToken } from '../../src/server/startup-token.js';

const configFor = (env: Record<string, string>) => loadConfig({ CACHE_DIR: '/tmp/unused', ...env });

describe('the start-up token', () => {
  it.each(['127.0.0.1', 'localhost', 'LOCALHOST', '::1', '127.0.1.1'])('is made for a sample-data run bound to %s without API_TOKENS', (host) => {
    const config = withStartupToken(configFor({ HOST: host }), () => 'made-for-this-run');
    expect(config.startupToken).toBe('made-for-this-run');
    expect(config.apiTokens).toEqual(['made-for-this-run']);
  });

  it.each(['0.0.0.0', '::', '192.168.1.20', 'api.example.com'])('is never made for a bind to %s', (host) => {
    const config = withStartupToken(configFor({ HOST: host }), () => 'made-for-this-run');
    expect(config.startupToken).toBeUndefined();
    expect(config.apiTokens).toEqual([]);
  });

  it('is never made with a real API key: a key spends real calls, so mutations need configured tokens', () => {
    const config = withStartupToken(configFor({ HOST: '127.0.0.1', ALPHAVANTAGE_API_KEY: 'real-key' }));
    expect(config.startupToken).toBeUndefined();
    expect(config.apiTokens).toEqual([]);
  });

  it('is never made when API_TOKENS is set, or behind a proxy', () => {
    const configured = withStartupToken(configFor({ HOST: '127.0.0.1', API_TOKENS: 'mine' }));
    expect(configured.startupToken).toBeUndefined();
    expect(configured.apiTokens).toEqual(['mine']);
    expect(startupTokenApplies(configFor({ HOST: '127.0.0.1', TRUST_PROXY_HOPS: '1' }))).toBe(false);
  });

  it('is 256 random bits, a new one each run', () => {
    const first = withStartupToken(configFor({})).startupToken!;
    const second = withStartupToken(configFor({})).startupToken!;
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second).not.toBe(first);
  });
});

describe('isLoopbackHost', () => {
  it('knows this machine from the rest', () => {
    expect(['127.0.0.1', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'].map(isLoopbackHost)).toEqual([true, true, true, true, true]);
    expect(['0.0.0.0', '::', '10.0.0.1', '127.example.com', 'localhost.example.com', ''].map(isLoopbackHost)).toEqual([false, false, false, false, false, false]);
  });
});

describe('requestIsLocal (the IDE page carries the token only then)', () => {
  const browser = { host: '127.0.0.1:4000', accept: 'text/html', 'sec-fetch-site': 'none' };
  it('is a browser on this machine opening the page', () => {
    expect(requestIsLocal('127.0.0.1', browser)).toBe(true);
    expect(requestIsLocal('::1', { host: '[::1]:4000' })).toBe(true);
    expect(requestIsLocal('::ffff:127.0.0.1', { host: 'localhost:4000' })).toBe(true);
  });

  it('is not a peer elsewhere, a proxied request, another name (DNS rebinding) or another site', () => {
    expect(requestIsLocal('192.168.1.7', browser)).toBe(false);
    expect(requestIsLocal(undefined, browser)).toBe(false);
    expect(requestIsLocal('127.0.0.1', { ...browser, 'x-forwarded-for': '203.0.113.9' })).toBe(false);
    expect(requestIsLocal('127.0.0.1', { ...browser, forwarded: 'for=203.0.113.9' })).toBe(false);
    expect(requestIsLocal('127.0.0.1', { ...browser, host: 'rebound.example:4000' })).toBe(false);
    expect(requestIsLocal('127.0.0.1', { accept: 'text/html' })).toBe(false);
    expect(requestIsLocal('127.0.0.1', { ...browser, origin: 'https://elsewhere.example' })).toBe(false);
    expect(requestIsLocal('127.0.0.1', { ...browser, 'sec-fetch-site': 'cross-site' })).toBe(false);
  });
});
