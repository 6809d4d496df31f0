/**
 * 扫码入企 end to end with the camera (issue 4): Chromium with fake video capture plays a file generated
 * from the seeded enterprise's real code (GET /api/enterprises/<uscc>/code). Inspector1 on a phone-sized
 * viewport opens today's task on enterprise1, composes the team, acknowledges the conduct rules, scans,
 * records a finding and checks out; enterprise1 sees the entry and the notice live and acknowledges it.
 * First, a forged code (signed with a fresh key) is refused and nothing is written.
 * Each run launches its own Chromium: the fake-camera file is a launch flag.
 */
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CompactSign, exportJWK, generateKeyPair, calculateJwkThumbprint } from 'jose';
import { test, expect, signIn } from './fixtures';
import { fakeCameraArgs, makeFakeCameraFile } from '../helpers/fake-camera';
import { ENTERPRISE1_USCC } from '../../server/seed/constants';

const camDir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkin-e2e-'));
test.afterAll(() => fs.rmSync(camDir, { recursive: true, force: true }));

async function apiToken(baseURL: string, username: string): Promise<string> {
  const r = await fetch(`${baseURL}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo1234' }) });
  expect(r.ok).toBe(true);
  return (await r.json()).token as string;
}

async function realCode(baseURL: string): Promise<{ qrText: string; token: string }> {
  const token = await apiToken(baseURL, 'inspector1');
  const r = await fetch(`${baseURL}/api/enterprises/${ENTERPRISE1_USCC}/code`, { headers: { authorization: `Bearer ${token}` } });
  expect(r.status).toBe(200);
  return r.json();
}

/** the same payload as the real code, signed by a key the platform never issued */
async function forgedCode(real: { qrText: string; token: string }): Promise<string> {
  const payload = Buffer.from(real.token.split('.')[1], 'base64url');
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
  const jws = await new CompactSign(payload).setProtectedHeader({ alg: 'ES256', kid }).sign(privateKey);
  return real.qrText.replace(real.token, jws);
}

async function launch(text: string): Promise<Browser> {
  const file = makeFakeCameraFile(text, { width: 480, height: 640, frames: 20, blankFrames: 3, modulePx: 4, dir: camDir });
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args: fakeCameraArgs(file) });
}

async function ctx(browser: Browser, baseURL: string, viewport: { width: number; height: number }): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', permissions: ['camera'], isMobile: viewport.width < 500, hasTouch: viewport.width < 500 });
}

/** inspector1 opens today's planned task on enterprise1 and gets ready to scan */
async function prepare(page: Page): Promise<void> {
  await signIn(page, 'inspector1');
  const card = page.getByTestId('tasks-today').getByTestId('task-card').filter({ hasText: '晋味轩' }).filter({ hasText: '计划检查' }).first();
  await card.getByTestId('task-open').click();
  await expect(page.getByTestId('checkin-task')).toContainText(ENTERPRISE1_USCC);
  await page.getByTestId('second-inspector').selectOption('insp-city-market-2');
  await expect(page.getByTestId('team-member')).toHaveCount(2);
  await expect(page.getByTestId('verdicts').locator('li').first()).toBeVisible();
  await expect(page.getByTestId('blocked')).toHaveCount(0);
  await expect(page.getByTestId('scan-start')).toBeDisabled(); // conduct rules not yet acknowledged
  await page.getByTestId('conduct-ack').check();
}

test('scan to check in: forged code refused, real code → entry, finding, notice, check-out; enterprise sees it live and acknowledges', async ({ baseURL }) => {
  test.setTimeout(90_000);
  const real = await realCode(baseURL);
  const forged = await forgedCode(real);

  // enterprise1 watches its ledger
  const entBrowser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args: fakeCameraArgs(makeFakeCameraFile('blank', { frames: 0, blankFrames: 2, dir: camDir })) });
  try {
    const ent = await (await ctx(entBrowser, baseURL, { width: 1000, height: 900 })).newPage();
    await signIn(ent, 'enterprise1');
    await expect(ent.getByTestId('enterprise-qr').locator('svg')).toBeVisible();
    await expect(ent.getByTestId('ledger').getByTestId('ledger-record').first()).toBeVisible();
    const before = await ent.getByTestId('ledger-record').count();

    // 1. forged code: refused, nothing written
    const b1 = await launch(forged);
    try {
      const page = await (await ctx(b1, baseURL, { width: 360, height: 740 })).newPage();
      await prepare(page);
      await page.getByTestId('scan-start').click();
      await expect(page.getByTestId('scan-error')).toContainText(/签名|伪造/);
      await expect(page.getByTestId('entered')).toHaveCount(0);
      await page.waitForTimeout(500); // let a (wrong) write reach the enterprise, were there one
      expect(await ent.getByTestId('ledger-record').count()).toBe(before);
    } finally { await b1.close(); }

    // 2. the real code
    const b2 = await launch(real.qrText);
    try {
      const page = await (await ctx(b2, baseURL, { width: 360, height: 740 })).newPage();
      await prepare(page);
      await page.getByTestId('scan-start').click();
      await expect(page.getByTestId('entered')).toBeVisible({ timeout: 20_000 });
      // the enterprise sees the entry live, with the team's certificates
      await expect(ent.getByTestId('ledger-record')).toHaveCount(before + 1);
      const entry = ent.getByTestId('ledger-record').first();
      await expect(entry.getByTestId('entry-team')).toContainText('（');

      await page.getByTestId('finding-desc').fill('后厨食品留样记录不全');
      await page.getByTestId('finding-code').fill('SP-001');
      await expect(page.getByTestId('flex-suggestion')).toBeVisible();
      await page.getByTestId('finding-add').click();
      await expect(page.getByTestId('findings').locator('li')).toHaveCount(1);
      await page.getByTestId('outcome-rectify').check();
      await page.getByTestId('rectify-by').fill('2026-12-10');
      await expect(page.getByTestId('notice-text')).toHaveValue(/后厨食品留样记录不全/);
      await expect(page.getByTestId('notice-text')).toHaveValue(/2026-12-10/);
      await page.getByTestId('checkout').click();
      await expect(page.getByTestId('checked-out')).toBeVisible();

      // the notice appears live for the enterprise, which acknowledges it
      await expect(entry.getByTestId('result-notice')).toContainText('后厨食品留样记录不全');
      await entry.getByTestId('ack').click();
      await expect(entry.getByTestId('acked')).toBeVisible();
    } finally { await b2.close(); }
  } finally { await entBrowser.close(); }
});
