import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, missingChromium } from '../support/chromium.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;
const QUERY = '{ intrinsicValue(symbol: "MSFT") { symbol effectiveIntrinsicValue } }';

let server: ServerProcess;
let browser: Browser;
let context: BrowserContext;
/** every URL the browser asked for, workers included */
const requested: string[] = [];
const consoleErrors: string[] = [];
const pageErrors: string[] = [];

const skip = missingChromium();

beforeAll(async () => {
  if (skip) return;
  const executablePath = CHROMIUM;
  // sample-data mode: no ALPHAVANTAGE_API_KEY, no REDIS_URL (the embedded store in a temp CACHE_DIR)
  server = await startServer({});
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: 60_000 });
  context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  context.on('request', (request) => requested.push(request.url()));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Monaco draws spaces as no-break spaces and only the lines in view; enough for short text. */
async function editorText(page: Page, selector: string): Promise<string> {
  return (await page.locator(`${selector} .view-lines`).innerText()).replace(/\u00a0/g, ' ');
}

describe.skipIf(skip)('GraphiQL at the endpoint, offline', () => {
  it('loads from this server only, runs a typed query and shows the answer', async () => {
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));

    const introspection = page.waitForResponse(
      (response) => response.url() === server.url && response.request().method() === 'POST' && /IntrospectionQuery/.test(response.request().postData() ?? ''),
    );
    const response = await page.goto(server.url, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toMatch(/^text\/html/);

    // the IDE is up, with the example query, and has the schema
    await expect.poll(() => page.title()).toContain('GraphiQL');
    const queryEditor = page.locator('.graphiql-query-editor .monaco-editor');
    await queryEditor.waitFor({ state: 'visible' });
    await expect.poll(() => editorText(page, '.graphiql-query-editor')).toContain('intrinsicValue(symbol: "AAPL")');
    expect((await introspection).status()).toBe(200);

    // replace the query by typing, tidy it, run it with Ctrl-Enter
    await queryEditor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type(QUERY);
    await expect.poll(() => editorText(page, '.graphiql-query-editor')).toContain(QUERY);
    // prettier runs in a Monaco worker served by this server
    await page.locator('button[aria-label^="Prettify"]').click();
    await expect.poll(() => editorText(page, '.graphiql-query-editor')).toContain('  intrinsicValue(symbol: "MSFT") {\n    symbol\n');
    const answer = page.waitForResponse((r) => r.url() === server.url && (r.request().postData() ?? '').includes('MSFT'));
    await queryEditor.click();
    await page.keyboard.press('Control+Enter');
    expect((await answer).status()).toBe(200);

    await expect.poll(() => editorText(page, '.graphiql-response'), { timeout: 15_000 }).toContain('"symbol": "MSFT"');
    const result = await editorText(page, '.graphiql-response');
    expect(result).toMatch(/"effectiveIntrinsicValue": \d+(\.\d+)?/);
    expect(result).not.toContain('"errors"');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}graphiql.png` });

    // nothing from any other host: no CDN, no fonts, no telemetry
    const origin = new URL(server.url).origin;
    const elsewhere = requested.filter((url) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url));
    expect(elsewhere).toEqual([]);
    expect(requested.filter((url) => url.startsWith(`${origin}/graphiql/`)).length).toBeGreaterThanOrEqual(3);
    expect(consoleErrors.filter((text) => /Content Security Policy|Refused to|ERR_NAME_NOT_RESOLVED/.test(text))).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it("pre-fills this run's start-up token as the Authorization header, with which a scan starts from the IDE", async () => {
    const token = server.logs.map((line) => /Authorization: Bearer ([A-Za-z0-9_-]+)/.exec(line)?.[1]).find(Boolean);
    expect(token).toBeDefined();
    const page = await context.newPage();
    await page.goto(server.url, { waitUntil: 'load' });
    const queryEditor = page.locator('.graphiql-query-editor .monaco-editor');
    await queryEditor.waitFor({ state: 'visible' });
    await page.getByRole('button', { name: 'Headers', exact: true }).click();
    await expect.poll(() => page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .view-lines').innerText().then((text) => text.replace(/\u00a0/g, ' '))).toContain(
      `"Authorization": "Bearer ${token}"`,
    );

    await queryEditor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type('mutation { startScan(input: { symbols: ["NVDA"], weeks: 2 }) { started reason } }');
    const answer = page.waitForResponse((r) => r.url() === server.url && (r.request().postData() ?? '').includes('startScan'));
    await page.keyboard.press('Control+Enter');
    expect((await answer).request().headers()['authorization']).toBe(`Bearer ${token}`);
    await expect.poll(() => editorText(page, '.graphiql-response'), { timeout: 15_000 }).toContain('"started": true');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}graphiql-sample-scan.png` });
  }, 60_000);

  it('leaves GraphQL clients to Apollo: a GET without text/html first gets JSON, not the page', async () => {
    const answer = await fetch(`${server.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: '*/*', 'apollo-require-preflight': 'true' },
    });
    expect(answer.headers.get('content-type')).toMatch(/json/);
    expect(await answer.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
