import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'connectors/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests share one Redis and one PostgreSQL; files isolate themselves by prefix/schema.
    fileParallelism: true,
    maxWorkers: 2,
    pool: 'forks',
  },
});
