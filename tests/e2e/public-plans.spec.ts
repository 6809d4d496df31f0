/**
 * The public page of published annual plans (一公开): reached from the sign-in page without signing in,
 * lists the year's published plans from their filed snapshots, searchable by agency and item names,
 * in Chinese and in English; usable at 360 px.
 */
import path from 'node:path';
import { test, expect, SHOTS } from './fixtures';

test.use({ viewport: { width: 360, height: 740 } });

test('the public page shows published plans without sign-in, searchable, in zh and en', async ({ page }) => {
  await page.goto('/login');
  await page.getByTestId('public-plans-link').click();
  await expect(page).toHaveURL(/\/public\/plans/);
  await expect(page.getByTestId('role')).toHaveCount(0);

  await page.getByTestId('pp-year').selectOption('2026');
  const plans = page.getByTestId('public-plan');
  await expect(plans.first()).toBeVisible();
  const all = await plans.count();
  expect(all).toBeGreaterThanOrEqual(11); // twelve agencies, one still late with its plan (city-culture)
  const market = page.locator('[data-testid="public-plan"][data-room="plan/city-market/2026"]');
  await expect(market).toContainText('阳泉市市场监督管理局');
  await expect(market.getByTestId('public-item').first()).toBeVisible();
  await expect(market.getByTestId('public-cap')).toContainText('2');

  // search by agency name
  await page.getByTestId('pp-search').fill('应急');
  await expect(plans).not.toHaveCount(all);
  await expect(page.locator('[data-testid="public-plan"][data-room="plan/city-emergency/2026"]')).toBeVisible();
  await expect(market).toHaveCount(0);
  await expect(page).toHaveURL(/q=/);
  // search by an item name shown in a plan
  await page.getByTestId('pp-search').fill('');
  await expect(plans).toHaveCount(all);
  const firstItem = (await market.getByTestId('public-item').first().locator('td').first().innerText()).trim();
  const itemName = firstItem.split(/\s+/).slice(1).join(' ');
  await page.getByTestId('pp-search').fill(itemName);
  await expect(market).toBeVisible();
  await expect(plans).not.toHaveCount(all);
  await page.getByTestId('pp-search').fill('没有这个检查事项');
  await expect(page.getByTestId('pp-none')).toBeVisible();
  await page.getByTestId('pp-search').fill('');
  await expect(plans).toHaveCount(all);

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(SHOTS, 'public-plans-zh-360.png') });

  await page.getByTestId('lang-switch').click();
  await expect(page.locator('h1')).toHaveText('Published annual inspection plans');
  await expect(market).toContainText('Yangquan Administration for Market Regulation');
  await page.getByTestId('pp-search').fill('Emergency');
  await expect(page.locator('[data-testid="public-plan"][data-room="plan/city-emergency/2026"]')).toBeVisible();
  await expect(market).toHaveCount(0);
  await page.screenshot({ path: path.join(SHOTS, 'public-plans-en-360.png') });
});
