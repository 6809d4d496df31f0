/**
 * A real city from an empty production DATA_DIR (NODE_ENV=production: reference data only, no accounts, no
 * people, no enterprises), run from the app without a developer:
 *  1. the first administrator (made with `npm run admin -- create-user`) signs in and creates an agency admin;
 *  2. the agency admin creates two inspectors and an item of its catalogue, and publishes the catalogue;
 *  3. the justice bureau imports a certificate file for them, and an enterprise file written by Excel on a
 *     Chinese Windows (GBK) with a bad row: the dry run names it, then the import is applied;
 *  4. the justice bureau edits the city policy (the hotline, from today);
 *  5. the new enterprise activates its account with the code from its letter;
 *  6. the new inspectors check in at the new enterprise by scanning its code; the enterprise sees it live;
 *  7. the audit trail shows every step.
 * `tests/e2e/files/enterprises-gbk.csv` is a GBK file as Excel writes it (CRLF, no BOM); its fourth line has a
 * wrong USCC check digit (…0034, should be …0033).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from '@playwright/test';
import { test, expect, newContext, SHOTS } from './fixtures';
import { camDir, launchWithCamera, phoneContext } from './checkin-helpers';
import { spawnServer, ROOT, type SpawnedServer } from '../helpers/spawn-server';
import { E2E_NOW } from '../helpers/moments';

const STATIC_DIR = process.env.E2E_DIST ?? path.join(ROOT, 'dist');
const ENTERPRISE_FILE = path.join(ROOT, 'tests/e2e/files/enterprises-gbk.csv');
const NEW_USCC = '91140302MA0NEW001W';
const BAD_USCC = '91140302MA0NEW0034';
const TODAY = E2E_NOW.slice(0, 10);
/** the city's own wording of its first conduct rule, in force from today */
const RULE = '严禁未经备案、未亮证、未扫码擅自入企检查（阳泉市2026年修订）';
const PW = {
  admin: '司法局管理员 2026 冬',
  agency: '市场监管局管理 2026 冬',
  zhang: '张执法的密码 2026 冬',
  li: '李执法的密码 2026 冬',
  ent: '新泉食品的密码 2026 冬',
};

test.afterAll(() => fs.rmSync(camDir, { recursive: true, force: true }));
test.use({ actionTimeout: 15_000 });

/** `npm run admin -- <args>` on the server's DATA_DIR, beside the running server; its stdout */
function admin(dataDir: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'admin', '--', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, NODE_ENV: 'production', CLOCK_NOW: E2E_NOW },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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

/** sign in with a one-time password and choose the new one: the forced change, then the home */
async function firstSignIn(page: Page, username: string, otp: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(otp);
  await page.getByTestId('login-submit').click();
  const forced = page.getByTestId('forced-password-change');
  await forced.getByTestId('password-next').fill(password);
  await forced.getByTestId('password-repeat').fill(password);
  await forced.getByTestId('password-submit').click();
  await expect(page.getByTestId('role')).toBeVisible();
}

/** a file chosen in the import wizard, its dry run, then applied */
async function importFile(wizard: Locator, file: { name: string; mimeType: string; buffer: Buffer }) {
  await wizard.getByTestId('import-file').setInputFiles(file);
  await wizard.getByTestId('import-check').click();
  await expect(wizard.getByTestId('import-summary')).toBeVisible({ timeout: 30_000 });
  return wizard;
}

