/**
 * Catalogue versions end to end (demo mode, a server of its own): agency1 edits an item of its catalogue
 * (检查事项清单), sees "unpublished changes", publishes version 2; the public catalogue page shows the new
 * name without signing in, and the inspecting bodies and handbooks pages answer too, at 360 px.
 */
import path from 'node:path';
import { test, expect, SHOTS, ownServer, newContext, signIn } from './fixtures';

test('agency1 edits an item and publishes; the public catalogue shows it without sign-in', async ({ browser }) => {
  const srv = await ownServer();
  try {
    const admin = await newContext(browser, srv.url);
    const page = await admin.newPage();
    await signIn(page, 'agency1');
    await page.goto('/agency/catalogue');
    const rows = page.getByTestId('catalogue-items').getByTestId('catalogue-item');
    await expect(rows.first()).toBeVisible();
    await expect(page.getByTestId('catalogue-up-to-date')).toBeVisible();
    await expect(page.getByTestId('catalogue-version')).toHaveCount(1);

    // edit the first item's name and legal basis
    await rows.first().getByTestId('item-edit').click();
    await expect(page.getByTestId('item-code')).not.toHaveValue('');
    const code = await page.getByTestId('item-code').inputValue();
    await page.getByTestId('item-name').fill('端到端修订的检查事项');
    await page.getByTestId('item-basis').fill('《中华人民共和国食品安全法》第一百一十条（修订）');
    await page.getByTestId('item-submit').click();
    await expect(rows.filter({ hasText: '端到端修订的检查事项' })).toHaveCount(1);
    await expect(page.getByTestId('catalogue-unpublished')).toBeVisible();

    // a new item with an empty name is refused with a message
    await page.getByTestId('item-code').fill('E2E-01');
    await page.getByTestId('item-submit').click();
    await expect(page.getByTestId('item-error')).toBeVisible();
    await page.getByTestId('item-code').fill('');

    await page.getByTestId('catalogue-publish').click();
    await expect(page.getByTestId('catalogue-published')).toContainText('2');
    await expect(page.getByTestId('catalogue-version')).toHaveCount(2);
    await expect(page.getByTestId('catalogue-up-to-date')).toBeVisible();
    await page.screenshot({ path: path.join(SHOTS, 'catalogue-editor.png'), fullPage: true });
    await admin.close();

    // the public, signed out, at 360 px
    const pub = await newContext(browser, srv.url, { width: 360, height: 740 });
    const p = await pub.newPage();
    await p.goto('/login');
    await p.getByTestId('public-catalogue-link').click();
    await expect(p).toHaveURL(/\/public\/catalogue/);
    await p.getByTestId('public-agency').selectOption('city-market');
    const item = p.getByTestId('public-item').filter({ hasText: code });
    await expect(item).toContainText('端到端修订的检查事项');
    await expect(item).toContainText('（修订）');
    await expect(p.getByTestId('public-version')).toContainText('2');
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await p.screenshot({ path: path.join(SHOTS, 'public-catalogue-360.png'), fullPage: true });

    await p.getByTestId('publink-bodies').click();
    await expect(p.getByTestId('public-body').first()).toBeVisible();
    await p.getByTestId('publink-handbooks').click();
    await p.getByTestId('public-industry').selectOption('catering');
    await expect(p.getByTestId('public-handbook').first()).toBeVisible();
    await pub.close();
  } finally {
    await srv.cleanup();
  }
});
