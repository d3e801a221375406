import { defineConfig } from 'vitest/config';

// Unit and integration tests run in Node (transformers.js and the proxy both
// need it); browser behaviour is covered by Playwright in e2e/.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'server/**/*.test.ts', 'cli/**/*.test.ts', 'models/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
