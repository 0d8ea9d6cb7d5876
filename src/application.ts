import type { Config } from './config.js';
import { newYorkDate } from './domain/market-calendar.js';
import { createRequestLoaders, type RequestLoaders } from './loaders/request-loaders.js';
import type { Logger } from './logger.js';
import { Cache } from './store/cache.js';
import { createStore, type Store } from './store/create-store.js';
import { CuratedStocks } from './store/curated-stocks.js';
import { AlphaVantageClient, alphaVantageCacheKey, alphaVantageTtlMs, type AlphaVantageFetcher } from './upstream/alpha-vantage.js';
import { CachedSource } from './upstream/cached-source.js';
import { RateBudget } from './upstream/rate-budget.js';
import { SampleAlphaVantage } from './upstream/sample-alpha-vantage.js';

export const SAMPLE_MODE_NOTE =
  'Sample data: ALPHAVANTAGE_API_KEY is unset, so these figures come from bundled illustrative data, not the market.';

/** Everything the HTTP server needs, wired once per process. */
export interface Application {
  config: Config;
  logger: Logger;
  store: Store;
  cache: Cache;
  curatedStocks: CuratedStocks;
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

  return {
    config,
    logger,
    store,
    cache,
    curatedStocks,
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
    keyPrefix: 'wheel:budget',
    tradingDayOf: newYorkDate,
  });
  return new AlphaVantageClient({ ...config.alphaVantage, apiKey, budget, logger });
}
