/**
 * The installed app reopens offline: once the service worker is active, the server is stopped and the
 * context goes offline; a reload (and a deep link) still shows the last synced plan from IndexedDB.
 */
import path from 'node:path';
import { test, expect, signIn, newContext, ownServer, SHOTS } from './fixtures';

test('offline reload shows the last synced plan', async ({ browser }) => {
  const srv = await ownServer();
  try {
    const ctx = await newContext(browser, srv.url, { width: 360, height: 740 });
    const page = await ctx.newPage();
    await signIn(page, 'agency1');
    await page.goto('/agency/plan/2027');
    const items = page.getByTestId('plan-item');
    await items.nth(0).getByTestId('notes').fill('离线前保存的备注');
    await expect(page.getByTestId('sync-total')).toHaveAttribute('data-state', 'saved');
    const count = await items.count();
    // the service worker is active (precached the app shell)
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const r = await navigator.serviceWorker.ready;
          return r.active?.state;
        }),
      )
      .toBe('activated');

    await srv.stop();
    await ctx.setOffline(true);
    await page.reload();
    await expect(page.getByTestId('role')).toHaveText('部门管理员');
    await expect(items.nth(0).getByTestId('notes')).toHaveValue('离线前保存的备注');
    await expect(items).toHaveCount(count);
    await expect(page.getByTestId('sync-total')).toHaveAttribute('data-state', 'offline');
    await expect(page.getByTestId('offline-notice')).toBeVisible();
    await page.screenshot({ path: path.join(SHOTS, 'plan-offline-360.png') });

    // a deep link opens offline too (navigation fallback), and other synced docs are there
    await page.goto('/agency');
    await expect(page.getByTestId('catalogue').locator('tbody tr').first()).toBeVisible();
    await expect(page.getByTestId('plan-card-2027')).toContainText('草稿');
    await ctx.close();
  } finally {
    await srv.cleanup();
  }
});
