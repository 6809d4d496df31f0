/**
 * Supervision statistics end to end (issue 17), on the shared seeded server (fixed clock E2E_NOW):
 *  1. supervisor1 opens /stats from the menu, filters by agency (city-market) and months (2026-09..2026-11), sees
 *     the charts (accessible canvases) and tables; the summary equals the API's for the same filters; it exports
 *     the monthly table (CSV, XLSX) and the ledger (CSV, XLSX), and the files read back (csv-parse, @e965/xlsx)
 *     have Chinese headers, the rows on screen (or the API's total) and only the filter's agency and months;
 *  2. inspector1 checks in by scanning with Chromium's fake camera at today's planned task that no other spec
 *     uses (not enterprise1's), and the supervisor's open page counts one more inspection within 15 s, unreloaded;
 *  3. supervisor1 finds enterprise1's whole file (一企一档) by name: entries and results on one time line, filtered
 *     by type;
 *  4. agency1 sees its own figures only: no agency filter, one agency row, 403 for another agency, no files page;
 *  5. screenshots of /stats at 360×740 and 1280×900 (and in English): test-results/screenshots, and with
 *     STATS_SHOTS=1 docs/screenshots/stats-360.png, stats-desktop.png, stats-desktop-en.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Download, Locator, Page } from '@playwright/test';
import { parse as parseCsv } from 'csv-parse/sync';
import * as XLSX from '@e965/xlsx';
import { test, expect, signIn, newContext, SHOTS } from './fixtures';
import { apiToken, camDir, launchWithCamera, phoneContext, realCode } from './checkin-helpers';
import { connectProvider, destroyAll, ROOT, waitSynced } from '../helpers/spawn-server';
import { ENTERPRISE1_USCC } from '../../server/seed/constants';
import { readTasks } from '../../src/model';
import { StatsRecords, StatsSummary } from '../../src/protocol/stats';

test.afterAll(() => fs.rmSync(camDir, { recursive: true, force: true }));
test.use({ actionTimeout: 15_000 });

const TODAY = '2026-11-25';
const FROM = '2026-09';
const TO = '2026-11';
const TABLES = ['summary-detail', 'monthly', 'agencies', 'enterprises', 'warnings', 'feedback', 'plans'];
const CHARTS = ['monthly', 'agencies', 'enterprises'];
const HAN = /[\u4e00-\u9fff]/;

async function apiGet<T>(baseURL: string, token: string, p: string, schema: { parse(x: unknown): T }): Promise<T> {
  const r = await fetch(`${baseURL}${p}`, { headers: { authorization: `Bearer ${token}` } });
  expect(r.status, p).toBe(200);
  return schema.parse(await r.json());
}

/** every section's table is on screen, those of `withRows` with rows (others may be empty: no warnings in a range), and none failed */
async function sectionsLoaded(page: Page, withRows = ['summary-detail', 'monthly', 'agencies', 'plans']): Promise<void> {
  for (const n of TABLES) await expect(page.getByTestId(`stats-table-${n}`)).toBeVisible({ timeout: 20_000 });
  for (const n of withRows) await expect(page.getByTestId(`stats-table-${n}`).locator('tbody tr').first()).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('[data-testid^="stats-error-"]')).toHaveCount(0);
}

/** a table as text: header cells and body rows (whitespace collapsed) */
async function tableText(table: Locator): Promise<{ head: string[]; rows: string[][] }> {
  return table.evaluate((t) => {
    const txt = (c: Element) => (c.textContent ?? '').replace(/\s+/g, ' ').trim();
    const headRow = t.querySelector('thead tr:last-child');
    return {
      head: headRow ? [...headRow.children].map(txt) : [],
      rows: [...t.querySelectorAll('tbody tr')].map((r) => [...r.children].map(txt)),
    };
  });
}

