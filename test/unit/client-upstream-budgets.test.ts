import { describe, expect, it } from 'vitest';
import { UpstreamRateLimitedError } from '../../src/providers/provider-errors.js';
import { ClientUpstreamBudgets, clientNetwork } from '../../src/server/client-upstream-budgets.js';

function budgets(options: { anonymous?: number; authenticated?: number; maxClients?: number } = {}) {
  let now = 1_000_000;
  const clientBudgets = new ClientUpstreamBudgets({
    anonymousPerMinute: options.anonymous ?? 3,
    authenticatedPerMinute: options.authenticated ?? 10,
    now: () => now,
    ...(options.maxClients === undefined ? {} : { maxClients: options.maxClients }),
  });
  return { clientBudgets, advance: (ms: number) => (now += ms) };
}

const spendTimes = (spend: () => void, times: number) => {
  for (let i = 0; i < times; i += 1) spend();
};

describe('per-client upstream budgets', () => {
  it('refuses the call after the anonymous budget, naming the budget and when it renews', () => {
    const { clientBudgets, advance } = budgets({ anonymous: 3 });
    const allowance = clientBudgets.allowanceFor({ ip: '203.0.113.7' });
    spendTimes(() => allowance.spend(), 3);
    advance(18_000);
    expect(() => allowance.spend()).toThrow(UpstreamRateLimitedError);
    expect(() => allowance.spend()).toThrow(
      "this client's anonymous upstream budget of 3 calls a minute (ANONYMOUS_UPSTREAM_CALLS_PER_MINUTE) is spent; it renews in 42 s",
    );
  });

  it('renews a minute after the window began', () => {
    const { clientBudgets, advance } = budgets({ anonymous: 2 });
    const allowance = clientBudgets.allowanceFor({ ip: '203.0.113.7' });
    spendTimes(() => allowance.spend(), 2);
    advance(59_999);
    expect(() => allowance.spend()).toThrow(/renews in 1 s/);
    advance(1);
    expect(() => spendTimes(() => allowance.spend(), 2)).not.toThrow();
  });

  it('counts each address apart, and each request of one address together', () => {
    const { clientBudgets } = budgets({ anonymous: 2 });
    spendTimes(() => clientBudgets.allowanceFor({ ip: '203.0.113.7' }).spend(), 2);
    expect(() => clientBudgets.allowanceFor({ ip: '203.0.113.7' }).spend()).toThrow(UpstreamRateLimitedError);
    expect(() => clientBudgets.allowanceFor({ ip: '203.0.113.8' }).spend()).not.toThrow();
  });

  it('gives a token its own, larger budget, and never keeps the token', () => {
    const { clientBudgets } = budgets({ anonymous: 1, authenticated: 5 });
    const token = { authorization: 'Bearer very-secret-token' };
    spendTimes(() => clientBudgets.allowanceFor(token).spend(), 5);
    expect(() => clientBudgets.allowanceFor(token).spend()).toThrow(
      "this token's upstream budget of 5 calls a minute (AUTHENTICATED_UPSTREAM_CALLS_PER_MINUTE) is spent",
    );
    expect(() => clientBudgets.allowanceFor({ authorization: 'Bearer another-token' }).spend()).not.toThrow();
    const kept = JSON.stringify([...(clientBudgets as unknown as { windows: Map<string, unknown> }).windows.keys()]);
    expect(kept).not.toContain('very-secret-token');
  });

  it('forgets the oldest clients past its limit rather than grow without bound', () => {
    const { clientBudgets } = budgets({ anonymous: 1, maxClients: 100 });
    for (let i = 0; i < 1000; i += 1) clientBudgets.allowanceFor({ ip: `198.51.${Math.floor(i / 250)}.${i % 250}` }).spend();
    expect((clientBudgets as unknown as { windows: Map<string, unknown> }).windows.size).toBeLessThanOrEqual(100);
  });
});

describe('the network of a client address', () => {
  it('is an IPv4 address itself, mapped or not', () => {
    expect(clientNetwork('203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('is the /64 of an IPv6 address, however it is written', () => {
    expect(clientNetwork('2001:db8:0:1:aaaa::1')).toBe('2001:db8:0:1::/64');
    expect(clientNetwork('2001:0db8:0000:0001:ffff:ffff:ffff:ffff')).toBe('2001:db8:0:1::/64');
    expect(clientNetwork('2001:db8::')).toBe('2001:db8:0:0::/64');
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
  });
});
