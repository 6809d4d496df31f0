/**
 * 扫码入企 end to end with the camera: Chromium with fake video capture plays a file generated
 * from the seeded enterprise's real code (GET /api/enterprises/<uscc>/code). Inspector1 on a phone-sized
 * viewport opens today's task on enterprise1, composes the team, acknowledges the conduct rules, scans,
 * records a finding and checks out; enterprise1 sees the entry and the notice live and acknowledges it.
 * First, a forged code (signed with a fresh key) is refused and nothing is written.
 * Each run launches its own Chromium: the fake-camera file is a launch flag.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair, calculateJwkThumbprint } from 'jose';
import { openCose, signCoseEnt, type CoseEntFields } from '../../src/domain/cose-code';
import { test, expect, signIn, newContext, SHOTS } from './fixtures';
import { openTodaysTask, phoneContext } from './checkin-helpers';
import { fakeCameraArgs, makeFakeCameraFile } from '../helpers/fake-camera';
import { ENTERPRISE1_USCC } from '../../server/seed/constants';

const camDir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkin-e2e-'));
test.afterAll(() => fs.rmSync(camDir, { recursive: true, force: true }));
test.use({ actionTimeout: 15_000 });

async function apiToken(baseURL: string, username: string): Promise<string> {
  const r = await fetch(`${baseURL}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo1234' }),
  });
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
/** the real code's content signed with a key the platform never issued (EC1, like the real one) */
async function forgedCode(real: { qrText: string; token: string }): Promise<string> {
  const opened = openCose(real.token);
  if (!opened) throw new Error(`not an EC1 code: ${real.token.slice(0, 12)}…`);
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
  return real.qrText.replace(real.token, await signCoseEnt(opened.fields as CoseEntFields, privateKey as CryptoKey, kid));
}

async function launch(text: string): Promise<Browser> {
  const file = makeFakeCameraFile(text, { width: 360, height: 480, margin: 3, frames: 20, blankFrames: 3, modulePx: 4, dir: camDir });
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args: fakeCameraArgs(file) });
}

const ctx = (browser: Browser, baseURL: string, viewport: { width: number; height: number }) => phoneContext(browser, baseURL, viewport);

const prepare = openTodaysTask;

test('scan to check in: forged code refused, real code → entry, finding, notice, check-out; enterprise sees it live and acknowledges', async ({
  baseURL,
  browser,
}) => {
  test.setTimeout(90_000);
  const real = await realCode(baseURL);
  const forged = await forgedCode(real);

  // enterprise1 watches its ledger
  const entCtx = await newContext(browser, baseURL, { width: 1000, height: 900 });
  try {
    const ent = await entCtx.newPage();
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
      await expect(page.getByTestId('scan-error')).toContainText(/签名|伪造/, { timeout: 20_000 }); // a cold browser's first decode can be slow
      await expect(page.getByTestId('entered')).toHaveCount(0);
      await page.waitForTimeout(500); // let a (wrong) write reach the enterprise, were there one
      expect(await ent.getByTestId('ledger-record').count()).toBe(before);
    } finally {
      await b1.close();
    }

    // 2. the real code
    const b2 = await launch(real.qrText);
    try {
      const page = await (await ctx(b2, baseURL, { width: 360, height: 740 })).newPage();
      await prepare(page);
      await page.screenshot({ path: path.join(SHOTS, 'checkin-prepare.png'), fullPage: true });
      await page.getByTestId('scan-start').click();
      await expect(page.getByTestId('entered')).toBeVisible({ timeout: 20_000 });
      // the WebAssembly decoder loaded from our own assets under our CSP (no native BarcodeDetector here)
      await expect(page.getByTestId('entered')).toHaveAttribute('data-decoder', 'zxing-wasm');
      // the enterprise sees the entry live, with the team's certificates
      await expect(ent.getByTestId('ledger-record')).toHaveCount(before + 1);
      const entry = ent.getByTestId('ledger-record').first();
      await expect(entry.getByTestId('entry-team')).toContainText('（');

      await page.getByTestId('finding-desc').fill('从业人员健康证明未在经营场所公示');
      await page.getByTestId('finding-code').fill('SJ-01-V1');
      // on the agency's 首违不罚 list, and enterprise1 has no earlier finding of this kind
      await expect(page.getByTestId('flex-suggestion')).toContainText('首违不罚');
      await page.getByTestId('finding-add').click();
      await expect(page.getByTestId('findings').locator('li')).toHaveCount(1);
      await page.getByTestId('outcome-rectify').check();
      await page.getByTestId('rectify-by').fill('2026-12-10');
      await expect(page.getByTestId('notice-text')).toHaveValue(/从业人员健康证明未在经营场所公示/);
      await expect(page.getByTestId('notice-text')).toHaveValue(/2026-12-10/);
      await page.screenshot({ path: path.join(SHOTS, 'checkin-inspect.png'), fullPage: true });
      await page.getByTestId('checkout').click();
      await expect(page.getByTestId('checked-out')).toBeVisible();
      // one device key for the user: private part non-extractable, public part registered with the server
      const keys = await page.evaluate(
        () =>
          new Promise<{ registered: boolean; extractable: boolean }[]>((resolve) => {
            const r = indexedDB.open('eicp-device');
            r.onsuccess = () => {
              const g = r.result.transaction('keys').objectStore('keys').getAll();
              g.onsuccess = () =>
                resolve(
                  g.result.map((k: { registered: boolean; privateKey: CryptoKey }) => ({ registered: k.registered, extractable: k.privateKey.extractable })),
                );
            };
          }),
      );
      expect(keys).toEqual([{ registered: true, extractable: false }]);

      // the notice appears live for the enterprise, which acknowledges it
      await expect(entry.getByTestId('result-notice')).toContainText('从业人员健康证明未在经营场所公示');
      await entry.getByTestId('ack').click();
      await expect(entry.getByTestId('acked')).toBeVisible();
      await ent.screenshot({ path: path.join(SHOTS, 'enterprise-live.png') });
    } finally {
      await b2.close();
    }
  } finally {
    await entCtx.close();
  }
});

test('the public page /c verifies the code without sign-in; the enterprise prints its poster', async ({ baseURL, browser }) => {
  const real = await realCode(baseURL);
  const c = await newContext(browser, baseURL, { width: 390, height: 800 });
  try {
    const page = await c.newPage();
    await page.goto(`/c#${real.token}`);
    await expect(page.getByTestId('public-valid')).toContainText('晋味轩');
    await expect(page.getByTestId('public-valid')).toContainText(ENTERPRISE1_USCC);
    await page.goto('/'); // a new document: the hash alone would not reload
    await page.goto(`/c#${await forgedCode(real)}`);
    await expect(page.getByTestId('public-invalid')).toBeVisible();

    await signIn(page, 'enterprise1');
    await page.getByTestId('poster-open').click();
    const poster = page.getByTestId('poster');
    await expect(poster).toContainText('晋味轩');
    await expect(poster).toContainText(ENTERPRISE1_USCC);
    await expect(poster).toContainText('12345');
    await expect(poster.locator('svg')).toBeVisible();
    await page.emulateMedia({ media: 'print' });
    const mm = await poster.locator('.poster-qr svg').evaluate((el) => el.getBoundingClientRect().width / (96 / 25.4));
    expect(mm).toBeGreaterThanOrEqual(40);
  } finally {
    await c.close();
  }
});
