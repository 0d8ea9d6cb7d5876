import { ConfigError, type Config } from './config.js';
import { newYorkDate } from './domain/market-calendar.js';
import { createRequestLoaders, type RequestLoaders } from './loaders/request-loaders.js';
import { ValuationMemo } from './loaders/valuation-memo.js';
import type { Logger } from './logger.js';
import { Metrics } from './observability/metrics.js';
import { Scanner } from './scanner/scanner.js';
import type { Cache } from './store/cache.js';
import { createStore, type Store } from './store/create-store.js';
import { CuratedStockRepository } from './db/curated-stock.repository.js';
import { openDurableDatabase, type DurableDatabase } from './db/durable-database.js';
import { CuratedStocks, type SavedStock } from './services/curated-stocks.js';
import { snapshotRunLock } from './db/snapshot-run-lock.js';
import { ValuationSnapshotRepository } from './db/valuation-snapshot.repository.js';
import { SnapshotSchedule } from './services/snapshot-schedule.js';
import { ValuationHistory } from './services/valuation-history.js';
import { CURATED_STOCKS_KEY } from './store/cache-keys.js';
import { AlphaVantageClient } from './providers/alpha-vantage/alpha-vantage.client.js';
import type { AlphaVantageFetcher, AlphaVantageSource } from './providers/alpha-vantage/alpha-vantage.request.js';
import { alphaVantageCacheKey, alphaVantageNotFoundTtlMs, alphaVantageTtlMs } from './providers/alpha-vantage/cache-policy.js';
import { AlphaVantageMarketEvents, type MarketEvents } from './providers/alpha-vantage/market-events.js';
import { AlphaVantageOptionChains } from './providers/alpha-vantage/option-chains.js';
import { SampleAlphaVantage } from './providers/alpha-vantage/sample-alpha-vantage.js';
import { ALPHA_VANTAGE } from './providers/alpha-vantage/descriptor.js';
import { stampingQuoteReceipts } from './providers/alpha-vantage/received-at.js';
import { apiKeyFingerprint } from './providers/api-key-fingerprint.js';
import { CachedSource } from './providers/cached-source.js';
import { MARKETDATA } from './providers/marketdata/descriptor.js';
import { MarketDataClient } from './providers/marketdata/marketdata.client.js';
import { MARKETDATA_CHAIN_TTL_MS, marketDataCacheKey } from './providers/marketdata/marketdata.request.js';
import { MarketDataOptionChains } from './providers/marketdata/option-chains.js';
import type { OptionChains } from './providers/option-chain.js';
import { UNMETERED, type UpstreamAllowance } from './providers/upstream-allowance.js';
import { ClientUpstreamBudgets } from './server/client-upstream-budgets.js';
import { refreshAllowance } from './domain/fundamentals-refresh.js';
import { FundamentalsRefresher, type FundamentalsRefresherOptions } from './refresher/fundamentals-refresher.js';

export const SAMPLE_MODE_NOTE =
  'Sample data: ALPHAVANTAGE_API_KEY is unset, so these figures come from bundled illustrative data, not the market.';

/** The end of a sample-mode scan's lastRun: its chains are a model, so it runs at any hour. */
export const SAMPLE_SCAN_NOTE =
  '(sample data: ALPHAVANTAGE_API_KEY is unset, so the option chains are modelled for today, not quoted by the market; market hours do not apply)';

/** Everything the HTTP server needs, wired once per process. */
export interface Application {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  store: Store;
  /** the durable data: PostgreSQL at DATABASE_URL, else the embedded PGlite */
  database: DurableDatabase;
  curatedStocks: CuratedStocks;
  /** valuation snapshots: recording, history, analytics, export */
  valuationHistory: ValuationHistory;
  /** the quarterly snapshot run; undefined when SNAPSHOT_SCHEDULE is false */
  snapshotSchedule: SnapshotSchedule | undefined;
  scanner: Scanner;
  sampleMode: boolean;
  /** the earnings calendar and the risk-free rate, once a New York day (per process, over the shared cache) */
  marketEvents: MarketEvents;
  /** each client's upstream calls per minute (per process, in memory) */
  clientBudgets: ClientUpstreamBudgets;
  /** keeps the curated fundamentals warm (main.ts starts it); undefined in sample-data mode or at REFRESH_BUDGET_SHARE=0 */
  refresher: FundamentalsRefresher | undefined;
  /** loaders for one request, its upstream calls charged to `allowance` */
  createLoaders(allowance: UpstreamAllowance): RequestLoaders;
  /** the store and the database answer (Redis a PING within the store timeout, or the embedded database is open; PostgreSQL a `select 1`) */
  storeIsUsable(): boolean | Promise<boolean>;
  close(): Promise<void>;
}

