/**
 * The service in this process: the real Application (src/application.ts) and HTTP app
 * (src/server.ts createHttpApp) served on 127.0.0.1 at a random port, with its log lines
 * captured as objects and a fake Alpha Vantage as upstream. No child process, no signals.
 *
 *   const service = await startInProcessApp({ database: 14, env: { API_TOKENS: 'secret' } });
 *   const answer = await service.graphql('{ intrinsicValue(symbol: "AAPL") { symbol } }', undefined, { authorization: 'Bearer secret' });
 *   expect(service.logs.some((line) => line.msg === 'request completed')).toBe(true);
 *   await service.close();
 */
import 'reflect-metadata';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createApplication, type Application, type ApplicationOverrides } from '../../src/application.js';
import { loadConfig, type Config } from '../../src/config.js';
import { embeddedDataDirectory } from '../../src/db/embedded-database.js';
import { createLogger } from '../../src/logger.js';
import { createHttpApp, GRAPHQL_PATH } from '../../src/server.js';
import { startFakeAlphaVantage, type FakeAlphaVantage } from './fake-alpha-vantage.js';
import { seedEmbeddedStore } from './embedded-store-template.js';
import { ask, type GraphQLAnswer } from './graphql-client.js';
import { redisUrlFor } from './redis.js';

export const IN_PROCESS_API_KEY = 'in-process-test-key';

/** One pino line as an object: `level` (30 info, 40 warn, 50 error), `msg`, and its fields. */
export type LogLine = { level: number; msg?: string; [field: string]: unknown };

export interface InProcessAppOptions {
  /** environment for loadConfig, over the defaults below (an undefined value removes a default) */
  env?: Record<string, string | undefined>;
  /** Redis logical database for REDIS_URL (not emptied: see freshDatabase); unset: the embedded store in a temp dir (a copy of the template: no initdb) */
  database?: number;
  /** the upstream to point at; unset: a fake Alpha Vantage started here and closed by close() */
  fake?: FakeAlphaVantage;
  /** last changes to the parsed Config, for what the environment cannot say */
  configure?: (config: Config) => Config;
  /** parts put in place of the real ones (an Alpha Vantage fetcher, the clock) */
  overrides?: ApplicationOverrides;
}

export interface GraphQLRequestOptions {
  /** the Authorization header, e.g. `Bearer <token>` */
  authorization?: string;
  headers?: Record<string, string>;
}

export interface InProcessApp {
  /** the GraphQL endpoint, http://127.0.0.1:PORT/graphql */
  url: string;
  /** http://127.0.0.1:PORT, for the other routes */
  origin: string;
  /** every log line so far, oldest first (live view) */
  logs: LogLine[];
  app: Application;
  config: Config;
  fake: FakeAlphaVantage;
  /** a GraphQL operation POSTed as JSON; data, errors and HTTP status side by side */
  graphql<Data = Record<string, unknown>, Variables extends object = Record<string, unknown>>(
    document: TypedDocumentNode<Data, Variables> | string,
    variables?: Variables,
    options?: GraphQLRequestOptions,
  ): Promise<GraphQLAnswer<Data>>;
  /** drains the server (as SIGTERM does), gives back a held scan lock, closes the store and an own fake, removes an own CACHE_DIR */
  close(): Promise<void>;
}

export async function startInProcessApp(options: InProcessAppOptions = {}): Promise<InProcessApp> {
  const fake = options.fake ?? (await startFakeAlphaVantage());
  // A CACHE_DIR made here goes with close(); one the test passes is the test's to keep.
  const ownCacheDir = options.env && 'CACHE_DIR' in options.env ? undefined : mkdtempSync(join(tmpdir(), 'wheel-in-process-'));
  const env: Record<string, string | undefined> = {
    PORT: '0',
    HOST: '127.0.0.1',
    CACHE_DIR: ownCacheDir,
    ALPHAVANTAGE_API_KEY: IN_PROCESS_API_KEY,
    ALPHAVANTAGE_BASE_URL: fake.url,
    ALPHAVANTAGE_RATE_LIMIT_PER_MINUTE: '60000',
    ALPHAVANTAGE_RATE_LIMIT_PER_DAY: '0',
    // Off unless a test turns it on: curatedStocks then values cold stocks upstream, as intrinsicValue does.
    REFRESH_BUDGET_SHARE: '0',
    LOG_LEVEL: 'debug',
    // The quarterly snapshot run would value the curated list on a quarter's first day: on only where a test turns it on.
    SNAPSHOT_SCHEDULE: 'false',
    ...(options.database === undefined ? {} : { REDIS_URL: redisUrlFor(options.database) }),
    ...options.env,
  };
  const parsed = loadConfig(env);
  const config = options.configure ? options.configure(parsed) : parsed;
  // The embedded PGlite holds the cache without REDIS_URL and the durable data without DATABASE_URL.
  if ((config.redisUrl === undefined || config.databaseUrl === undefined) && !existsSync(embeddedDataDirectory(config.cacheDir))) seedEmbeddedStore(config.cacheDir);

  const logs: LogLine[] = [];
  // The service's own logger (redaction and secret masking included), writing to the array.
  const logger = createLogger(config.logLevel, [IN_PROCESS_API_KEY, ...config.apiTokens], {
    write: (line: string) => void logs.push(JSON.parse(line) as LogLine),
  });
  const app = await createApplication(config, logger, options.overrides);
  const httpServer = createServer();
  const http = await createHttpApp(app, { httpServer });
  httpServer.on('request', http.handler);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const url = `${origin}${GRAPHQL_PATH}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    origin,
    logs,
    app,
    config,
    fake,
    graphql: (document, variables, request = {}) =>
      ask(url, document, variables, {
        ...request.headers,
        ...(request.authorization === undefined ? {} : { authorization: request.authorization }),
      }),
    close: () =>
      (closing ??= (async () => {
        await http.close();
        await app.scanner.releaseHeldLock();
        await app.close();
        if (!options.fake) await fake.close();
        if (ownCacheDir) rmSync(ownCacheDir, { recursive: true, force: true });
      })()),
  };
}
