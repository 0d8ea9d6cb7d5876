/**
 * `npm start` with no environment, as a newcomer runs it: the built server prints one
 * start-up line with a token made for the run, and that token starts a scan of the sample
 * data at whatever hour the test runs. Bound to 0.0.0.0 it makes none.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ask, errorCodes } from '../support/graphql-client.js';
import { scanEnd, startScan } from '../support/scan-client.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

const servers: ServerProcess[] = [];

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

describe('npm start with no environment', () => {
  it('prints a token for mutations once, and a scan with it finishes with contracts', async () => {
    // startServer sets only PORT=0, HOST=127.0.0.1 (the default), a CACHE_DIR and LOG_LEVEL.
    const server = await startServer({});
    servers.push(server);
    const announced = server.logs.filter((line) => line.includes('MUTATIONS TOKEN'));
    expect(announced).toHaveLength(1);
    const line = JSON.parse(announced[0]!) as { level: number; msg: string };
    expect(line.level).toBe(40);
    const token = /Authorization: Bearer ([A-Za-z0-9_-]{43})"/.exec(line.msg)?.[1];
    expect(token).toBeDefined();
    // printed before the ready line, so it is there when the URL is
    expect(server.logs.findIndex((text) => text.includes('MUTATIONS TOKEN'))).toBeLessThan(server.logs.findIndex((text) => text.includes('ready at')));

    const started = await startScan(server.url, { symbols: ['AAPL', 'NVDA', 'PLTR', 'SHOP'] }, { authorization: `Bearer ${token}` });
    expect(started.errors).toEqual([]);
    expect(started.data?.startScan.started).toBe(true);
    const end = await scanEnd(server.url, 30_000);
    expect(end.lastRun).toMatch(/^Scan completed successfully at .* \(sample data: /);
    const results = await ask<{ scanResults: { tickers: Array<{ symbol: string; options: unknown[] }> } }, object>(
      server.url,
      '{ scanResults { tickers { symbol options { contractId } } } }',
    );
    expect(results.errors).toEqual([]);
    expect(results.data!.scanResults.tickers.length).toBeGreaterThan(0);
    expect(results.data!.scanResults.tickers.every((ticker) => ticker.options.length > 0)).toBe(true);

    // the token is in that one line and nowhere else the process wrote
    expect(server.logs.filter((text) => text.includes(token!))).toEqual(announced);
  }, 60_000);

  it('makes no token when bound to 0.0.0.0: mutations stay closed', async () => {
    const server = await startServer({ HOST: '0.0.0.0' });
    servers.push(server);
    expect(server.logs.some((line) => line.includes('MUTATIONS TOKEN') || line.includes('Bearer'))).toBe(false);
    const url = server.url.replace('0.0.0.0', '127.0.0.1');
    expect(errorCodes(await startScan(url, {}, {}))).toEqual(['UNAUTHENTICATED']);
  }, 60_000);
});
