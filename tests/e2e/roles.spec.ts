/** Sign-in for every demo role, each role's home at 360×740 (screenshots), a wrong password, sign-out wipes local data. */
import path from 'node:path';
import { test, expect, signIn, SHOTS } from './fixtures';

test.use({ viewport: { width: 360, height: 740 } });

const ROLES = [
  {
    user: 'inspector1',
    role: /执法人员/,
    home: '/inspector',
    ready: (p: import('@playwright/test').Page) => expect(p.getByTestId('tasks-today').getByTestId('task-card').first()).toBeVisible(),
  },
  {
    user: 'agency1',
    role: /部门管理员/,
    home: '/agency',
    ready: (p: import('@playwright/test').Page) => expect(p.getByTestId('catalogue').locator('tbody tr').nth(2)).toBeVisible(),
  },
  {
    user: 'county1',
    role: /部门管理员/,
    home: '/agency',
    ready: (p: import('@playwright/test').Page) => expect(p.getByTestId('plan-card-2027').getByText('草稿')).toBeVisible(),
  },
  {
    user: 'supervisor1',
    role: /执法监督/,
    home: '/supervisor',
    ready: (p: import('@playwright/test').Page) => expect(p.getByTestId('cert-row').nth(5)).toBeVisible(),
  },
  {
    user: 'enterprise1',
    role: /企业/,
    home: '/enterprise',
    ready: (p: import('@playwright/test').Page) => expect(p.getByTestId('profile').locator('dd').first()).toBeVisible(),
  },
];

for (const r of ROLES) {
  test(`sign-in as ${r.user} opens the role's home`, async ({ page }) => {
    await signIn(page, r.user);
    await expect(page).toHaveURL(new RegExp(`${r.home}$`));
    await expect(page.getByTestId('role')).toHaveText(r.role);
    await r.ready(page);
    await expect(page.getByTestId('sync-total')).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });
    // nothing overflows the 360 px viewport horizontally
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(SHOTS, `home-${r.user}-360.png`), fullPage: true });
  });
}

test("a wrong password shows the server's message in the current language", async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('用户名').fill('agency2');
  await page.getByLabel('密码').fill('not-the-password');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toHaveText(/用户名或密码错误/);
  await page.getByTestId('lang-switch').click();
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toHaveText(/Wrong user name or password/);
  await page.screenshot({ path: path.join(SHOTS, 'login-error-en-360.png') });
  await expect(page.getByTestId('role')).toHaveCount(0);
});

test("the English switch is kept, and signing out wipes this user's local documents", async ({ page }) => {
  await signIn(page, 'inspector2');
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('role')).toHaveText('Inspector');
  await expect(page.getByTestId('sync-total')).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });
  await page.reload();
  await expect(page.getByRole('heading', { name: 'My inspection tasks' })).toBeVisible();
  const dbs = () => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('eicp/')));
  expect((await dbs()).some((n) => n.startsWith('eicp/u-inspector2/tasks/'))).toBe(true);
  await page.getByTestId('sign-out').click();
  await expect(page).toHaveURL(/\/login$/);
  await expect.poll(dbs).toEqual([]);
  expect(await page.evaluate(() => localStorage.getItem('eicp.session'))).toBeNull();
});
