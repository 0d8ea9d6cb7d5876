/**
 * GraphiQL for browsers at the GraphQL endpoint, served entirely from an installed npm
 * package: no CDN and no network at run time (a Content-Security-Policy of 'self', data:
 * and blob: makes the browser refuse any other host).
 *
 * Why @graphql-yoga/render-graphiql (The Guild, released with every graphql-yoga):
 * - its `graphiql` module is GraphiQL 5 (React 19, Monaco, the explorer plugin) prebuilt
 *   into plain strings: the page script, the CSS with its fonts and images inlined as data:
 *   URLs, the favicon and the three Monaco workers. One package, no runtime dependencies,
 *   no import of anything; nothing in it names a host to load from.
 * - its peer `graphql-yoga` is only a type import of its `index.d.ts`; we import the
 *   `graphiql` module (its own typings) and never load graphql-yoga. npm installs the peer
 *   anyway (graphql-yoga with 32 packages beneath it, some shared with Apollo; never loaded,
 *   no second graphql).
 * - `graphiql` 5 itself ships ESM with bare imports of React, Monaco and their workers for
 *   a bundler to resolve: serving it would need a build step. `@graphql-yoga/graphiql` is
 *   the same app as a library with 166 dependencies (about 270 MB, graphql 17 among them).
 *   `altair-static` is an Angular app of 6 MB in 40 chunks, with a second zod, and it links
 *   to its own hosted sandbox and services.
 * Yoga's own renderGraphiQL() inlines all 9 MB into every page; here the page is small and
 * the bundle is served once, gzipped, under a versioned path that browsers cache for good.
 *
 * Requests: GraphiQL POSTs with `content-type: application/json`, which Apollo Server's
 * CSRF prevention accepts. The page is served for a GET that prefers text/html, decided as
 * Apollo does for its landing page (so `curl` and GraphQL clients still reach Apollo).
 */
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Router, type Request, type Response } from 'express';
import { requestIsLocal } from './startup-token.js';

const gzipAsync = promisify(gzip);
const PACKAGE = '@graphql-yoga/render-graphiql';
const VERSION = (createRequire(import.meta.url)(`${PACKAGE}/package.json`) as { version: string }).version;
/** Outside the endpoint's path, so that Apollo's middleware never sees asset requests. */
export const GRAPHIQL_ASSETS_PATH = `/graphiql/${VERSION}`;

export const EXAMPLE_QUERY = `# wheel-graphql: intrinsic value per share by two DCF models (EPS and free cash flow).
# Ctrl-Enter runs the query; Ctrl-Space completes; the book icon opens the schema.
{
  intrinsicValue(symbol: "AAPL") {
    symbol
    effectiveIntrinsicValue
    eps { intrinsicValue }
    fcf { intrinsicValue }
    notes
  }
}
`;

export interface GraphiQLRoutesOptions {
  /** false (production): no route, and the 9 MB bundle is never loaded */
  enabled: boolean;
  /** the GraphQL endpoint the page is served at and sends its queries to */
  endpoint: string;
  /** the query in the first tab of a browser that has none saved */
  defaultQuery?: string;
  title?: string;
  /** the token generated at start-up: pre-filled as the Authorization header on pages for this machine only */
  startupToken?: string | undefined;
}

interface Asset {
  type: string;
  body: Buffer;
  gzipped: Promise<Buffer | undefined>;
}

/**
 * Routes of the IDE: the page at `endpoint` for browsers, its assets under
 * GRAPHIQL_ASSETS_PATH. Mount before the GraphQL middleware; when disabled, an empty router.
 */
