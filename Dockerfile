# syntax=docker/dockerfile:1

# ---- build: install every dependency, compile TypeScript, then drop the dev dependencies ----
FROM node:24-slim AS build
WORKDIR /app
# Manifests first, so the dependency layer is reused while only the source changes.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# tsc writes dist/; prune leaves node_modules with the production dependencies only.
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: compiled code, bundled sample data and production node_modules, nothing else ----
FROM node:24-slim AS runtime
# HOST=0.0.0.0: the default 127.0.0.1 would be unreachable from outside the container.
# CACHE_DIR: the embedded store when REDIS_URL is unset, and with Redis this process's id and
# own count of the day's calls (the daily budget's durable half): a volume in compose.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    CACHE_DIR=/var/lib/wheel-graphql
WORKDIR /app
# Files stay owned by root: the service only reads them.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Read at run time from ../../sample-data/ relative to dist/upstream/.
COPY sample-data ./sample-data
# The SQL migrations, applied at start-up, read from ../../src/db/migrations relative to dist/db/.
COPY src/db/migrations ./src/db/migrations
# Owned by node, so that a named volume mounted here starts writable by the service.
RUN mkdir -p /var/lib/wheel-graphql && chown node:node /var/lib/wheel-graphql
# Non-root: the official image's unprivileged "node" user (uid 1000).
USER node
EXPOSE 4000
# Liveness: is the process up? (slim images have no curl; node has fetch)
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node directly, not npm start: npm would rebuild and does not forward SIGTERM well;
# the service drains and exits 0 on SIGTERM.
# --heap-growing-percent=25 (as in npm start): the heap grows by a quarter over what a full
# collection leaves, not by V8's up to 4x; the live data is ~40 MB and the default let garbage
# take the process to ~290 MB under load. No cap: a real need for memory is still met, at the
# cost of more frequent collections.
CMD ["node", "--heap-growing-percent=25", "dist/main.js"]
