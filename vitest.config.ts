import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Node resolves graphql to its CommonJS build (as type-graphql does); Vite would pick the
    // .mjs one, and two copies of graphql cannot share a schema. Resolve as Node does.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Initializes one embedded-store template the tests copy instead of running initdb each.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each e2e file owns a Redis database (see test/support/redis.ts) and random ports,
    // so files may run side by side.
    fileParallelism: true,
    // Most files wait on sockets, child processes and short windows, not on the CPU: on a
    // 2-core machine the default of one worker left the suite serial (160 s for 137 s of tests).
    maxWorkers: 4,
    reporters: ['default'],
  },
});
