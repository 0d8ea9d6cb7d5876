import { ConfigError, type Config } from './config.js';
import { newYorkDate } from './domain/market-calendar.js';
import { createAlphaVantageLoader } from './loaders/alpha-vantage.loader.js';
import { createRequestLoaders, type RequestLoaders } from './loaders/request-loaders.js';
import { ValuationMemo } from './loaders/valuation-memo.js';
import type { Logger } from './logger.js';
import { Metrics } from './observability/metrics.js';
import { AlphaVantageOptionChains, MarketDataOptionChains, type OptionChains } from './scanner/option-chains.js';
import { Scanner } from './scanner/scanner.js';
import type { Cache } from './store/cache.js';
import { SCANNER_TTL_MS } from './store/cache-keys.js';
import { createStore, type Store } from './store/create-store.js';
import { CuratedStocks } from './store/curated-stocks.js';
import {
  AlphaVantageClient,
  alphaVantageCacheKey,
  alphaVantageTtlMs,
  type AlphaVantageFetcher,
  type AlphaVantageSource,
} from './upstream/alpha-vantage.js';
import { CachedSource } from './upstream/cached-source.js';
import { MarketDataClient, marketDataCacheKey } from './upstream/marketdata.js';
import { SampleAlphaVantage } from './upstream/sample-alpha-vantage.js';

export const SAMPLE_MODE_NOTE =
  'Sample data: ALPHAVANTAGE_API_KEY is unset, so these figures come from bundled illustrative data, not the market.';

/** Everything the HTTP server needs, wired once per process. */
export interface Application {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  store: Store;
  curatedStocks: CuratedStocks;
  scanner: Scanner;
  sampleMode: boolean;
  createLoaders(): RequestLoaders;
  /** the store answers (Redis connected, or the embedded file) */
  storeIsUsable(): boolean;
  close(): Promise<void>;
}

interface Wiring {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  store: Store;
  cache: Cache;
}

export async function createApplication(config: Config, logger: Logger): Promise<Application> {
  const sampleMode = config.alphaVantage.apiKey === undefined;
  // Sample data lives under its own prefix so it can never pass for the real market later.
  const namespace = sampleMode ? 'wheel-sample' : 'wheel';
  const store = createStore(
    { redisUrl: config.redisUrl, cacheDir: config.cacheDir, namespace, timeoutMs: config.storeTimeoutMs },
    logger,
  );
  await store.ready;
  const metrics = new Metrics();
  const { cache } = store;
  const wiring: Wiring = { config, logger, metrics, store, cache };

  const alphaVantage: AlphaVantageSource = new CachedSource({
    cache,
    fetcher: createAlphaVantageFetcher(wiring),
    keyOf: alphaVantageCacheKey,
    ttlMs: alphaVantageTtlMs,
    metrics,
    labelOf: (request) => request.fn,
  });
  const curatedStocks = new CuratedStocks(cache, config.curatedSymbols, logger);
  await curatedStocks.seed();
  const scanner = new Scanner({
    lock: store.scanLock,
    records: store.scanRecords,
    chainsForScan: createChainsFactory(wiring, alphaVantage),
    marketHoursApply: config.environment !== 'LOCAL',
    concurrency: config.scanConcurrency,
    clock: () => new Date(),
    logger,
    metrics,
  });
  const valuationNotes = sampleMode ? [SAMPLE_MODE_NOTE] : [];
  const valuations = new ValuationMemo();

  return {
    config,
    logger,
    metrics,
    store,
    curatedStocks,
    scanner,
    sampleMode,
    createLoaders: () => createRequestLoaders({ source: alphaVantage, curatedStocks, valuationNotes, metrics, valuations }),
    storeIsUsable: () => store.isUsable(),
    close: () => store.close(),
  };
}

function createAlphaVantageFetcher({ config, store, logger, metrics }: Wiring): AlphaVantageFetcher {
  const { apiKey } = config.alphaVantage;
  if (apiKey === undefined) return new SampleAlphaVantage();
  const budget = store.budgets({
    perMinute: config.alphaVantage.ratePerMinute,
    perDay: config.alphaVantage.ratePerDay,
    maxWaitMs: config.alphaVantage.maxQueueWaitMs,
    provider: 'Alpha Vantage',
    keyPrefix: 'wheel:budget:alphavantage',
    tradingDayOf: newYorkDate,
  });
  return new AlphaVantageClient({ ...config.alphaVantage, apiKey, budget, logger, metrics });
}

/** Each scan gets fresh chain loaders over the process's shared cached sources. */
function createChainsFactory(wiring: Wiring, alphaVantage: AlphaVantageSource): () => OptionChains {
  const { config, store, cache, logger, metrics } = wiring;
  if (config.optionsSource === 'alphavantage') {
    const { optionsFunction, bulkQuotes } = config.alphaVantage;
    return () => new AlphaVantageOptionChains(createAlphaVantageLoader(alphaVantage, metrics), optionsFunction, bulkQuotes);
  }
  const { apiKey, baseUrl, ratePerMinute } = config.marketData;
  if (apiKey === undefined) throw new ConfigError('OPTIONS_SOURCE=marketdata needs MARKETDATA_API_KEY');
  const budget = store.budgets({
    perMinute: ratePerMinute,
    perDay: 0,
    maxWaitMs: config.alphaVantage.maxQueueWaitMs,
    provider: 'marketdata.app',
    keyPrefix: 'wheel:budget:marketdata',
    tradingDayOf: newYorkDate,
  });
  const { timeoutMs, retries } = config.alphaVantage;
  const client = new MarketDataClient({ apiKey, baseUrl, timeoutMs, retries, budget, logger, metrics });
  const source = new CachedSource({
    cache,
    fetcher: client,
    keyOf: marketDataCacheKey,
    ttlMs: () => SCANNER_TTL_MS,
    metrics,
    labelOf: () => 'MARKETDATA_CHAIN',
  });
  return () => new MarketDataOptionChains(source);
}
