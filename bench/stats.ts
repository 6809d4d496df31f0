/**
 * `npm run bench:stats`: the supervision statistics' speed on a city-sized server (SEED_SCALE=city, the clock at
 * 2026-11-25 10:00 Shanghai). Prints figures and ratios; asserts nothing.
 *  a) every statistics section (summary, monthly, agencies, enterprises, warnings, feedback, plans) over HTTP on
 *     localhost for four filters: the whole city this year; the agency with the most inspections; a division and
 *     an industry (the commonest pair among this year's records); 24 months (2025-01..2026-12). The first (cold)
 *     request, then the median of RUNS without If-None-Match, then one with it (the 304 a polling page pays);
 *     goal 300 ms. Baselines in the same run: GET /api/ratings/by-agency?year=2026 (an existing supervisors'
 *     read) and /healthz. One page of the ledger export (/api/stats/records, 5,000 rows) is timed too.
 *  b) the /stats page for supervisor1 at 4× CPU throttling (CDP Emulation.setCPUThrottlingRate), from navigation
 *     until every section's table has its rows on screen, and separately until the three charts' canvases are
 *     there; median of OPEN_RUNS reloads after a warm-up; goal 1.5 s. Baseline: the supervisor home page
 *     (/supervisor until its certificate rows are on screen) at the same throttling.
 *  c) the ledger export of 2025-01..2026-12 in the UI (unthrottled): export-records-csv, then export-records-xlsx,
 *     timed from the click to the download event, with the progress values seen on the way; goal 10 s each; the
 *     rows of each file are counted (csv-parse, @e965/xlsx) against the API's `total`. The page's filters cannot
 *     cross a year end, so its requests are widened to the 24 months on the way out (see partC); the year 2026
 *     as the page asks for it is timed too.
 *
 * A fresh city seed takes ~35 s, and the projection then catches up on its ~39,000 rooms for ~2.5 minutes (2 cores)
 * before the figures are whole; the bench waits for it (BENCH_DATA skips both on a second run).
 *
 *   npm run bench:stats        (RUNS=…, OPEN_RUNS=…, PART=a|b|c: one part; BENCH_DIST=<a vite build> to skip the
 *                               build; BENCH_DATA=<dir>: keep/reuse the seeded data dir, which saves the ~60 s seeding)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { parse as parseCsv } from 'csv-parse/sync';
import * as XLSX from '@e965/xlsx';
import { StatsAgencies, StatsRecords, StatsSummary } from '../src/protocol/stats';
import { login, ROOT, spawnServer, type SpawnedServer } from '../tests/helpers/spawn-server';
import { CHROMIUM, CHROMIUM_ARGS } from '../playwright.config';

const CLOCK_NOW = '2026-11-25T10:00:00+08:00';
const YEAR = 2026;
const RUNS = Number(process.env.RUNS ?? 7);
const OPEN_RUNS = Number(process.env.OPEN_RUNS ?? 3);
const API_GOAL_MS = 300;
const OPEN_GOAL_MS = 1500;
const EXPORT_GOAL_MS = 10_000;
const SECTIONS = ['summary', 'monthly', 'agencies', 'enterprises', 'warnings', 'feedback', 'plans'] as const;
/** the tables of the page: the summary's detail table and one per section */
const TABLES = ['summary-detail', 'monthly', 'agencies', 'enterprises', 'warnings', 'feedback', 'plans'];
const CHARTS = ['monthly', 'agencies', 'enterprises'];
const EXPORT_RANGE = { from: '2025-01', to: '2026-12' };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

// ---------- the server ----------