/** What tests (and only tests) put in place of the real parts: the network edge and the clock. */
export interface ApplicationOverrides {
  /** answers Alpha Vantage requests instead of the real API or the bundled sample */
  alphaVantage?: AlphaVantageFetcher;
  clock?: () => Date;
}

interface Wiring {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  store: Store;
  cache: Cache;
}

export async function createApplication(config: Config, logger: Logger, overrides: ApplicationOverrides = {}): Promise<Application> {
  const sampleMode = config.alphaVantage.apiKey === undefined;
  // Sample data lives under its own prefix so it can never pass for the real market later.
  const namespace = sampleMode ? 'wheel-sample' : 'wheel';
  const store = createStore(
    { redisUrl: config.redisUrl, cacheDir: config.cacheDir, namespace, timeoutMs: config.storeTimeoutMs, scanLeaseMs: config.scanLeaseMs },
    logger,
  );
  await store.ready;
  let database: DurableDatabase;
  try {
    database = await openDurableDatabase({ databaseUrl: config.databaseUrl, cacheDir: config.cacheDir, timeoutMs: config.databaseTimeoutMs }, logger);
  } catch (error) {
    await store.close();
    throw error;
  }
  const metrics = new Metrics();
  const { cache } = store;
  const wiring: Wiring = { config, logger, metrics, store, cache };
  const clock = overrides.clock ?? (() => new Date());

  const alphaVantage: AlphaVantageSource = new CachedSource({
    cache,
    fetcher: stampingQuoteReceipts(overrides.alphaVantage ?? createAlphaVantageFetcher(wiring, clock), clock),
    keyOf: alphaVantageCacheKey,
    // The clock decides "until the next New York day" for the daily answers, and "until the next open" for quotes.
    ttlMs: (request) => alphaVantageTtlMs(request, clock()),
    notFoundTtlMs: (request) => alphaVantageNotFoundTtlMs(request, clock()),
    metrics,
    logger,
    labelOf: (request) => request.fn,
  });
  // The old home of the list: read once, for the one-time import into the database.
  const legacyCuratedList = async () => (await cache.getManyOrFail<SavedStock[]>([CURATED_STOCKS_KEY]))[0];
  const curatedStocks = new CuratedStocks(new CuratedStockRepository(database.db), legacyCuratedList, config.curatedSymbols, logger);
  await curatedStocks.seed();
  const valuationNotes = sampleMode ? [SAMPLE_MODE_NOTE] : [];
  const valuations = new ValuationMemo();
  const marketEvents = new AlphaVantageMarketEvents({ source: alphaVantage, clock, fallbackRate: config.riskFreeRate, logger });
  const refresher = createRefresher(wiring, { source: alphaVantage, cache, curatedStocks, clock });
  const loaderDeps = {
    source: alphaVantage,
    cache,
    curatedStocks,
    valuationNotes,
    metrics,
    valuations,
    scanSnapshot: () => scanner.state(),
    bulkQuotes: config.alphaVantage.bulkQuotes,
    clock,
    curatedFromCache: refresher !== undefined,
  };
  const scanner: Scanner = new Scanner({
    lock: store.scanLock,
    records: store.scanRecords,
    chainsForScan: createChainsFactory(wiring, alphaVantage),
    riskFreeRate: () => marketEvents.riskFreeRate(),
    // A scan's own loaders, not charged to any client: its calls run under the scan's budget.
    factsForScan: () => ({ ...createRequestLoaders(loaderDeps, UNMETERED), earningsCalendar: () => marketEvents.earningsCalendar() }),
    marketHoursApply: !config.scansOutsideMarketHours && !sampleMode,
    ...(sampleMode ? { lastRunNote: SAMPLE_SCAN_NOTE } : {}),
    concurrency: config.scanConcurrency,
    resultsWriteIntervalMs: config.scanResultsWriteIntervalMs,
    clock,
    logger,
    metrics,
  });
  const clientBudgets = new ClientUpstreamBudgets({ ...config.clientBudgets, now: () => clock().getTime() });
  // Sample-mode snapshots are kept apart from the market's (the sample_data column).
  const valuationHistory = new ValuationHistory(new ValuationSnapshotRepository(database.db, { sampleData: sampleMode }), clock, logger);
  const snapshotSchedule = config.snapshotSchedule
    ? new SnapshotSchedule({ history: valuationHistory, lock: snapshotRunLock(database), loaders: () => createRequestLoaders(loaderDeps, UNMETERED), clock, logger })
    : undefined;
  snapshotSchedule?.start();

  return {
    config,
    logger,
    metrics,
    store,
    database,
    curatedStocks,
    valuationHistory,
    snapshotSchedule,
    scanner,
    sampleMode,
    marketEvents,
    clientBudgets,
    refresher,
    createLoaders: (allowance) => createRequestLoaders(loaderDeps, allowance),
    storeIsUsable: async () => (await store.isUsable()) && (await database.isUsable()),
    close: async () => {
      await snapshotSchedule?.stop();
      await refresher?.stop();
      await database.close();
      await store.close();
    },
  };
}

