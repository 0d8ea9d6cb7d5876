import { ConfigError, type Config } from './config.js';
import { newYorkDate } from './domain/market-calendar.js';
import { createRequestLoaders, type RequestLoaders } from './loaders/request-loaders.js';
import type { Logger } from './logger.js';
import { Cache } from './store/cache.js';
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
import { RateBudget } from './upstream/rate-budget.js';
import { SampleAlphaVantage } from './upstream/sample-alpha-vantage.js';
import { MarketDataClient, marketDataCacheKey } from './upstream/marketdata.js';
import { SCANNER_TTL_MS } from './store/cache-keys.js';
import { ScanLock } from './store/scan-lock.js';
import { AlphaVantageOptionChains, MarketDataOptionChains, type OptionChains } from './scanner/option-chains.js';
import { ScanRecords } from './scanner/scan-records.js';
import { Scanner } from './scanner/scanner.js';
import { createAlphaVantageLoader } from './loaders/alpha-vantage.loader.js';

export const SAMPLE_MODE_NOTE =
  'Sample data: ALPHAVANTAGE_API_KEY is unset, so these figures come from bundled illustrative data, not the market.';

/** Everything the HTTP server needs, wired once per process. */
export interface Application {
  config: Config;
  logger: Logger;
  store: Store;
  cache: Cache;
  curatedStocks: CuratedStocks;
  scanner: Scanner;
  sampleMode: boolean;
  createLoaders(): RequestLoaders;
  close(): Promise<void>;
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
  const cache = new Cache(store.keyv, config.storeTimeoutMs, logger);
  const source = new CachedSource({
    cache,
    fetcher: createFetcher(config, store, logger),
    keyOf: alphaVantageCacheKey,
    ttlMs: alphaVantageTtlMs,
  });
  const curatedStocks = new CuratedStocks(cache, config.curatedSymbols, logger);
  await curatedStocks.seed();
  const valuationNotes = sampleMode ? [SAMPLE_MODE_NOTE] : [];
  const scanner = new Scanner({
    lock: new ScanLock(store.keyv, store.redis, namespace, config.storeTimeoutMs),
    records: new ScanRecords(cache),
    chainsForScan: createChainsFactory(config, store, cache, source, logger),
    marketHoursApply: config.environment !== 'LOCAL',
    concurrency: config.scanConcurrency,
    clock: () => new Date(),
    logger,
  });

  return {
    config,
    logger,
    store,
    cache,
    curatedStocks,
    scanner,
    sampleMode,
    createLoaders: () => createRequestLoaders({ source, curatedStocks, valuationNotes }),
    close: () => store.close(),
  };
}

function createFetcher(config: Config, store: Store, logger: Logger): AlphaVantageFetcher {
  const { apiKey } = config.alphaVantage;
  if (apiKey === undefined) return new SampleAlphaVantage();
  const budget = new RateBudget({
    perMinute: config.alphaVantage.ratePerMinute,
    perDay: config.alphaVantage.ratePerDay,
    maxWaitMs: config.alphaVantage.maxQueueWaitMs,
    redis: store.redis,
    keyPrefix: 'wheel:budget:alphavantage',
    tradingDayOf: newYorkDate,
  });
  return new AlphaVantageClient({ ...config.alphaVantage, apiKey, budget, logger });
}

/** Each scan gets fresh chain loaders over the process's shared cached source. */
function createChainsFactory(
  config: Config,
  store: Store,
  cache: Cache,
  alphaVantage: AlphaVantageSource,
  logger: Logger,
): () => OptionChains {
  if (config.optionsSource === 'alphavantage') {
    return () => new AlphaVantageOptionChains(createAlphaVantageLoader(alphaVantage), config.alphaVantage.optionsFunction);
  }
  const { apiKey, baseUrl, ratePerMinute } = config.marketData;
  if (apiKey === undefined) throw new ConfigError('OPTIONS_SOURCE=marketdata needs MARKETDATA_API_KEY'); // loadConfig refuses this already
  const budget = new RateBudget({
    perMinute: ratePerMinute,
    perDay: 0,
    maxWaitMs: config.alphaVantage.maxQueueWaitMs,
    redis: store.redis,
    keyPrefix: 'wheel:budget:marketdata',
    tradingDayOf: newYorkDate,
  });
  const client = new MarketDataClient({
    apiKey,
    baseUrl,
    timeoutMs: config.alphaVantage.timeoutMs,
    retries: config.alphaVantage.retries,
    budget,
    logger,
  });
  const source = new CachedSource({ cache, fetcher: client, keyOf: marketDataCacheKey, ttlMs: () => SCANNER_TTL_MS });
  return () => new MarketDataOptionChains(source);
}
