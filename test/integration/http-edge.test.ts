/**
 * The HTTP edge's hardening, as README.md ("Operating it") claims it, on the in-process
 * service (test/support/in-process-app.ts) with the IDE on (the default).
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORS_ALLOWED_HEADERS } from '../../src/server/cors.js';
import { startInProcessApp, type InProcessApp } from '../support/in-process-app.js';

const ALLOWED = 'https://app.example.com';
const REFUSED = 'https://evil.example.net';
const MAX_BODY_BYTES = 2_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let service: InProcessApp;

beforeAll(async () => {
  // The embedded store: nothing here needs Redis.
  service = await startInProcessApp({
    env: { CORS_ORIGINS: `${ALLOWED},https://other.example.org`, MAX_BODY_BYTES: String(MAX_BODY_BYTES), GRAPHQL_IDE: 'true' },
  });
});

afterAll(async () => {
  await service?.close();
});

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(service.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

const preflight = (origin: string) =>
  fetch(service.url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization,x-request-id' },
  });

/**
 * A POST whose headers announce `contentLength` bytes, of which only `start` is ever sent: the
 * status and body of the answer, or a rejection if none comes within `withinMs`.
 */
function postAnnouncing(contentLength: number, start: string, withinMs: number): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(service.url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(contentLength) } });
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Error(`no answer within ${withinMs} ms while the rest of the body was held back`));
    }, withinMs);
    request.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        clearTimeout(timer);
        request.destroy();
        resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'] ?? '', body });
      });
    });
    // The server may close the connection while this request is still unfinished: only the answer matters.
    request.on('error', () => undefined);
    request.write(start);
  });
}

const listed = (header: string | null): string[] => (header ?? '').split(',').map((item) => item.trim().toLowerCase());

