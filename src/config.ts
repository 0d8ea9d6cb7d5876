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
  /** PostgreSQL for durable data (the curated list, valuation snapshots); unset: embedded PGlite under CACHE_DIR */
  DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  /** every database statement and connection attempt gives up after this long */
  DATABASE_TIMEOUT_MS: integer(5000, 100, 120_000),
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
  /** while a scan runs, its results dict (megabytes for an index) is written at most this often; progress after every ticker */
  SCAN_RESULTS_WRITE_INTERVAL_MS: integer(1000, 0, 60_000),
  /** a scan whose heartbeat is older than this may be taken over by a new startScan (at most the lock's 45-minute TTL) */
  SCAN_LEASE_SECONDS: integer(30, 1, 45 * 60),
  API_TOKENS: commaList.default([]),
  /** `LOCAL` lets scans run outside market hours; read once, here */
  ENVIRONMENT: optionalString.transform((value) => value?.toUpperCase() === 'LOCAL'),
  CURATED_SYMBOLS: commaList
    .pipe(z.array(z.string().refine((symbol) => normalizeSymbol(symbol) !== undefined, 'each symbol is 1-10 of A-Z, digits, ".", "-"')).min(1))
    .transform((symbols) => symbols.map((symbol) => symbol.toUpperCase()))
    .default([...DEFAULT_CURATED_SYMBOLS]),
  /** record the active curated stocks' valuation snapshots on the first New York day of each quarter (one process of all) */
  SNAPSHOT_SCHEDULE: z.stringbool().default(true),
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
  /** share of the Alpha Vantage budget (day and minute) the background refresher of curated fundamentals may use; 0 turns it off */
  REFRESH_BUDGET_SHARE: z.coerce.number().min(0, 'a share from 0 to 1, e.g. 0.5').max(1, 'a share from 0 to 1, e.g. 0.5').default(0.5),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/**
 * At a paced budget (60 calls a minute or less) one ticker at a time already keeps the
 * budget busy, and more would only queue calls past ALPHAVANTAGE_MAX_QUEUE_WAIT_MS. Above
 * it, sixteen tickers at once (32 calls) let a premium key's burst go out together, and from
 * 1 000 a minute thirty-two (64 calls): the tickers started together wait out the upstream's
 * latency together, then this process parses their chains one after the other, so more at
 * once spread that wait over more chains, for more memory: each chain in flight is about
 * 1.5 MB of text and objects (bench/README.md, rows 5, 7 and 10).
 */
export function scanConcurrencyFor(optionsCallsPerMinute: number): number {
  if (optionsCallsPerMinute <= 60) return 1;
  return optionsCallsPerMinute < 1000 ? 16 : 32;
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
    databaseUrl: env.DATABASE_URL,
    databaseTimeoutMs: env.DATABASE_TIMEOUT_MS,
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
    scanResultsWriteIntervalMs: env.SCAN_RESULTS_WRITE_INTERVAL_MS,
    apiTokens: env.API_TOKENS,
    /** a token generated for this run (src/server/startup-token.ts), never from the environment; it is also in apiTokens */
    startupToken: undefined as string | undefined,
    /** ENVIRONMENT=LOCAL: scans may run outside US market hours */
    scansOutsideMarketHours: env.ENVIRONMENT,
    curatedSymbols: [...new Set(env.CURATED_SYMBOLS)],
    /** the scheduled quarterly snapshot run (src/services/snapshot-schedule.ts) */
    snapshotSchedule: env.SNAPSHOT_SCHEDULE,
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
    /** 0: no background refresher, curatedStocks values cold stocks upstream as intrinsicValue does */
    refreshBudgetShare: env.REFRESH_BUDGET_SHARE,
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
