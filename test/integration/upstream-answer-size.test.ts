import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { AlphaVantageClient } from '../../src/providers/alpha-vantage/alpha-vantage.client.js';
import { UpstreamUnavailableError } from '../../src/providers/provider-errors.js';

/**
 * The answer-size limit of src/providers/provider-http.ts, against a raw HTTP server that
 * answers the way a broken or hostile upstream could: huge, chunked (no Content-Length), gzipped.
 */
const LIMIT = 100_000;
const TOO_LARGE = `Alpha Vantage answered EARNINGS for BIG with more than ${LIMIT} bytes: refused and not cached (UPSTREAM_MAX_ANSWER_BYTES)`;

type Answer = (res: ServerResponse) => void;
let answer: Answer = (res) => res.end('{}');
let server: Server;
let client: AlphaVantageClient;

beforeAll(async () => {
  server = createServer((_req, res) => answer(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new AlphaVantageClient({
    baseUrl: `http://127.0.0.1:${port}/query`,
    apiKey: 'size-test-key',
    timeoutMs: 10_000,
    retries: 0,
    budget: { acquire: async () => undefined },
    logger: createLogger('silent'),
    metrics: new Metrics(),
    maxAnswerBytes: LIMIT,
  });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const earnings = (rows: number) =>
  JSON.stringify({ symbol: 'BIG', quarterlyEarnings: Array.from({ length: rows }, () => ({ fiscalDateEnding: '2020-03-31', reportedEPS: '1.25' })) });

async function refusal(): Promise<Error> {
  try {
    await client.fetch({ fn: 'EARNINGS', symbol: 'BIG' });
  } catch (error) {
    return error as Error;
  }
  throw new Error('the answer was accepted');
}

describe('the upstream answer size limit', () => {
  it('stops reading a chunked answer without Content-Length at the limit: the server cannot send its 20 MB', async () => {
    const total = 20_000_000;
    let written = 0;
    const closed = new Promise<{ written: number; finished: boolean }>((resolve) => {
      answer = (res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          while (written < total) {
            written += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.once('close', () => resolve({ written, finished: res.writableFinished }));
        pump();
      };
    });
    const error = await refusal();
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error.message).toBe(TOO_LARGE);
    const outcome = await closed;
    expect(outcome.finished).toBe(false);
    expect(outcome.written).toBeLessThan(total);
  });

  it('counts the decompressed bytes: a gzipped answer far under the limit on the wire is refused when it unpacks past it', async () => {
    const body = gzipSync(earnings(40_000));
    expect(body.length).toBeLessThan(LIMIT / 10);
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': body.length });
      res.end(body);
    };
    const error = await refusal();
    expect(error.message).toBe(TOO_LARGE);
  });

  it('refuses at once an answer whose Content-Length says it is too large', async () => {
    const body = Buffer.from(earnings(10_000));
    expect(body.length).toBeGreaterThan(LIMIT);
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    };
    expect((await refusal()).message).toBe(TOO_LARGE);
  });

  it('accepts an answer under the limit, gzipped or not', async () => {
    const text = earnings(500);
    expect(text.length).toBeLessThan(LIMIT);
    for (const gzip of [false, true]) {
      const body = gzip ? gzipSync(text) : Buffer.from(text);
      answer = (res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
        res.end(body);
      };
      const data = await client.fetch({ fn: 'EARNINGS', symbol: 'BIG' });
      expect((data['quarterlyEarnings'] as unknown[]).length).toBe(500);
    }
  });
});
