import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    environment: 'node',
    include: ['tests/integration/**/*.integration.test.ts'],
    globalSetup: ['tests/integration/global-setup.ts'],
    // Generous for a shared host with heavy steal: two tests that passed in one CI run ran past 30 s in the next. It catches hangs; bench/ measures speed.
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
