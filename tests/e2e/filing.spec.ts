/**
 * Plan filing end to end (measures 4 and 6), each test on a server of its own (it files and publishes):
 *  - an agency submits its plan; the supervisor returns it with a reason and the agency sees the reason
 *    live; re-filed and accepted, an edit shows "changed since filing" with the item-by-item comparison;
 *    reverted, the plan is published and the public page (no sign-in) shows it;
 *  - a county plan receives the city agency's opinion live; the county marks it resolved and the city
 *    sees that live; the city cannot edit the county's plan.
 */
import path from 'node:path';
import { test, expect, signIn, newContext, ownServer, SHOTS } from './fixtures';

test('a supervisor returns a filing and the agency sees the reason live; re-filed, accepted, changed, compared, published', async ({ browser }) => {
  const srv = await ownServer();
  try {
    const ca = await newContext(browser, srv.url);
    const cs = await newContext(browser, srv.url);
    const a = await ca.newPage();
    const s = await cs.newPage();
    await Promise.all([signIn(a, 'agency2'), signIn(s, 'supervisor1')]);
    await a.goto('/agency/plan/2027');
    const bar = a.getByTestId('filing-bar');
    await expect(bar).toHaveAttribute('data-status', 'draft');
    await expect(a.getByTestId('filing-due')).toContainText('2027-01-31');
    await expect(a.getByTestId('filing-countdown')).toBeVisible();
    await expect(a.getByTestId('plan-item').first()).toBeVisible();

    // submit: the server validates and answers; the status comes back through the doc
    await a.getByTestId('filing-submit').click();
    await expect(bar).toHaveAttribute('data-status', 'submitted');
    await expect(a.getByTestId('plan-status')).toHaveText('已报备案');
    await expect(a.getByTestId('filing-submitted')).toBeVisible();
    await expect(a.getByTestId('filing-submit')).toHaveCount(0);

    // the supervisor returns it with a reason
    await s.goto('/supervisor');
    const row = s.getByTestId('filings-pending').locator('[data-room="plan/city-emergency/2027"]');
    await expect(row).toBeVisible();
    await row.getByTestId('filing-return').click();
    await row.getByTestId('filing-confirm-return').click();
    await expect(row.getByTestId('filing-decide-error')).toHaveText('请填写退回理由');
    const reason = '检查对象不明确，请按风险等级细化后重新报送';
    await row.getByTestId('filing-reason').fill(reason);
    await s.setViewportSize({ width: 360, height: 740 });
    await row.scrollIntoViewIfNeeded();
    await s.screenshot({ path: path.join(SHOTS, 'supervisor-filings-return-360.png') });
    await row.getByTestId('filing-confirm-return').click();
    await expect(s.getByTestId('filings-pending').locator('[data-room="plan/city-emergency/2027"]')).toHaveCount(0);
    await expect(s.getByTestId('filings-unfiled').locator('[data-agency="city-emergency"]')).toContainText('已退回');

    // the agency sees it live, without reloading
    await expect(bar).toHaveAttribute('data-status', 'returned');
    await expect(a.getByTestId('return-reason')).toContainText(reason);
    await a.setViewportSize({ width: 360, height: 740 });
    await a.evaluate(() => window.scrollTo(0, 0));
    await a.screenshot({ path: path.join(SHOTS, 'plan-filing-returned-360.png') });

    // re-file; the supervisor accepts (after a refresh of the list)
    await a.getByTestId('filing-submit').click();
    await expect(bar).toHaveAttribute('data-status', 'submitted');
    await s.getByTestId('filings-refresh').click();
    const again = s.getByTestId('filings-pending').locator('[data-room="plan/city-emergency/2027"]');
    await again.getByTestId('filing-accept').click();
    await expect(again).toHaveCount(0);
    await expect(bar).toHaveAttribute('data-status', 'filed');
    await expect(a.getByTestId('filing-returned')).toHaveCount(0);
    await expect(a.getByTestId('filing-changed')).toHaveCount(0);

    // an edit after filing: "changed since filing", the comparison names the item and field
    const item0 = a.getByTestId('plan-item').first();
    const id0 = await item0.getAttribute('data-item-id');
    const before = await item0.getByTestId('notes').inputValue();
    await item0.getByTestId('notes').fill('备案后调整：增加夜间抽查');
    await expect(a.getByTestId('filing-changed')).toBeVisible();
    await expect(a.getByTestId('filing-publish')).toHaveCount(0);
    await expect(a.getByTestId('filing-submit')).toHaveText('重新报送备案');
    await a.getByTestId('filing-diff-toggle').click();
    const changed = a.getByTestId('filing-diff').locator(`[data-testid="diff-item"][data-item-id="${id0}"]`);
    await expect(changed).toHaveAttribute('data-change', 'changed');
    await expect(changed.locator('[data-field="notes"]')).toContainText('备案后调整：增加夜间抽查');
    await bar.scrollIntoViewIfNeeded();
    await a.screenshot({ path: path.join(SHOTS, 'plan-filing-changed-diff-360.png') });

    // reverted: the same content as filed again, so it can be published
    await item0.getByTestId('notes').fill(before);
    await expect(a.getByTestId('filing-changed')).toHaveCount(0);
    await expect(a.getByTestId('diff-same')).toBeVisible();
    await expect(a.getByTestId('sync-doc')).toHaveAttribute('data-state', 'saved');
    await a.getByTestId('filing-publish').click();
    await expect(bar).toHaveAttribute('data-status', 'published');

    // published: public, no sign-in
    const cp = await newContext(browser, srv.url, { width: 360, height: 740 });
    const pub = await cp.newPage();
    await pub.goto('/public/plans?year=2027');
    const card = pub.locator('[data-testid="public-plan"][data-room="plan/city-emergency/2027"]');
    await expect(card).toBeVisible();
    await expect(card.getByTestId('public-item').first()).toBeVisible();
    await expect(pub.getByTestId('role')).toHaveCount(0);
    await Promise.all([ca.close(), cs.close(), cp.close()]);
  } finally {
    await srv.cleanup();
  }
});

