/** Shared fixtures: baseURL from the global server, sign-in helper, a private server for specs that stop it. */
import { test as base, expect, type Page, type BrowserContext, type Browser } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnServer, ROOT, type SpawnedServer } from '../helpers/spawn-server';

export const SHOTS = path.join(ROOT, 'test-results', 'screenshots');

export const test = base.extend<{ baseURL: string }>({
  baseURL: async ({}, use) => { await use(process.env.E2E_BASE_URL!); },
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
    async cleanup() { await srv.stop(); fs.rmSync(dataDir, { recursive: true, force: true }); },
  });
}

export async function newContext(browser: Browser, baseURL: string, viewport = { width: 1100, height: 900 }): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
}
