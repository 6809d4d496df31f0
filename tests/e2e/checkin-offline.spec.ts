/**
 * Offline check-in (DESIGN §6 step 4): the inspector's phone has synced its documents, then the
 * server stops (a real drop, not setOffline). The inspector composes the team, scans the enterprise's
 * code with the camera (Chromium fake capture) and the entry is written at once on the phone; the sync
 * chip shows it waiting. The server restarts: the entry reaches the enterprise, which was watching.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, signIn, ownServer, SHOTS, newContext } from './fixtures';
import { camDir, launchWithCamera, phoneContext, realCode } from './checkin-helpers';
import { ENTERPRISE1_USCC } from '../../server/seed/constants';

test.afterAll(() => fs.rmSync(camDir, { recursive: true, force: true }));
test.use({ actionTimeout: 15_000 });

test('a check-in made with the server down waits on the phone and reaches the enterprise once it is back', async () => {
  test.setTimeout(120_000);
  const srv = await ownServer();
  const browser = await launchWithCamera((await realCode(srv.url, ENTERPRISE1_USCC)).qrText);
  try {
    // the enterprise watches its ledger
    const ent = await (await newContext(browser, srv.url, { width: 1000, height: 900 })).newPage();
    await signIn(ent, 'enterprise1');
    const records = ent.getByTestId('ledger').getByTestId('ledger-record');
    await expect(records.first()).toBeVisible();
    const before = await records.count();

    // the inspector opens today's task while online: documents, keys and the enterprise profile are on the phone
    const page = await (await phoneContext(browser, srv.url)).newPage();
    await signIn(page, 'inspector1');
    await page
      .getByTestId('tasks-today')
      .getByTestId('task-card')
      .filter({ hasText: '晋味轩' })
      .filter({ hasText: '计划检查' })
      .first()
      .getByTestId('task-open')
      .click();
    await expect(page.getByTestId('checkin-task')).toContainText(ENTERPRISE1_USCC);
    await expect(page.getByTestId('verdicts').locator('li').first()).toBeVisible();
    await expect(page.getByTestId('sync-total')).toHaveAttribute('data-state', 'saved');

    await srv.stop();
    await expect(page.getByTestId('sync-total')).toHaveAttribute('data-state', 'offline');
    await page.getByTestId('second-inspector').selectOption('insp-city-market-2');
    await expect(page.getByTestId('team-member')).toHaveCount(2);
    await expect(page.getByTestId('blocked')).toHaveCount(0);
    await page.getByTestId('conduct-ack').check();
    await page.getByTestId('scan-start').click();
    await expect(page.getByTestId('entered')).toBeVisible({ timeout: 20_000 });
    // the entry waits on the phone, and the chip says so
    await expect(page.getByTestId('sync-total')).toHaveAttribute('data-pending', /^[1-9]\d*$/);
    await expect(page.getByTestId('sync-total')).toContainText('待上传');
    await page.screenshot({ path: path.join(SHOTS, 'checkin-offline-waiting.png') });
    expect(await records.count()).toBe(before);

    await srv.restart();
    await expect(records).toHaveCount(before + 1, { timeout: 30_000 });
    await expect(records.first().getByTestId('entry-team')).toContainText('（');
    await expect(page.getByTestId('sync-total')).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
    await expect(page.getByTestId('sync-total')).toHaveAttribute('data-pending', '0');
  } finally {
    await browser.close();
    await srv.cleanup();
  }
});
