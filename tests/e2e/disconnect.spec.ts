/**
 * A real disconnect: the server process is stopped (not setOffline, which keeps sockets open), both
 * contexts edit, the server restarts on the same port: both converge, nothing is lost, and the sync
 * chip goes from "N changes waiting" to saved.
 */
import { test, expect, signIn, newContext, ownServer } from './fixtures';

test('edits made in two contexts while the server is down converge after it restarts', async ({ browser }) => {
  const srv = await ownServer();
  try {
    const ca = await newContext(browser, srv.url);
    const cb = await newContext(browser, srv.url);
    const a = await ca.newPage();
    const b = await cb.newPage();
    await signIn(a, 'agency2');
    await signIn(b, 'agency2');
    await Promise.all([a.goto('/agency/plan/2027'), b.goto('/agency/plan/2027')]);
    const ia = a.getByTestId('plan-item');
    const ib = b.getByTestId('plan-item');
    await expect(ia.nth(2)).toBeVisible();
    await expect(ib.nth(2)).toBeVisible();
    await expect(a.getByTestId('sync-total')).toHaveAttribute('data-state', 'saved');
    await expect(b.getByTestId('sync-total')).toHaveAttribute('data-state', 'saved');
    const cap1 = await ia.nth(1).getByTestId('cap').inputValue();
    const capNew = cap1 === '5' ? '6' : '5';

    await srv.stop();
    await expect(a.getByTestId('sync-total')).toHaveAttribute('data-state', 'offline');
    await expect(b.getByTestId('sync-total')).toHaveAttribute('data-state', 'offline');

    // A: a note on item 0 and a month toggle on item 2; B: the cap of item 1 and a note on item 2
    await ia.nth(0).getByTestId('notes').fill('断网时甲的修改');
    await ia.nth(2).getByTestId('months').locator('button[data-month="12"]').click();
    const dec = await ia.nth(2).getByTestId('months').locator('button[data-month="12"]').getAttribute('aria-pressed');
    await ib.nth(1).getByTestId('cap').fill(capNew);
    await ib.nth(2).getByTestId('notes').fill('断网时乙的修改');
    await expect(a.getByTestId('sync-total')).toHaveAttribute('data-pending', /^[1-9]\d*$/);
    await expect(b.getByTestId('sync-total')).toHaveAttribute('data-pending', /^[1-9]\d*$/);
    await expect(a.getByTestId('sync-total')).toContainText('待上传');
    await expect(a.getByTestId('sync-doc')).toContainText('待上传');
    // neither sees the other's change yet
    await expect(ia.nth(1).getByTestId('cap')).toHaveValue(cap1);

    await srv.restart();
    for (const p of [a, b]) {
      const items = p.getByTestId('plan-item');
      await expect(items.nth(0).getByTestId('notes')).toHaveValue('断网时甲的修改', { timeout: 20_000 });
      await expect(items.nth(1).getByTestId('cap')).toHaveValue(capNew);
      await expect(items.nth(2).getByTestId('notes')).toHaveValue('断网时乙的修改');
      await expect(items.nth(2).getByTestId('months').locator('button[data-month="12"]')).toHaveAttribute('aria-pressed', dec!);
      await expect(p.getByTestId('sync-total')).toHaveAttribute('data-state', 'saved', { timeout: 20_000 });
      await expect(p.getByTestId('sync-total')).toHaveAttribute('data-pending', '0');
      await expect(p.getByTestId('sync-doc')).toHaveAttribute('data-state', 'saved');
    }

    // the server has it all: a fresh context (no local data) reads the merged plan
    const cc = await newContext(browser, srv.url);
    const c = await cc.newPage();
    await signIn(c, 'agency2');
    await c.goto('/agency/plan/2027');
    const ic = c.getByTestId('plan-item');
    await expect(ic.nth(0).getByTestId('notes')).toHaveValue('断网时甲的修改');
    await expect(ic.nth(1).getByTestId('cap')).toHaveValue(capNew);
    await expect(ic.nth(2).getByTestId('notes')).toHaveValue('断网时乙的修改');
    await Promise.all([ca.close(), cb.close(), cc.close()]);
  } finally {
    await srv.cleanup();
  }
});
