/**
 * An enterprise disputes an inspector's result on a 360 px phone: the dispute is its own signed ledger
 * record, shown beside the result (which stays as it was); the inspecting agency and supervisors see it as
 * a `dispute` warning. Set-up over real sockets: inspector1 appends a signed entry (for its task, with the
 * enterprise's real code) and result to ledger/<enterprise2>, as the phone app would.
 */
import path from 'node:path';
import { test, expect, signIn, newContext, SHOTS } from './fixtures';
import { realCode } from './checkin-helpers';
import { connectProvider, destroyAll, waitFor, waitSynced } from '../helpers/spawn-server';
import { registeredDevice, sign } from '../helpers/devices';
import { ENTERPRISE2_USCC } from '../../server/seed/constants';
import { readTasks } from '../../src/model';

test.use({ actionTimeout: 15_000 });

async function login(baseURL: string, username: string): Promise<{ token: string; userId: string }> {
  const r = await fetch(`${baseURL}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo1234' }),
  });
  return r.json();
}

test('enterprise2 disputes a result; the result stays, the dispute shows beside it and reaches the agency and supervisors', async ({ baseURL, browser }) => {
  test.setTimeout(90_000);
  const wsUrl = `${baseURL.replace(/^http/, 'ws')}/sync`;
  const insp = await login(baseURL, 'inspector1');
  const key = await registeredDevice(baseURL, insp.token);
  const notice = `检查结果告知书（异议测试 ${Date.now()}）：责令整改。`;
  const staff = (await (await fetch(`${baseURL}/api/inspectors?agencyId=city-market`, { headers: { authorization: `Bearer ${insp.token}` } })).json())
    .items as { id: string; name: string; certificateNumber: string }[];
  const team = ['insp-city-market-1', 'insp-city-market-2'].map((id) => {
    const s = staff.find((x) => x.id === id)!;
    return { inspectorId: id, name: s.name, certificateNumber: s.certificateNumber, certificateValid: true };
  });
  const ledger = connectProvider(wsUrl, `ledger/${ENTERPRISE2_USCC}`, insp.token);
  const tasks = connectProvider(wsUrl, 'tasks/city-market/2026', insp.token);
  let resultId = '';
  try {
    await Promise.all([waitSynced(ledger), waitSynced(tasks)]);
    const task = readTasks(tasks.doc).items.find((x) => x.uscc === ENTERPRISE2_USCC)!;
    const code = await realCode(baseURL, ENTERPRISE2_USCC);
    const at = new Date('2026-11-25T08:00:00+08:00');
    const entry = await sign(
      {
        id: `entry-dispute-${Date.now()}`,
        uscc: ENTERPRISE2_USCC,
        at: at.toISOString(),
        by: insp.userId,
        type: 'entry',
        agencyId: 'city-market',
        taskId: task.id,
        kind: task.kind,
        team,
        itemIds: task.itemIds,
        via: 'scan',
        device: 'e2e',
        code: code.token,
        conductAcknowledged: true,
      },
      key,
    );
    const later = new Date(at.getTime() + 3_600_000).toISOString();
    const result = await sign(
      {
        id: `result-dispute-${Date.now()}`,
        uscc: ENTERPRISE2_USCC,
        at: later,
        by: insp.userId,
        type: 'result',
        entryId: entry.rec.id,
        agencyId: 'city-market',
        checklist: [],
        findings: [],
        outcome: 'rectify',
        rectifyBy: '2026-12-10',
        notice,
        checkedOutAt: later,
      },
      key,
    );
    resultId = result.rec.id;
    ledger.doc.getMap('records').set(entry.rec.id, entry);
    ledger.doc.getMap('records').set(result.rec.id, result);
    await waitFor(
      async () => {
        const check = connectProvider(wsUrl, `ledger/${ENTERPRISE2_USCC}`, insp.token);
        try {
          await waitSynced(check);
          return check.doc.getMap('records').has(resultId);
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

  const ctx = await newContext(browser, baseURL, { width: 360, height: 740 });
  const page = await ctx.newPage();
  await signIn(page, 'enterprise2');
  const card = page.getByTestId('ledger-record').filter({ hasText: notice });
  await expect(card.getByTestId('result-notice')).toContainText(notice);
  const form = card.locator(`[data-testid="dispute-form"][data-ref="${resultId}"]`);
  await form.getByTestId('dispute-open').click();
  await expect(form.getByTestId('dispute-submit')).toBeDisabled();
  await form.getByTestId('dispute-text').fill('整改期限过短：设备更换需厂家上门，已当场说明');
  await form.getByTestId('dispute-submit').click();
  await expect(form.getByTestId('dispute-sent')).toBeVisible();
  await expect(card.locator(`[data-testid="dispute"][data-ref="${resultId}"]`)).toContainText('整改期限过短');
  // the result is still there, unchanged
  await expect(card.getByTestId('result-notice')).toContainText(notice);
  await card.screenshot({ path: path.join(SHOTS, 'enterprise-dispute-360.png') });
  await ctx.close();

  for (const who of ['supervisor1', 'agency1']) {
    const l = await login(baseURL, who);
    await expect
      .poll(
        async () => {
          const r = (await (await fetch(`${baseURL}/api/warnings?year=2026&kind=dispute`, { headers: { authorization: `Bearer ${l.token}` } })).json()) as {
            items: { message: { zh: string } }[];
          };
          return r.items.some((w) => w.message.zh.includes(resultId) || w.message.zh.includes('整改期限过短'));
        },
        { timeout: 15_000 },
      )
      .toBe(true);
  }
});
