/** Two browser contexts (agency1 twice) co-edit the 2027 plan live: edits, presence, field focus, validation, own undo. */
import path from 'node:path';
import type { Locator } from '@playwright/test';
import { test, expect, signIn, newContext, SHOTS } from './fixtures';

test("two sessions co-edit a plan: each sees the other's edits and presence; concurrent edits survive; undo is per user", async ({ browser, baseURL }) => {
  const ca = await newContext(browser, baseURL);
  const cb = await newContext(browser, baseURL);
  const a = await ca.newPage();
  const b = await cb.newPage();
  await signIn(a, 'agency1');
  await signIn(b, 'agency1');
  await Promise.all([a.goto('/agency/plan/2027'), b.goto('/agency/plan/2027')]);
  const ia = a.getByTestId('plan-item');
  const ib = b.getByTestId('plan-item');
  await expect(ia.nth(2)).toBeVisible();
  await expect(ib.nth(2)).toBeVisible();
  const n0 = await ia.count();
  await expect(a.getByTestId('read-only')).toHaveCount(0);

  // presence: both sessions are in the document
  await expect(a.getByTestId('presence-user')).toHaveCount(2);
  await expect(b.getByTestId('presence-user')).toHaveCount(2);

  // A edits the notes of item 0: B sees the text and that A is editing that field
  await ia.nth(0).getByTestId('notes').fill('甲：重点检查后厨');
  await expect(ib.nth(0).getByTestId('notes')).toHaveValue('甲：重点检查后厨');
  await expect(ib.nth(0).locator('[data-field="notes"]').getByTestId('field-presence')).toBeVisible();
  await expect(ib.nth(0).locator('[data-field="cap"]').getByTestId('field-presence')).toHaveCount(0);

  // concurrent edits of different items both survive
  const capBefore = await ia.nth(1).getByTestId('cap').inputValue();
  const capNew = capBefore === '3' ? '4' : '3';
  await Promise.all([ia.nth(1).getByTestId('cap').fill(capNew), ib.nth(2).getByTestId('notes').fill('乙：与卫健部门联合')]);
  await expect(ib.nth(1).getByTestId('cap')).toHaveValue(capNew);
  await expect(ia.nth(2).getByTestId('notes')).toHaveValue('乙：与卫健部门联合');
  await expect(ia.nth(1).getByTestId('cap')).toHaveValue(capNew);
  await expect(ib.nth(2).getByTestId('notes')).toHaveValue('乙：与卫健部门联合');

  // invalid values get an inline message and are not written
  await ia.nth(1).getByTestId('cap').fill('0');
  await expect(ia.nth(1).locator('[data-field="cap"]').getByTestId('field-error')).toHaveText(/不能小于 1/);
  await a.waitForTimeout(300);
  await expect(ib.nth(1).getByTestId('cap')).toHaveValue(capNew);
  await ia.nth(1).getByTestId('cap').fill(capNew);
  await expect(ia.nth(1).locator('[data-field="cap"]').getByTestId('field-error')).toHaveCount(0);
  // removing every month is refused with a message; the last month stays
  const months = ia.nth(1).getByTestId('months');
  const pressed = months.locator('button[aria-pressed="true"]');
  const k = await pressed.count();
  for (let i = 0; i < k; i++) await pressed.first().click();
  await expect(ia.nth(1).locator('[data-field="months"]').getByTestId('field-error')).toHaveText(/至少选择 1 项/);
  await expect(pressed).toHaveCount(1);

  // each user's undo reverts only their own changes: B undoes its note, A's note stays
  await b.getByTestId('undo').click();
  await expect(ia.nth(2).getByTestId('notes')).not.toHaveValue('乙：与卫健部门联合');
  await expect(ib.nth(0).getByTestId('notes')).toHaveValue('甲：重点检查后厨');
  await b.keyboard.press('Control+Shift+Z');
  await expect(ia.nth(2).getByTestId('notes')).toHaveValue('乙：与卫健部门联合');

  // add from the catalogue in A, remove in B. Plan cards render only near the viewport (content-visibility),
  // so a card scrolled into view can grow and push what is below it: scroll first, then click once it is
  // stable (click checks stability before its own scroll, not after)
  const settledClick = async (l: Locator) => {
    await l.scrollIntoViewIfNeeded();
    await l.click();
  };
  await settledClick(a.getByTestId('add-button'));
  await expect(a.getByTestId('add-item-error').or(a.locator('.add-item').getByTestId('field-error'))).toHaveText(/请先选择/);
  await a.getByTestId('add-select').selectOption({ index: 1 });
  await settledClick(a.getByTestId('add-button'));
  await expect(ib).toHaveCount(n0 + 1);
  await settledClick(ib.nth(n0).getByTestId('remove-item'));
  await expect(ia).toHaveCount(n0);

  await expect(a.getByTestId('sync-doc')).toHaveAttribute('data-state', 'saved');
  await expect(b.getByTestId('sync-doc')).toHaveAttribute('data-state', 'saved');

  await a.setViewportSize({ width: 360, height: 740 });
  await ia.nth(0).getByTestId('notes').focus();
  await b.setViewportSize({ width: 360, height: 740 });
  await b.evaluate(() => window.scrollTo(0, 0));
  await b.screenshot({ path: path.join(SHOTS, 'plan-editor-coedit-360.png') });
  await ca.close();
  await cb.close();
});

test('a supervisor reads a published plan read-only', async ({ page }) => {
  await signIn(page, 'supervisor1');
  await page.goto('/plan/city-market/2026');
  await expect(page.getByTestId('read-only')).toBeVisible();
  await expect(page.getByTestId('plan-item').first()).toBeVisible();
  await expect(page.getByTestId('plan-item').first().getByTestId('notes')).toBeDisabled();
  await expect(page.getByTestId('add-button')).toHaveCount(0);
});
