import { defineConfig } from '@playwright/test';

/** Scratch e2e for the scanner only: `npx playwright test -c tests/e2e-scan`. Each test launches its own
 * Chromium (the fake-camera file is a launch flag), so there is no shared `use.launchOptions`. */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../../test-results/e2e-scan',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  reporter: [['list']],
});
