import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import cors from 'cors';
import express from 'express';
import { pinoHttp } from 'pino-http';
import type { Application } from './application.js';
import { errorBoundaryPlugin, formatError } from './graphql/error-boundary.js';
import { bearerTokenIsValid } from './graphql/bearer-token.js';
import type { GraphQLContext } from './graphql/context.js';
import { graphiqlRoutes } from './http/graphiql.js';
import { buildGraphQLSchema } from './graphql/schema.js';
import { graphqlMetricsPlugin } from './http/graphql-metrics.plugin.js';
import { operationalRoutes } from './http/health.js';
import { requestErrorHandler } from './http/request-errors.js';

export const GRAPHQL_PATH = '/graphql';
const REQUEST_ID = /^[\w.-]{1,64}$/;

export interface HttpServer {
  url: string;
  /** stop accepting, let in-flight requests finish (bounded), then close */
  close(): Promise<void>;
}

/** HTTP and Apollo wiring: endpoints, limits, logging; nothing of the domain. */
export async function startHttpServer(app: Application): Promise<HttpServer> {
  const { config, logger } = app;
  const limits = config.graphql;
  const httpServer: Server = createServer();
  let draining = false;

  // Depth, cost, alias, directive and token limits, checked before anything executes.
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth },
    costLimit: { maxCost: limits.maxCost },
    maxAliases: { n: limits.maxAliases },
    maxDirectives: { n: 20 },
    // Not armor's token limit: it parses in a plugin hook and turns syntax errors into HTTP 500s;
    // the body size limit bounds the tokens instead.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: !limits.introspection },
  });
  const protection = armor.protect();
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
      // graphql-armor is typed against Apollo's CommonJS build; its plugins are plain objects.
      ...(protection.plugins as unknown as ApolloServerPlugin<GraphQLContext>[]),
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: 10_000 }),
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints are used; the default plugin wraps every field resolver (3 % of CPU).
      ApolloServerPluginCacheControlDisabled(),
      graphqlMetricsPlugin(app.metrics),
      errorBoundaryPlugin(),
    ],
    formatError,
  });
  await apollo.start();

  const web = express();
  web.disable('x-powered-by');
  web.use(
    pinoHttp({
      logger,
      genReqId: (request, response) => {
        const offered = request.headers['x-request-id'];
        const id = typeof offered === 'string' && REQUEST_ID.test(offered) ? offered : randomUUID();
        response.setHeader('x-request-id', id);
        return id;
      },
      // Only what identifies the request: headers may carry bearer tokens.
      serializers: {
        req: (request: { id: unknown; method: string; url: string }) => ({ id: request.id, method: request.method, url: request.url }),
        res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
      },
      autoLogging: { ignore: (request) => request.url === '/health' || request.url === '/metrics' },
    }),
  );
  web.use(operationalRoutes(app, () => draining));
  web.use(await graphiqlRoutes({ enabled: limits.ide, endpoint: GRAPHQL_PATH }));
  web.use(
    GRAPHQL_PATH,
    cors({ origin: limits.corsOrigins, methods: ['GET', 'POST'], maxAge: 600 }),
    express.json({ limit: limits.maxBodyBytes }),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({
        loaders: app.createLoaders(),
        curatedStocks: app.curatedStocks,
        scanner: app.scanner,
        authenticated: bearerTokenIsValid(req.headers.authorization, config.apiTokens),
        logger: req.log,
      }),
    }),
  );
  web.use(requestErrorHandler(logger));
  httpServer.on('request', web);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://${config.host}:${port}${GRAPHQL_PATH}`,
    close: async () => {
      draining = true;
      await apollo.stop();
    },
  };
}
