/**
 * The enterprise's side on a 360×740 phone (measures 7, 9, 10, 11, 14, 15): enterprise2 scans
 * the inspector's check code with the camera (Chromium fake capture) and sees the agency, the inspectors'
 * certificates, the items and the plan filing; it acknowledges a result notice, rates the inspection,
 * complains about it citing a conduct rule and refuses another inspection, with the 12345 hotline shown;
 * it sees its quiet-period status and its industry's handbook. The ratings and complaints reach the
 * server in feedback/<uscc>: supervisors read them, the inspecting agency cannot (anonymous ratings).
 *
 * Set-up over real sockets: inspector1 registers a device key and appends a signed entry and result to
 * ledger/<enterprise2> with a stock y-websocket client, as the phone app would.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, signIn, SHOTS } from './fixtures';
import { apiToken, camDir, launchWithCamera, phoneContext, realCode } from './checkin-helpers';
import { connectProvider, destroyAll, waitFor, waitSynced } from '../helpers/spawn-server';
import { registeredDevice, sign } from '../helpers/devices';
import { ENTERPRISE2_USCC } from '../../server/seed/constants';
import { readTasks } from '../../src/model';
import { QR_ECL } from '../../src/domain/codes';

test.afterAll(() => fs.rmSync(camDir, { recursive: true, force: true }));
test.use({ actionTimeout: 15_000 });

interface Login {
  token: string;
  userId: string;
}
async function login(baseURL: string, username: string): Promise<Login> {
  const r = await fetch(`${baseURL}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo1234' }),
  });
  return r.json();
}

test('enterprise2 verifies a check code by camera, acknowledges, rates, complains and refuses; supervisors see it, the agency does not', async ({
  baseURL,
}) => {
  test.setTimeout(120_000);
  const wsUrl = `${baseURL.replace(/^http/, 'ws')}/sync`;
  const insp = await login(baseURL, 'inspector1');
  const key = await registeredDevice(baseURL, insp.token);
  const notice = `检查结果告知书（端到端测试 ${Date.now()}）：未发现问题。`;

  // inspector1 and inspector2 as the directory names them
  const staff = (await (await fetch(`${baseURL}/api/inspectors?agencyId=city-market`, { headers: { authorization: `Bearer ${insp.token}` } })).json())
    .items as { id: string; name: string; certificateNumber: string }[];
  const pick = (id: string) => {
    const s = staff.find((x) => x.id === id)!;
    return { id, name: s.name, cert: s.certificateNumber };
  };
  // a signed entry and result by inspector1, written as the phone app writes them
  const ledger = connectProvider(wsUrl, `ledger/${ENTERPRISE2_USCC}`, insp.token);
  const tasks = connectProvider(wsUrl, 'tasks/city-market/2026', insp.token);
  let task: ReturnType<typeof readTasks>['items'][number];
  try {
    await Promise.all([waitSynced(ledger), waitSynced(tasks)]);
    task = readTasks(tasks.doc).items.find((x) => x.uscc === ENTERPRISE2_USCC)!;
    expect(task).toBeTruthy();
    const code = await realCode(baseURL, ENTERPRISE2_USCC);
    const team = ['insp-city-market-1', 'insp-city-market-2']
      .map(pick)
      .map((x) => ({ inspectorId: x.id, name: x.name, certificateNumber: x.cert, certificateValid: true }));
    const at = new Date('2026-11-25T08:30:00+08:00'); // its result an hour later, before the server's 10:00 (no record from the future)
    const entry = await sign(
      {
        id: `entry-e2e-${Date.now()}`,
        uscc: ENTERPRISE2_USCC,
        at: at.toISOString(),
        by: insp.userId,
        type: 'entry',
        agencyId: 'city-market',
        taskId: task.id,
        kind: { type: 'triggered', trigger: { kind: 'complaint', ref: '12345-E2E' } },
        team,
        itemIds: task.itemIds,
        via: 'scan',
        device: 'e2e',
        code: code.token,
        conductAcknowledged: true,
      },
      key,
    );
    const result = await sign(
      {
        id: `result-e2e-${Date.now()}`,
        uscc: ENTERPRISE2_USCC,
        at: new Date(at.getTime() + 3_600_000).toISOString(),
        by: insp.userId,
        type: 'result',
        entryId: entry.rec.id,
        agencyId: 'city-market',
        checklist: task.itemIds.map((itemId) => ({ itemId, ok: true, note: '' })),
        findings: [],
        outcome: 'no_problem',
        notice,
        checkedOutAt: new Date(at.getTime() + 3_600_000).toISOString(),
      },
      key,
    );
    ledger.doc.getMap('records').set(entry.rec.id, entry);
    ledger.doc.getMap('records').set(result.rec.id, result);
    await waitFor(
      async () => {
        const check = connectProvider(wsUrl, `ledger/${ENTERPRISE2_USCC}`, insp.token);
        try {
          await waitSynced(check);
          return check.doc.getMap('records').has(result.rec.id);
        } finally {
          destroyAll(check);
        }
      },
      10_000,
      'records stored',
    );
  } finally {
    destroyAll(ledger, tasks);
  }

  // the inspector's check code for that task, as the check-in page fetches it
  const cc = await fetch(`${baseURL}/api/check-code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${insp.token}` },
    body: JSON.stringify({
      taskId: task.id,
      agencyId: 'city-market',
      uscc: ENTERPRISE2_USCC,
      window: task.window,
      inspectors: [pick('insp-city-market-1'), pick('insp-city-market-2')],
    }),
  });
  expect(cc.status).toBe(200);
  const checkCode = (await cc.json()) as { url: string };

  // the check code as the inspector's phone shows it (error correction L, on a screen), before the
  // enterprise's 360 px phone camera
  const browser = await launchWithCamera(checkCode.url, { errorCorrectionLevel: QR_ECL.chk });
  try {
    const desk = await (await phoneContext(browser, baseURL)).newPage();
    await signIn(desk, 'enterprise2');
    await desk.getByTestId('verify-scan').click();
    await expect(desk.getByTestId('verify-details')).toBeVisible({ timeout: 20_000 });
    await expect(desk.getByTestId('chk-agency')).toContainText('市场监督管理局');
    await expect(desk.getByTestId('chk-inspectors').locator('li[data-state="valid"]')).toHaveCount(2);
    await expect(desk.getByTestId('chk-inspectors')).toContainText(pick('insp-city-market-1').name);
    await expect(desk.getByTestId('chk-plan')).toHaveAttribute('data-ok', 'true');
    await desk.context().close();

    const page = await (await phoneContext(browser, baseURL)).newPage();
    await signIn(page, 'enterprise2');
    await page.getByTestId('verify-paste').fill(checkCode.url);
    await page.getByTestId('verify-go').click();
    await expect(page.getByTestId('verify-details')).toBeVisible();
    await expect(page.getByTestId('chk-agency')).toContainText('市场监督管理局');
    await expect(page.getByTestId('chk-inspectors').locator('li[data-state="valid"]')).toHaveCount(2);
    await expect(page.getByTestId('chk-inspectors')).toContainText('有效期至');
    await expect(page.getByTestId('chk-items')).not.toBeEmpty();
    await expect(page.getByTestId('chk-plan')).toHaveAttribute('data-ok', 'true');
    await page.getByTestId('verify').screenshot({ path: path.join(SHOTS, 'enterprise-verify-360.png') });
    // an enterprise code pasted instead is refused with a clear message
    await page.getByTestId('verify-paste').fill((await realCode(baseURL, ENTERPRISE2_USCC)).qrText);
    await page.getByTestId('verify-go').click();
    await expect(page.getByTestId('verify-error')).toContainText('不是检查码');

    // acknowledge, rate, complain about the inspection
    const card = page.getByTestId('ledger-record').filter({ hasText: notice });
    await expect(card.getByTestId('result-notice')).toContainText(notice);
    await card.getByTestId('ack').click();
    await expect(card.getByTestId('acked')).toBeVisible();
    await card.getByTestId('rate-open').click();
    await expect(card.getByTestId('rate-submit')).toBeDisabled();
    await card.locator('label.star').nth(3).click();
    await card.getByTestId('rate-comment').fill('检查人员出示证件，流程规范');
    await card.getByTestId('rate-submit').click();
    await expect(card.getByTestId('rated')).toContainText('4 分');
    await card.getByTestId('complain-entry-open').click();
    const form = card.getByTestId('complaint-form-entry');
    await form.getByTestId('complaint-rule').selectOption('E3');
    await form.getByTestId('complaint-text').fill('检查人员要求企业提供与检查无关的财务材料');
    await form.getByTestId('complaint-submit').click();
    await expect(form.getByTestId('complaint-sent')).toBeVisible();
    await expect(form.getByTestId('hotline')).toContainText('12345');
    await card.screenshot({ path: path.join(SHOTS, 'enterprise-entry-360.png') });

    // refuse an inspection that has no record at all (no scan)
    const refuse = page.getByTestId('complain');
    await expect(refuse.getByTestId('complaint-refused')).toBeChecked();
    await refuse.getByTestId('complaint-rule').selectOption('F1');
    await refuse.getByTestId('complaint-text').fill('两名自称执法人员者未扫码即要求进入车间检查，已拒绝');
    await refuse.getByTestId('complaint-submit').click();
    await expect(refuse.getByTestId('complaint')).toHaveCount(2);
    await expect(refuse.locator('[data-testid="complaint"][data-refused="true"]')).toContainText('F1');
    await expect(refuse.getByTestId('hotline')).toContainText('12345');
    await refuse.screenshot({ path: path.join(SHOTS, 'enterprise-refuse-360.png') });

    // quiet period (the 25th is outside the quiet days 1–20) and the food-production handbook
    await expect(page.getByTestId('quiet-status')).toHaveAttribute('data-quiet', 'open');
    await expect(page.getByTestId('quiet')).toContainText('1–20');
    const chapter = page.getByTestId('handbook-chapter').first();
    await expect(chapter).toContainText('食品生产行业法律风险防控手册');
    await chapter.locator('summary').click();
    await expect(chapter).toContainText('出厂检验');
    await expect(page.getByTestId('ledger-year').locator('option[value="2026"]')).toHaveCount(1);
    await page.screenshot({ path: path.join(SHOTS, 'enterprise-360.png'), fullPage: true });

    // a plain phone camera opens the code's URL: the public page says what the check code names
    const pub = await (await phoneContext(browser, baseURL)).newPage();
    await pub.goto(new URL(checkCode.url).pathname + new URL(checkCode.url).hash);
    await expect(pub.getByTestId('public-valid')).toHaveAttribute('data-kind', 'chk');
    await expect(pub.getByTestId('public-valid')).toContainText('SX-140300-0001');
  } finally {
    await browser.close();
  }

  // supervisors read the feedback (who rated and complained); the inspecting agency has no access
  const sup = connectProvider(wsUrl, `feedback/${ENTERPRISE2_USCC}`, await apiToken(baseURL, 'supervisor1'));
  const agency = connectProvider(wsUrl, `feedback/${ENTERPRISE2_USCC}`, await apiToken(baseURL, 'agency1'));
  try {
    await waitSynced(sup);
    const values = () => [...sup.doc.getMap('records').values()] as { type: string; score?: number; ruleCode?: string; refused?: boolean }[];
    await waitFor(() => values().some((v) => v.type === 'rating' && v.score === 4), 10_000, 'rating on the server');
    expect(
      values()
        .filter((v) => v.type === 'complaint')
        .map((v) => [v.ruleCode, v.refused])
        .sort(),
    ).toEqual([
      ['E3', false],
      ['F1', true],
    ]);
    expect((await agency.closed).code).toBe(4403);
    expect(agency.doc.getMap('records').size).toBe(0);
  } finally {
    destroyAll(sup, agency);
  }

  // the inspecting agency (anonymous complaints, no rating differencing): its ratings card shows closed months with at least 5 rating
  // enterprises only, so this month's rating is not there; a complaint reaches it from the next day on, without
  // who or what (tests/integration/server/privacy-feedback.test.ts moves the server's clock to show that)
  const plain = await launchWithCamera(null);
  try {
    const ag = await (await phoneContext(plain, baseURL)).newPage();
    await signIn(ag, 'agency1');
    const ratings = ag.getByTestId('agency-ratings');
    await expect(ratings.getByTestId('ratings-closed-lead')).toContainText('已结束的自然月');
    await expect(ratings.getByTestId('ratings-closed-lead')).toContainText('至少 5 家企业');
    await expect(ratings.getByTestId('ratings-count')).toContainText('截至 2026-10', { timeout: 15_000 });
    await expect(ratings.getByTestId('ratings-average')).toHaveCount(0);
    await ratings.screenshot({ path: path.join(SHOTS, 'agency-ratings-360.png') });
    const warnings = ag.getByTestId('agency-warnings');
    await expect(warnings.getByTestId('warning-counts')).toBeVisible({ timeout: 15_000 });
    await expect(warnings.locator('[data-testid="warning"][data-kind="complaint"]')).toHaveCount(0);
    await expect(warnings).not.toContainText('财务材料'); // the complaint's own words stay with the supervisors

    // supervisors see every agency's ratings and complaints, with the scores
    const sv = await (await phoneContext(plain, baseURL)).newPage();
    await signIn(sv, 'supervisor1');
    const row = sv.getByTestId('ratings-overview').locator('[data-testid="ratings-row"][data-agency="city-market"]');
    await expect(row).toContainText('市场监督管理局');
    await expect(row.locator('td').nth(2)).not.toHaveText('—');
    await expect(row.locator('td').nth(3)).not.toHaveText('0');
    await sv.getByTestId('ratings-overview').screenshot({ path: path.join(SHOTS, 'supervisor-ratings-360.png') });
  } finally {
    await plain.close();
  }
});
