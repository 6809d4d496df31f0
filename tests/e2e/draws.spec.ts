/**
 * 双随机一公开 end to end, on a server of its own (fresh DATA_DIR, demo seed, CLOCK_NOW = E2E_NOW):
 *  1. agency1 draws from a sampling item of its filed 2026 plan that runs in November, with ratios high enough
 *     that every inspector of the pool gets a task; agency1 commits with the page's secret, the justice bureau
 *     (supervisor1) with one made off the platform (it submits the commitment, pastes the secret to reveal); the
 *     agency's page turns to "revealing" live, both reveal, the draw is made;
 *  2. enterprise1 cannot read the draw (403 on the draw and its population; the public detail has no picks);
 *  3. inspector1 finds the drawn task today on a phone, checks in by scanning the enterprise's code with
 *     Chromium's fake camera and records "no problem";
 *  4. a visitor sees that result on the public page before the draw is published;
 *  5. the server restarts on the same DATA_DIR after the window (2026-11-30): the draw is published, the
 *     visitor verifies it in the browser, and a tampered input fails verification;
 *  6. the agency's draws page, the draw page and the public page fit 360 px in Chinese and English.
 */
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import type { Page } from '@playwright/test';
import { test, expect, newContext, signIn, SHOTS } from './fixtures';
import { apiToken, camDir, launchWithCamera, phoneContext, realCode } from './checkin-helpers';
import { spawnServer, ROOT, type SpawnedServer } from '../helpers/spawn-server';
import { E2E_NOW } from '../helpers/moments';
import { DrawDetail, PublicDraw } from '../../src/protocol/draws';
import { commitmentOf, newSecret } from '../../src/domain/draw';

const STATIC_DIR = process.env.E2E_DIST ?? path.join(ROOT, 'dist');
/** after the draw's window: the draw is published */
const LATER = '2026-11-30T10:00:00+08:00';
const FROM = '2026-11-25';
const TO = '2026-11-27';

test.afterAll(() => fs.rmSync(camDir, { recursive: true, force: true }));
test.use({ actionTimeout: 15_000 });

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** the first sampling item on the page whose months include November; its plan item id */
async function novemberItem(page: Page): Promise<string> {
  const items = page.getByTestId('draw-item');
  await expect(items.first()).toBeVisible();
  for (const item of await items.all()) {
    // "… · 月份：4、6、11": the months after the ratio
    const months = ((await item.locator('p').first().textContent()) ?? '').split('·').pop() ?? '';
    if (/(^|\D)11(\D|$)/.test(months)) return (await item.getAttribute('data-plan-item-id'))!;
  }
  throw new Error('no sampling item of the filed 2026 plan runs in November');
}

