import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Application } from './application.js';
import { errorBoundaryPlugin, formatError } from './graphql/error-boundary.js';
import { bearerTokenIsValid } from './graphql/bearer-token.js';
import type { GraphQLContext } from './graphql/context.js';
import { buildGraphQLSchema } from './graphql/schema.js';
import { corsMiddleware } from './server/cors.js';
import { graphiqlRoutes } from './server/graphiql.js';
import { graphqlMetricsPlugin } from './server/graphql-metrics.plugin.js';
import { upstreamCostPlugin } from './server/upstream-cost.plugin.js';
import { operationalRoutes } from './server/health.js';
import { bodyLimit, operationLimits } from './server/limits.js';
import { requestErrorHandler } from './server/request-errors.js';
import { requestLogging } from './server/request-log.js';
import { valuationHistoryExport } from './server/valuation-history-export.js';

export const GRAPHQL_PATH = '/graphql';

export interface HttpServer {
  url: string;
  /** stop accepting, let in-flight requests finish (bounded), then close */
  close(): Promise<void>;
}

export interface HttpApp {
  /** the express app: a request listener for a node:http server */
  handler: express.Express;
  apollo: ApolloServer<GraphQLContext>;
  /** /ready answers 503 from now on; Apollo stops, draining `httpServer` if one was given */
  close(): Promise<void>;
}

export interface HttpAppOptions {
  /** the server the handler will serve on: closed and drained (10 s at most) by close() */
  httpServer?: Server;
}

/** HTTP and Apollo wiring: endpoints, limits, logging; nothing of the domain. Binds no port, handles no signal. */
export async function createHttpApp(app: Application, options: HttpAppOptions = {}): Promise<HttpApp> {
  const { config, logger } = app;
  const limits = config.graphql;
  let draining = false;

  const protection = operationLimits(limits);
  const apollo = new ApolloServer<GraphQLContext>({
    schema: await buildGraphQLSchema(),
    introspection: limits.introspection,
    // One operation per HTTP request: batched arrays are refused.
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    // main.ts owns the signals: it closes the store after the server, then exits.
    stopOnTerminationSignals: false,
    validationRules: protection.validationRules,
    plugins: [
      ...protection.plugins,
      ...(options.httpServer ? [ApolloServerPluginDrainHttpServer({ httpServer: options.httpServer, stopGracePeriodMillis: 10_000 })] : []),
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints are used; the default plugin wraps every field resolver (3 % of CPU).
      ApolloServerPluginCacheControlDisabled(),
      upstreamCostPlugin(limits.maxUpstreamCallsPerRequest, { bulkQuotes: app.config.alphaVantage.bulkQuotes, curatedFromCache: app.refresher !== undefined }),
      graphqlMetricsPlugin(app.metrics),
      errorBoundaryPlugin(),
    ],
    formatError,
  });
  await apollo.start();

  const web = express();
  web.disable('x-powered-by');
  // req.ip, which the anonymous upstream budget is counted by: the TCP peer, or behind N proxies their X-Forwarded-For.
  web.set('trust proxy', config.trustProxyHops > 0 ? config.trustProxyHops : false);
  web.use(requestLogging(logger));
  // Before every route: a preflight must never reach a route that answers OPTIONS itself.
  web.use(corsMiddleware(limits.corsOrigins));
  web.use(operationalRoutes(app, () => draining));
  web.use(await graphiqlRoutes({ enabled: limits.ide, endpoint: GRAPHQL_PATH, startupToken: config.startupToken }));
  web.use(valuationHistoryExport({ valuationHistory: app.valuationHistory, apiTokens: config.apiTokens, logger }));
  web.use(
    GRAPHQL_PATH,
    bodyLimit(limits.maxBodyBytes),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const authenticated = bearerTokenIsValid(req.headers.authorization, config.apiTokens);
        const caller = authenticated ? { authorization: req.headers.authorization! } : { ip: req.ip ?? req.socket.remoteAddress ?? 'unknown' };
        return {
          loaders: app.createLoaders(app.clientBudgets.allowanceFor(caller)),
          curatedStocks: app.curatedStocks,
          valuationHistory: app.valuationHistory,
          scanner: app.scanner,
          marketEvents: app.marketEvents,
          authenticated,
          logger: req.log,
        };
      },
    }),
  );
  web.use(requestErrorHandler(logger));

  return {
    handler: web,
    apollo,
    close: async () => {
      draining = true;
      await apollo.stop();
    },
  };
}

/** The app on config.host:config.port (0: any free port). */
export async function startHttpServer(app: Application): Promise<HttpServer> {
  const { config } = app;
  const httpServer: Server = createServer();
  const http = await createHttpApp(app, { httpServer });
  httpServer.on('request', http.handler);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://${config.host}:${port}${GRAPHQL_PATH}`,
    close: () => http.close(),
  };
}