function viteBuild(): string {
  if (process.env.BENCH_DIST) return path.resolve(process.env.BENCH_DIST);
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-stats-dist-'));
  const t = performance.now();
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', dist, '--emptyOutDir'], { cwd: ROOT, stdio: 'inherit' });
  console.log(`vite build into ${dist}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return dist;
}

interface Got {
  ms: number;
  status: number;
  bytes: number;
  etag: string | null;
  body: string;
}
async function get(url: string, token: string, headers: Record<string, string> = {}): Promise<Got> {
  const t = performance.now();
  try {
    const r = await fetch(url, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
    const body = await r.text();
    return { ms: performance.now() - t, status: r.status, bytes: Buffer.byteLength(body), etag: r.headers.get('etag'), body };
  } catch (err) {
    // a dropped connection is a figure too (status 0), not the end of the run
    return { ms: performance.now() - t, status: 0, bytes: 0, etag: null, body: String(err) };
  }
}

/** until the projection has caught up: its log line, and this year's inspections unchanged over three polls */
async function waitForProjection(srv: SpawnedServer, token: string): Promise<number> {
  const t0 = performance.now();
  const caughtUp = () => srv.logs.some((l) => l.msg === 'projection caught up') || !srv.logs.some((l) => l.msg === 'projection catching up');
  let last = -1;
  let same = 0;
  while (performance.now() - t0 < 600_000) {
    const r = await get(`${srv.url}/api/stats/summary?year=${YEAR}`, token);
    const n = r.status === 200 ? StatsSummary.parse(JSON.parse(r.body)).inspections : -1;
    same = n === last ? same + 1 : 0;
    last = n;
    if (caughtUp() && same >= 2) break;
    await sleep(1000);
  }
  const behind = srv.logs.find((l) => l.msg === 'projection catching up');
  const done = srv.logs.find((l) => l.msg === 'projection caught up');
  console.log(
    `projection: ${behind ? `${behind.rooms} rooms behind at start, caught up in ${done ? `${done.ms} ms` : '(no log line)'}` : 'nothing to catch up at start'};` +
      ` waited ${((performance.now() - t0) / 1000).toFixed(1)} s; this year's inspections: ${last < 0 ? '(summary not answering)' : last.toLocaleString('en')}`,
  );
  return last;
}

// ---------- a) the sections over HTTP ----------

interface Timed {
  cold: number;
  median: number;
  min: number;
  max: number;
  notModified: number | null;
  status: number;
  bytes: number;
}
async function timeSection(url: string, token: string): Promise<Timed> {
  const first = await get(url, token);
  const runs: Got[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await get(url, token));
  const last = runs[runs.length - 1] ?? first;
  let notModified: number | null = null;
  if (last.etag) {
    const r = await get(url, token, { 'if-none-match': last.etag });
    notModified = r.status === 304 ? r.ms : null;
  }
  const xs = runs.map((r) => r.ms);
  return { cold: first.ms, median: median(xs), min: Math.min(...xs), max: Math.max(...xs), notModified, status: last.status, bytes: last.bytes };
}