/** a downloaded CSV or XLSX as rows of strings (the CSV's BOM stripped) */
async function readDownload(d: Download): Promise<string[][]> {
  const buf = fs.readFileSync(await d.path());
  if (d.suggestedFilename().endsWith('.csv')) return parseCsv(buf.toString('utf8').replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
  const wb = XLSX.read(buf, { type: 'buffer' });
  const rows = XLSX.utils.sheet_to_json(wb.Sheets[wb.SheetNames[0]], { header: 1, raw: false, defval: '' }) as unknown[][];
  return rows.map((r) => r.map((c) => String(c ?? '')));
}

async function download(page: Page, testId: string): Promise<Download> {
  const d = page.waitForEvent('download', { timeout: 30_000 });
  await page.getByTestId(testId).click();
  return d;
}

/** "1,234" on screen and 1234 in a file are the same figure */
const norm = (s: string) => s.replace(/[,\s]/g, '');

test('supervisor1 filters by agency and months, sees charts and tables, and exports what the files read back', async ({ browser, baseURL }) => {
  test.setTimeout(60_000);
  const token = await apiToken(baseURL, 'supervisor1');
  const ctx = await newContext(browser, baseURL, { width: 1280, height: 900 });
  try {
    const page = await ctx.newPage();
    await signIn(page, 'supervisor1');
    await page.getByTestId('nav-stats').click();
    await expect(page).toHaveURL(/\/stats$/);
    await sectionsLoaded(page);

    await page.getByTestId('stats-agency').selectOption('city-market');
    await page.getByTestId('stats-from').selectOption(FROM);
    await page.getByTestId('stats-to').selectOption(TO);
    const q = `from=${FROM}&to=${TO}&agencyId=city-market`;
    const summary = await apiGet(baseURL, token, `/api/stats/summary?${q}`, StatsSummary);
    expect(summary.inspections).toBeGreaterThan(0);
    await expect(page.getByTestId('stat-inspections')).toHaveAttribute('data-value', String(summary.inspections));
    await expect(page.getByTestId('stat-enterprises')).toHaveAttribute('data-value', String(summary.enterprises));
    await expect(page.getByTestId('stat-onsite')).toHaveAttribute('data-value', String(summary.onsite));
    await sectionsLoaded(page);

    // charts: canvases with a role and a label, each beside its table
    for (const c of CHARTS) {
      const chart = page.getByTestId(`stats-chart-${c}`);
      await expect(chart).toBeVisible();
      await expect(chart).toHaveAttribute('role', 'img');
      await expect(chart).toHaveAttribute('aria-label', /\S/);
      await expect(page.getByTestId(`stats-section-${c}`).getByTestId(`stats-table-${c}`)).toBeVisible();
    }
    // the monthly table: three months, their inspections add up to the summary's
    const monthly = page.getByTestId('stats-table-monthly');
    await expect(monthly.locator('tbody tr')).toHaveCount(3);
    const shown = await tableText(monthly);
    const col = shown.rows[0].findIndex((_, i) => /检查/.test(shown.head[i]) && shown.rows.every((r) => /^\d[\d,]*$/.test(r[i])));
    expect(col, `an inspections column among ${shown.head.join(' | ')}`).toBeGreaterThanOrEqual(0);
    expect(shown.rows.reduce((s, r) => s + Number(norm(r[col])), 0)).toBe(summary.inspections);

    // the monthly table as CSV and XLSX: the headers and rows on screen, named after the range
    for (const kind of ['csv', 'xlsx']) {
      const d = await download(page, `export-${kind}-monthly`);
      expect(d.suggestedFilename()).toMatch(new RegExp(`-${FROM}-${TO}\\.${kind}$`));
      const rows = await readDownload(d);
      expect(
        rows[0].every((h) => HAN.test(h)),
        `Chinese headers: ${rows[0].join(' | ')}`,
      ).toBe(true);
      expect(rows[0]).toEqual(shown.head);
      expect(rows.slice(1).map((r) => r.map(norm))).toEqual(shown.rows.map((r) => r.map(norm)));
    }

    // the ledger of the filter: every row city-market's, in the months, as many as the API counts
    const records = await apiGet(baseURL, token, `/api/stats/records?${q}&limit=1000`, StatsRecords);
    expect(records.total).toBeGreaterThan(0);
    expect(records.rows.every((r) => r.agencyId === 'city-market')).toBe(true);
    const agencyName = records.rows[0].agencyName;
    for (const kind of ['csv', 'xlsx']) {
      const d = await download(page, `export-records-${kind}`);
      expect(d.suggestedFilename()).toMatch(new RegExp(`-${FROM}-${TO}\\.${kind}$`));
      const [head, ...rows] = await readDownload(d);
      expect(
        head.every((h) => HAN.test(h)),
        `Chinese headers: ${head.join(' | ')}`,
      ).toBe(true);
      expect(rows).toHaveLength(records.total);
      // the agency's column holds its name on every row; a date column keeps to the months
      const agencyCol = head.findIndex((_, i) => rows.every((r) => r[i] === agencyName));
      expect(agencyCol, `a column of ${agencyName} on every row`).toBeGreaterThanOrEqual(0);
      const dateCol = head.findIndex((_, i) => rows.every((r) => /^\d{4}-\d{2}-\d{2}/.test(r[i])));
      expect(dateCol, 'a date column').toBeGreaterThanOrEqual(0);
      for (const r of rows) expect(r[dateCol].slice(0, 7) >= FROM && r[dateCol].slice(0, 7) <= TO, r[dateCol]).toBe(true);
      // the first page's record ids are in the file
      const ids = new Set(rows.flat());
      for (const r of records.rows.slice(0, 20)) expect(ids.has(r.id), r.id).toBe(true);
    }
  } finally {
    await ctx.close();
  }
});

test("a check-in by inspector1 is counted on the supervisor's open page within seconds", async ({ browser, baseURL }) => {
  test.setTimeout(90_000);
  // today's planned task of inspector1 that is not enterprise1's (checkin.spec.ts takes that one)
  const insp = await apiToken(baseURL, 'inspector1');
  const tasks = connectProvider(`${baseURL.replace(/^http/, 'ws')}/sync`, 'tasks/city-market/2026', insp);
  let task: ReturnType<typeof readTasks>['items'][number] | undefined;
  try {
    await waitSynced(tasks);
    task = readTasks(tasks.doc).items.find(
      (t) =>
        t.kind.type === 'planned' &&
        t.method === 'onsite' &&
        t.status === 'assigned' &&
        t.uscc !== ENTERPRISE1_USCC &&
        t.inspectorIds.includes('insp-city-market-1') &&
        t.window.from <= TODAY &&
        TODAY <= t.window.to,
    );
  } finally {
    destroyAll(tasks);
  }
  expect(task, "a planned task of today's besides enterprise1's").toBeTruthy();
  const code = await realCode(baseURL, task!.uscc);

  const supCtx = await newContext(browser, baseURL, { width: 1280, height: 900 });
  const cam = await launchWithCamera(code.qrText);
  try {
    const sup = await supCtx.newPage();
    await signIn(sup, 'supervisor1');
    await sup.goto('/stats');
    const figure = sup.getByTestId('stat-inspections');
    // this year, every agency: the page's figure is the API's
    const before = (await apiGet(baseURL, await apiToken(baseURL, 'supervisor1'), '/api/stats/summary?year=2026', StatsSummary)).inspections;
    await expect(figure).toHaveAttribute('data-value', String(before));

    const phone = await (await phoneContext(cam, baseURL)).newPage();
    await signIn(phone, 'inspector1');
    const card = phone.getByTestId('tasks-today').getByTestId('task-card').filter({ hasText: task!.enterpriseName }).filter({ hasText: '计划检查' });
    await card.first().getByTestId('task-open').click();
    await expect(phone.getByTestId('checkin-task')).toContainText(task!.uscc);
    if ((await phone.getByTestId('team-member').count()) < 2) await phone.getByTestId('second-inspector').selectOption('insp-city-market-2');
    await expect(phone.getByTestId('team-member')).toHaveCount(2);
    await expect(phone.getByTestId('blocked')).toHaveCount(0);
    await phone.getByTestId('conduct-ack').check();
    await phone.getByTestId('scan-start').click();
    await expect(phone.getByTestId('entered')).toHaveAttribute('data-via', 'scan', { timeout: 30_000 });
    const entered = Date.now();

    // the supervisor's page, not reloaded, counts it
    await expect(figure).toHaveAttribute('data-value', String(before + 1), { timeout: 15_000 });
    test.info().annotations.push({ type: 'fresh figures', description: `counted ${Date.now() - entered} ms after the scan` });
    await expect(sup).toHaveURL(/\/stats$/);

    // the inspection is closed as the phone app would
    await phone.getByTestId('outcome-no_problem').check();
    await phone.getByTestId('checkout').click();
    await expect(phone.getByTestId('checked-out')).toBeVisible();
  } finally {
    await cam.close();
    await supCtx.close();
  }
});

test("supervisor1 opens enterprise1's whole file by name and filters its time line", async ({ browser, baseURL }) => {
  const ctx = await newContext(browser, baseURL, { width: 1280, height: 900 });
  try {
    const page = await ctx.newPage();
    await signIn(page, 'supervisor1');
    await page.getByTestId('nav-files').click();
    await expect(page).toHaveURL(/\/supervisor\/file$/);
    await page.getByTestId('file-search').fill('晋味轩');
    await page.getByTestId('file-search').press('Enter');
    const hit = page.locator(`[data-testid="file-result"][data-uscc="${ENTERPRISE1_USCC}"]`);
    await expect(hit).toHaveCount(1);
    const link = hit.locator('a');
    await ((await link.count()) ? link.first() : hit).click();
    await expect(page).toHaveURL(new RegExp(`/supervisor/file/${ENTERPRISE1_USCC}$`));
    await expect(page.getByTestId('file-enterprise-name')).toContainText('晋味轩');
    await expect(page.getByTestId('file-uscc')).toContainText(ENTERPRISE1_USCC);
    await expect(page.getByTestId('file-counts')).toBeVisible();
    const events = page.getByTestId('file-timeline').getByTestId('file-event');
    await expect(events.first()).toBeVisible();
    const entries = page.locator('[data-testid="file-event"][data-type="entry"]');
    await expect(entries.first()).toBeVisible();
    await expect(page.locator('[data-testid="file-event"][data-type="result"]').first()).toBeVisible();
    // enterprise1 is inspected by two agencies in the seed (city-market, city-ecology)
    const agencies = new Set(
      await page.locator('[data-testid="file-event"][data-type="entry"]').evaluateAll((es) => es.map((e) => e.getAttribute('data-agency'))),
    );
    expect(agencies.has('city-market')).toBe(true);
    const all = await events.count();
    const nEntries = await entries.count();
    expect(all).toBeGreaterThan(nEntries);

    await page.getByTestId('file-filter-type').selectOption('entry');
    await expect(events).toHaveCount(nEntries);
    expect(await events.evaluateAll((es) => es.every((e) => e.getAttribute('data-type') === 'entry'))).toBe(true);
    await page.getByTestId('file-filter-type').selectOption('');
    await expect(events).toHaveCount(all);
    await page.screenshot({ path: path.join(SHOTS, 'enterprise-file.png'), fullPage: true });
  } finally {
    await ctx.close();
  }
});

test('agency1 sees only its own figures', async ({ browser, baseURL }) => {
  const token = await apiToken(baseURL, 'agency1');
  for (const p of ['/api/stats/summary?agencyId=city-emergency', '/api/stats/records?agencyId=city-emergency', `/api/stats/enterprise/${ENTERPRISE1_USCC}`]) {
    const r = await fetch(`${baseURL}${p}`, { headers: { authorization: `Bearer ${token}` } });
    expect(r.status, p).toBe(403);
  }
  const ctx = await newContext(browser, baseURL, { width: 1280, height: 900 });
  try {
    const page = await ctx.newPage();
    await signIn(page, 'agency1');
    await page.getByTestId('nav-stats').click();
    await expect(page).toHaveURL(/\/stats$/);
    await sectionsLoaded(page);
    await expect(page.getByTestId('stats-agency')).toHaveCount(0);
    await expect(page.getByTestId('nav-files')).toHaveCount(0);
    const rows = page.getByTestId('stats-table-agencies').locator('tbody tr');
    await expect(rows).toHaveCount(1);
    // its own row: the figures the API gives it
    const own = await apiGet(baseURL, token, '/api/stats/summary', StatsSummary);
    expect(own.scope).toBe('agency');
    expect(own.filter.agencyId).toBe('city-market');
    await expect(page.getByTestId('stat-inspections')).toHaveAttribute('data-value', String(own.inspections));
    // the enterprise file is for supervisors: the app sends agency1 home
    await page.goto('/supervisor/file');
    await expect(page).not.toHaveURL(/\/supervisor\/file/);
    await expect(page.getByTestId('file-search')).toHaveCount(0);
  } finally {
    await ctx.close();
  }
});

test('the statistics page at 360 px and at desktop width, in Chinese and English', async ({ browser, baseURL }) => {
  test.setTimeout(60_000);
  const docs = process.env.STATS_SHOTS === '1' ? path.join(ROOT, 'docs', 'screenshots') : null;
  if (docs) fs.mkdirSync(docs, { recursive: true });
  const shot = async (page: Page, name: string) => {
    // charts drawn and their animations over
    for (const c of CHARTS) await expect(page.getByTestId(`stats-chart-${c}`)).toBeVisible();
    await page.waitForTimeout(1200);
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    if (docs) fs.copyFileSync(path.join(SHOTS, `${name}.png`), path.join(docs, `${name}.png`));
  };
  const ctx = await newContext(browser, baseURL, { width: 360, height: 740 });
  try {
    const page = await ctx.newPage();
    await signIn(page, 'supervisor1');
    await page.goto('/stats');
    await sectionsLoaded(page);
    // the one-off notice about browser storage is not part of the page
    const notice = page.getByTestId('storage-notice');
    if (await notice.isVisible()) await notice.locator('button').click();
    await expect(notice).toHaveCount(0);
    expect
      .soft(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), '/stats at 360 px scrolls sideways')
      .toBeLessThanOrEqual(0);
    await shot(page, 'stats-360');

    await page.setViewportSize({ width: 1280, height: 900 });
    await sectionsLoaded(page);
    await shot(page, 'stats-desktop');

    await page.evaluate(() => localStorage.setItem('eicp.lang', 'en'));
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('lang', /^en/);
    await sectionsLoaded(page);
    await shot(page, 'stats-desktop-en');
    await page.evaluate(() => localStorage.setItem('eicp.lang', 'zh'));
  } finally {
    await ctx.close();
  }
});
