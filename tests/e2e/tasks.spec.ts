/**
 * Tasks from a filed plan item: agency1 picks an enterprise its item targets, a window and inspectors;
 * the rules show why a task would break one (a single inspector is not enough: blocked), then the task
 * is generated into tasks/city-market/2026, and inspector1 sees it on the inspector home. The clocks
 * are the seed's "today", whatever the wall clock says.
 */
import path from 'node:path';
import { test, expect, signIn, newContext, SHOTS } from './fixtures';

const TODAY = '2026-11-25';

test('an agency generates a task from a plan item (rules shown first) and inspector1 sees it today', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const ca = await newContext(browser, baseURL);
  const a = await ca.newPage();
  await signIn(a, 'agency1');
  await a.goto('/agency');
  await a.getByTestId('tasks-link-2026').click();
  await expect(a).toHaveURL(/\/agency\/tasks\/2026/);
  await expect(a.getByTestId('task-row').first()).toBeVisible();
  const busy = new Set((await a.getByTestId('task-row').locator('td:first-child').allTextContents()).map((s) => s.replace('联合检查', '').trim()));

  // source: the filed plan's SJ-01 item (food business: catering, retail)
  const source = a.getByTestId('task-source');
  const option = source.locator('option', { hasText: 'SJ-01' });
  await source.selectOption((await option.getAttribute('value')) as string);
  await expect(a.getByTestId('task-plan-status')).toHaveText(/已备案|已公开/);
  await a.getByTestId('task-from').fill(TODAY);
  await a.getByTestId('task-to').fill(TODAY);

  // an enterprise the agency has no task at this year
  const options = a.getByTestId('ent-option');
  await expect(options.first()).toBeVisible();
  const all = await options.all();
  let chosen = '';
  for (const o of all) {
    const name = ((await o.locator('> span').textContent()) ?? '').split(' ')[0].trim();
    if (name && ![...busy].some((b) => b.startsWith(name))) {
      chosen = name;
      await o.locator('input').check();
      break;
    }
  }
  expect(chosen, `no free enterprise among ${all.length}`).not.toBe('');
  await expect(a.getByTestId('picked-count')).toContainText('已选 1');

  // one inspector: the rule says why not, and the task cannot be generated
  await a.locator('[data-testid="insp-pick"][data-inspector="insp-city-market-1"]').check();
  const check = a.getByTestId('task-check');
  await expect(check.locator('[data-code="team.too_few"]')).toBeVisible();
  await expect(check.locator('[data-code="team.too_few"]')).toContainText('至少需要2名');
  await expect(a.getByTestId('task-blocked')).toBeVisible();
  await expect(a.getByTestId('task-generate')).toBeDisabled();
  // the second certified inspector: no block left
  await a.locator('[data-testid="insp-pick"][data-inspector="insp-city-market-2"]').check();
  await expect(check.locator('[data-level="block"]')).toHaveCount(0);
  await expect(a.getByTestId('task-blocked')).toHaveCount(0);
  if (await a.getByTestId('task-confirm').count()) await a.getByTestId('task-confirm').check();
  await expect(a.getByTestId('task-generate')).toBeEnabled();
  await a.setViewportSize({ width: 360, height: 740 });
  await a.getByTestId('task-checks').scrollIntoViewIfNeeded();
  await a.screenshot({ path: path.join(SHOTS, 'tasks-generate-360.png') });
  await a.evaluate(() => window.scrollTo(0, 0));
  await a.screenshot({ path: path.join(SHOTS, 'tasks-top-360.png') });
  await a.getByTestId('task-generate').click();
  await expect(a.getByTestId('task-result')).toContainText('已生成 1 项任务');
  const row = a.getByTestId('task-row').filter({ hasText: chosen });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(TODAY);
  await row.scrollIntoViewIfNeeded();
  await a.screenshot({ path: path.join(SHOTS, 'tasks-list-360.png') });
  await expect(a.getByTestId('sync-doc')).toHaveAttribute('data-state', 'saved');
  // generating the same task again is refused by the rules (it exists)
  const again = options.filter({ hasText: chosen });
  await again.locator('input').check();
  await expect(check.locator('[data-code="task.exists"]')).toBeVisible();
  await expect(a.getByTestId('task-generate')).toBeDisabled();

  // inspector1 sees it among today's tasks
  const cb = await newContext(browser, baseURL);
  const b = await cb.newPage();
  await signIn(b, 'inspector1');
  await b.goto('/inspector');
  await expect(b.getByTestId('tasks-today').getByTestId('task-card').filter({ hasText: chosen })).toBeVisible();
  await Promise.all([ca.close(), cb.close()]);
});

test('joint tasks are asked of the server, which explains what blocks them', async ({ browser, baseURL }) => {
  const ctx = await newContext(browser, baseURL);
  const a = await ctx.newPage();
  await signIn(a, 'agency1');
  // the seeded joint plan (city market leads) is a draft and nobody has been chosen to go
  await a.goto('/agency/tasks/2027?joint=joint-2027-catering');
  await expect(a.getByTestId('joint-summary')).toContainText('2027年度餐饮服务单位');
  await expect(a.getByTestId('task-from')).toHaveValue('2027-05-01');
  await a.getByTestId('ent-option').first().locator('input').check();
  await a.getByTestId('task-generate').click();
  const result = a.getByTestId('task-result');
  await expect(result).toContainText('部分任务违反规则');
  const problems = result.getByTestId('task-problem');
  await expect(problems.filter({ has: a.locator('[data-code="plan.unfiled"]') }).first()).toBeVisible();
  await expect(problems.locator('[data-code="team.too_few"]').first()).toBeVisible();
  await expect(problems.locator('[data-agency="city-health"]').or(a.locator('[data-testid="task-problem"][data-agency="city-health"]')).first()).toBeVisible();
  await a.setViewportSize({ width: 360, height: 740 });
  await result.scrollIntoViewIfNeeded();
  await a.screenshot({ path: path.join(SHOTS, 'tasks-joint-refused-360.png') });
  await ctx.close();
});
