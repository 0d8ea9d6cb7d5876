import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, errorCodes } from '../support/graphql-client.js';
import { startInProcessApp, type InProcessApp } from '../support/in-process-app.js';

const TOKEN = 'criteria-token-1';
const AUTH = { authorization: `Bearer ${TOKEN}` };

describe('scan criteria', () => {
  let server: InProcessApp;

  beforeAll(async () => {
    server = await startInProcessApp({ env: { API_TOKENS: TOKEN, ENVIRONMENT: 'LOCAL' } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses out-of-range criteria with every problem named, from the one declaration', async () => {
    const answer = await ask(server.url, 'mutation { startScan(input: { weeks: 13, maxDelta: 2, symbols: [] }) { started } }', undefined, AUTH);
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors[0]!.message).toBe(
      'invalid scan input: symbols must name at least one ticker. weeks must be a whole number from 1 to 12 (got 13). maxDelta must be from 0 to 1 (got 2).',
    );
  });

  it('stores the criteria a scan ran with, defaults filled in, beside its results', async () => {
    const before = await ask<{ scanResults: { criteria: unknown } }, object>(server.url, '{ scanResults { criteria { weeks } } }');
    expect(before.data?.scanResults.criteria).toBeNull();

    const started = await ask<{ startScan: { started: boolean } }, object>(
      server.url,
      'mutation { startScan(input: { symbols: ["aapl", "MSFT"], weeks: 2 }) { started } }',
      undefined,
      AUTH,
    );
    expect(started.data?.startScan.started).toBe(true);
    for (let polls = 0; polls < 200; polls += 1) {
      const status = await ask<{ scanStatus: { inProgress: boolean } }, object>(server.url, '{ scanStatus { inProgress } }');
      if (!status.data?.scanStatus.inProgress) break;
      await sleep(25);
    }
    const results = await ask<{ scanResults: { criteria: unknown } }, object>(
      server.url,
      '{ scanResults { criteria { optionType weeks minAnnualizedReturn maxDelta symbols } } }',
    );
    expect(results.data?.scanResults.criteria).toEqual({
      optionType: 'PUT',
      weeks: 2,
      minAnnualizedReturn: 30,
      maxDelta: 0.2,
      symbols: ['AAPL', 'MSFT'],
    });
  });
});
