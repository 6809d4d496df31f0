/**
 * Supervisors' real-time warnings end to end: supervisor1 has the warnings page open at 360×740; an
 * inspector (a Node WebsocketProvider with a registered device key, like the phone) appends three
 * on-site entries by one agency at one enterprise this year → the over_cap warning appears live, without
 * a reload; a one-inspector entry elsewhere raises "uncertified". The supervisor acknowledges it with a
 * note; agency1 sees its own warning (with the status, not the note) on its home; agency2 does not.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, signIn, newContext, SHOTS } from './fixtures';
import { E2E_NOW } from '../helpers/moments';
import { connectProvider, destroyAll, waitSynced } from '../helpers/spawn-server';
import { registeredDevice, sign } from '../helpers/devices';
import { appendRecord, createTask } from '../../src/model';
import { realCode } from './checkin-helpers';
import type { EntryRecord, TeamMember } from '../../src/domain/schemas';

const PHONE = { width: 360, height: 740 };

async function apiLogin(baseURL: string, username: string): Promise<{ token: string; userId: string }> {
  const r = await fetch(`${baseURL}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo1234' }),
  });
  expect(r.ok).toBe(true);
  return r.json();
}

const wsOf = (baseURL: string) => baseURL.replace(/^http/, 'ws') + '/sync';

/** enterprises (not in the quiet zone) whose ledgers are still empty */
async function emptyLedgers(baseURL: string, token: string, n: number): Promise<string[]> {
  const r = (await (await fetch(`${baseURL}/api/enterprises?limit=60&offset=1700`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
    items: { uscc: string; quietZone: boolean }[];
  };
  const out: string[] = [];
  for (const e of r.items.filter((x) => !x.quietZone)) {
    const p = connectProvider(wsOf(baseURL), `ledger/${e.uscc}`, token);
    await waitSynced(p);
    const empty = p.doc.getMap('records').size === 0;
    destroyAll(p);
    if (empty) out.push(e.uscc);
    if (out.length === n) return out;
  }
  throw new Error('not enough enterprises with empty ledgers');
}

const noOverflow = async (page: Page) => {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
};

test('a check-in over the annual cap reaches the supervisor live; handled; the agency sees its own', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const year = Number(E2E_NOW.slice(0, 4)); // the servers' and browsers' clock (fixtures.ts)
  const inspector = await apiLogin(baseURL, 'inspector1');
  const [entA, entB] = await emptyLedgers(baseURL, inspector.token, 2);
  const staff = (await (await fetch(`${baseURL}/api/inspectors?agencyId=city-market`, { headers: { authorization: `Bearer ${inspector.token}` } })).json()) as {
    items: { id: string; name: string; certificateNumber: string }[];
  };
  const team: TeamMember[] = ['insp-city-market-1', 'insp-city-market-2'].map((id) => {
    const s = staff.items.find((x) => x.id === id)!;
    return { inspectorId: s.id, name: s.name, certificateNumber: s.certificateNumber, certificateValid: true };
  });
  const key = await registeredDevice(baseURL, inspector.token);
  // the server accepts a planned entry only for a task of its agency at that enterprise, with the enterprise's
  // scanned code (server/sync/record-rules.ts): agency1 plans one task per visit, as its task page would
  const agency = await apiLogin(baseURL, 'agency1');
  const tasksDoc = connectProvider(wsOf(baseURL), `tasks/city-market/${year}`, agency.token);
  await waitSynced(tasksDoc);
  const codes = new Map<string, string>();
  for (const u of [entA, entB]) codes.set(u, (await realCode(baseURL, u)).token);
  /** the server holds these tasks (a fresh reader sees them) */
  const tasksStored = async (ids: string[]) => {
    await expect
      .poll(
        async () => {
          const c = connectProvider(wsOf(baseURL), `tasks/city-market/${year}`, agency.token);
          try {
            await waitSynced(c);
            return ids.every((id) => c.doc.getMap('tasks').has(id));
          } finally {
            destroyAll(c);
          }
        },
        { timeout: 10_000 },
      )
      .toBe(true);
  };
  let n = 0;
  const entry = (uscc: string, month: number, members = team): EntryRecord => {
    const id = `e2e-warn-${Date.now().toString(36)}-${++n}`;
    const day = `${year}-${String(month).padStart(2, '0')}-23`;
    createTask(tasksDoc.doc, {
      id: `task-${id}`,
      agencyId: 'city-market',
      year,
      uscc,
      enterpriseName: uscc,
      itemIds: ['city-market.SJ-01'],
      window: { from: day, to: day },
      inspectorIds: members.map((m) => m.inspectorId),
      kind: { type: 'planned', planned: 'routine' },
      method: 'onsite',
      status: 'done',
      createdAt: `${year}-01-05T00:00:00Z`,
    });
    return {
      id,
      uscc,
      at: `${day}T02:00:00Z`,
      taskId: `task-${id}`,
      code: codes.get(uscc),
      by: inspector.userId,
      type: 'entry',
      agencyId: 'city-market',
      kind: { type: 'planned', planned: 'routine' },
      team: members,
      itemIds: ['city-market.SJ-01'],
      method: 'onsite',
      via: 'scan',
      exemptions: [],
      device: key.kid,
      conductAcknowledged: true,
    };
  };

  // the supervisor watches the warnings page
  const sup = await newContext(browser, baseURL, PHONE);
  const sp = await sup.newPage();
  await signIn(sp, 'supervisor1');
  await expect(sp.getByTestId('warnings-summary')).toBeVisible();
  await sp.getByTestId('warnings-link').click();
  await expect(sp).toHaveURL(/\/supervisor\/warnings$/);
  await expect(sp.getByTestId('sync-total')).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });

  // the inspector's three visits, months apart
  const ledger = connectProvider(wsOf(baseURL), `ledger/${entA}`, inspector.token);
  await waitSynced(ledger);
  const visits = [entry(entA, 1), entry(entA, 4), entry(entA, 7)];
  await tasksStored(visits.map((v) => v.taskId!));
  for (const v of visits) appendRecord(ledger.doc, await sign(v, key));

  const card = sp.locator(`[data-testid="warning"][data-id="over_cap.${visits[2].id}"]`);
  await expect(card).toBeVisible({ timeout: 20_000 });
  await expect(card).toHaveAttribute('data-severity', 'block');
  await expect(card.getByTestId('warning-message')).toContainText('年度频次上限');
  await expect(card.getByTestId('warning-status')).toHaveText('待处理');
  // the first two visits raised nothing (but that they reached the server months after their time: a late upload)
  for (const v of visits.slice(0, 2)) await expect(sp.locator(`[data-testid="warning"][data-id$="${v.id}"]:not([data-id^="late_upload"])`)).toHaveCount(0);

  // one inspector alone elsewhere: uncertified
  const ledgerB = connectProvider(wsOf(baseURL), `ledger/${entB}`, inspector.token);
  await waitSynced(ledgerB);
  const alone = entry(entB, 3, [team[0]]);
  await tasksStored([alone.taskId!]);
  appendRecord(ledgerB.doc, await sign(alone, key));
  const cardB = sp.locator(`[data-testid="warning"][data-id="uncertified.${alone.id}"]`);
  await expect(cardB).toBeVisible({ timeout: 20_000 });
  await expect(sp.getByTestId('warning-counts').locator('[data-kind="uncertified"]')).toBeVisible();
  destroyAll(ledger, ledgerB, tasksDoc);

  // filter by kind through the counts
  await sp.getByTestId('warning-counts').locator('[data-kind="over_cap"]').click();
  await expect(cardB).toHaveCount(0);
  await expect(card).toBeVisible();
  await noOverflow(sp);
  await sp.screenshot({ path: path.join(SHOTS, 'warnings-supervisor-360.png'), fullPage: true });

  // acknowledge with a note
  await card.locator('summary').click();
  await card.getByLabel('处理意见').fill('已约谈市市场监管局');
  await card.getByTestId('warning-ack').click();
  await expect(card.getByTestId('warning-status')).toHaveText('已知悉');
  await expect(card.getByTestId('warning-handled')).toContainText('已约谈市市场监管局');
  await expect(sp.getByTestId('sync-total')).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });
  await sp.screenshot({ path: path.join(SHOTS, 'warnings-handled-360.png'), fullPage: true });

  // the supervisor home summarises the year, live
  await sp.goto('/supervisor');
  await expect(sp.getByTestId('warnings-summary').getByTestId('warning-counts').locator('[data-kind="over_cap"]')).toBeVisible();
  await noOverflow(sp);
  await sp.screenshot({ path: path.join(SHOTS, 'warnings-summary-360.png') });

  // agency1 (city market supervision) sees its own warning with its status, not the supervisor's note
  const ag = await newContext(browser, baseURL, PHONE);
  const ap = await ag.newPage();
  await signIn(ap, 'agency1');
  const own = ap.getByTestId('agency-warnings').locator(`[data-testid="warning"][data-id="over_cap.${visits[2].id}"]`);
  await expect(own).toBeVisible();
  await expect(own.getByTestId('warning-status')).toHaveText('已知悉');
  await expect(own).not.toContainText('已约谈');
  await own.scrollIntoViewIfNeeded();
  await noOverflow(ap);
  await ap.screenshot({ path: path.join(SHOTS, 'warnings-agency-360.png') });

  // agency2 (city emergency management) does not
  const ag2 = await newContext(browser, baseURL, PHONE);
  const ap2 = await ag2.newPage();
  await signIn(ap2, 'agency2');
  await expect(ap2.getByTestId('agency-warnings')).toBeVisible();
  await expect(ap2.getByTestId('agency-warnings').getByTestId('warning-counts')).toBeVisible();
  await expect(ap2.locator(`[data-testid="warning"][data-id="over_cap.${visits[2].id}"]`)).toHaveCount(0);
  await Promise.all([sup.close(), ag.close(), ag2.close()]);
});
