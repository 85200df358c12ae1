import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

// Unit tests: beside the code, node environment. Integration tests (vitest.integration.config.ts)
// and browser journeys (e2e/, Playwright) have their own runners.
export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    environment: 'node',
    include: ['lib/**/*.test.ts', 'scripts/**/*.test.ts', 'app/**/*.test.ts', 'app/**/*.test.tsx'],
    exclude: [...configDefaults.exclude, 'e2e/**', '**/*.integration.test.ts'],
    // Real SQLite files, PostgreSQL scratch databases, argon2id and RSA key generation.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