test("a county plan receives the city agency's opinion live; the county marks it resolved", async ({ browser }) => {
  const srv = await ownServer();
  try {
    const cc = await newContext(browser, srv.url);
    const cy = await newContext(browser, srv.url);
    const county = await cc.newPage();
    const city = await cy.newPage();
    await Promise.all([signIn(county, 'county1'), signIn(city, 'agency1')]);
    await Promise.all([county.goto('/agency/plan/2027'), city.goto('/plan/pd-market/2027')]);
    await expect(county.getByTestId('plan-opinions')).toBeVisible();
    await expect(city.getByTestId('opinion-can-comment')).toBeVisible();
    const cityItem = city.getByTestId('plan-item').nth(1);
    const countyItem = county.getByTestId('plan-item').nth(1);
    await expect(cityItem).toBeVisible();
    // the city agency cannot edit the county's plan; it can only give its opinion
    await expect(cityItem.getByTestId('notes')).toBeDisabled();
    await expect(city.getByTestId('add-button')).toHaveCount(0);

    const text = '建议与市局“双随机”抽查合并开展，避免重复检查';
    await cityItem.getByTestId('opinion-input').fill(text);
    await cityItem.getByTestId('opinion-send').click();
    await expect(cityItem.getByTestId('opinion-text')).toHaveText(text);
    // live at the county, on the same item
    const op = countyItem.getByTestId('opinion').filter({ hasText: text });
    await expect(op).toBeVisible();
    await expect(op).toHaveAttribute('data-resolved', '0');
    await expect(countyItem.getByTestId('opinion-input')).toHaveCount(0);
    await county.setViewportSize({ width: 360, height: 740 });
    await op.scrollIntoViewIfNeeded();
    await county.screenshot({ path: path.join(SHOTS, 'plan-opinion-county-360.png') });

    await op.getByTestId('opinion-resolve').click();
    await expect(op).toHaveAttribute('data-resolved', '1');
    await expect(cityItem.getByTestId('opinion').filter({ hasText: text })).toHaveAttribute('data-resolved', '1');
    await city.setViewportSize({ width: 360, height: 740 });
    await cityItem.getByTestId('opinion').filter({ hasText: text }).scrollIntoViewIfNeeded();
    await city.screenshot({ path: path.join(SHOTS, 'plan-opinion-city-360.png') });
    // nothing refused on the way (the server closes a socket that writes what it may not)
    await expect(city.getByTestId('sync-doc')).toHaveAttribute('data-state', 'saved');
    await expect(county.getByTestId('sync-doc')).toHaveAttribute('data-state', 'saved');
    await Promise.all([cc.close(), cy.close()]);
  } finally {
    await srv.cleanup();
  }
});
