import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { errorCodes } from '../support/graphql-client.js';
import { startInProcessApp, type InProcessApp } from '../support/in-process-app.js';

// The store does not matter here (the embedded one in a temp dir): what is counted is the fake's
// calls. Each block has a fake of its own, so that no late call of one is counted by another.
let fake: FakeAlphaVantage;
beforeEach(() => fake.reset());

const symbols = (count: number, prefix: string) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);
const list = (items: readonly string[]) => `[${items.map((item) => JSON.stringify(item)).join(', ')}]`;
const fundamentalsCalls = (symbol: string) => ['EARNINGS', 'OVERVIEW', 'CASH_FLOW'].map((fn) => fake.callCount({ function: fn, symbol }));

describe('the upstream cost of one request (MAX_UPSTREAM_CALLS_PER_REQUEST, default 300)', () => {
  let service: InProcessApp;
  beforeAll(async () => {
    fake = await startFakeAlphaVantage();
    // 300 calls at once on a busy machine: time enough that none times out.
    service = await startInProcessApp({ fake, env: { ALPHAVANTAGE_RETRIES: '0', ALPHAVANTAGE_TIMEOUT_MS: '60000' } });
  });
  afterAll(async () => {
    await service?.close();
    await fake?.close();
  });

  it('refuses the amplification query (30 aliases × 100 symbols) before any upstream call, naming its cost', async () => {
    const aliases = Array.from({ length: 30 }, (_, a) => `a${a}: intrinsicValues(symbols: ${list(symbols(100, `A${a}X`))}) { symbol effectiveIntrinsicValue }`);
    const query = `{ ${aliases.join(' ')} }`;
    expect(query.length).toBeGreaterThan(30_000);
    const answer = await service.graphql(query);
    expect(answer.status).toBe(400);
    expect(answer.data).toBeNull();
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors[0]!.message).toContain(`up to ${30 * 100 * 3} upstream calls`);
    expect(answer.errors[0]!.message).toContain('limit of 300 per request (MAX_UPSTREAM_CALLS_PER_REQUEST)');
    expect(fake.calls).toHaveLength(0);
  });

  it('counts symbols given in variables, behind fragments and under @skip', async () => {
    const query = `query Q($first: [String!]!, $second: [String!]!, $off: Boolean!) {
      ...Both
    }
    fragment Both on Query {
      first: intrinsicValues(symbols: $first) { symbol }
      ... on Query { second: intrinsicValues(symbols: $second) @skip(if: $off) { symbol } }
    }`;
    // Each list is within the resolver's own cap of 100; together they are 120 distinct symbols.
    const answer = await service.graphql(query, { first: symbols(60, 'V'), second: symbols(60, 'W'), off: true });
    expect(answer.status).toBe(400);
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors[0]!.message).toContain(`up to ${120 * 3} upstream calls`);
    expect(fake.calls).toHaveLength(0);
  });

  it('runs a query at the limit: the same 100 symbols under three aliases cost their 300 calls once', async () => {
    const hundred = symbols(100, 'OK');
    const answer = await service.graphql(
      `query Q($s: [String!]!) { a: intrinsicValues(symbols: $s) { symbol } b: intrinsicValues(symbols: $s) { symbol } c: intrinsicValues(symbols: $s, assumptions: { desiredReturn: 9 }) { symbol } }`,
      { s: hundred },
    );
    expect(answer.errors).toEqual([]);
    expect((answer.data as { c: Array<{ symbol: string }> }).c.map((value) => value.symbol)).toEqual(hundred);
    expect(fake.calls).toHaveLength(100 * 3);
  });
});