test('a draw: made by two parties, inspected by scanning, its result public, verified by a visitor, tampering caught', async ({ browser }) => {
  test.setTimeout(180_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eicp-e2e-draws-'));
  // the same object on restart: CLOCK_NOW moves past the window there
  const env: Record<string, string> = { STATIC_DIR, CLOCK_NOW: E2E_NOW, LOGIN_MAX_FAILS_IP: '1000' };
  const srv: SpawnedServer = await spawnServer({ dataDir, env });
  const url = srv.url;
  try {
    // 1. agency1 sets up the draw from its sampling item of November
    const agencyCtx = await newContext(browser, url);
    const agency = await agencyCtx.newPage();
    await signIn(agency, 'agency1');
    await agency.goto('/agency/draws');
    const planItemId = await novemberItem(agency);
    await agency.locator(`[data-testid="draw-start"][data-plan-item-id="${planItemId}"]`).click();
    await agency.getByTestId('draw-from').fill(FROM);
    await agency.getByTestId('draw-to').fill(TO);
    const panel = agency.getByTestId('draw-preview-panel');
    let pool = 0;
    let selected = 0;
    // ratios high enough that the draw picks at least as many enterprises as the pool has inspectors
    for (const pct of ['2', '5', '10', '20', '50', '100']) {
      for (const c of ['A', 'B', 'C', 'D']) await agency.getByTestId(`draw-ratio-${c}`).fill(pct);
      await agency.getByTestId('draw-preview').click();
      await expect(panel).toBeVisible();
      const names = (await panel.getByTestId('preview-team').locator('.draw-names').textContent()) ?? '';
      pool = names.split('、').filter(Boolean).length;
      selected = Number(await panel.getByTestId('preview-selected').textContent());
      if (selected >= pool) break;
    }
    expect(pool).toBeGreaterThanOrEqual(2);
    expect(selected).toBeGreaterThanOrEqual(pool);
    await agency.getByTestId('draw-create').click();
    await expect(agency).toHaveURL(/\/draws\/[^/]+$/);
    const drawId = decodeURIComponent(new URL(agency.url()).pathname.split('/').pop()!);
    await expect(agency.getByTestId('draw-status')).toHaveAttribute('data-status', 'committing');

    // both parties commit; the agency's page follows the justice bureau's commitment live
    await agency.getByTestId('draw-commit').click();
    await expect(agency.getByTestId('draw-secret-backup')).toBeVisible();
    const supCtx = await newContext(browser, url);
    const sup = await supCtx.newPage();
    await signIn(sup, 'supervisor1');
    await sup.goto('/supervisor/draws');
    await sup.locator(`[data-testid="draw-row"][data-draw-id="${drawId}"] a`).first().click();
    await expect(sup).toHaveURL(new RegExp(`/draws/${encodeURIComponent(drawId)}$`));
    // the justice bureau makes its secret off the platform and submits only the commitment
    const paramsHash = (await sup.getByTestId('draw-params-hash').getAttribute('data-value'))!;
    const justice = (await sup.locator('[data-testid="draw-commit"]').getAttribute('data-party'))!;
    const ownSecret = newSecret();
    await sup.locator('.draw-external summary').click();
    await sup.getByTestId('draw-external-commitment').fill(commitmentOf(paramsHash, justice, ownSecret));
    await sup.getByTestId('draw-external-commit').click();
    await expect(agency.getByTestId('draw-status')).toHaveAttribute('data-status', 'revealing');
    await agency.getByTestId('draw-reveal').click();
    await expect(sup.getByTestId('draw-status')).toHaveAttribute('data-status', 'revealing');
    // no secret kept on this device: the bureau pastes its own
    await sup.getByTestId('draw-secret-input').fill(ownSecret);
    await sup.getByTestId('draw-reveal').click();
    await expect(agency.getByTestId('draw-status')).toHaveAttribute('data-status', 'drawn');
    await expect(agency.getByTestId('draw-pick')).toHaveCount(selected);

    // the pick inspector1 goes to, and its task
    const detail = DrawDetail.parse(
      await (await fetch(`${url}/api/draws/${encodeURIComponent(drawId)}`, { headers: { authorization: `Bearer ${await apiToken(url, 'agency1')}` } })).json(),
    );
    const pick = detail.picks!.find((p) => p.teams['city-market']?.includes('insp-city-market-1'));
    expect(pick, 'inspector1 goes to one of the picks').toBeTruthy();
    const task = detail.tasks.find((t) => t.uscc === pick!.uscc && t.taskId);
    expect(task, 'the draw made a task for that pick').toBeTruthy();

    // 2. enterprise1 cannot read the draw
    const entToken = await apiToken(url, 'enterprise1');
    for (const p of [`/api/draws/${encodeURIComponent(drawId)}`, `/api/draws/${encodeURIComponent(drawId)}/population`]) {
      expect((await fetch(`${url}${p}`, { headers: { authorization: `Bearer ${entToken}` } })).status, p).toBe(403);
    }
    const early = PublicDraw.parse(await (await fetch(`${url}/api/public/draws/${encodeURIComponent(drawId)}`)).json());
    expect(early.picks).toBeUndefined();
    expect(early.resultText).toBeUndefined();
    expect(early.statement).toBeUndefined();
    expect(early.reveals).toBeUndefined();
    expect((await fetch(`${url}/api/public/draws/${encodeURIComponent(drawId)}/population`)).status).toBe(404);
    const entCtx = await newContext(browser, url);
    const ent = await entCtx.newPage();
    await signIn(ent, 'enterprise1');
    await expect(ent.getByTestId('enterprise-qr').locator('svg')).toBeVisible();
    await expect(ent.locator('main')).not.toContainText(detail.draw.title);
    await expect(ent.locator('[data-testid^="draw-"]')).toHaveCount(0);
    await entCtx.close();

    // 3. inspector1 finds the drawn task today, scans the enterprise's code, records "no problem"
    const code = await realCode(url, pick!.uscc);
    const cam = await launchWithCamera(code.qrText);
    try {
      const phone = await (await phoneContext(cam, url)).newPage();
      await signIn(phone, 'inspector1');
      const card = phone
        .getByTestId('tasks-today')
        .getByTestId('task-card')
        .filter({ hasText: pick!.name })
        .filter({ hasText: `${FROM} – ${TO}` });
      await expect(card).toHaveCount(1);
      await card.getByTestId('task-open').click();
      await expect(phone).toHaveURL(new RegExp(encodeURIComponent(task!.taskId!)));
      await expect(phone.getByTestId('checkin-task')).toContainText(pick!.uscc);
      await expect(phone.getByTestId('team-member')).toHaveCount(2);
      await expect(phone.getByTestId('blocked')).toHaveCount(0);
      await phone.getByTestId('conduct-ack').check();
      await phone.getByTestId('scan-start').click();
      await expect(phone.getByTestId('entered')).toHaveAttribute('data-via', 'scan', { timeout: 30_000 });
      await phone.getByTestId('outcome-no_problem').check();
      await phone.getByTestId('checkout').click();
      await expect(phone.getByTestId('checked-out')).toBeVisible();
    } finally {
      await cam.close();
    }

    // 4. a visitor sees the result before the draw is published
    const visitorCtx = await newContext(browser, url);
    const visitor = await visitorCtx.newPage();
    await visitor.goto('/public/draws');
    await visitor.locator(`[data-testid="public-draw-row"][data-draw-id="${drawId}"] a`).first().click();
    await expect(visitor).toHaveURL(new RegExp(`/public/draws/${encodeURIComponent(drawId)}$`));
    await expect(visitor.getByTestId('public-draw-status')).toHaveAttribute('data-status', 'drawn');
    await expect(visitor.getByTestId('public-draw-unpublished')).toBeVisible();
    await expect(visitor.getByTestId('draw-result-row').filter({ hasText: pick!.name })).toHaveCount(1, { timeout: 20_000 });
    await expect(visitor.getByTestId('draw-verify')).toHaveCount(0);

    // 5. after the window: published; the visitor verifies, then tampers
    await supCtx.close();
    env.CLOCK_NOW = LATER;
    await srv.restart();
    await visitorCtx.clock.setSystemTime(new Date(LATER));
    await visitor.reload();
    await expect(visitor.getByTestId('public-draw-status')).toHaveAttribute('data-status', 'published');
    await expect(visitor.getByTestId('draw-result-row').filter({ hasText: pick!.name })).toHaveCount(1);
    await visitor.getByTestId('draw-verify').click();
    const result = visitor.getByTestId('draw-verify-result');
    await expect(result).toHaveAttribute('data-ok', 'true', { timeout: 20_000 });
    const steps = visitor.getByTestId('verify-step');
    expect(await steps.count()).toBeGreaterThanOrEqual(4);
    for (const s of await steps.all()) await expect(s).toHaveAttribute('data-ok', 'true');
    const popInput = visitor.getByTestId('draw-input-population');
    const lines = (await popInput.inputValue()).split('\n');
    expect(lines.length).toBeGreaterThan(2);
    await popInput.fill([...lines.slice(0, 1), ...lines.slice(2)].join('\n'));
    await visitor.getByTestId('draw-verify').click();
    await expect(result).toHaveAttribute('data-ok', 'false', { timeout: 20_000 });
    await expect(visitor.locator('[data-testid="verify-step"][data-ok="false"]').first()).toBeVisible();

    // 6. the three pages at 360 px, in Chinese and English
    await agency.setViewportSize({ width: 360, height: 740 });
    await visitor.setViewportSize({ width: 360, height: 740 });
    for (const lang of ['zh', 'en']) {
      for (const [name, page, to, ready] of [
        ['agency', agency, '/agency/draws', 'draw-item'],
        ['draw', agency, `/draws/${encodeURIComponent(drawId)}`, 'draw-status'],
        ['public', visitor, `/public/draws/${encodeURIComponent(drawId)}`, 'public-draw-status'],
      ] as const) {
        await page.evaluate((l) => localStorage.setItem('eicp.lang', l), lang);
        await page.goto(to);
        await expect(page.getByTestId(ready).first()).toBeVisible();
        await expect(page.locator('html')).toHaveAttribute('lang', lang === 'zh' ? /^zh/ : /^en/);
        expect(await overflow(page), `${to} at 360 px (${lang})`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: path.join(SHOTS, `draws-${name}-360-${lang}.png`), fullPage: true });
      }
    }
    await agencyCtx.close();
    await visitorCtx.close();
  } finally {
    await srv.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