async function partA(srv: SpawnedServer, token: string): Promise<unknown> {
  const q = (o: Record<string, string | number>) => new URLSearchParams(Object.entries(o).map(([k, v]) => [k, String(v)])).toString();
  // the agency with the most inspections this year
  const ag = await get(`${srv.url}/api/stats/agencies?year=${YEAR}`, token);
  const top = ag.status === 200 ? StatsAgencies.parse(JSON.parse(ag.body)).rows[0] : undefined;
  // the commonest division + industry among this year's first page of records
  const rec = await get(`${srv.url}/api/stats/records?${q({ year: YEAR, limit: 5000 })}`, token);
  let pair: { division: string; industry: string } | undefined;
  if (rec.status === 200) {
    const counts = new Map<string, number>();
    for (const r of StatsRecords.parse(JSON.parse(rec.body)).rows)
      counts.set(`${r.division}|${r.industry}`, (counts.get(`${r.division}|${r.industry}`) ?? 0) + 1);
    const best = [...counts].sort((a, b) => b[1] - a[1])[0];
    if (best) pair = { division: best[0].split('|')[0], industry: best[0].split('|')[1] };
  }
  const scenarios: [string, string][] = [
    [`the city, ${YEAR}`, q({ year: YEAR })],
    [
      `${top ? `${top.agencyId} (${top.inspections.toLocaleString('en')} inspections)` : 'city-market (agencies not answering)'}, ${YEAR}`,
      q({ year: YEAR, agencyId: top?.agencyId ?? 'city-market' }),
    ],
    [
      `division ${pair?.division ?? '140302'} + ${pair?.industry ?? 'catering'}, ${YEAR}`,
      q({ year: YEAR, division: pair?.division ?? '140302', industry: pair?.industry ?? 'catering' }),
    ],
    ['the city, 24 months 2025-01..2026-12', q({ from: '2025-01', to: '2026-12' })],
  ];

  // baselines, measured the same way
  const base: Record<string, Timed> = {};
  for (const [name, p, tok] of [
    ['GET /api/ratings/by-agency?year=2026', `/api/ratings/by-agency?year=${YEAR}`, token],
    ['GET /healthz', '/healthz', ''],
  ] as const)
    base[name] = await timeSection(`${srv.url}${p}`, tok);
  const ratings = base['GET /api/ratings/by-agency?year=2026'].median;
  console.log(`\na) the sections over HTTP (cold, then the median of ${RUNS}; goal ${API_GOAL_MS} ms). Baselines:`);
  for (const [name, b] of Object.entries(base))
    console.log(`  ${name.padEnd(44)} cold ${ms(b.cold).padStart(8)}; median ${ms(b.median).padStart(8)} (${(b.bytes / 1024).toFixed(1)} KB, ${b.status})`);

  const out: Record<string, Record<string, Timed>> = {};
  let worst = { what: '', median: 0 };
  for (const [label, query] of scenarios) {
    console.log(`\n  ${label}:`);
    out[label] = {};
    for (const s of SECTIONS) {
      const r = await timeSection(`${srv.url}/api/stats/${s}?${query}`, token);
      out[label][s] = r;
      if (r.status === 200 && r.median > worst.median) worst = { what: `${label} / ${s}`, median: r.median };
      console.log(
        `    ${s.padEnd(12)} ${r.status === 200 ? '' : `HTTP ${r.status}! `}cold ${ms(r.cold).padStart(8)}; median ${ms(r.median).padStart(8)} (min ${ms(r.min)}, max ${ms(r.max)});` +
          ` ${(r.bytes / 1024).toFixed(1)} KB; 304 ${r.notModified === null ? '—' : ms(r.notModified)}` +
          ` — ${(r.median / API_GOAL_MS).toFixed(2)}× the goal, ${(r.median / ratings).toFixed(1)}× ratings/by-agency`,
      );
    }
  }
  // one page of the ledger's rows (what the export fetches 20 times for 100,000 rows)
  const pageQ = q({ ...EXPORT_RANGE, limit: 5000 });
  const recs = await timeSection(`${srv.url}/api/stats/records?${pageQ}`, token);
  let total = 0;
  let nextMs = 0;
  if (recs.status === 200) {
    const first = StatsRecords.parse(JSON.parse((await get(`${srv.url}/api/stats/records?${pageQ}`, token)).body));
    total = first.total;
    if (first.next) nextMs = (await get(`${srv.url}/api/stats/records?${q({ ...EXPORT_RANGE, limit: 5000, after: first.next })}`, token)).ms;
  }
  console.log(
    `\n  /api/stats/records ${EXPORT_RANGE.from}..${EXPORT_RANGE.to}, first page of 5,000: cold ${ms(recs.cold)}; median ${ms(recs.median)};` +
      ` ${(recs.bytes / 1024).toFixed(0)} KB; the second page ${ms(nextMs)}; total ${total.toLocaleString('en')} rows (HTTP ${recs.status})`,
  );
  console.log(`  slowest section (median): ${worst.what} ${ms(worst.median)} — ${(worst.median / API_GOAL_MS).toFixed(2)}× the goal`);
  return { baselines: base, sections: out, records: { ...recs, total, nextMs }, worst };
}

// ---------- b) the page at 4× CPU throttling ----------

