/**
 * The certificate registry and the city policy in the browser (demo mode, a server of the spec's own):
 * supervisor1 issues a certificate, revokes another with a reason and sees the clean-up list; then schedules
 * a policy change for tomorrow and one from today with new conduct-rule wording (one rule edited, one added).
 * inspector1's check-in screen shows today's wording, the audit trail every step.
 */
import { test, expect, signIn, newContext, ownServer } from './fixtures';
import type { SpawnedServer } from '../helpers/spawn-server';

const TODAY = '2026-11-25'; // E2E_NOW
const TOMORROW = '2026-11-26';

test.describe('the registry and the policy', () => {
  let srv: SpawnedServer & { cleanup(): Promise<void> };
  test.beforeAll(async () => {
    srv = await ownServer();
  });
  test.afterAll(async () => {
    await srv?.cleanup();
  });

  test('supervisor1 issues and revokes certificates, then schedules policy changes the check-in shows on their day', async ({ browser }) => {
    test.setTimeout(120_000);
    const ctx = await newContext(browser, srv.url);
    const page = await ctx.newPage();
    await signIn(page, 'supervisor1');

    // issue
    await page.goto('/admin/certificates');
    const issue = page.getByTestId('cert-issue');
    await issue.getByTestId('cert-number').fill('SX-E2E-0001');
    await issue.getByTestId('cert-inspector').fill('insp-city-market-3');
    await issue.getByTestId('cert-issued').fill(TODAY);
    await issue.getByTestId('cert-expires').fill('2031-11-24');
    await issue.getByTestId('cert-submit').click();
    await expect(page.getByTestId('cert-issued-ok')).toContainText('SX-E2E-0001');
    // a taken number: a bilingual error in place, nothing lost
    await issue.getByTestId('cert-number').fill('SX-E2E-0001');
    await issue.getByTestId('cert-inspector').fill('insp-city-market-4');
    await issue.getByTestId('cert-submit').click();
    await expect(issue.getByRole('alert')).toContainText('SX-E2E-0001');

    // revoke one, with a reason
    await page.getByTestId('cert-search').fill('insp-city-transport-1');
    await page.getByTestId('cert-search-go').click();
    const row = page.getByTestId('cert-row').first();
    await expect(row).toHaveAttribute('data-status', 'valid');
    const number = await row.getAttribute('data-number');
    await row.getByTestId('cert-revoke').click();
    await expect(row.getByTestId('cert-confirm')).toBeDisabled();
    await row.getByTestId('cert-reason').fill('调离执法岗位');
    await row.getByTestId('cert-confirm').click();
    await expect(page.locator(`[data-testid="cert-row"][data-number="${number}"]`)).toHaveAttribute('data-status', 'revoked');

    // the clean-up lists the expired and expiring certificates
    const cleanup = page.getByTestId('cert-cleanup');
    await expect(cleanup.getByTestId('cleanup-row').first()).toBeVisible();
    await expect(cleanup.getByTestId('cleanup-confirm')).toBeDisabled();
    await expect(page.getByTestId('cert-import')).toBeVisible();

    // a policy change for tomorrow: cap 3, hotline, one rule reworded, one added
    await page.goto('/admin/policy');
    await page.getByTestId('policy-effective').fill(TOMORROW);
    await page.getByTestId('policy-cap').fill('3');
    await page.getByTestId('policy-hotline').fill('0353-12345');
    await page.getByTestId('policy-rule').first().getByTestId('policy-rule-text').fill('严禁未经扫码入企实施任何现场检查（明日起）');
    await page.getByTestId('policy-rule-add').click();
    await page.getByTestId('policy-rule').last().getByTestId('policy-rule-text').fill('不得在企业安静期内无故实施计划检查');
    await page.getByTestId('policy-save').click();
    await expect(page.getByTestId('policy-saved')).toContainText(TOMORROW);
    await expect(page.locator(`[data-testid="policy-change"][data-effective="${TOMORROW}"]`)).toBeVisible();

    // a past date is refused in place (the date field's own check; the server refuses it too)
    await page.getByTestId('policy-effective').fill('2026-11-01');
    await page.getByTestId('policy-save').click();
    expect(await page.getByTestId('policy-effective').evaluate((e) => (e as HTMLInputElement).validity.rangeUnderflow)).toBe(true);
    await expect(page.locator('[data-testid="policy-change"][data-effective="2026-11-01"]')).toHaveCount(0);

    // and one from today with its own wording: in force at once
    await page.getByTestId('policy-effective').fill(TODAY);
    await page.getByTestId('policy-rule').first().getByTestId('policy-rule-text').fill('严禁未经扫码入企实施现场检查（今日起施行）');
    await page.getByTestId('policy-save').click();
    await expect(page.getByTestId('policy-saved')).toContainText(TODAY);
    await expect(page.getByTestId('policy-current')).toContainText(TODAY);

    // the audit trail shows each step
    await page.goto('/admin/audit');
    await expect(page.getByTestId('audit-table')).toContainText('certificate.revoke');
    await expect(page.getByTestId('audit-table')).toContainText('policy.schedule');
    await ctx.close();

    // inspector1's check-in shows the wording in force today (not tomorrow's)
    const ictx = await newContext(browser, srv.url, { width: 360, height: 740 });
    const ipage = await ictx.newPage();
    await signIn(ipage, 'inspector1');
    await ipage.getByTestId('tasks-today').getByTestId('task-card').filter({ hasText: '晋味轩' }).first().getByTestId('task-open').click();
    await expect(ipage.getByTestId('conduct-rule').first()).toContainText('今日起施行');
    await expect(ipage.getByTestId('conduct-rule').filter({ hasText: '明日起' })).toHaveCount(0);
    await ictx.close();
  });

  test('both pages fit a 360 px phone', async ({ browser }) => {
    const ctx = await newContext(browser, srv.url, { width: 360, height: 740 });
    const page = await ctx.newPage();
    await signIn(page, 'supervisor1');
    for (const [path, id] of [
      ['/admin/certificates', 'cert-row'],
      ['/admin/policy', 'policy-rule'],
    ]) {
      await page.goto(path);
      await expect(page.getByTestId(id).first()).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), path).toBeLessThanOrEqual(0);
    }
    await ctx.close();
  });
});
