/**
 * Account administration in the browser (demo server of its own): supervisor1 creates an agency admin and reads
 * its one-time password, which signs in; agency1 adds an inspector (record and account) and sees its id; an
 * enterprise activates its account on the activation page at 360 px (the code issued through the API) and
 * lands on its home.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, signIn, newContext, ownServer, SHOTS } from './fixtures';
import { login } from '../helpers/spawn-server';
import { ENTERPRISE1_USCC, ENTERPRISE2_USCC } from '../../server/seed/constants';

type Srv = Awaited<ReturnType<typeof ownServer>>;
/** how far the page scrolls sideways (nothing, at 360 px) */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
let srv: Srv;
test.beforeAll(async () => {
  srv = await ownServer();
});
test.afterAll(async () => {
  await srv?.cleanup();
});

test('supervisor1 creates an agency admin; its one-time password signs in', async ({ browser }) => {
  const ctx = await newContext(browser, srv.url);
  const page = await ctx.newPage();
  await signIn(page, 'supervisor1');
  await page.goto('/admin/accounts');
  await expect(page.getByTestId('account-row').first()).toBeVisible();
  const form = page.getByTestId('account-create');
  await form.getByTestId('account-role').selectOption('agency');
  await form.getByTestId('account-username').fill('market-admin-e2e');
  await form.getByTestId('account-name').fill('市场局管理员（测试）');
  await form.getByTestId('account-agency').selectOption('city-market');
  await form.getByTestId('account-submit').click();
  const otp = (await page.getByTestId('account-otp').textContent())?.trim() ?? '';
  expect(otp).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
  await page.getByTestId('account-search').fill('market-admin');
  await expect(page.getByTestId('account-row')).toHaveCount(1);
  await expect(page.locator('[data-testid="account-row"][data-username="market-admin-e2e"]')).toBeVisible();
  const r = await fetch(`${srv.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'market-admin-e2e', password: otp }),
  });
  expect((await r.json()).passwordChangeRequired).toBe(true);

  // the city's divisions: a new township under Pingding County
  const org = page.getByTestId('org-section');
  await org.getByText('新增区划').click();
  await org.getByTestId('org-div-code').fill('140321198');
  await org.getByTestId('org-div-name').fill('测试镇');
  await org.getByTestId('org-div-name-en').fill('Test Town');
  await org.locator('#org-div-parent').selectOption('140321');
  await org.getByTestId('org-division-submit').click();
  await expect(org.getByTestId('org-division-message')).toHaveText('已保存');

  // a phone: nothing scrolls sideways
  await page.setViewportSize({ width: 360, height: 740 });
  await expect(page.getByTestId('account-row').first()).toBeVisible();
  expect(await overflow(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(SHOTS, 'admin-accounts-360.png'), fullPage: true });
  await ctx.close();
});

test('agency1 adds an inspector: the record and the account, with its id on the row', async ({ browser }) => {
  const ctx = await newContext(browser, srv.url);
  const page = await ctx.newPage();
  await signIn(page, 'agency1');
  await page.goto('/agency/staff');
  await expect(page.locator('[data-testid="staff-row"][data-username="inspector1"]')).toBeVisible();
  await page.getByTestId('staff-name').fill('赵检查');
  await page.getByTestId('staff-username').fill('zhao-e2e');
  await page.getByTestId('staff-submit').click();
  await expect(page.getByTestId('staff-otp')).toHaveText(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
  const row = page.locator('[data-testid="staff-row"][data-username="zhao-e2e"]');
  await expect(row).toContainText('赵检查');
  expect(await row.getAttribute('data-inspector-id')).toMatch(/^city-market\.[0-9a-f]{8}$/);
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await overflow(page)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(SHOTS, 'admin-staff-360.png'), fullPage: true });
  await ctx.close();
});

test('an enterprise activates its account on the activation page (360 px) and lands on its home', async ({ browser }) => {
  const sup = await login(srv.url, 'supervisor1');
  const page1 = await (await fetch(`${srv.url}/api/enterprises?limit=20`, { headers: { authorization: `Bearer ${sup.token}` } })).json();
  const e = (page1.items as { uscc: string }[]).find((x) => x.uscc !== ENTERPRISE1_USCC && x.uscc !== ENTERPRISE2_USCC)!;
  const issued = await (
    await fetch(`${srv.url}/api/activation-codes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sup.token}` },
      body: JSON.stringify({ uscc: e.uscc }),
    })
  ).json();

  const ctx = await newContext(browser, srv.url, { width: 360, height: 740 });
  const page = await ctx.newPage();
  await page.goto('/login');
  await page.getByTestId('activate-link').click();
  await page.getByTestId('activate-uscc').fill(e.uscc);
  await page.getByTestId('activate-code').fill('wron-gcod-e222');
  await page.getByTestId('activate-username').fill('ent-e2e');
  await page.getByTestId('activate-password').fill('a-good-password-1');
  await page.getByTestId('activate-password2').fill('a-good-password-1');
  await page.getByTestId('activate-submit').click();
  await expect(page.getByTestId('activate-error')).toContainText('激活码不正确');
  await page.getByTestId('activate-code').fill(issued.code);
  await page.getByTestId('activate-submit').click();
  await expect(page).toHaveURL(/\/enterprise$/);
  await expect(page.getByTestId('role')).toBeVisible();
  expect(await overflow(page)).toBeLessThanOrEqual(0);
  await ctx.close();
});