describe('per-client upstream budgets', () => {
  const TOKEN = 'budget-test-token';
  let now = new Date('2026-03-02T15:00:00Z').getTime();
  let service: InProcessApp;
  beforeAll(async () => {
    fake = await startFakeAlphaVantage();
    service = await startInProcessApp({
      fake,
      env: { ANONYMOUS_UPSTREAM_CALLS_PER_MINUTE: '6', AUTHENTICATED_UPSTREAM_CALLS_PER_MINUTE: '9', API_TOKENS: TOKEN, ALPHAVANTAGE_RETRIES: '0' },
      overrides: { clock: () => new Date(now) },
    });
  });
  afterAll(async () => {
    await service?.close();
    await fake?.close();
  });

  const value = (symbol: string, authorization?: string) =>
    service.graphql(`{ intrinsicValue(symbol: "${symbol}") { symbol } }`, undefined, authorization ? { authorization } : {});

  it('refuses an anonymous client past its calls a minute, while cached answers and a token caller still pass', async () => {
    // 6 calls: two symbols cold.
    for (const symbol of ['BA', 'BB']) expect((await value(symbol)).errors).toEqual([]);
    expect(fake.calls).toHaveLength(6);

    const refused = await value('BC');
    expect(errorCodes(refused)).toEqual(['UPSTREAM_RATE_LIMITED']);
    expect(refused.errors[0]!.message).toMatch(
      /anonymous upstream budget of 6 calls a minute \(ANONYMOUS_UPSTREAM_CALLS_PER_MINUTE\) is spent; it renews in 60 s/,
    );
    expect(fundamentalsCalls('BC')).toEqual([0, 0, 0]);

    // Cached answers cost nothing and are still served.
    fake.resetCalls();
    for (const symbol of ['BA', 'BB']) expect((await value(symbol)).errors).toEqual([]);
    expect(fake.calls).toHaveLength(0);

    // A forged X-Forwarded-For does not make a new client (TRUST_PROXY_HOPS=0: the TCP peer is the client).
    const forged = await service.graphql('{ intrinsicValue(symbol: "BD") { symbol } }', undefined, { headers: { 'x-forwarded-for': '198.51.100.9' } });
    expect(errorCodes(forged)).toEqual(['UPSTREAM_RATE_LIMITED']);

    // A bearer-token caller has its own budget.
    expect((await value('BC', `Bearer ${TOKEN}`)).errors).toEqual([]);
    expect(fundamentalsCalls('BC')).toEqual([1, 1, 1]);
  });

  it('renews the anonymous budget a minute after it began', async () => {
    now += 60_000;
    expect((await value('BD')).errors).toEqual([]);
    expect(fundamentalsCalls('BD')).toEqual([1, 1, 1]);
  });

  it("refuses a token caller past its own budget, naming it", async () => {
    now += 60_000;
    for (const symbol of ['TA', 'TB', 'TC']) expect((await value(symbol, `Bearer ${TOKEN}`)).errors).toEqual([]);
    const refused = await value('TD', `Bearer ${TOKEN}`);
    expect(errorCodes(refused)).toEqual(['UPSTREAM_RATE_LIMITED']);
    expect(refused.errors[0]!.message).toContain("this token's upstream budget of 9 calls a minute (AUTHENTICATED_UPSTREAM_CALLS_PER_MINUTE) is spent");
    expect(refused.errors[0]!.message).not.toContain(TOKEN);
  });
});

describe('the client address behind a proxy (TRUST_PROXY_HOPS=1)', () => {
  let service: InProcessApp;
  beforeAll(async () => {
    fake = await startFakeAlphaVantage();
    service = await startInProcessApp({ fake, env: { ANONYMOUS_UPSTREAM_CALLS_PER_MINUTE: '3', TRUST_PROXY_HOPS: '1' } });
  });
  afterAll(async () => {
    await service?.close();
    await fake?.close();
  });

  it("counts each forwarded client apart, not the proxy's address for all", async () => {
    const from = (ip: string, symbol: string) =>
      service.graphql(`{ intrinsicValue(symbol: "${symbol}") { symbol } }`, undefined, { headers: { 'x-forwarded-for': ip } });
    expect((await from('198.51.100.1', 'PA')).errors).toEqual([]);
    expect(errorCodes(await from('198.51.100.1', 'PB'))).toEqual(['UPSTREAM_RATE_LIMITED']);
    expect((await from('198.51.100.2', 'PB')).errors).toEqual([]);
  });
});
