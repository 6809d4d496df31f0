/**
 * Triggered inspections and late records (measures 3, 4 and 11) on a 360×740 phone:
 * 1. inspector1 starts a triggered inspection from the home page (a complaint with its 12345 reference),
 *    finds enterprise2 in the directory, picks an item; the task goes into the agency's task doc and the
 *    check-in opens with the trigger; the precheck does not block (the cap's exemption by trigger), and
 *    the camera scan of enterprise2's real code enters. enterprise2 sees the triggered entry live.
 * 2. A second triggered inspection is entered without a scan only as a late record (补录): not before a
 *    reason is given; the entry is marked late for the enterprise, with the reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, signIn, SHOTS, newContext } from './fixtures';
import { camDir, launchWithCamera, phoneContext, realCode } from './checkin-helpers';
import { ENTERPRISE2_USCC } from '../../server/seed/constants';

test.afterAll(() => fs.rmSync(camDir, { recursive: true, force: true }));
test.use({ actionTimeout: 15_000 });

/** from the inspector's home to the check-in page of a new triggered task on enterprise2 */
async function startTriggered(page: Page, kind: string, ref: string, shot?: string): Promise<void> {
  await page.goto('/inspector');
  await page.getByTestId('start-triggered').click();
  await expect(page.getByTestId('triggered-create')).toBeDisabled();
  await page.getByTestId(`trigger-${kind}`).check();
  await page.getByTestId('trigger-ref').fill(ref);
  await expect(page.getByTestId('trigger-note')).toContainText('年度检查频次上限');
  await page.getByTestId('ent-search').fill('康源食品');
  await page.getByTestId('ent-search-go').click();
  await page.getByTestId('ent-results').getByTestId('ent-result').filter({ hasText: ENTERPRISE2_USCC }).click();
  await expect(page.getByTestId('ent-chosen')).toContainText(ENTERPRISE2_USCC);
  // only items for food production (and those for every industry) are offered
  await expect(page.locator('[data-testid="trigger-item"][value="city-market.SJ-01"]')).toHaveCount(0);
  await page.locator('[data-testid="trigger-item"][value="city-market.SJ-02"]').check();
  if (shot) await page.screenshot({ path: path.join(SHOTS, shot), fullPage: true });
  await page.getByTestId('triggered-create').click();
  await expect(page.getByTestId('checkin-task')).toContainText(ENTERPRISE2_USCC);
  await expect(page.getByTestId('task-trigger')).toContainText(ref);
  await page.getByTestId('second-inspector').selectOption('insp-city-market-2');
  await expect(page.getByTestId('team-member')).toHaveCount(2);
  await expect(page.getByTestId('verdicts').locator('li').first()).toBeVisible();
  // a triggered inspection needs no filed plan, and the cap does not stop it
  await expect(page.getByTestId('verdicts').locator('li[data-code="plan.not_required"]')).toHaveCount(1);
  await expect(page.getByTestId('verdicts').locator('li[data-level="block"]')).toHaveCount(0);
  await expect(page.getByTestId('blocked')).toHaveCount(0);
  await page.getByTestId('conduct-ack').check();
}

test('a triggered inspection started on the phone, entered by scan; another entered only as a flagged late record', async ({ baseURL, browser }) => {
  test.setTimeout(120_000);
  const cam = await launchWithCamera((await realCode(baseURL, ENTERPRISE2_USCC)).qrText);
  const entCtx = await newContext(browser, baseURL, { width: 1000, height: 900 });
  try {
    const ent = await entCtx.newPage();
    await signIn(ent, 'enterprise2');
    const records = ent.getByTestId('ledger').getByTestId('ledger-record');
    await expect(ent.getByTestId('ledger-year')).toBeVisible();
    const before = await records.count();

    const page = await (await phoneContext(cam, baseURL)).newPage();
    await signIn(page, 'inspector1');

    // 1. a complaint-triggered inspection, entered by scanning enterprise2's code
    const ref1 = `12345-2026-1125-${Date.now() % 100000}`;
    await startTriggered(page, 'complaint', ref1, 'triggered-start.png');
    // the check code for the enterprise at the door, signed by the platform for this task and team
    await page.getByTestId('check-code-show').click();
    await expect(page.getByTestId('check-code-qr').locator('svg')).toBeVisible();
    await page.getByTestId('scan-start').click();
    await expect(page.getByTestId('entered')).toHaveAttribute('data-via', 'scan', { timeout: 20_000 });
    // other specs may write into enterprise2's ledger meanwhile (parallel workers share the server):
    // find this test's records by their entry ids
    const scannedId = await page.getByTestId('entered').getAttribute('data-entry');
    expect(scannedId).toBeTruthy();
    const scanned = ent.locator(`[data-testid="ledger-record"][data-entry="${scannedId}"]`);
    await expect(scanned).toHaveCount(1);
    expect(await records.count()).toBeGreaterThanOrEqual(before + 1);
    await expect(scanned.getByTestId('entry-kind')).toContainText('触发检查');
    await expect(scanned.getByTestId('entry-late')).toHaveCount(0);

    // 2. an enterprise request, no scan: a late record only with a reason
    await startTriggered(page, 'enterprise_request', `QY-${Date.now() % 100000}`);
    await page.getByTestId('late').locator('summary').click();
    await expect(page.getByTestId('late-submit')).toBeDisabled();
    await page.getByTestId('late-reason').fill('短');
    await expect(page.getByTestId('late-submit')).toBeDisabled();
    await page.getByTestId('late-reason').fill('企业二维码被油污遮挡无法识别，已告知企业重新打印');
    await page.screenshot({ path: path.join(SHOTS, 'checkin-late.png'), fullPage: true });
    await page.getByTestId('late-submit').click();
    await expect(page.getByTestId('entered')).toHaveAttribute('data-via', 'late');
    await expect(page.getByTestId('entered')).toContainText('补录');
    const lateId = await page.getByTestId('entered').getAttribute('data-entry');
    expect(lateId).toBeTruthy();
    expect(lateId).not.toBe(scannedId);
    const late = ent.locator(`[data-testid="ledger-record"][data-entry="${lateId}"]`);
    await expect(late).toHaveCount(1);
    await expect(late.getByTestId('entry-kind')).toContainText('企业申请');
    await expect(late.getByTestId('entry-late')).toContainText('油污遮挡');
  } finally {
    await entCtx.close();
    await cam.close();
  }
});
