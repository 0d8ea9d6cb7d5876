import { z } from 'zod';
import { normalizeSymbol } from './domain/symbol.js';

/** The 26 symbols the original app curated; `CURATED_SYMBOLS` replaces them. */
export const DEFAULT_CURATED_SYMBOLS = [
  'AAPL', 'ADBE', 'AMZN', 'ANET', 'ASML', 'AVGO', 'CRM', 'CRWD', 'DDOG', 'DUOL', 'GOOGL',
  'JPM', 'MA', 'META', 'MSFT', 'NFLX', 'NOW', 'NVDA', 'PANW', 'PLTR', 'PYPL', 'SHOP',
  'SPGI', 'SPOT', 'UBER', 'V',
] as const;


const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const integer = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const commaList = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter((item) => item !== ''));

const environmentSchema = z.object({
  PORT: integer(4000, 0, 65535),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  REDIS_URL: optionalString.pipe(z.url({ protocol: /^rediss?$/ }).optional()),
  /** Where the embedded store keeps its file when REDIS_URL is unset. */
  CACHE_DIR: z.string().trim().min(1).default('.cache'),
  ALPHAVANTAGE_API_KEY: optionalString,
  ALPHAVANTAGE_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://www.alphavantage.co/query'),
  ALPHAVANTAGE_RATE_LIMIT_PER_MINUTE: integer(5, 1, 100_000),
  ALPHAVANTAGE_RATE_LIMIT_PER_DAY: integer(25, 0, 10_000_000),
  ALPHAVANTAGE_TIMEOUT_MS: integer(10_000, 100, 120_000),
  ALPHAVANTAGE_RETRIES: integer(2, 0, 10),
  /** how long a call may queue for the per-minute budget before UPSTREAM_RATE_LIMITED */
  ALPHAVANTAGE_MAX_QUEUE_WAIT_MS: integer(60_000, 0, 24 * 60 * 60 * 1000),
  /** premium keys: underlying prices for a scan by REALTIME_BULK_QUOTES, 100 symbols a call */
  ALPHAVANTAGE_BULK_QUOTES: z.stringbool().default(false),
  ALPHAVANTAGE_OPTIONS_FUNCTION: z.enum(['REALTIME_OPTIONS', 'HISTORICAL_OPTIONS']).default('REALTIME_OPTIONS'),
  OPTIONS_SOURCE: z.enum(['alphavantage', 'marketdata']).default('alphavantage'),
  MARKETDATA_API_KEY: optionalString,
  MARKETDATA_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://api.marketdata.app/v1'),
  MARKETDATA_RATE_LIMIT_PER_MINUTE: integer(100, 1, 100_000),
  MARKETDATA_TIMEOUT_MS: integer(10_000, 100, 120_000),
  MARKETDATA_RETRIES: integer(2, 0, 10),
  MARKETDATA_MAX_QUEUE_WAIT_MS: integer(60_000, 0, 24 * 60 * 60 * 1000),
  /** tickers a scan works on at once; unset: see scanConcurrencyFor */
  SCAN_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  /** a scan whose heartbeat is older than this may be taken over by a new startScan (at most the lock's 45-minute TTL) */
  SCAN_LEASE_SECONDS: integer(30, 1, 45 * 60),
  API_TOKENS: commaList.default([]),
  /** `LOCAL` lets scans run outside market hours; read once, here */
  ENVIRONMENT: optionalString.transform((value) => value?.toUpperCase() === 'LOCAL'),
  CURATED_SYMBOLS: commaList
    .pipe(z.array(z.string().refine((symbol) => normalizeSymbol(symbol) !== undefined, 'each symbol is 1-10 of A-Z, digits, ".", "-"')).min(1))
    .transform((symbols) => symbols.map((symbol) => symbol.toUpperCase()))
    .default([...DEFAULT_CURATED_SYMBOLS]),
  /** Every store call gives up after this long and counts as a miss. */
  STORE_TIMEOUT_MS: integer(1000, 10, 60_000),
  /** the browser IDE at GET /graphql; turn off in production */
  GRAPHQL_IDE: z.stringbool().default(true),
  GRAPHQL_INTROSPECTION: z.stringbool().default(true),
  /** comma-separated origins allowed by CORS; unset: no cross-origin browser calls */
  CORS_ORIGINS: commaList.default([]),
  MAX_QUERY_DEPTH: integer(10, 2, 100),
  MAX_QUERY_COST: integer(5000, 10, 1_000_000),
  MAX_QUERY_ALIASES: integer(30, 1, 1000),
  /** request bodies above this many bytes are refused with 413 */
  MAX_BODY_BYTES: integer(100_000, 1_000, 10_000_000),
  /** an operation whose worst-case upstream cost is above this is refused before it runs: 3 calls × 100 symbols */
  MAX_UPSTREAM_CALLS_PER_REQUEST: integer(300, 3, 1_000_000),
  /** uncached upstream calls a minute for one anonymous client (IP address, IPv6 /64) */
  ANONYMOUS_UPSTREAM_CALLS_PER_MINUTE: integer(300, 1, 1_000_000),
  /** uncached upstream calls a minute for one bearer token */
  AUTHENTICATED_UPSTREAM_CALLS_PER_MINUTE: integer(3000, 1, 1_000_000),
  /** proxies in front whose X-Forwarded-For is trusted for the client's IP; 0: the TCP peer is the client */
  TRUST_PROXY_HOPS: integer(0, 0, 10),
  /** an upstream answer larger than this (decompressed) is refused and never cached */
  UPSTREAM_MAX_ANSWER_BYTES: integer(10_000_000, 10_000, 1_000_000_000),
  /** decimal rate for option probabilities when TREASURY_YIELD cannot be had (0.04 = 4 %) */
  RISK_FREE_RATE: z.coerce.number().min(-0.1, 'a decimal rate, e.g. 0.04 for 4 %').max(1, 'a decimal rate, e.g. 0.04 for 4 %').default(0.04),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/**
 * At a paced budget (60 calls a minute or less) one ticker at a time already keeps the
 * budget busy, and more would only queue calls past ALPHAVANTAGE_MAX_QUEUE_WAIT_MS. Above
 * it, sixteen tickers at once (32 calls) let a premium key's burst go out together: a scan's
 * time is then mostly this process parsing the chains (bench/README.md, row 3).
 */
export function scanConcurrencyFor(optionsCallsPerMinute: number): number {
  return optionsCallsPerMinute <= 60 ? 1 : 16;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The environment, checked, as the service's settings: the Config type derives from this. */
const configSchema = environmentSchema
  .superRefine((env, context) => {
    if (env.OPTIONS_SOURCE === 'marketdata' && env.MARKETDATA_API_KEY === undefined) {
      context.addIssue({ code: 'custom', path: ['MARKETDATA_API_KEY'], message: 'required when OPTIONS_SOURCE=marketdata' });
    }
  })
  .transform((env) => ({
    port: env.PORT,
    host: env.HOST,
    redisUrl: env.REDIS_URL,
    cacheDir: env.CACHE_DIR,
    alphaVantage: {
      /** undefined: sample-data mode */
      apiKey: env.ALPHAVANTAGE_API_KEY,
      baseUrl: env.ALPHAVANTAGE_BASE_URL,
      ratePerMinute: env.ALPHAVANTAGE_RATE_LIMIT_PER_MINUTE,
      /** 0: no daily cap */
      ratePerDay: env.ALPHAVANTAGE_RATE_LIMIT_PER_DAY,
      timeoutMs: env.ALPHAVANTAGE_TIMEOUT_MS,
      retries: env.ALPHAVANTAGE_RETRIES,
      maxQueueWaitMs: env.ALPHAVANTAGE_MAX_QUEUE_WAIT_MS,
      optionsFunction: env.ALPHAVANTAGE_OPTIONS_FUNCTION,
      bulkQuotes: env.ALPHAVANTAGE_BULK_QUOTES,
    },
    optionsSource: env.OPTIONS_SOURCE,
    marketData: {
      apiKey: env.MARKETDATA_API_KEY,
      baseUrl: env.MARKETDATA_BASE_URL,
      ratePerMinute: env.MARKETDATA_RATE_LIMIT_PER_MINUTE,
      timeoutMs: env.MARKETDATA_TIMEOUT_MS,
      retries: env.MARKETDATA_RETRIES,
      maxQueueWaitMs: env.MARKETDATA_MAX_QUEUE_WAIT_MS,
    },
    scanConcurrency:
      env.SCAN_CONCURRENCY ??
      scanConcurrencyFor(env.OPTIONS_SOURCE === 'marketdata' ? env.MARKETDATA_RATE_LIMIT_PER_MINUTE : env.ALPHAVANTAGE_RATE_LIMIT_PER_MINUTE),
    scanLeaseMs: env.SCAN_LEASE_SECONDS * 1000,
    apiTokens: env.API_TOKENS,
    /** ENVIRONMENT=LOCAL: scans may run outside US market hours */
    scansOutsideMarketHours: env.ENVIRONMENT,
    curatedSymbols: [...new Set(env.CURATED_SYMBOLS)],
    storeTimeoutMs: env.STORE_TIMEOUT_MS,
    graphql: {
      ide: env.GRAPHQL_IDE,
      introspection: env.GRAPHQL_INTROSPECTION,
      corsOrigins: env.CORS_ORIGINS,
      maxDepth: env.MAX_QUERY_DEPTH,
      maxCost: env.MAX_QUERY_COST,
      maxAliases: env.MAX_QUERY_ALIASES,
      maxBodyBytes: env.MAX_BODY_BYTES,
      maxUpstreamCallsPerRequest: env.MAX_UPSTREAM_CALLS_PER_REQUEST,
    },
    clientBudgets: {
      anonymousPerMinute: env.ANONYMOUS_UPSTREAM_CALLS_PER_MINUTE,
      authenticatedPerMinute: env.AUTHENTICATED_UPSTREAM_CALLS_PER_MINUTE,
    },
    trustProxyHops: env.TRUST_PROXY_HOPS,
    maxUpstreamAnswerBytes: env.UPSTREAM_MAX_ANSWER_BYTES,
    /** used when TREASURY_YIELD cannot be had */
    riskFreeRate: env.RISK_FREE_RATE,
    logLevel: env.LOG_LEVEL,
  }));

export type Config = z.output<typeof configSchema>;

/** Parses the environment once; a bad value stops start-up with every problem named. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      // Never echo the value: it may be a secret (REDIS_URL with a password, tokens).
      return `${name}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}
