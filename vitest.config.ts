import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * Files that measure the service's latency under a fault against a baseline taken a few
 * seconds earlier in the same file: they are only fair when the machine's load does not
 * change in between, so they run one at a time, after every other file has finished.
 * (Beside the rest on a 2-core CI machine, a cached answer under a hung Redis once took 3 s;
 * alone it takes at most 0.6 s, and 1.2 s under two CPU hogs.)
 */
const LATENCY_FILES = ['test/e2e/redis-hang.e2e.test.ts', 'test/e2e/store-flood.e2e.test.ts'];

/** Per project (what it provides is the project's): the embedded-store template and the run's temp folder. */
const GLOBAL_SETUP = ['test/support/global-setup.ts'];

export default defineConfig({
  resolve: {
    // Node resolves graphql to its CommonJS build (as type-graphql does); Vite would pick the
    // .mjs one, and two copies of graphql cannot share a schema. Resolve as Node does.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          globalSetup: GLOBAL_SETUP,
          include: ['test/**/*.test.ts'],
          exclude: LATENCY_FILES,
          // Each e2e file owns a Redis database (see test/support/redis.ts) and random ports,
          // so files may run side by side. Most wait on sockets, child processes and short
          // windows, not on the CPU: on a 2-core machine one worker left the suite serial.
          fileParallelism: true,
          maxWorkers: 4,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'latency',
          globalSetup: GLOBAL_SETUP,
          include: LATENCY_FILES,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
