/**
 * The scanner in Chromium with a fake camera: src/scan/scanner.ts (html5-qrcode, lazy) reads a code
 * signed by server/keys.ts from a generated .mjpeg/.y4m, and src/domain/codes.ts verifies it in the page.
 */
import { test, expect, type Browser, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openKeyStore, type KeyStore } from '../../server/codes/keys';
import { codeUrl } from '../../src/domain/codes';
import { usccCheckChar } from '../../src/domain/uscc';
import { encodeJpeg, makeFakeCameraFile, renderFrame } from '../helpers/fake-camera';
import { launchWithCamera, openHarness, startHarness, type Harness } from './harness';

const U17 = '91140302MA0K1A2B3';
const ENT = { uscc: U17 + usccCheckChar(U17), name: '阳泉市城区鑫达餐饮管理有限公司', division: '140302' };
const camDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-e2e-'));

let harness: Harness;
let keys: KeyStore;
let url: string;
test.beforeAll(async () => {
  harness = await startHarness();
  keys = await openKeyStore(path.join(camDir, 'data'));
  url = codeUrl('https://insp.yq.gov.cn', await keys.signEnterpriseCode(ENT));
});
test.afterAll(async () => {
  await harness.close();
  fs.rmSync(camDir, { recursive: true, force: true });
});

async function withCamera<T>(file: string, fn: (page: Page, browser: Browser) => Promise<T>): Promise<T> {
  const browser = await launchWithCamera(file);
  try {
    return await fn(await openHarness(browser, harness.url), browser);
  } finally {
    await browser.close();
  }
}

for (const format of ['mjpeg', 'y4m'] as const) {
  test(`reads and verifies a signed enterprise code from a fake ${format} camera, then stops`, async () => {
    const file = makeFakeCameraFile(url, {
      format,
      frames: format === 'y4m' ? 10 : 30,
      blankFrames: 5,
      modulePx: 4,
      noise: format === 'mjpeg' ? 6 : 0,
      rotateDeg: 8,
      dir: camDir,
    });
    await withCamera(file, async (page) => {
      const r = await page.evaluate((jwks) => window.harness.scanOnce(jwks), keys.jwks());
      expect(r.text).toBe(url);
      expect(r.verified).toMatchObject({ ok: true, kind: 'ent', payload: { uscc: ENT.uscc, name: ENT.name } });
      await expect.poll(() => page.evaluate(() => window.harness.state())).toBe('idle');
      // the camera is released after the first good read
      await expect
        .poll(() =>
          page.evaluate(
            () =>
              document.querySelectorAll('video').length === 0 ||
              [...document.querySelectorAll('video')].every((v) => !(v.srcObject as MediaStream | null)?.active),
          ),
        )
        .toBe(true);
      // Debian's Chromium has no native BarcodeDetector: zxing-cpp (WebAssembly) must have loaded in its place
      expect(r.decoder).toBe('zxing-wasm');
      console.log(`${format}: decoder ${r.decoder}`);
    });
  });
}

test('a forged code (unknown key) is read but refused by verification', async () => {
  const other = await openKeyStore(path.join(camDir, 'other'));
  const forged = codeUrl('https://insp.yq.gov.cn', await other.signEnterpriseCode(ENT));
  const file = makeFakeCameraFile(forged, { frames: 30, modulePx: 4, dir: camDir });
  await withCamera(file, async (page) => {
    const r = await page.evaluate((jwks) => window.harness.scanOnce(jwks), keys.jwks());
    expect(r.text).toBe(forged);
    expect(r.verified).toMatchObject({ ok: false, code: 'unknown_key' });
  });
});

test('start/stop calls that overlap are serialised, and hiding the page releases and resumes the camera', async () => {
  const file = makeFakeCameraFile('blank', { frames: 0, blankFrames: 30, dir: camDir });
  await withCamera(file, async (page) => {
    expect(await page.evaluate(() => window.harness.hammer())).toBe('running');
    // visibility: start on a camera without a code, hide → idle, show → running again
    await page.evaluate(async () => {
      const w = window as unknown as { __vis: DocumentVisibilityState };
      w.__vis = 'visible';
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => w.__vis });
      void window.harness.scanOnce({ keys: [] }, 60_000).catch(() => {});
    });
    await expect.poll(() => page.evaluate(() => window.harness.state())).toBe('running');
    await page.evaluate(() => {
      (window as unknown as { __vis: string }).__vis = 'hidden';
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await expect.poll(() => page.evaluate(() => window.harness.state())).toBe('idle');
    await page.evaluate(() => {
      (window as unknown as { __vis: string }).__vis = 'visible';
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await expect.poll(() => page.evaluate(() => window.harness.state())).toBe('running');
    await page.evaluate(() => window.harness.stop());
    expect(await page.evaluate(() => window.harness.state())).toBe('idle');
  });
});

test('"take a photo" fallback: scanFile reads a photo and reports a photo without a code', async () => {
  const file = makeFakeCameraFile('blank', { frames: 0, blankFrames: 30, dir: camDir });
  await withCamera(file, async (page) => {
    const photo = encodeJpeg(renderFrame(url, { width: 1280, height: 960, modulePx: 8, rotateDeg: 12, noise: 8 }), 80).toString('base64');
    const ok = await page.evaluate((b) => window.harness.scanFileB64(b), photo);
    expect(ok).toMatchObject({ ok: true, text: url });
    const none = await page.evaluate((b) => window.harness.scanFileB64(b), encodeJpeg(renderFrame(null), 80).toString('base64'));
    expect(none).toMatchObject({ ok: false, code: 'no_code_found' });
  });
});

test('"take a photo": a light-on-dark print is read (zxing-cpp tries the inverted image; jsQR is the second pass)', async () => {
  const file = makeFakeCameraFile('blank', { frames: 0, blankFrames: 30, dir: camDir });
  await withCamera(file, async (page) => {
    const img = renderFrame(url, { width: 1280, height: 960, modulePx: 8, rotateDeg: 5, noise: 4 });
    const inverted = { ...img, data: img.data.map((v) => 255 - v) };
    const r = await page.evaluate((b) => window.harness.scanFileB64(b), encodeJpeg(inverted, 85).toString('base64'));
    expect(r).toMatchObject({ ok: true, text: url });
  });
});
