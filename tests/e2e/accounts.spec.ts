/**
 * Accounts in the browser, at 360 px (screenshots): the demo ribbon of the sign-in page (also when the server
 * cannot be reached) and none in production; a one-time password made with the admin command signs in,
 * forces a new password, then opens the home; any user changes their password from the app bar, with the
 * errors in Chinese and English, and the old password stops working.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { test, expect, signIn, newContext, SHOTS } from './fixtures';
import { spawnServer, ROOT, type SpawnedServer } from '../helpers/spawn-server';

const VIEW = { width: 360, height: 740 };
const STATIC_DIR = process.env.E2E_DIST ?? path.join(ROOT, 'dist');

/** `npm run admin -- <args>` on a server's DATA_DIR (beside the running server); its stdout */
function admin(dataDir: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'admin', '--', ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      err += c;
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`admin ${args.join(' ')}: exit ${code}\n${err}`))));
  });
}

/** a full-page screenshot from the top, without the one-off "works offline now" toast over the form */
async function shot(page: import('@playwright/test').Page, name: string): Promise<void> {
  const toast = page.getByTestId('offline-ready');
  if (await toast.isVisible()) await toast.getByRole('button').click();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
}

/** at most the viewport's width: nothing scrolls sideways at 360 px */
const overflow = (page: import('@playwright/test').Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test.describe('accounts on a demo server', () => {
  let srv: SpawnedServer;
  test.beforeAll(async () => {
    srv = await spawnServer({ env: { STATIC_DIR, LOGIN_MAX_FAILS_IP: '1000' } });
  });
  test.afterAll(async () => {
    await srv?.stop();
  });

  test('the sign-in page shows the demo ribbon and the demo accounts, from its cache when the server is unreachable', async ({ browser }) => {
    const ctx = await newContext(browser, srv.url, VIEW);
    const page = await ctx.newPage();
    await page.goto('/login');
    await expect(page.getByTestId('demo-ribbon')).toContainText('演示数据');
    const accounts = page.getByTestId('demo-accounts');
    await expect(accounts.getByTestId('demo-account-supervisor1')).toBeHidden(); // collapsed
    await accounts.locator('summary').click();
    await expect(accounts).toContainText('demo1234');
    await accounts.getByTestId('demo-account-agency1').click();
    await expect(page.getByLabel('用户名')).toHaveValue('agency1');
    await expect(page.getByLabel('密码')).toHaveValue('demo1234');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await shot(page, 'accounts-login-demo-360.png');
    await page.getByTestId('lang-switch').click();
    await expect(page.getByTestId('demo-ribbon')).toContainText('Demo data');
    await page.getByTestId('lang-switch').click();

    // the server cannot be reached: the ribbon still shows (localStorage)
    await page.route('**/api/instance', (r) => r.abort('internetdisconnected'));
    await page.reload();
    await expect(page.getByTestId('demo-ribbon')).toContainText('演示数据');
    await ctx.close();
  });

  test('a one-time password from the admin command signs in, must be changed, then opens the home', async ({ browser }) => {
    const out = await admin(
      srv.dataDir,
      'create-user',
      '--role',
      'agency',
      '--agency',
      'city-market',
      '--username',
      'market.admin',
      '--name',
      '市场监管局新管理员',
    );
    const otp = /one-time password: (\S+)/.exec(out)![1];
    const ctx = await newContext(browser, srv.url, VIEW);
    const page = await ctx.newPage();
    await page.goto('/login');
    await page.getByLabel('用户名').fill('market.admin');
    await page.getByLabel('密码').fill(otp);
    await page.getByTestId('login-submit').click();

    const forced = page.getByTestId('forced-password-change');
    await expect(forced).toContainText('市场监管局新管理员');
    await expect(forced).toContainText('至少 10 个字符');
    await expect(page.getByTestId('role')).toHaveCount(0); // no session yet
    expect(await page.evaluate(() => localStorage.getItem('eicp.session'))).toBeNull();
    await forced.getByTestId('password-next').fill('short');
    await forced.getByTestId('password-repeat').fill('short');
    await forced.getByTestId('password-submit').click();
    await expect(forced.getByTestId('password-error')).toHaveText(/至少 10 个字符/);
    await forced.getByTestId('password-next').fill('Market.Admin');
    await forced.getByTestId('password-repeat').fill('Market.Admin');
    await forced.getByTestId('password-submit').click();
    await expect(forced.getByTestId('password-error')).toHaveText(/不能与用户名相同/);
    await forced.getByTestId('password-next').fill('城区的市场 2027 春天');
    await forced.getByTestId('password-repeat').fill('城区的市场 2027 秋天');
    await forced.getByTestId('password-submit').click();
    await expect(forced.getByTestId('password-error')).toHaveText(/两次输入的新密码不一致/);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await shot(page, 'accounts-forced-change-360.png');

    await forced.getByTestId('password-repeat').fill('城区的市场 2027 春天');
    await forced.getByTestId('password-submit').click();
    await expect(page).toHaveURL(/\/agency$/);
    await expect(page.getByTestId('role')).toHaveText('部门管理员');
    await expect(page.getByTestId('user-name')).toHaveText('市场监管局新管理员');
    await expect(page.getByTestId('sync-total')).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });

    // from now on the new password signs in, the one-time password does not
    await page.getByTestId('sign-out').click();
    await page.getByLabel('用户名').fill('market.admin');
    await page.getByLabel('密码').fill(otp);
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('login-error')).toHaveText(/用户名或密码错误/);
    await signIn(page, 'market.admin', '城区的市场 2027 春天');
    await expect(page).toHaveURL(/\/agency$/);
    await ctx.close();
  });

  test('any user changes their password from the app bar; errors in Chinese and English', async ({ browser }) => {
    const ctx = await newContext(browser, srv.url, VIEW);
    const page = await ctx.newPage();
    await signIn(page, 'inspector3');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.getByTestId('password-link').click();
    await expect(page).toHaveURL(/\/account\/password$/);
    await expect(page.getByRole('heading', { name: '修改密码' })).toBeVisible();

    await page.getByTestId('password-current').fill('not my password');
    await page.getByTestId('password-next').fill('平定县的新密码 2027');
    await page.getByTestId('password-repeat').fill('平定县的新密码 2027');
    await page.getByTestId('password-submit').click();
    await expect(page.getByTestId('password-error')).toHaveText(/当前密码不正确/);
    await expect(page.getByTestId('password-current')).toHaveAttribute('aria-invalid', 'true');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await shot(page, 'accounts-change-error-360.png');
    await page.getByTestId('lang-switch').click();
    await expect(page.getByTestId('password-error')).toHaveText(/The current password is wrong/);
    await expect(page.getByRole('heading', { name: 'Change password' })).toBeVisible();
    await shot(page, 'accounts-change-error-en-360.png');
    await page.getByTestId('lang-switch').click();

    await page.getByTestId('password-current').fill('demo1234');
    await page.getByTestId('password-submit').click();
    await expect(page.getByTestId('password-done')).toBeVisible();
    await expect(page.getByTestId('password-current')).toHaveValue('');
    await shot(page, 'accounts-change-done-360.png');
    // the session goes on with its new tokens: the home still syncs
    await page.goto('/inspector');
    await expect(page.getByTestId('sync-total')).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });
    await expect(page.getByText('登录已失效')).toHaveCount(0);

    await page.getByTestId('sign-out').click();
    await page.getByLabel('用户名').fill('inspector3');
    await page.getByLabel('密码').fill('demo1234');
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('login-error')).toHaveText(/用户名或密码错误/);
    await signIn(page, 'inspector3', '平定县的新密码 2027');
    await ctx.close();
  });
});

