import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each e2e file owns a Redis database (see test/support/redis.ts) and random ports,
    // so files may run side by side.
    fileParallelism: true,
    reporters: ['default'],
  },
});
