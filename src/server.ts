import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLFormattedError } from 'graphql';
import type { Application } from './application.js';
import { bearerTokenIsValid } from './graphql/bearer-token.js';
import type { GraphQLContext } from './graphql/context.js';
import { buildGraphQLSchema } from './graphql/schema.js';

export const GRAPHQL_PATH = '/graphql';
const MAX_BODY = '100kb';

export interface HttpServer {
  url: string;
  close(): Promise<void>;
}

/** HTTP and Apollo wiring: the GraphQL endpoint and nothing else of the domain. */
export async function startHttpServer(app: Application): Promise<HttpServer> {
  const httpServer: Server = createServer();
  const apollo = new ApolloServer<GraphQLContext>({
    schema: await buildGraphQLSchema(),
    includeStacktraceInErrorResponses: false,
    // main.ts owns the signals: it closes the store after the server, then exits.
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
    formatError: (formatted, error) => hideInternals(formatted, error, app),
  });
  await apollo.start();

  const web = express();
  web.disable('x-powered-by');
  web.use(
    GRAPHQL_PATH,
    express.json({ limit: MAX_BODY }),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({
        loaders: app.createLoaders(),
        curatedStocks: app.curatedStocks,
        scanner: app.scanner,
        authenticated: bearerTokenIsValid(req.headers.authorization, app.config.apiTokens),
        logger: app.logger,
      }),
    }),
  );
  httpServer.on('request', web);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(app.config.port, app.config.host, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${app.config.host}:${port}${GRAPHQL_PATH}`;
  return { url, close: () => apollo.stop() };
}

/** Errors with a code of ours pass as they are; anything unexpected is logged and masked. */
function hideInternals(formatted: GraphQLFormattedError, error: unknown, app: Application): GraphQLFormattedError {
  const code = formatted.extensions?.['code'];
  if (code !== 'INTERNAL_SERVER_ERROR' && code !== undefined) return formatted;
  app.logger.error({ err: error instanceof Error ? error.message : String(error), path: formatted.path }, 'unexpected error');
  return { message: 'internal error', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