function createAlphaVantageFetcher({ config, store, logger, metrics }: Wiring, clock: () => Date): AlphaVantageFetcher {
  const { apiKey } = config.alphaVantage;
  if (apiKey === undefined) return new SampleAlphaVantage(clock);
  const budget = store.budgets({
    perMinute: config.alphaVantage.ratePerMinute,
    perDay: config.alphaVantage.ratePerDay,
    maxWaitMs: config.alphaVantage.maxQueueWaitMs,
    provider: ALPHA_VANTAGE.label,
    keyPrefix: ALPHA_VANTAGE.budgetKey,
    account: apiKeyFingerprint(apiKey),
    tradingDayOf: newYorkDate,
  });
  return new AlphaVantageClient({ ...config.alphaVantage, apiKey, budget, logger, metrics, maxAnswerBytes: config.maxUpstreamAnswerBytes });
}

/**
 * The background refresher, when there is a budget to share: a real key and a share whose
 * day holds at least one call. Its own budget (the share) is counted beside the key's.
 */
function createRefresher(
  { config, store, logger }: Wiring,
  parts: Pick<FundamentalsRefresherOptions, 'source' | 'cache' | 'curatedStocks' | 'clock'>,
): FundamentalsRefresher | undefined {
  const { apiKey, ratePerDay, ratePerMinute } = config.alphaVantage;
  const allowance = refreshAllowance(config.refreshBudgetShare, { perDay: ratePerDay, perMinute: ratePerMinute });
  if (apiKey === undefined || allowance === undefined) return undefined;
  const budget = store.budgets({
    ...allowance,
    provider: `${ALPHA_VANTAGE.label} background refresh`,
    // a call waits for the refresher's pace, never longer: the next tick tries again
    maxWaitMs: Math.ceil((allowance.windowSeconds * 1000) / allowance.perMinute),
    keyPrefix: `${ALPHA_VANTAGE.budgetKey}:refresh`,
    tradingDayOf: newYorkDate,
  });
  return new FundamentalsRefresher({ ...parts, lease: store.refresherLease, budget, allowance, logger });
}

/** Each scan gets fresh chain loaders over the process's shared cached sources. */
function createChainsFactory(wiring: Wiring, alphaVantage: AlphaVantageSource): () => OptionChains {
  const { config, store, cache, logger, metrics } = wiring;
  if (config.optionsSource === 'alphavantage') {
    const { optionsFunction, bulkQuotes } = config.alphaVantage;
    return () => new AlphaVantageOptionChains(alphaVantage, optionsFunction, bulkQuotes);
  }
  const { apiKey, baseUrl, ratePerMinute, timeoutMs, retries, maxQueueWaitMs } = config.marketData;
  if (apiKey === undefined) throw new ConfigError('OPTIONS_SOURCE=marketdata needs MARKETDATA_API_KEY');
  const budget = store.budgets({
    perMinute: ratePerMinute,
    perDay: 0,
    maxWaitMs: maxQueueWaitMs,
    provider: MARKETDATA.label,
    keyPrefix: MARKETDATA.budgetKey,
    account: apiKeyFingerprint(apiKey),
    tradingDayOf: newYorkDate,
  });
  const client = new MarketDataClient({ apiKey, baseUrl, timeoutMs, retries, budget, logger, metrics, maxAnswerBytes: config.maxUpstreamAnswerBytes });
  const source = new CachedSource({
    cache,
    fetcher: client,
    keyOf: marketDataCacheKey,
    ttlMs: () => MARKETDATA_CHAIN_TTL_MS,
    metrics,
    logger,
    labelOf: () => 'MARKETDATA_CHAIN',
  });
  return () => new MarketDataOptionChains(source);
}
