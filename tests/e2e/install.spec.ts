/** Installability (CDP Page.getInstallabilityErrors in a persistent context; incognito always reports in-incognito) and the manifest. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { test, expect } from './fixtures';
import { CHROMIUM, CHROMIUM_ARGS } from '../../playwright.config';

test('the app is installable and its manifest is Chinese-first', async ({ baseURL }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eicp-profile-'));
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, baseURL, locale: 'zh-CN' });
  try {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto('/login');
    await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
    await expect.poll(() => page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state)).toBe('activated');
    const cdp = await ctx.newCDPSession(page);
    let errors: unknown[] = [];
    await expect
      .poll(
        async () => {
          const r = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: unknown[] };
          errors = r.installabilityErrors;
          return errors.length;
        },
        { timeout: 15_000 },
      )
      .toBe(0);
    expect(errors).toEqual([]);

    const m = await page.evaluate(async () => (await fetch('/manifest.webmanifest')).json());
    expect(m).toMatchObject({ name: '涉企检查协同平台', short_name: '涉企检查', lang: 'zh-CN', display: 'standalone', start_url: '/' });
    const sizes = (m.icons as { sizes: string; purpose?: string }[]).map((i) => `${i.sizes}:${i.purpose ?? 'any'}`);
    expect(sizes).toEqual(expect.arrayContaining(['192x192:any', '512x512:any', '512x512:maskable']));
  } finally {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
