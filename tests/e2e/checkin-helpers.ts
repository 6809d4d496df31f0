/** Shared steps of the check-in specs: a Chromium whose fake camera shows a code, phone contexts, sign-in tokens. */
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, fixClock, signIn } from './fixtures';
import { ENTERPRISE1_USCC } from '../../server/seed/constants';
import { E2E_NOW } from '../helpers/moments';
import { fakeCameraArgs, makeFakeCameraFile } from '../helpers/fake-camera';

export const camDir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkin-e2e-'));

export const PHONE = { width: 360, height: 740 };

/** a demo account's sign-in answer (token and user id) */
export async function demoLogin(baseURL: string, username: string): Promise<{ token: string; userId: string }> {
  const r = await fetch(`${baseURL}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo1234' }),
  });
  expect(r.ok).toBe(true);
  return (await r.json()) as { token: string; userId: string };
}

export async function apiToken(baseURL: string, username: string): Promise<string> {
  return (await demoLogin(baseURL, username)).token;
}

/** the enterprise's real code as the platform signs it */
export async function realCode(baseURL: string, uscc: string): Promise<{ qrText: string; token: string }> {
  const token = await apiToken(baseURL, 'inspector1');
  const r = await fetch(`${baseURL}/api/enterprises/${uscc}/code`, { headers: { authorization: `Bearer ${token}` } });
  expect(r.status).toBe(200);
  return r.json();
}

/** a Chromium whose camera plays `text` as a QR code (null: no camera flags); longer texts need smaller modules */
export async function launchWithCamera(
  text: string | null,
  o: { modulePx?: number; width?: number; height?: number; format?: 'mjpeg' | 'y4m'; errorCorrectionLevel?: 'L' | 'M' } = {},
): Promise<Browser> {
  const frames = o.format === 'y4m' ? 8 : 20;
  const args =
    text === null
      ? []
      : fakeCameraArgs(
          makeFakeCameraFile(text, {
            width: o.width ?? 360,
            height: o.height ?? 480,
            margin: 3,
            frames,
            blankFrames: 3,
            modulePx: o.modulePx ?? 4,
            format: o.format,
            errorCorrectionLevel: o.errorCorrectionLevel,
            dir: camDir,
          }),
        );
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args });
}

/** a phone context with camera permission, on the fixed clock (`at`: another moment; null: the real clock) */
export async function phoneContext(browser: Browser, baseURL: string, viewport = PHONE, at: string | null = E2E_NOW): Promise<BrowserContext> {
  return fixClock(
    await browser.newContext({
      baseURL,
      viewport,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      permissions: ['camera'],
      isMobile: viewport.width < 500,
      hasTouch: viewport.width < 500,
    }),
    at,
  );
}

/** inspector1 signs in, opens today's planned task at enterprise1 (晋味轩), composes the team and gets ready to scan */
export async function openTodaysTask(page: Page): Promise<void> {
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
