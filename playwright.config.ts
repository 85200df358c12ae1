import { defineConfig } from '@playwright/test';

/**
 * Browser journeys (e2e/*.spec.ts) against the production build: the global setup starts
 * `node server.mjs` from NEXT_DIST_DIR (default .next) with a fresh SQLite database and
 * creates the test accounts. Build first, e.g.
 *   NEXT_DIST_DIR=.next-e2e npx next build && NEXT_DIST_DIR=.next-e2e npx playwright test
 * Chromium is the system one (/usr/bin/chromium): browsers are never downloaded.
 */
export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  // Two workers share one server; the machine has two cores.
  workers: Number(process.env.E2E_WORKERS ?? 2),
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // Generous: CI shares a 2-vCPU VM whose host at times takes a third or more of its CPU time
  // (steal); long journeys (five wrong codes, then an accessibility scan) then ran past 60 s with
  // every page right. The limits catch hangs; they say nothing about speed (bench/ does).
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    // Accept-Language; journeys that need another language set it per describe block.
    locale: 'en-US',
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
