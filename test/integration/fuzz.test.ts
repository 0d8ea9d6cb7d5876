import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClientType } from '@redis/client';
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { IN_PROCESS_API_KEY, startInProcessApp, type InProcessApp } from '../support/in-process-app.js';
import { errorCodes } from '../support/graphql-client.js';
import { dropDatabase, freshDatabase } from '../support/redis.js';
import { tickerWithForeignLetter } from '../support/symbol-arbitraries.js';

const DATABASE = 5;
// The harness's key: the one its logger is told to mask, as main.ts tells it the configured key.
const API_KEY = IN_PROCESS_API_KEY;
const TOKEN = 'fuzz-token-9c2d';
const RUNS = 600;

let fake: FakeAlphaVantage;
let server: InProcessApp;
let redis: RedisClientType;
/** errors that escaped every handler while the fuzz ran: in-process, what would have crashed the server process */
const escaped: unknown[] = [];
const onEscaped = (error: unknown) => void escaped.push(error);

beforeAll(async () => {
  redis = await freshDatabase(DATABASE);
  fake = await startFakeAlphaVantage();
  server = await startInProcessApp({ database: DATABASE, fake, env: { API_TOKENS: TOKEN } });
  process.on('uncaughtException', onEscaped);
  process.on('unhandledRejection', onEscaped);
});

afterAll(async () => {
  process.off('uncaughtException', onEscaped);
  process.off('unhandledRejection', onEscaped);
  await server?.close();
  await fake?.close();
  await dropDatabase(redis);
});

const FIELDS = ['intrinsicValue', 'intrinsicValues', 'curatedStocks', 'scanStatus', 'scanResults', 'startScan', '__schema', '__typename', 'nope'];
const fragments = [
  '{', '}', '(', ')', '[', ']', ':', '$', '@', '...', '"', '!', ',', 'query', 'mutation', 'subscription', 'fragment', 'on',
  'symbol:', 'symbols:', 'assumptions:', 'input:', '"AAPL"', '"aapl"', '"$$$"', '"A"', '"ABCDEFGHIJK"', '-1', '1e309', '0',
  '99999999999999999999', 'null', 'true', 'PUT', 'EPS', 'eps', 'effectiveIntrinsicValue', 'notes', '\\u0000', '#', '\n',
  ...FIELDS,
];

/** Queries made of GraphQL-ish tokens: mostly broken, sometimes valid. */
const tokenSoup = fc.array(fc.constantFrom(...fragments), { minLength: 0, maxLength: 40 }).map((parts) => parts.join(' '));
/** Deep nesting and many aliases, to reach the depth and alias limits. */
const deep = fc.integer({ min: 1, max: 60 }).map((depth) => `{ ${'curatedStocks { intrinsicValue { assumptions { '.repeat(depth)} ${'} } } '.repeat(depth)} }`);
const aliases = fc.integer({ min: 1, max: 300 }).map((n) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: scanStatus { lastRun }`).join(' ')} }`);
const validWithBadVariables = fc.record({
  query: fc.constantFrom(
    'query($s: String!) { intrinsicValue(symbol: $s) { symbol effectiveIntrinsicValue } }',
    'query($s: [String!]!, $a: ValuationAssumptionsInput) { intrinsicValues(symbols: $s, assumptions: $a) { symbol } }',
    'mutation($i: StartScanInput) { startScan(input: $i) { started reason } }',
  ),
  variables: fc.oneof(
    fc.anything(),
    fc.record({ s: fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 120 }), fc.integer()) }),
    fc.record({
      s: fc.constant(['AAPL']),
      a: fc.record({ desiredReturn: fc.double(), projectionYears: fc.integer(), epsMultiple: fc.double(), preferredMethod: fc.string() }, { requiredKeys: [] }),
    }),
    fc.record({ i: fc.record({ weeks: fc.integer(), maxDelta: fc.double(), symbols: fc.array(fc.string()), optionType: fc.string() }, { requiredKeys: [] }) }),
  ),
});
const body = fc.oneof(
  tokenSoup.map((query) => JSON.stringify({ query })),
  deep.map((query) => JSON.stringify({ query })),
  aliases.map((query) => JSON.stringify({ query })),
  validWithBadVariables.map((request) => JSON.stringify(request)),
  fc.string().map((text) => text), // not JSON at all
  fc.anything().map((value) => JSON.stringify(value) ?? 'undefined'),
);

describe('fuzzing the running server', () => {
  it(`answers ${RUNS} generated malformed queries and variables without a 5xx, a crash, a stack trace or the key`, async () => {
    const statuses: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), async (payload, withToken) => {
        const response = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(withToken ? { authorization: `Bearer ${TOKEN}` } : {}) },
          body: payload,
          signal: AbortSignal.timeout(15_000),
        });
        const text = await response.text();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        expect(response.status, payload.slice(0, 200)).toBeLessThan(500);
        expect(() => JSON.parse(text), text.slice(0, 200)).not.toThrow();
        expect(text).not.toMatch(/\n\s+at [\w.<>]+ \(|stacktrace|node_modules/);
        expect(text).not.toContain(API_KEY);
        expect(text).not.toContain(TOKEN);
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: 120_000 },
    );
    console.log(`fuzz: ${RUNS} inputs, HTTP statuses ${JSON.stringify(statuses)}`);
    // No crash: nothing escaped to the process (a server process would have died of it), and it still answers.
    expect(escaped).toEqual([]);
    const health = await fetch(`${server.origin}/health`);
    expect(health.status).toBe(200);
    expect(server.logs.length).toBeGreaterThan(0);
    expect(server.logs.map((line) => JSON.stringify(line)).filter((line) => line.includes(API_KEY) || line.includes(TOKEN))).toEqual([]);
  }, 180_000);
});

describe('symbols with a non-ASCII letter, over HTTP', () => {
  const auth = { authorization: `Bearer ${TOKEN}` };
  const operations = [
    (s: string) => server.graphql('query($s: String!) { intrinsicValue(symbol: $s) { symbol } }', { s }),
    (s: string) => server.graphql('query($s: [String!]!) { intrinsicValues(symbols: $s) { symbol } }', { s: ['AAPL', s] }),
    (s: string) => server.graphql('mutation($s: String!) { saveCuratedStock(symbol: $s, active: true) { symbol } }', { s }, auth),
    (s: string) => server.graphql('mutation($s: [String!]) { startScan(input: { symbols: $s }) { started } }', { s: [s] }, auth),
  ];

  it('are refused with BAD_USER_INPUT by every operation that takes one (never upper-cased into "SS"), and cost no upstream call', async () => {
    const seen = fake.calls.length;
    const curatedBefore = await server.graphql<{ curatedStocks: Array<{ symbol: string }> }>('{ curatedStocks { symbol } }');
    await fc.assert(
      fc.asyncProperty(tickerWithForeignLetter, fc.nat(operations.length - 1), async (symbol, which) => {
        const answer = await operations[which]!(symbol);
        expect({ symbol, which, codes: errorCodes(answer) }).toEqual({ symbol, which, codes: ['BAD_USER_INPUT'] });
      }),
      { numRuns: 200, examples: [['\u00df', 0], ['MA\u00df', 2], ['\ufb01', 1], ['\u017fPY', 3]] },
    );
    expect(fake.calls.slice(seen).filter((call) => call.symbol !== 'AAPL')).toEqual([]);
    expect(await server.graphql('{ curatedStocks { symbol } }')).toEqual(curatedBefore);
  });
});
