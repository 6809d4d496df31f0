/**
 * Joint plans (跨部门联合检查): the lead (agency1, city market) creates one from the agency home and
 * invites two agencies (agency2, city emergency; county1, Pingding market), who join by accepting the
 * invitation on their own home page (membership needs consent); the three co-edit it at once in three browser contexts. county1's sockets are then cut through `context.routeWebSocket`
 * (a real close, unlike setOffline) while all three keep editing; when they are let through again
 * every edit of every member is there, in every context, and on the server.
 */
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { test, expect, signIn, newContext, SHOTS } from './fixtures';

/** route the context's sync sockets through the test, so they can be cut and let through again */
async function cuttable(ctx: BrowserContext): Promise<{ cut(): void; restore(): void }> {
  let blocked = false;
  const live = new Set<{ close(o?: { code?: number; reason?: string }): Promise<void> }>();
  await ctx.routeWebSocket(/\/sync\//, (ws) => {
    if (blocked) {
      void ws.close({ code: 1001, reason: 'cut by the test' });
      return;
    }
    ws.connectToServer();
    live.add(ws);
    ws.onClose(() => live.delete(ws));
  });
  return {
    cut() {
      blocked = true;
      for (const ws of live) void ws.close({ code: 1001, reason: 'cut by the test' });
      live.clear();
    },
    restore() {
      blocked = false;
    },
  };
}

const items = (p: Page, agency: string) => p.locator(`[data-testid="member-items"][data-agency="${agency}"] [data-testid="joint-item"]`);

