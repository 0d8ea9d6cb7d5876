import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AlphaVantageFetcher } from '../../src/providers/alpha-vantage/alpha-vantage.request.js';
import { ask, errorCodes } from '../support/graphql-client.js';
import { startFakeAlphaVantage, type FakeAlphaVantage } from '../support/fake-alpha-vantage.js';
import { startInProcessApp, type InProcessApp } from '../support/in-process-app.js';

describe('the error boundary', () => {
  let server: InProcessApp;
  afterEach(async () => server?.close());

  it('answers a plain TypeError as INTERNAL_SERVER_ERROR and logs it once, with its stack and the request id', async () => {
    const broken: AlphaVantageFetcher = {
      fetch: async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'secretDetail')");
      },
    };
    server = await startInProcessApp({ overrides: { alphaVantage: broken } });
    const answer = await ask(server.url, '{ intrinsicValue(symbol: "AAPL") { symbol } }', undefined, { 'x-request-id': 'boundary-test-1' });

    expect(errorCodes(answer)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(JSON.stringify(answer)).not.toMatch(/secretDetail|TypeError|at \//);
    const errors = server.logs.filter((line) => line.level >= 50);
    expect(errors).toHaveLength(1);
    const [line] = errors as unknown as [{ err: { type: string; stack: string }; req: { id: string }; path: unknown }];
    expect(line.err.type).toBe('TypeError');
    expect(line.err.stack).toMatch(/TypeError: Cannot read properties of undefined[\s\S]*\n\s+at /);
    expect(line.req.id).toBe('boundary-test-1');
    expect(line.path).toEqual(['intrinsicValue']);
  });

  it('passes coded errors with their code and logs no error line for them', async () => {
    server = await startInProcessApp();
    const answer = await ask(server.url, '{ intrinsicValue(symbol: "not a ticker") { symbol } }');
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    const unauthenticated = await ask(server.url, 'mutation { startScan { started } }');
    expect(errorCodes(unauthenticated)).toEqual(['UNAUTHENTICATED']);
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.errors[0]!.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(server.logs.filter((line) => line.level >= 50)).toEqual([]);
  });

  it('in sample-data mode, says an unknown symbol is not in the bundled sample and lists what is', async () => {
    server = await startInProcessApp({ env: { ALPHAVANTAGE_API_KEY: undefined } });
    const answer = await ask(server.url, '{ intrinsicValue(symbol: "NOPE") { symbol } }');
    expect(errorCodes(answer)).toEqual(['SYMBOL_NOT_FOUND']);
    const message = answer.errors[0]!.message;
    expect(message).toMatch(/NOPE is not in the bundled sample data/);
    expect(message).toContain('AAPL');
    expect(message).not.toMatch(/Alpha Vantage knows no/);
  });
});

describe('intrinsicValues partial results', () => {
  let fake: FakeAlphaVantage;
  let server: InProcessApp;

  beforeAll(async () => {
    fake = await startFakeAlphaVantage();
    fake.unknownSymbols.add('NOPE');
    server = await startInProcessApp({ fake });
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it('answers AAPL and a null with SYMBOL_NOT_FOUND at ["intrinsicValues", 1] for NOPE', async () => {
    const single = await ask<{ intrinsicValue: { symbol: string; effectiveIntrinsicValue: number | null } }, object>(
      server.url,
      '{ intrinsicValue(symbol: "AAPL") { symbol effectiveIntrinsicValue } }',
    );
    expect(single.errors).toEqual([]);
    const answer = await ask<{ intrinsicValues: Array<{ symbol: string; effectiveIntrinsicValue: number | null } | null> }, object>(
      server.url,
      '{ intrinsicValues(symbols: ["AAPL", "NOPE"]) { symbol effectiveIntrinsicValue } }',
    );
    expect(answer.data?.intrinsicValues).toEqual([single.data!.intrinsicValue, null]);
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors[0]!.path).toEqual(['intrinsicValues', 1]);
    expect(answer.errors[0]!.extensions?.['code']).toBe('SYMBOL_NOT_FOUND');
  });

  it('gives a malformed symbol its own BAD_USER_INPUT and values the rest', async () => {
    const answer = await ask<{ intrinsicValues: Array<{ symbol: string } | null> }, object>(
      server.url,
      '{ intrinsicValues(symbols: ["bad ticker!", "AAPL"]) { symbol } }',
    );
    expect(answer.data?.intrinsicValues).toEqual([null, { symbol: 'AAPL' }]);
    expect(answer.errors.map((error) => [error.path, error.extensions?.['code']])).toEqual([[['intrinsicValues', 0], 'BAD_USER_INPUT']]);
  });
});
