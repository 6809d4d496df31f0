/**
 * The enterprise import in the browser (demo mode, 360 px wide): supervisor1 chooses a GBK CSV with a bad row,
 * watches the check, sees the dry run (counts, the bad row with its line and reason, the download), applies it,
 * and finds the new enterprise in the directory search.
 */
import { test, expect, ownServer, newContext, signIn } from './fixtures';
import { csv, gbk, row, uscc, badCheck } from '../unit/server/import-fixtures';

test('supervisor1 imports a GBK CSV with a bad row: dry run, apply, then finds the enterprise', async ({ browser }) => {
  const srv = await ownServer();
  try {
    const ctx = await newContext(browser, srv.url, { width: 360, height: 800 });
    const page = await ctx.newPage();
    await signIn(page, 'supervisor1');
    await page.getByTestId('nav-enterprises').click();
    await expect(page.getByTestId('enterprise-row').first()).toBeVisible();

    const good = uscc(4242);
    const wrong = badCheck(uscc(4243));
    const file = gbk(csv([row(good, '阳泉市端到端测试餐饮有限公司'), row(wrong.bad, '校验码错误的公司')]));
    await page.getByTestId('import-file').setInputFiles({ name: '企业名录.csv', mimeType: 'text/csv', buffer: file });
    await page.getByTestId('import-check').click();

    const summary = page.getByTestId('import-summary');
    await expect(summary).toBeVisible();
    await expect(page.getByTestId('import-count-new')).toHaveText('1');
    await expect(page.getByTestId('import-count-changed')).toHaveText('0');
    await expect(page.getByTestId('import-count-unchanged')).toHaveText('0');
    await expect(page.getByTestId('import-count-invalid')).toHaveText('1');
    await summary.screenshot({ path: test.info().outputPath('dry-run-360.png') });
    const bad = page.getByTestId('import-invalid-row');
    await expect(bad).toHaveCount(1);
    await expect(bad).toHaveAttribute('data-line', '3');
    await expect(bad).toContainText(`应为“${wrong.right}”`);

    const download = page.waitForEvent('download');
    await page.getByTestId('import-errors-download').click();
    const d = await download;
    expect(d.suggestedFilename()).toMatch(/errors\.csv$/);

    await page.getByTestId('import-apply').click();
    await expect(page.getByTestId('import-done')).toBeVisible();

    await page.getByTestId('enterprise-search').fill('端到端测试');
    await expect(page.getByTestId('enterprise-row')).toHaveCount(1);
    await expect(page.getByTestId('enterprise-row')).toHaveAttribute('data-uscc', good);
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.screenshot({ path: test.info().outputPath('directory-desktop.png'), fullPage: true });
    await ctx.close();
  } finally {
    await srv.cleanup();
  }
});