test('three agencies co-edit a joint plan live; one is cut off for a while; all converge with every edit kept', async ({ browser, baseURL }) => {
  test.setTimeout(150_000);
  const [ca, cb, cc] = await Promise.all([newContext(browser, baseURL), newContext(browser, baseURL), newContext(browser, baseURL)]);
  const net = await cuttable(cc);
  const [a, b, c] = await Promise.all([ca.newPage(), cb.newPage(), cc.newPage()]);
  await Promise.all([signIn(a, 'agency1'), signIn(b, 'agency2'), signIn(c, 'county1')]);

  // the lead creates the joint plan from its home page, inviting the two others
  await a.goto('/agency');
  await a.getByTestId('joint-new').locator('summary').click();
  await a.getByTestId('jn-create').click();
  await expect(a.getByTestId('joint-new').getByTestId('field-error')).toHaveText(/请填写计划名称/);
  await a.getByTestId('jn-title').fill('2027年商贸餐饮场所跨部门联合检查');
  await a.getByTestId('jn-year').selectOption('2027');
  await a.locator('[data-testid="jn-member"][data-agency="city-emergency"]').check();
  await a.locator('[data-testid="jn-member"][data-agency="pd-market"]').check();
  await a.getByTestId('jn-create').click();
  await expect(a).toHaveURL(/\/agency\/joint\/joint-2027-/);
  const url = new URL(a.url()).pathname;
  const jointId = url.split('/').pop()!;
  // invited, not members yet: the lead sees them as invited; they have no access until they accept
  await expect(a.getByTestId('joint-member')).toHaveCount(1);
  await expect(a.getByTestId('joint-invited')).toHaveCount(2);
  await b.goto(url);
  await expect(b.getByTestId('no-access')).toBeVisible();
  // each invited agency's admin accepts on its home page and lands in the plan
  for (const p of [b, c]) {
    await p.goto('/agency');
    const inv = p.locator(`[data-testid="joint-invitation"][data-joint-id="${jointId}"]`);
    await expect(inv).toContainText('2027年商贸餐饮场所跨部门联合检查');
    await inv.getByTestId('invitation-accept').click();
    await expect(p).toHaveURL(new RegExp(`/agency/joint/${jointId}$`));
  }
  // the lead sees them become members live (the doc's member list is the server's)
  await expect(a.getByTestId('joint-invited')).toHaveCount(0, { timeout: 10_000 });
  for (const p of [a, b, c]) {
    await expect(p.getByTestId('joint-title')).toHaveValue('2027年商贸餐饮场所跨部门联合检查');
    await expect(p.getByTestId('joint-member')).toHaveCount(3);
    await expect(p.getByTestId('read-only')).toHaveCount(0);
  }
  // presence: all three are here, each with their agency
  for (const p of [a, b, c]) await expect(p.getByTestId('presence-user')).toHaveCount(3);
  await expect(a.locator('[data-testid="presence-user"][data-agency="pd-market"]')).toBeVisible();
  // only the lead may invite
  await expect(a.getByTestId('invite-button')).toBeVisible();
  await expect(b.getByTestId('invite-button')).toHaveCount(0);

  // live: the lead sets the window, B and C add items from their own catalogues, A sees who edits what
  await a.getByTestId('window-from').fill('2027-05-01');
  await a.getByTestId('window-to').fill('2027-06-30');
  await b.getByTestId('joint-add-select').selectOption({ index: 1 });
  await b.getByTestId('joint-add-button').click();
  await c.getByTestId('joint-add-select').selectOption({ index: 1 });
  await c.getByTestId('joint-add-button').click();
  for (const p of [a, b, c]) {
    await expect(items(p, 'city-emergency')).toHaveCount(1);
    await expect(items(p, 'pd-market')).toHaveCount(1);
    await expect(p.getByTestId('window-to')).toHaveValue('2027-06-30');
  }
  // a member cannot edit another member's item (its controls are disabled)
  await expect(items(a, 'pd-market').getByTestId('joint-who')).toBeDisabled();
  await b.getByTestId('joint-title').focus();
  await expect(a.locator('[data-field="title"]').getByTestId('field-presence')).toContainText('市应急管理局管理员');
  await b.getByTestId('joint-title').blur();

  // cut county1 off; everyone keeps editing
  await expect(c.getByTestId('sync-doc')).toHaveAttribute('data-state', 'saved');
  net.cut();
  await expect(c.getByTestId('sync-doc')).not.toHaveAttribute('data-state', 'saved');
  // C: who carries out its item, who goes, and a comment
  await items(c, 'pd-market').getByTestId('joint-who').fill('平定县局执法一队实施');
  const cPicks = c.getByTestId('team-pick');
  await cPicks.nth(0).check();
  await cPicks.nth(1).check();
  await c.getByTestId('comment-text').fill('县局离线时的意见：5月中旬进场');
  await c.getByTestId('comment-send').click();
  // A: the title and a shared industry; B: a risk level, its item's months and a comment
  await a.getByTestId('joint-title').fill('2027年商贸餐饮场所跨部门联合检查（修订）');
  await a.locator('[data-testid="joint-industries"] input[data-industry="catering"]').check();
  await b.locator('[data-testid="joint-risks"] input[data-risk="high"]').check();
  await items(b, 'city-emergency').getByTestId('months').locator('button[data-month="6"]').click();
  const bJune = await items(b, 'city-emergency').getByTestId('months').locator('button[data-month="6"]').getAttribute('aria-pressed');
  await b.getByTestId('comment-text').fill('应急局同意联合进场');
  await b.getByTestId('comment-send').click();

  // while cut off, C has changes waiting and sees none of the others' new edits
  await expect(c.getByTestId('sync-doc')).toHaveAttribute('data-pending', /^[1-9]\d*$/);
  await expect(c.getByTestId('joint-title')).toHaveValue('2027年商贸餐饮场所跨部门联合检查');
  await expect(a.getByTestId('joint-comment')).toHaveCount(1);
  await expect(items(a, 'pd-market').getByTestId('joint-who')).toHaveValue('');

  net.restore();
  for (const p of [a, b, c]) {
    await expect(p.getByTestId('joint-title')).toHaveValue('2027年商贸餐饮场所跨部门联合检查（修订）', { timeout: 20_000 });
    await expect(items(p, 'pd-market').getByTestId('joint-who')).toHaveValue('平定县局执法一队实施');
    await expect(p.getByTestId('joint-comment')).toHaveCount(2);
    await expect(p.locator('[data-testid="joint-industries"] input[data-industry="catering"]')).toBeChecked();
    await expect(p.locator('[data-testid="joint-risks"] input[data-risk="high"]')).toBeChecked();
    await expect(items(p, 'city-emergency').getByTestId('months').locator('button[data-month="6"]')).toHaveAttribute('aria-pressed', bJune!);
    await expect(p.getByTestId('window-from')).toHaveValue('2027-05-01');
    await expect(p.getByTestId('sync-doc')).toHaveAttribute('data-state', 'saved', { timeout: 20_000 });
  }
  await expect(a.locator('[data-testid="team-of"][data-agency="pd-market"] [data-testid="team-names"]')).not.toContainText('尚未选派');
  await expect(a.getByTestId('joint-comment').filter({ hasText: '县局离线时的意见' })).toHaveCount(1);

  // each user's undo reverts only their own last change: B's risk level goes, A's title stays
  await b.getByTestId('undo').click();
  await b.getByTestId('undo').click();
  await expect(a.locator('[data-testid="joint-risks"] input[data-risk="high"]')).not.toBeChecked();
  await expect(a.getByTestId('joint-title')).toHaveValue('2027年商贸餐饮场所跨部门联合检查（修订）');
  await b.getByTestId('redo').click();
  await b.getByTestId('redo').click();
  await expect(a.locator('[data-testid="joint-risks"] input[data-risk="high"]')).toBeChecked();

  // the server has it all: a fresh context of the lead reads the merged plan
  const cd = await newContext(browser, baseURL);
  const d = await cd.newPage();
  await signIn(d, 'agency1');
  await d.goto(url);
  await expect(d.getByTestId('joint-title')).toHaveValue('2027年商贸餐饮场所跨部门联合检查（修订）');
  await expect(items(d, 'pd-market').getByTestId('joint-who')).toHaveValue('平定县局执法一队实施');
  await expect(d.getByTestId('joint-comment')).toHaveCount(2);

  // the lead submits it for filing: the filing endpoint answers (or says filing is not there yet)
  await a.getByTestId('joint-submit').click();
  await expect(a.getByTestId('filing-msg').or(a.locator('[data-testid="joint-status"]:not(:has-text("草稿"))'))).toBeVisible();

  await c.setViewportSize({ width: 360, height: 740 });
  await c.evaluate(() => window.scrollTo(0, 0));
  await c.screenshot({ path: path.join(SHOTS, 'joint-editor-360.png') });
  await c.getByTestId('joint-basics').scrollIntoViewIfNeeded();
  await c.screenshot({ path: path.join(SHOTS, 'joint-editor-basics-360.png') });
  await c.getByTestId('joint-items').scrollIntoViewIfNeeded();
  await c.screenshot({ path: path.join(SHOTS, 'joint-editor-items-360.png') });
  await c.getByTestId('joint-team').scrollIntoViewIfNeeded();
  await c.screenshot({ path: path.join(SHOTS, 'joint-editor-team-360.png') });
  // the agency home lists it, with suggestions
  await b.setViewportSize({ width: 360, height: 740 });
  await b.goto('/agency');
  await expect(b.locator(`[data-testid="joint-card"][data-joint-id="${url.split('/').pop()}"]`)).toBeVisible();
  await b.getByTestId('joint-suggestions').scrollIntoViewIfNeeded();
  await b.screenshot({ path: path.join(SHOTS, 'agency-home-joint-360.png') });
  await Promise.all([ca.close(), cb.close(), cc.close(), cd.close()]);
});