test("a production server's sign-in page shows no demo ribbon and no demo accounts", async ({ browser }) => {
  const srv = await spawnServer({ env: { STATIC_DIR, NODE_ENV: 'production' } });
  try {
    const ctx = await newContext(browser, srv.url, VIEW);
    const page = await ctx.newPage();
    const instance = page.waitForResponse((r) => r.url().endsWith('/api/instance'));
    await page.goto('/login');
    expect(await (await instance).json()).toEqual({ mode: 'production', serverClock: expect.objectContaining({ startedAt: expect.any(String) }) });
    await expect(page.getByTestId('login-submit')).toBeVisible();
    await expect(page.getByTestId('demo-ribbon')).toHaveCount(0);
    await expect(page.getByTestId('demo-accounts')).toHaveCount(0);
    await shot(page, 'accounts-login-production-360.png');
    await ctx.close();
  } finally {
    await srv.stop();
  }
});

test('the refresh token is an HttpOnly cookie the app never reads; short access tokens are refreshed through it and sync goes on', async ({ browser }) => {
  // 15 s access tokens: the app refreshes about 3 s before each expires
  const srv = await spawnServer({ env: { STATIC_DIR, TOKEN_TTL_SECONDS: '15' } });
  try {
    const ctx = await newContext(browser, srv.url, VIEW);
    const page = await ctx.newPage();
    await signIn(page, 'agency1');
    await expect(page.getByTestId('sync-total')).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });
    const stored = () => page.evaluate(() => localStorage.getItem('eicp.session') ?? '');
    const first = await stored();
    expect(first).not.toMatch(/refresh/i);
    expect(await page.evaluate(() => document.cookie)).not.toContain('eicp_rt');
    // Chromium keeps a Secure cookie from http://127.0.0.1 (a potentially trustworthy origin)
    const rt = (await ctx.cookies()).find((c) => c.name === 'eicp_rt');
    expect(rt).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/api/auth' });
    // the session refreshes by itself (the cookie rotates) and the documents stay in sync
    await expect.poll(async () => JSON.parse(await stored()).token as string, { timeout: 30_000 }).not.toBe(JSON.parse(first).token as string);
    expect((await ctx.cookies()).find((c) => c.name === 'eicp_rt')?.value).not.toBe(rt!.value);
    await expect(page.getByTestId('sync-total')).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });
    await expect(page.getByText('登录已失效')).toHaveCount(0);
    // sign-out deletes the cookie
    await page.getByTestId('sign-out').click();
    await expect(page.getByTestId('login-submit')).toBeVisible();
    await expect.poll(async () => (await ctx.cookies()).some((c) => c.name === 'eicp_rt')).toBe(false);
    await ctx.close();
  } finally {
    await srv.stop();
  }
});
