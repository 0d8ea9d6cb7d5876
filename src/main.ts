import 'reflect-metadata';
import { createApplication } from './application.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { startHttpServer } from './server.js';
import { startupTokenMessage, withStartupToken } from './server/startup-token.js';

/** The entry point: configuration, store, server, signals. */
async function main(): Promise<void> {
  let config: Config;
  try {
    // API_TOKENS unset, sample data, loopback: one token made for this run (then in apiTokens, masked in the log).
    config = withStartupToken(loadConfig());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`wheel-graphql cannot start: ${error.message}\n`);
    process.exit(1);
  }
  const secrets = [config.alphaVantage.apiKey, config.marketData.apiKey, ...config.apiTokens].filter(
    (secret): secret is string => secret !== undefined,
  );
  const logger = createLogger(config.logLevel, secrets);
  const app = await createApplication(config, logger);
  if (app.sampleMode) {
    logger.warn('SAMPLE-DATA MODE: ALPHAVANTAGE_API_KEY is unset; answering from bundled illustrative data, not the market');
  }
  const server = await startHttpServer(app);
  app.refresher?.start();
  if (config.startupToken !== undefined) {
    // The one line that shows the token: a logger of its own, without the masking of secrets.
    createLogger(config.logLevel).warn(startupTokenMessage(config.startupToken, server.url));
  }
  logger.info({ url: server.url, store: config.redisUrl ? 'redis' : 'embedded (PGlite)' }, `wheel-graphql ready at ${server.url}`);

  // After a signal, exit 1 if the clean stop has not exited by then: within compose's 30 s
  // stop grace period. The clean stop is bounded too, whatever Redis does: 10 s of drain at
  // most (requests wait on the store for STORE_TIMEOUT_MS at most), then the lock's release
  // and Redis's close, each within the store timeout.
  const SHUTDOWN_BACKSTOP_MS = 20_000;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // A backstop, so that no stop ever outlasts the grace period, whatever hangs.
    setTimeout(() => process.exit(1), SHUTDOWN_BACKSTOP_MS).unref();
    // Log lines to a closed stdout (EPIPE) are dropped by pino and never stop the shutdown.
    logger.info({ signal }, 'shutting down: draining requests');
    try {
      // Stop accepting and let in-flight requests finish (bounded by the drain grace period),
      // give back a scan lock this process holds so another process can scan, close Redis.
      await server.close();
      await app.scanner.releaseHeldLock();
      await app.close();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error instanceof Error ? error.message : String(error) }, 'unclean shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`wheel-graphql failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