async function signedIn(browser: Browser, url: string, username: string, o: { serviceWorkers?: 'allow' | 'block' } = {}): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    baseURL: url,
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
    ...o,
  });
  // no ctx.clock.install: it would fake performance.now(), which the marks below rely on (the page's year is
  // the real one; the server's clock decides the figures)
  const page = await ctx.newPage();
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('demo1234');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('role').waitFor();
  await page.close();
  return ctx;
}

/**
 * An init script that stamps performance.now() when every selector of each group matches, and says so on the
 * console (not waitForFunction: Playwright's injected script would run on the throttled main thread mid-load).
 */
function watchScript(groups: Record<string, string[]>): string {
  return `(() => {
    const groups = ${JSON.stringify(groups)};
    window.__marks = {};
    const check = () => {
      let left = 0;
      for (const [name, sels] of Object.entries(groups)) {
        if (window.__marks[name]) continue;
        if (sels.every((s) => document.querySelector(s))) { window.__marks[name] = performance.now(); console.log('bench:' + name); }
        else left++;
      }
      if (!left) obs.disconnect();
    };
    const obs = new MutationObserver(check);
    document.addEventListener('DOMContentLoaded', () => { obs.observe(document.body, { childList: true, subtree: true, attributes: true }); check(); });
  })();`;
}