test('a city from an empty production DATA_DIR: accounts, imports, policy, activation, check-in, audit', async ({ browser }) => {
  test.setTimeout(300_000);
  const srv: SpawnedServer = await spawnServer({ env: { NODE_ENV: 'production', STATIC_DIR, LOGIN_MAX_FAILS_IP: '1000' } });
  const browsers: Browser[] = [];
  try {
    const desk = await newContext(browser, srv.url);
    const adminPage = await desk.newPage();

    // 1. the first administrator, from the admin command; then an agency admin from the app
    const first = await admin(
      srv.dataDir,
      'create-user',
      '--role',
      'supervisor',
      '--agency',
      'city-justice',
      '--username',
      'sfj.admin',
      '--name',
      '司法局管理员',
    );
    await firstSignIn(adminPage, 'sfj.admin', /one-time password: (\S+)/.exec(first)![1], PW.admin);
    await adminPage.getByTestId('nav-accounts').click();
    const form = adminPage.getByTestId('account-create');
    await form.getByTestId('account-role').selectOption('agency');
    await form.getByTestId('account-username').fill('scj.admin');
    await form.getByTestId('account-name').fill('市场监管局管理员');
    await form.getByTestId('account-agency').selectOption('city-market');
    await form.getByTestId('account-submit').click();
    const agencyOtp = (await adminPage.getByTestId('account-otp').textContent())!.trim();
    expect(agencyOtp).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    await expect(adminPage.locator('[data-testid="account-row"][data-username="scj.admin"]')).toHaveCount(1);

    // 2. the agency admin: two inspectors, one catalogue item, published
    const agencyCtx = await newContext(browser, srv.url);
    const agencyPage = await agencyCtx.newPage();
    await firstSignIn(agencyPage, 'scj.admin', agencyOtp, PW.agency);
    await agencyPage.getByTestId('nav-staff').click();
    const inspectors: { username: string; name: string; otp: string; id: string }[] = [];
    for (const [username, name] of [
      ['zhang.zf', '张执法'],
      ['li.zf', '李执法'],
    ]) {
      await agencyPage.getByTestId('staff-name').fill(name);
      await agencyPage.getByTestId('staff-username').fill(username);
      await agencyPage.getByTestId('staff-submit').click();
      await expect(agencyPage.getByTestId('staff-otp')).toBeVisible();
      const otp = (await agencyPage.getByTestId('staff-otp').textContent())!.trim();
      const row = agencyPage.locator(`[data-testid="staff-row"][data-username="${username}"]`);
      await expect(row).toHaveCount(1);
      inspectors.push({ username, name, otp, id: (await row.getAttribute('data-inspector-id'))! });
      // handed over: the box goes, so the next inspector's password is not read from this one's
      await agencyPage.getByTestId('staff-otp-done').click();
      await expect(agencyPage.getByTestId('staff-otp')).toHaveCount(0);
    }
    await agencyPage.getByTestId('nav-catalogue').click();
    await agencyPage.getByTestId('item-code').fill('SC-01');
    await agencyPage.getByTestId('item-name').fill('食品生产经营日常监督检查');
    await agencyPage.getByTestId('item-basis').fill('《中华人民共和国食品安全法》第一百一十条');
    await agencyPage.getByTestId('item-submit').click();
    await expect(agencyPage.getByTestId('catalogue-items')).toContainText('食品生产经营日常监督检查');
    await expect(agencyPage.getByTestId('catalogue-unpublished')).toBeVisible();
    await agencyPage.getByTestId('catalogue-publish').click();
    await expect(agencyPage.getByTestId('catalogue-version')).toHaveCount(1);

    // 3. the justice bureau imports their certificates, then the enterprise register's export (GBK, one bad row)
    await adminPage.getByTestId('nav-certificates').click();
    const certCsv = [
      '证号,姓名,执法人员编号,发证日期,有效期至',
      `SX-140300-9001,${inspectors[0].name},${inspectors[0].id},2026-01-05,2029-01-04`,
      `SX-140300-9002,${inspectors[1].name},${inspectors[1].id},2026-01-05,2029-01-04`,
    ].join('\r\n');
    const certs = await importFile(adminPage.getByTestId('cert-import'), {
      name: '执法证.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`\uFEFF${certCsv}\r\n`),
    });
    await expect(certs.getByTestId('import-count-new')).toHaveText(/2/);
    await expect(certs.getByTestId('import-count-invalid')).toHaveText(/0/);
    await certs.getByTestId('import-apply').click();
    await expect(certs.getByTestId('import-done')).toBeVisible({ timeout: 30_000 });
    await expect(adminPage.locator('[data-testid="cert-row"][data-number="SX-140300-9001"]')).toHaveAttribute('data-status', 'valid');

    await adminPage.getByTestId('nav-enterprises').click();
    const ents = await importFile(adminPage.locator('main'), { name: '市场主体登记.csv', mimeType: 'text/csv', buffer: fs.readFileSync(ENTERPRISE_FILE) });
    await expect(ents.getByTestId('import-count-new')).toHaveText(/2/);
    await expect(ents.getByTestId('import-count-invalid')).toHaveText(/1/);
    const bad = ents.getByTestId('import-invalid-row');
    await expect(bad).toHaveCount(1);
    await expect(bad).toHaveAttribute('data-line', '4');
    await expect(bad).toContainText(BAD_USCC);
    await expect(ents.getByTestId('import-errors-download')).toBeVisible();
    await adminPage.screenshot({ path: path.join(SHOTS, 'import-dry-run.png'), fullPage: true });
    await ents.getByTestId('import-apply').click();
    await expect(ents.getByTestId('import-done')).toBeVisible({ timeout: 30_000 });
    await adminPage.getByTestId('enterprise-search').fill('新泉');
    await expect(adminPage.locator(`[data-testid="enterprise-row"][data-uscc="${NEW_USCC}"]`)).toHaveCount(1);

    // 4. the policy: a new hotline from today
    await adminPage.getByTestId('nav-policy').click();
    await adminPage.getByTestId('policy-effective').fill(TODAY);
    await adminPage.getByTestId('policy-hotline').fill('0353-12345');
    await adminPage.getByTestId('policy-rule').first().getByTestId('policy-rule-text').fill(RULE);
    await adminPage.getByTestId('policy-save').click();
    await expect(adminPage.getByTestId('policy-saved')).toBeVisible();

    // 5. the enterprise's activation code (its letter), and the enterprise activates its account
    await adminPage.getByTestId('nav-accounts').click();
    await adminPage.getByTestId('activation-uscc').fill(NEW_USCC);
    await adminPage.getByTestId('activation-issue').click();
    const code = (await adminPage.getByTestId('activation-code').textContent())!.trim();
    const entCtx = await newContext(browser, srv.url, { width: 1000, height: 900 });
    const entPage = await entCtx.newPage();
    await entPage.goto('/activate');
    await entPage.getByTestId('activate-uscc').fill(NEW_USCC);
    await entPage.getByTestId('activate-code').fill(code);
    await entPage.getByTestId('activate-username').fill('xinquan');
    await entPage.getByTestId('activate-password').fill(PW.ent);
    await entPage.getByTestId('activate-password2').fill(PW.ent);
    await entPage.getByTestId('activate-submit').click();
    await expect(entPage.getByTestId('role')).toHaveText('企业');
    await expect(entPage.getByTestId('ledger-year')).toBeVisible();
    // the city's hotline, as the policy says today
    await expect(entPage.getByTestId('hotline')).toContainText('0353-12345');

    // 6. the new inspectors check in at the new enterprise by scanning its code (the enterprise's own code)
    const token = (await (await entPage.request.post(`${srv.url}/api/login`, { data: { username: 'xinquan', password: PW.ent } })).json()).token as string;
    const qr = await (await fetch(`${srv.url}/api/enterprises/${NEW_USCC}/code`, { headers: { authorization: `Bearer ${token}` } })).json();
    const cam = await launchWithCamera(qr.qrText as string);
    browsers.push(cam);
    const liPage = await (await phoneContext(cam, srv.url)).newPage();
    await firstSignIn(liPage, inspectors[1].username, inspectors[1].otp, PW.li);
    const phone = await (await phoneContext(cam, srv.url)).newPage();
    await firstSignIn(phone, inspectors[0].username, inspectors[0].otp, PW.zhang);
    await phone.getByTestId('start-triggered').click();
    await phone.getByTestId('trigger-complaint').check();
    await phone.getByTestId('trigger-ref').fill('12345-2026-1125-0001');
    await phone.getByTestId('ent-search').fill('新泉');
    await phone.getByTestId('ent-search-go').click();
    await phone.getByTestId('ent-results').getByTestId('ent-result').filter({ hasText: NEW_USCC }).click();
    await phone.getByTestId('trigger-item').first().check();
    await phone.getByTestId('triggered-create').click();
    await expect(phone.getByTestId('checkin-task')).toContainText(NEW_USCC);
    await phone.getByTestId('second-inspector').selectOption(inspectors[1].id);
    await expect(phone.getByTestId('team-member')).toHaveCount(2);
    await expect(phone.getByTestId('verdicts').locator('li[data-level="block"]')).toHaveCount(0);
    // the conduct rules in the wording in force today
    await expect(phone.getByTestId('conduct-rule').first()).toHaveText(RULE);
    await phone.getByTestId('conduct-ack').check();
    await phone.getByTestId('scan-start').click();
    await expect(phone.getByTestId('entered')).toHaveAttribute('data-via', 'scan', { timeout: 30_000 });
    const entryId = await phone.getByTestId('entered').getAttribute('data-entry');
    await expect(entPage.locator(`[data-testid="ledger-record"][data-entry="${entryId}"]`)).toHaveCount(1, { timeout: 20_000 });

    // 7. the audit trail shows every step
    await adminPage.getByTestId('nav-audit').click();
    for (const action of [
      'account.create',
      'inspector.create',
      'catalogue.publish',
      'import.certificates',
      'import.enterprises',
      'policy.schedule',
      'activation.issue',
      'account.activate',
    ]) {
      await expect(adminPage.locator(`[data-testid="audit-row"][data-action="${action}"]`).first()).toBeVisible();
    }
    await adminPage.screenshot({ path: path.join(SHOTS, 'audit-desktop.png'), fullPage: true });
    // the agency admin sees their agency's entries only
    await agencyPage.getByTestId('nav-audit').click();
    await expect(agencyPage.locator('[data-testid="audit-row"][data-action="inspector.create"]')).toHaveCount(2);
    await expect(agencyPage.locator('[data-testid="audit-row"][data-action="import.enterprises"]')).toHaveCount(0);

    // every administration page fits a 360 px phone, in Chinese and in English (screenshots for the README)
    await adminPage.setViewportSize({ width: 360, height: 740 });
    for (const lang of ['zh', 'en']) {
      if (lang === 'en') await adminPage.getByTestId('lang-switch').click();
      for (const nav of ['nav-accounts', 'nav-enterprises', 'nav-certificates', 'nav-policy', 'nav-audit']) {
        await adminPage.getByTestId(nav).click();
        await expect(adminPage.locator('main h1')).toBeVisible();
        expect(
          await adminPage.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
          `${nav} at 360 px (${lang})`,
        ).toBeLessThanOrEqual(0);
        await adminPage.screenshot({ path: path.join(SHOTS, `admin-${nav.slice(4)}-360-${lang}.png`), fullPage: true });
      }
    }
  } finally {
    for (const b of browsers) await b.close();
    await srv.stop();
  }
});