export async function graphiqlRoutes(options: GraphiQLRoutesOptions): Promise<Router> {
  const router = Router();
  if (!options.enabled) return router;

  const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
  const asset = (type: string, text: string | Buffer): Asset => {
    const body = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    // compressed in the thread pool while the server starts; served plain if that fails
    return { type, body, gzipped: gzipAsync(body).catch(() => undefined) };
  };
  const assets = new Map<string, Asset>([
    ['graphiql.js', asset('text/javascript; charset=utf-8', bundle.js)],
    ['graphiql.css', asset('text/css; charset=utf-8', bundle.css)],
    ['editor.worker.js', asset('text/javascript; charset=utf-8', bundle.editorWorkerService)],
    ['json.worker.js', asset('text/javascript; charset=utf-8', bundle.jsonWorker)],
    ['graphql.worker.js', asset('text/javascript; charset=utf-8', bundle.graphqlWorker)],
    ['favicon.ico', asset('image/x-icon', dataUrlBytes(bundle.favicon))],
  ]);

  const page = renderPage(options);
  const { startupToken } = options;
  const localPage = startupToken === undefined ? undefined : renderPage(options, `Bearer ${startupToken}`);

  router.get(`${GRAPHIQL_ASSETS_PATH}/:file`, async (req: Request<{ file: string }>, res: Response) => {
    const found = assets.get(req.params.file);
    if (!found) {
      res.status(404).type('text/plain').send('not found');
      return;
    }
    res.set({
      'content-type': found.type,
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      vary: 'Accept-Encoding',
    });
    const gzipped = req.acceptsEncodings('gzip', 'identity') === 'gzip' ? await found.gzipped : undefined;
    if (gzipped) res.set('content-encoding', 'gzip');
    res.send(gzipped ?? found.body);
  });

  router.get(options.endpoint, (req, res, next) => {
    if (!prefersHtml(req)) {
      next();
      return;
    }
    const withToken = localPage !== undefined && requestIsLocal(req.socket.remoteAddress, req.headers);
    res.set({
      'content-type': 'text/html; charset=utf-8',
      // a page with the token is never stored, not even by this machine's browser cache
      'cache-control': withToken ? 'no-store' : 'no-cache',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      vary: 'Accept',
    });
    res.send(withToken ? localPage : page);
  });

  return router;
}

/** Apollo Server's rule for its landing page: a GET whose Accept ranks text/html above every GraphQL answer type. */
function prefersHtml(req: Request): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (!req.headers.accept) return false;
  return req.accepts(['application/json', 'application/graphql-response+json', 'multipart/mixed', 'text/html']) === 'text/html';
}

/** Own origin only: inline data (fonts, images), blob: (Monaco) and the inline start-up script. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:",
  "style-src 'self' 'unsafe-inline' data: blob:",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const LOGO =
  '<svg viewBox="0 0 24 24" width="28" height="28" fill="none" stroke="currentColor" stroke-width="1.8" aria-hidden="true">' +
  '<circle cx="12" cy="12" r="9"/><circle cx="12" cy="12" r="2"/>' +
  '<path d="M12 3v7M12 14v7M3 12h7M14 12h7M5.6 5.6l5 5M13.4 13.4l5 5M18.4 5.6l-5 5M10.6 13.4l-5 5"/></svg>';

function renderPage(options: GraphiQLRoutesOptions, authorization?: string): string {
  const title = options.title ?? 'wheel-graphql';
  const headers = authorization === undefined ? undefined : JSON.stringify({ Authorization: authorization }, null, 2);
  const settings = {
    endpoint: options.endpoint,
    defaultQuery: options.defaultQuery ?? EXAMPLE_QUERY,
    title: escapeHtml(title),
    logo: LOGO,
    // This run's token in the header editor of every tab; not kept in the browser's storage,
    // where a stale one would outlive the run.
    ...(headers === undefined ? {} : { defaultHeaders: headers, initialHeaders: headers, shouldPersistHeaders: false }),
  };
  const assets = GRAPHIQL_ASSETS_PATH;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(title)} · GraphiQL</title>
    <link rel="icon" href="${assets}/favicon.ico" />
    <link rel="stylesheet" href="${assets}/graphiql.css" />
    <style>html, body, #root { height: 100%; margin: 0; }</style>
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>GraphiQL needs JavaScript. Without it, POST queries to ${escapeHtml(options.endpoint)} as JSON.</noscript>
    <div id="root"></div>
    <script>
      const workers = {
        editorWorkerService: '${assets}/editor.worker.js',
        json: '${assets}/json.worker.js',
        graphql: '${assets}/graphql.worker.js',
      };
      self.MonacoEnvironment = {
        globalAPI: false,
        getWorkerUrl: (_moduleId, label) => workers[label] ?? workers.editorWorkerService,
      };
    </script>
    <script src="${assets}/graphiql.js"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), ${scriptJson(settings)});
    </script>
  </body>
</html>
`;
}

function dataUrlBytes(dataUrl: string): Buffer {
  const comma = dataUrl.indexOf(',');
  const meta = dataUrl.slice(0, comma);
  const data = dataUrl.slice(comma + 1);
  return meta.endsWith(';base64') ? Buffer.from(data, 'base64') : Buffer.from(decodeURIComponent(data), 'utf8');
}

/** JSON that cannot end the <script> it sits in. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
