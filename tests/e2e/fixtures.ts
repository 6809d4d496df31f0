/**
 * Shared fixtures: baseURL from the global server, sign-in helper, a private server for specs that stop it.
 * Every browser context runs on the same fixed clock as the servers (E2E_NOW, tests/helpers/moments.ts):
 * Playwright's clock starts there and runs, so "today" and "this year" are the same on any day.
 */
import { test as base, expect, type Page, type BrowserContext, type Browser } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnServer, ROOT, type SpawnedServer } from '../helpers/spawn-server';
import { E2E_NOW } from '../helpers/moments';

/** Start the context's clock at `at` (default E2E_NOW); `undefined` with `real: true` leaves the real clock. */
export async function fixClock<C extends BrowserContext>(ctx: C, at: string | null = E2E_NOW): Promise<C> {
  if (at) await ctx.clock.install({ time: new Date(at) });
  return ctx;
}

export const SHOTS = path.join(ROOT, 'test-results', 'screenshots');

export const test = base.extend<{ baseURL: string }>({
  baseURL: async ({}, use) => {
    await use(process.env.E2E_BASE_URL!);
  },
  context: async ({ context }, use) => {
    await use(await fixClock(context));
  },
});
export { expect };

export async function signIn(page: Page, username: string, password = 'demo1234'): Promise<void> {
  await page.goto('/login');
  await page.getByLabel(/用户名|User name/).fill(username);
  await page.getByLabel(/密码|Password/).fill(password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('role')).toBeVisible();
}

/** a server of the spec's own (it may be stopped and restarted on the same port) */
export async function ownServer(): Promise<SpawnedServer & { cleanup(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eicp-e2e-'));
  const srv = await spawnServer({ dataDir, env: { STATIC_DIR: process.env.E2E_DIST ?? path.join(ROOT, 'dist') } });
  return Object.assign(srv, {
    async cleanup() {
      await srv.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

/** a desktop (or `viewport`) context on the fixed clock (`at`: another moment; null: the real clock) */
export async function newContext(
  browser: Browser,
  baseURL: string,
  viewport = { width: 1100, height: 900 },
  at: string | null = E2E_NOW,
): Promise<BrowserContext> {
  return fixClock(await browser.newContext({ baseURL, viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' }), at);
}