describe('CORS, before every route', () => {
  it('answers a preflight from an allowed origin with 204 and the CORS headers, though the IDE serves GET /graphql', async () => {
    expect(service.config.graphql.ide).toBe(true);
    const response = await preflight(ALLOWED);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(listed(response.headers.get('access-control-allow-methods'))).toEqual(expect.arrayContaining(['get', 'post']));
    expect(listed(response.headers.get('access-control-allow-headers'))).toEqual(
      expect.arrayContaining(['content-type', 'authorization', 'x-request-id', ...CORS_ALLOWED_HEADERS]),
    );
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(response.headers.get('allow')).toBeNull();
  });

  it('gives a preflight from an origin not on the list no Access-Control-Allow-Origin', async () => {
    const response = await preflight(REFUSED);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets a cross-origin POST from an allowed origin read the answer and its request id', async () => {
    const response = await post(JSON.stringify({ query: '{ scanStatus { lastRun } }' }), { origin: ALLOWED });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(listed(response.headers.get('access-control-expose-headers'))).toContain('x-request-id');
    expect(((await response.json()) as { data: unknown }).data).toHaveProperty('scanStatus');
  });

  it('gives a cross-origin POST from a refused origin no Access-Control-Allow-Origin', async () => {
    const response = await post(JSON.stringify({ query: '{ __typename }' }), { origin: REFUSED });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('covers the other routes too', async () => {
    const response = await fetch(`${service.origin}/health`, { headers: { origin: ALLOWED } });
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  });
});

describe('request limits', () => {
  it('refuses a body over MAX_BODY_BYTES with 413 and a JSON error, not an HTML page', async () => {
    const response = await post(JSON.stringify({ query: `{ __typename } # ${'x'.repeat(MAX_BODY_BYTES)}` }));
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ errors: [{ message: 'request body too large', extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('refuses a Content-Length over MAX_BODY_BYTES with 413 at once, before the body is sent, with the same JSON error', async () => {
    const answer = await postAnnouncing(MAX_BODY_BYTES * 500, '{"query": "{ __typename } # ', 3_000);
    expect(answer.status).toBe(413);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(answer.body)).toEqual({ errors: [{ message: 'request body too large', extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('still takes a body of exactly MAX_BODY_BYTES', async () => {
    const query = JSON.stringify({ query: '{ __typename }' });
    const body = `${query.slice(0, -1)}${' '.repeat(MAX_BODY_BYTES - query.length)}}`;
    expect(Buffer.byteLength(body)).toBe(MAX_BODY_BYTES);
    const response = await post(body);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('answers malformed JSON with 400 and a JSON error', async () => {
    const response = await post('{"query": ');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [{ message: 'malformed request body', extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('refuses a batch (a JSON array of operations) with 400', async () => {
    const response = await post(JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/batching/i);
  });
});

describe('operation types', () => {
  it('answers a subscription (the schema has none) with 400 and a GraphQL validation error, not an internal error', async () => {
    const before = service.logs.length;
    const response = await post(JSON.stringify({ query: 'subscription { scanStatus { lastRun } }' }));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: 'This API has no subscription operations; send a query or a mutation.',
          locations: [{ line: 1, column: 1 }],
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ],
    });
    expect(service.logs.slice(before).filter((line) => line.level >= 50)).toEqual([]);
  });
});

describe("Apollo's CSRF prevention", () => {
  it('refuses a GET operation without a preflight-forcing header with 400', async () => {
    const response = await fetch(`${service.url}?query=${encodeURIComponent('{ __typename }')}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/);
  });

  it('refuses a text/plain POST without apollo-require-preflight with 400', async () => {
    const response = await post(JSON.stringify({ query: '{ __typename }' }), { 'content-type': 'text/plain' });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/);
  });

  it('lets a GET with apollo-require-preflight through', async () => {
    const response = await fetch(`${service.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('request ids', () => {
  const requestLines = (id: string) => service.logs.filter((line) => (line['req'] as { id?: unknown } | undefined)?.id === id);

  it('echoes an x-request-id that looks like an id and logs the request under it', async () => {
    const id = 'client-id_1.2';
    const response = await post(JSON.stringify({ query: '{ __typename }' }), { 'x-request-id': id });
    expect(response.headers.get('x-request-id')).toBe(id);
    await expect.poll(() => requestLines(id).length).toBe(1);
    expect(requestLines(id)[0]).toMatchObject({ msg: 'request completed', req: { method: 'POST', url: '/graphql' }, res: { statusCode: 200 } });
  });

  it('replaces any other x-request-id with a UUID', async () => {
    for (const offered of ['has space', 'x'.repeat(65), 'semi;colon', '']) {
      const response = await post(JSON.stringify({ query: '{ __typename }' }), { 'x-request-id': offered });
      const id = response.headers.get('x-request-id') ?? '';
      expect(id).toMatch(UUID);
      await expect.poll(() => requestLines(id).length).toBe(1);
    }
    const response = await post(JSON.stringify({ query: '{ __typename }' }));
    expect(response.headers.get('x-request-id')).toMatch(UUID);
  });

  it('logs the URL with the values of apikey, token and the like as [REDACTED], the rest as sent', async () => {
    const query = encodeURIComponent('{ __typename }');
    const secrets = ['client-key-1a2b', 'client-token-3c4d', 'api-key-5e6f', 'access-7a8b', 'plain-key-9c0d', 'upper-1e2f', 'array-3a4b'];
    const parameters = ['apikey', 'token', 'api_key', 'access_token', 'key', 'APIKEY', 'api%2Dkey[]'];
    const search = parameters.map((name, i) => `${name}=${secrets[i]}`).join('&');
    const response = await fetch(`${service.url}?query=${query}&${search}&symbol=AAPL`, {
      headers: { 'apollo-require-preflight': 'true', 'x-request-id': 'query-secrets' },
    });
    expect(response.status).toBe(200);
    await expect.poll(() => requestLines('query-secrets').length).toBe(1);
    const url = (requestLines('query-secrets')[0]!['req'] as { url: string }).url;
    expect(url).toBe(`/graphql?query=${query}&${parameters.map((name) => `${name}=[REDACTED]`).join('&')}&symbol=AAPL`);
    const logged = JSON.stringify(service.logs);
    for (const secret of secrets) expect(logged).not.toContain(secret);
  });

  it('never logs the Authorization header', async () => {
    await post(JSON.stringify({ query: '{ __typename }' }), { authorization: 'Bearer never-logged-token', 'x-request-id': 'auth-check' });
    await expect.poll(() => requestLines('auth-check').length).toBe(1);
    expect(JSON.stringify(service.logs)).not.toContain('never-logged-token');
  });
});

describe('/metrics', () => {
  const durationSeries = async (): Promise<string[]> => {
    const text = await (await fetch(`${service.origin}/metrics`)).text();
    return text.split('\n').filter((line) => line.startsWith('wheel_graphql_request_duration_seconds_count'));
  };

  it('serves Prometheus text with the documented metrics', async () => {
    const response = await fetch(`${service.origin}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    for (const name of [
      'wheel_cache_lookups_total',
      'wheel_upstream_calls_total',
      'wheel_upstream_answers_total',
      'wheel_rate_budget_wait_seconds',
      'wheel_dataloader_batch_size',
      'wheel_scan_duration_seconds',
      'wheel_graphql_request_duration_seconds',
      'wheel_process_cpu_seconds_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  it("labels GraphQL latency by the root field asked, never by the client's operation name", async () => {
    const names = Array.from({ length: 20 }, (_, i) => `Client${i}Chosen${Date.now()}`);
    for (const name of names) {
      await service.graphql(`query ${name} { scanStatus { lastRun } }`);
    }
    await service.graphql('query Aliased { a: scanStatus { lastRun } ...Status }  fragment Status on Query { scanStatus { lastRun } }');
    await service.graphql('query Two { scanStatus { lastRun } curatedStocks { symbol } }');
    await service.graphql('query Broken { scanStatus { ');
    await service.graphql('query Unknown { noSuchField }');
    await service.graphql('{ __typename }');

    const series = await durationSeries();
    expect(series.join('\n')).not.toMatch(/Client\d+Chosen|Aliased|Two|Broken|Unknown|anonymous|noSuchField/);
    const count = (operation: string) =>
      series
        .filter((line) => line.includes(`operation="${operation}"`))
        .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
    expect(count('scanStatus')).toBeGreaterThanOrEqual(names.length + 1);
    expect(count('other')).toBeGreaterThanOrEqual(4);
    const labels = new Set(series.map((line) => /operation="([^"]*)"/.exec(line)?.[1]));
    for (const label of labels) expect(['other', 'scanStatus', 'curatedStocks', 'intrinsicValue', 'intrinsicValues', 'scanResults', 'saveCuratedStock', 'startScan']).toContain(label);
  });
});

describe('/ready', () => {
  it('logs once per change of its answer, without a stack, and no line per probe', async () => {
    const app = service.app;
    const usable = app.storeIsUsable;
    const readyLines = () => service.logs.filter((line) => typeof line.msg === 'string' && /ready/.test(line.msg) && line.msg !== 'request completed');
    const probe = async () => (await fetch(`${service.origin}/ready`)).status;
    const before = service.logs.length;
    try {
      expect(await probe()).toBe(200);
      app.storeIsUsable = () => false;
      for (let i = 0; i < 5; i++) expect(await probe()).toBe(503);
      app.storeIsUsable = usable;
      for (let i = 0; i < 3; i++) expect(await probe()).toBe(200);
      app.storeIsUsable = () => false;
      expect(await probe()).toBe(503);
    } finally {
      app.storeIsUsable = usable;
    }
    expect(await probe()).toBe(200);

    const changes = readyLines().map((line) => ({ level: line.level, msg: line.msg, store: line['store'] }));
    expect(changes).toEqual([
      { level: 40, msg: 'not ready: /ready answers 503', store: 'unavailable' },
      { level: 30, msg: 'ready again: /ready answers 200', store: 'ok' },
      { level: 40, msg: 'not ready: /ready answers 503', store: 'unavailable' },
      { level: 30, msg: 'ready again: /ready answers 200', store: 'ok' },
    ]);
    const since = service.logs.slice(before);
    expect(since.filter((line) => (line['req'] as { url?: string } | undefined)?.url === '/ready')).toEqual([]);
    expect(since.some((line) => 'err' in line)).toBe(false);
  });
});