test("a suggested joint plan is created from the agency home; the partner's filed plan items join when it accepts", async ({ browser, baseURL }) => {
  const [ca, cb] = await Promise.all([newContext(browser, baseURL), newContext(browser, baseURL)]);
  const [p, q] = await Promise.all([ca.newPage(), cb.newPage()]);
  await Promise.all([signIn(p, 'agency1'), signIn(q, 'agency2')]);
  await p.goto('/agency');
  // suggestions come from filed plans (this year's); the city emergency bureau's is filed
  await p.getByTestId('sugg-year').selectOption('2026');
  const s = p
    .locator('[data-testid="suggestion"][data-agencies="city-emergency city-market"]')
    .filter({ has: p.getByTestId('suggestion-create') })
    .first();
  await expect(s).toBeVisible();
  const text = await s.textContent();
  const n = Number(/(\d+) 个计划事项/.exec(text ?? '')?.[1]);
  expect(n).toBeGreaterThan(1);
  await s.getByTestId('suggestion-create').click();
  await expect(p).toHaveURL(/\/agency\/joint\//);
  const jointId = new URL(p.url()).pathname.split('/').pop()!;
  // the lead's own items at once; the partner is invited, its items wait for its consent
  await expect(p.locator('[data-testid="joint-invited"][data-agency="city-emergency"]')).toBeVisible();
  await expect(p.locator('[data-testid="member-items"][data-agency="city-market"] [data-testid="joint-item"]')).not.toHaveCount(0);
  await expect(p.locator('[data-testid="member-items"][data-agency="city-emergency"] [data-testid="joint-item"]')).toHaveCount(0);
  await q.goto('/agency');
  await q.locator(`[data-testid="joint-invitation"][data-joint-id="${jointId}"]`).getByTestId('invitation-accept').click();
  await expect(q).toHaveURL(new RegExp(`/agency/joint/${jointId}$`));
  for (const x of [p, q]) await expect(x.getByTestId('joint-item')).toHaveCount(n, { timeout: 15_000 });
  // back home: this suggestion now links to the plan instead of offering a new one
  await p.goto('/agency');
  await p.getByTestId('sugg-year').selectOption('2026');
  await expect(p.getByTestId('suggestion-existing').first()).toBeVisible();
  await Promise.all([ca.close(), cb.close()]);
});

test('a supervisor reads a joint plan; an agency that is not a member is refused', async ({ browser, baseURL }) => {
  const ctx = await newContext(browser, baseURL);
  const p = await ctx.newPage();
  await signIn(p, 'supervisor1');
  await p.goto('/agency/joint/joint-2027-catering');
  await expect(p.getByTestId('read-only')).toBeVisible();
  await expect(p.getByTestId('joint-item').first()).toBeVisible();
  await expect(p.getByTestId('joint-title')).toBeDisabled();
  const c2 = await newContext(browser, baseURL);
  const q = await c2.newPage();
  await signIn(q, 'county1');
  await q.goto('/agency/joint/joint-2027-catering');
  await expect(q.getByTestId('no-access')).toBeVisible();
  await Promise.all([ctx.close(), c2.close()]);
});