interface Opened {
  cold: Record<string, number>;
  runs: Record<string, number[]>;
}
/** reloads of `pathname` at 4× CPU until every group is on screen (ms since navigation start) */
async function openTimes(ctx: BrowserContext, pathname: string, groups: Record<string, string[]>): Promise<Opened> {
  const page = await ctx.newPage();
  await page.addInitScript(watchScript(groups));
  const cdp = await ctx.newCDPSession(page);
  const names = Object.keys(groups);
  const t = performance.now();
  await page.goto(pathname, { waitUntil: 'commit', timeout: 120_000 });
  await page.locator(groups[names[0]].join(', ')).first().waitFor({ timeout: 120_000 });
  await page.waitForFunction((n) => n.every((k: string) => (window as unknown as { __marks: Record<string, number> }).__marks[k]), names, { timeout: 120_000 });
  console.log(`  (${pathname}: first open, unthrottled, cold cache: ${Math.round(performance.now() - t)} ms)`);
  await page.waitForTimeout(1000); // the service worker installs and caches behind
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const out: Opened = { cold: {}, runs: Object.fromEntries(names.map((n) => [n, []])) };
  for (let i = 0; i <= OPEN_RUNS; i++) {
    const seen = Promise.all(names.map((n) => page.waitForEvent('console', { predicate: (m) => m.text() === `bench:${n}`, timeout: 120_000 })));
    await page.reload({ waitUntil: 'commit' });
    await seen;
    const marks = await page.evaluate(() => (window as unknown as { __marks: Record<string, number> }).__marks);
    for (const n of names) {
      if (i === 0) out.cold[n] = marks[n];
      else out.runs[n].push(marks[n]);
    }
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await page.close();
  return out;
}

async function partB(ctx: BrowserContext): Promise<unknown> {
  const rowsOf = (n: string) => `[data-testid="stats-table-${n}"] tbody tr, [data-testid="stats-error-${n}"]`;
  const statsGroups = {
    tables: TABLES.map(rowsOf),
    charts: CHARTS.map((c) => `canvas[data-testid="stats-chart-${c}"]`),
  };
  console.log(`\nb) opening at 4× CPU throttling (ms from navigation; median of ${OPEN_RUNS} reloads after a warm-up; goal ${OPEN_GOAL_MS} ms):`);
  const home = await openTimes(ctx, '/supervisor', { page: ['[data-testid="cert-row"]'] });
  const stats = await openTimes(ctx, '/stats', statsGroups);
  const line = (name: string, xs: number[], cold: number, base?: number) =>
    console.log(
      `  ${name.padEnd(40)} ${ms(median(xs)).padStart(8)} (first reload ${ms(cold)}; runs ${xs.map((x) => x.toFixed(0)).join(', ')})` +
        ` — ${(median(xs) / OPEN_GOAL_MS).toFixed(2)}× the goal${base ? `, ${(median(xs) / base).toFixed(2)}× the baseline page` : ''}`,
    );
  const base = median(home.runs.page);
  line('/supervisor (baseline: certificate rows)', home.runs.page, home.cold.page);
  line('/stats: every section table with rows', stats.runs.tables, stats.cold.tables, base);
  line('/stats: the three charts', stats.runs.charts, stats.cold.charts, base);
  // did any section fail on the way? (an error counts as "on screen" above)
  const page = await ctx.newPage();
  await page.goto('/stats');
  await page.locator(rowsOf('plans')).first().waitFor({ timeout: 60_000 });
  const errs = await page.locator('[data-testid^="stats-error-"]').count();
  if (errs) console.log(`  NOTE: ${errs} section(s) showed an error: ${await page.locator('[data-testid^="stats-error-"]').allTextContents()}`);
  await page.close();
  return {
    home: { cold: home.cold.page, median: base },
    tables: median(stats.runs.tables),
    charts: median(stats.runs.charts),
    cold: stats.cold,
    sectionErrors: errs,
  };
}

// ---------- c) the ledger export in the UI ----------

async function timeExport(page: Page, which: 'csv' | 'xlsx'): Promise<{ ms: number; progress: string[]; rows: number; bytes: number; file: string }> {
  const seen: string[] = [];
  let done = false;
  const t = performance.now();
  const download = page.waitForEvent('download', { timeout: 120_000 });
  await page.getByTestId(`export-records-${which}`).click();
  // progress as the page shows it (aria-valuenow / value, and the status text)
  const watch = (async () => {
    while (!done) {
      const v = await page
        .evaluate(() => {
          const p = document.querySelector('[data-testid="export-progress"]') as HTMLProgressElement | null;
          const s = document.querySelector('[data-testid="export-status"]');
          if (!p && !s) return null;
          const now = p ? (p.getAttribute('aria-valuenow') ?? (p.value !== undefined ? String(p.value) : '')) : '';
          const max = p ? (p.getAttribute('aria-valuemax') ?? (p.max !== undefined ? String(p.max) : '')) : '';
          return `${now}/${max} «${(s?.textContent ?? '').trim()}»`;
        })
        .catch(() => null);
      if (v && seen[seen.length - 1] !== v) seen.push(v);
      await sleep(150);
    }
  })();
  const d = await download;
  const took = performance.now() - t;
  done = true;
  await watch;
  const file = await d.path();
  const buf = fs.readFileSync(file);
  let rows: number;
  if (which === 'csv') {
    const recs = parseCsv(buf.toString('utf8').replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
    rows = recs.length - 1;
  } else {
    const wb = XLSX.read(buf, { type: 'buffer', dense: true });
    const sheet = wb.Sheets[wb.SheetNames[0]];
    rows = (XLSX.utils.sheet_to_json(sheet, { header: 1 }) as unknown[][]).length - 1;
  }
  return { ms: took, progress: seen, rows, bytes: buf.length, file: d.suggestedFilename() };
}

/**
 * The page's filters stay within one year (stats-from / stats-to are months of the year chosen), so the
 * 24-month export is the page's own export of 2026 with its /api/stats/records requests widened to
 * 2025-01..2026-12 on the way out (page.route; service workers blocked so the route sees them): the page
 * fetches, shows progress over and builds all ~100,000 rows as it would for such a range. The plain year
 * (2026, ~50,000 rows) is timed too, unaltered.
 */
async function partC(browser: Browser, srv: SpawnedServer, token: string): Promise<unknown> {
  const totalOf = async (q: string) => {
    const r = await get(`${srv.url}/api/stats/records?${q}&limit=1`, token);
    return r.status === 200 ? StatsRecords.parse(JSON.parse(r.body)).total : -1;
  };
  const wide = await totalOf(`from=${EXPORT_RANGE.from}&to=${EXPORT_RANGE.to}`);
  const year = await totalOf(`year=${YEAR}`);
  console.log(
    `\nc) the ledger export in the UI, unthrottled (goal ${EXPORT_GOAL_MS / 1000} s each; API totals: ${EXPORT_RANGE.from}..${EXPORT_RANGE.to} ${wide.toLocaleString('en')} rows, ${YEAR} ${year.toLocaleString('en')}):`,
  );
  const ctx = await signedIn(browser, srv.url, 'supervisor1', { serviceWorkers: 'block' });
  const out: Record<string, unknown> = { totals: { wide, year } };
  for (const [label, widen, total] of [
    [`${EXPORT_RANGE.from}..${EXPORT_RANGE.to} (the page's ${YEAR} export, its requests widened)`, true, wide],
    [`${YEAR} (the page as it is)`, false, year],
  ] as const) {
    const page = await ctx.newPage();
    let widened = 0;
    if (widen)
      await page.route(/\/api\/stats\/records\?/, (route) => {
        const u = new URL(route.request().url());
        u.searchParams.delete('year');
        u.searchParams.set('from', EXPORT_RANGE.from);
        u.searchParams.set('to', EXPORT_RANGE.to);
        widened++;
        return route.continue({ url: u.toString() });
      });
    await page.goto(`/stats?year=${YEAR}`);
    await page.locator('[data-testid="stats-table-monthly"] tbody tr').first().waitFor({ timeout: 60_000 });
    console.log(`  ${label}:`);
    const res: Record<string, unknown> = {};
    for (const which of ['csv', 'xlsx'] as const) {
      widened = 0;
      const e = await timeExport(page, which);
      res[which] = { ...e, requests: widened };
      const shown = e.progress.length > 6 ? [...e.progress.slice(0, 3), '…', ...e.progress.slice(-3)] : e.progress;
      console.log(
        `    ${which.toUpperCase().padEnd(5)} ${(e.ms / 1000).toFixed(2)} s to the download (${e.file}, ${(e.bytes / 1024 / 1024).toFixed(1)} MB, ${e.rows.toLocaleString('en')} rows${
          e.rows === total ? ' = the API total' : ` ≠ the API total ${total}`
        }${widen ? `; ${widened} requests widened` : ''}) — ${(e.ms / EXPORT_GOAL_MS).toFixed(2)}× the goal; progress seen ${e.progress.length}×: ${shown.join(' · ') || '(none)'}`,
      );
    }
    out[widen ? 'wide' : 'year'] = res;
    await page.close();
  }
  await ctx.close();
  return out;
}

// ---------- run ----------

const part = process.env.PART;
const dist = part === 'a' ? '' : viteBuild();
const keep = process.env.BENCH_DATA;
const dataDir = keep ? path.resolve(keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'bench-stats-'));
fs.mkdirSync(dataDir, { recursive: true });
const t0 = performance.now();
const srv = await spawnServer({
  dataDir,
  env: { SEED_SCALE: 'city', CLOCK_NOW, LOGIN_MAX_FAILS_IP: '1000', ...(dist ? { STATIC_DIR: dist } : {}) },
  startTimeoutMs: 600_000,
});
let browser: Browser | undefined;
try {
  console.log(`city-sized server started (seeded) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const token = (await login(srv.url, 'supervisor1')).token;
  await waitForProjection(srv, token);
  const results: Record<string, unknown> = {};
  if (!part || part === 'a') results.api = await partA(srv, token);
  if (!part || part !== 'a') {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    if (!part || part === 'b') {
      const ctx = await signedIn(browser, srv.url, 'supervisor1');
      results.page = await partB(ctx);
      await ctx.close();
    }
    if (!part || part === 'c') results.export = await partC(browser, srv, token);
  }
  console.log(JSON.stringify(results));
} finally {
  await browser?.close();
  await srv.stop();
  if (!keep) fs.rmSync(dataDir, { recursive: true, force: true });
  if (dist && !process.env.BENCH_DIST) fs.rmSync(dist, { recursive: true, force: true });
}
process.exit(0);
