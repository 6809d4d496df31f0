/**
 * `npm run bench:draw`: the 双随机 draw's speed in Chromium, on the city-sized seed. Prints figures; asserts nothing.
 *  1. src/domain/draw.ts bundled (esbuild) into a page: runDrawAsync on the city seed's 100,000 enterprises
 *     (their USCC and credit class), from the statement and the seed, and verifyDrawAsync from the published
 *     inputs with the population parsed from its text, as the public page does (the population hashed by
 *     WebCrypto); one team of 40
 *     inspectors (2 per task), and a joint draw of 3 teams; 300 recusals, 2 parties. The first (cold) run, then
 *     the median of RUNS after it; goal 200 ms each. Each figure also as a ratio to baselines measured in the
 *     same page (WebCrypto SHA-256 of the population text; sorting the 100,000 USCCs), which carry to another
 *     machine better than milliseconds do.
 *  2. On a city-sized server (SEED_SCALE=city): a draw created, committed and revealed through the API by the
 *     agency admin with the largest sampling population and the justice bureau; then the draw page
 *     (/draws/:id, signed in) and the public page (/public/draws/:id) opened at 4× CPU throttling until their
 *     status is on screen; median of OPEN_RUNS reloads after a warm-up; goal 1 s.
 *
 *   npm run bench:draw            (RUNS=…, OPEN_RUNS=…; BENCH_PROFILE=/tmp/draw: a CPU profile of one warm
 *                                  runDraw and verifyDraw per variant, /tmp/draw-teams1.cpuprofile…, for bench/profile-top.mjs; PART=1 or 2: one part)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { prng } from '../src/domain/prng';
import { commitmentOf, newSecret, populationText, type DrawEnterprise, type DrawStatement } from '../src/domain/draw';
import { readPlan } from '../src/model';
import { buildCityEnterprises } from '../server/seed/city-enterprises';
import { SEED_STRING } from '../server/seed/constants';
import { DrawDetail, DrawPreview } from '../src/protocol/draws';
import { connectProvider, destroyAll, login, ROOT, spawnServer, waitSynced } from '../tests/helpers/spawn-server';
import { CHROMIUM, CHROMIUM_ARGS } from '../playwright.config';

const RUNS = Number(process.env.RUNS ?? 7);
const OPEN_RUNS = Number(process.env.OPEN_RUNS ?? 3);
const DRAW_GOAL_MS = 200;
const OPEN_GOAL_MS = 1000;
const RATIOS = { A: 300, B: 500, C: 1000, D: 2000 };
const PARTIES = ['agency:city-market', 'justice:city-justice'];
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

// ---------- 1. the draw and its verification in the page ----------

/** the page's module: draw.ts and what the timed functions need, on window */
async function drawBundle(): Promise<string> {
  const out = await build({
    sourcemap: process.env.BENCH_PROFILE ? 'inline' : false,
    stdin: {
      contents: `import * as d from './src/domain/draw.ts'; globalThis.drawLib = d;`,
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    target: 'es2022',
    minify: !process.env.BENCH_PROFILE,
    write: false,
  });
  return out.outputFiles[0].text;
}

/** the statement of the benchmark's draw; `teams` 1 or 3 (a joint draw) */
function statement(population: DrawEnterprise[], teams: number): DrawStatement {
  const agencies = ['city-market', 'city-health', 'city-emergency'].slice(0, teams);
  const r = prng(`bench-draw/${teams}`);
  const recusals: Record<string, string[]> = {};
  for (let i = 0; i < 300; i++) {
    const u = population[r.int(0, population.length - 1)].uscc;
    const a = agencies[i % teams];
    recusals[u] = [...(recusals[u] ?? []), `insp-${a}-${r.int(1, 40)}`];
  }
  return {
    drawId: `draw-bench-${teams}`,
    population,
    ratios: RATIOS,
    teams: agencies.map((a) => ({ agencyId: a, perTask: 2, pool: Array.from({ length: 40 }, (_, i) => `insp-${a}-${i + 1}`) })),
    recusals,
    parties: PARTIES,
  };
}

interface InPage {
  cold: { run: number; verify: number };
  run: number[];
  verify: number[];
  sha: number[];
  sort: number[];
  selected: number;
  ok: boolean;
}

/** what runs in the page: the statement and secrets come in as JSON, the population as its text */
async function timeInPage(browser: Browser, lib: string, st: DrawStatement, secrets: Record<string, string>, profile?: string): Promise<InPage> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  // a secure origin for WebCrypto (localhost), served from here: no network
  await page.route('http://localhost/bench', (r) => r.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bench:draw</title>' }));
  await page.goto('http://localhost/bench');
  await page.addScriptTag({ content: lib });
  const popText = populationText(st.population);
  await page.evaluate(
    ([text, json, sec]) => {
      const w = globalThis as unknown as Record<string, unknown>;
      w.popText = text;
      w.st = JSON.parse(json);
      w.secrets = JSON.parse(sec);
    },
    [popText, JSON.stringify({ ...st, population: [] }), JSON.stringify(secrets)] as const,
  );
  // harness in the page: the server's statement has its population as records (parsed here, untimed); the
  // published draw is what the public page holds before it parses the population text
  const harness = `(() => {
    const d = globalThis.drawLib;
    const st = { ...globalThis.st, population: d.parsePopulationText(globalThis.popText) };
    const { paramsHash } = d.digestStatement(st);
    const commitments = {};
    for (const [p, s] of Object.entries(globalThis.secrets)) commitments[p] = d.commitmentOf(paramsHash, p, s);
    globalThis.timeRun = async () => {
      const t = performance.now();
      const seed = d.seedOf(paramsHash, globalThis.secrets);
      const run = await d.runDrawAsync(st, seed);
      const ms = performance.now() - t;
      globalThis.published = {
        statement: { ...globalThis.st }, populationHash: run.populationHash, populationSize: st.population.length,
        paramsHash, commitments, reveals: globalThis.secrets, seed, resultText: run.resultText,
      };
      return { ms, selected: run.picks.length };
    };
    globalThis.timeVerify = async () => {
      const t = performance.now();
      const v = await d.verifyDrawAsync({ ...globalThis.published, statement: { ...globalThis.published.statement, population: d.parsePopulationText(globalThis.popText) } });
      return { ms: performance.now() - t, ok: v.ok };
    };
    globalThis.timeSha = async () => {
      const bytes = new TextEncoder().encode(globalThis.popText);
      const t = performance.now();
      await crypto.subtle.digest('SHA-256', bytes);
      return performance.now() - t;
    };
    globalThis.timeSort = () => {
      const us = st.population.map((e) => e.uscc).reverse();
      const t = performance.now();
      us.sort();
      return performance.now() - t;
    };
  })()`;
  await page.evaluate(harness);
  type R = { ms: number; selected: number };
  type V = { ms: number; ok: boolean };
  const out: InPage = { cold: { run: 0, verify: 0 }, run: [], verify: [], sha: [], sort: [], selected: 0, ok: true };
  const cdp = await ctx.newCDPSession(page);
  for (let i = 0; i <= RUNS; i++) {
    const prof = profile && i === 1;
    if (prof) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    const r = await page.evaluate<R>('timeRun()');
    const v = await page.evaluate<V>('timeVerify()');
    if (prof) fs.writeFileSync(profile, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    const sha = await page.evaluate<number>('timeSha()');
    const sort = await page.evaluate<number>('timeSort()');
    out.selected = r.selected;
    out.ok &&= v.ok;
    if (i === 0) {
      out.cold = { run: r.ms, verify: v.ms };
      continue;
    }
    out.run.push(r.ms);
    out.verify.push(v.ms);
    out.sha.push(sha);
    out.sort.push(sort);
  }
  await ctx.close();
  return out;
}

async function partOne(browser: Browser): Promise<unknown> {
  const t0 = performance.now();
  const population: DrawEnterprise[] = buildCityEnterprises(prng(`${SEED_STRING}/city/enterprises`)).map((e) => ({ uscc: e.uscc, cls: e.creditLevel }));
  const byClass = Object.fromEntries(['A', 'B', 'C', 'D'].map((c) => [c, population.filter((e) => e.cls === c).length]));
  console.log(
    `population: the city seed's ${population.length.toLocaleString('en')} enterprises ${JSON.stringify(byClass)} (built in ${Math.round(performance.now() - t0)} ms)`,
  );
  const lib = await drawBundle();
  const secrets = Object.fromEntries(PARTIES.map((p) => [p, newSecret()]));
  const results: Record<string, unknown> = {};
  for (const teams of [1, 3]) {
    const st = statement(population, teams);
    const prof = process.env.BENCH_PROFILE ? process.env.BENCH_PROFILE.replace(/(\.cpuprofile)?$/, `-teams${teams}.cpuprofile`) : undefined;
    const p = await timeInPage(browser, lib, st, secrets, prof);
    if (prof) console.log(`  CPU profile of one warm runDraw + verifyDraw: ${prof}`);
    const sha = median(p.sha);
    const sort = median(p.sort);
    const label = teams === 1 ? 'one team of 40 (2 per task)' : 'joint: 3 teams of 40 (2 per task each)';
    console.log(`\n${label}; ${Object.keys(st.recusals).length} recused enterprises; ${p.selected.toLocaleString('en')} enterprises drawn; verified: ${p.ok}`);
    const line = (name: string, cold: number, xs: number[]) =>
      console.log(
        `  ${name.padEnd(34)} cold ${cold.toFixed(1).padStart(6)} ms; median of ${xs.length} ${median(xs).toFixed(1).padStart(6)} ms` +
          ` (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)}) — ${(median(xs) / DRAW_GOAL_MS).toFixed(2)}× the 200 ms goal;` +
          ` ${(median(xs) / sha).toFixed(1)}× SHA-256 of the text, ${(median(xs) / sort).toFixed(1)}× sorting the USCCs`,
      );
    line('runDraw (statement + seed)', p.cold.run, p.run);
    line('verifyDraw (parse text + verify)', p.cold.verify, p.verify);
    console.log(
      `  baselines: WebCrypto SHA-256 of the population text (${(populationText(population).length / 1e6).toFixed(1)} MB) ${sha.toFixed(1)} ms; sorting 100,000 USCCs ${sort.toFixed(1)} ms`,
    );
    results[`teams${teams}`] = { cold: p.cold, run: median(p.run), verify: median(p.verify), sha, sort, selected: p.selected, ok: p.ok };
  }
  return results;
}

// ---------- 2. the draw page at 4× CPU throttling on a city-sized server ----------

interface Made {
  drawId: string;
  username: string;
  agencyId: string;
  planItemId: string;
  populationSize: number;
  selected: number;
}

/** among the agency admins, the sampling item of November with the largest population; its draw, committed and revealed */
async function makeDraw(url: string, wsUrl: string): Promise<Made> {
  const year = 2026;
  const window = { from: '2026-11-25', to: '2026-11-27' };
  let best: { username: string; agencyId: string; token: string; planItemId: string; populationSize: number } | null = null;
  for (const username of ['agency1', 'agency2', 'county1']) {
    const a = await login(url, username);
    const agencyId = a.agencyId!;
    const plan = connectProvider(wsUrl, `plan/${agencyId}/${year}`, a.token);
    await waitSynced(plan, 60_000);
    const items = readPlan(plan.doc).items.filter((i) => i.targets.samplingRatio !== undefined && i.months.includes(11));
    destroyAll(plan);
    for (const it of items) {
      const r = await fetch(`${url}/api/draws`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${a.token}` },
        body: JSON.stringify({ year, kind: 'agency', source: { type: 'plan', planItemId: it.id }, window, ratios: RATIOS, perTask: 2, dryRun: true }),
      });
      if (r.status !== 200) {
        console.log(`  preview of ${it.id} (${username}): ${r.status} ${(await r.text()).slice(0, 200)}`);
        continue;
      }
      const p = DrawPreview.parse(await r.json());
      console.log(`  ${username} ${it.id}: population ${p.populationSize}, drawn ${p.selectedCount}, pool ${p.teams.map((t) => t.pool.length).join('+')}`);
      if (!best || p.populationSize > best.populationSize) best = { username, agencyId, token: a.token, planItemId: it.id, populationSize: p.populationSize };
    }
  }
  if (!best) throw new Error('no sampling item of November could be previewed');
  const post = async (p: string, token: string, body: unknown) => {
    const r = await fetch(`${url}${p}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${p}: ${r.status} ${await r.text()}`);
    return DrawDetail.parse(await r.json());
  };
  const created = await post('/api/draws', best.token, {
    year,
    kind: 'agency',
    source: { type: 'plan', planItemId: best.planItemId },
    window,
    ratios: RATIOS,
    perTask: 2,
  });
  const id = created.draw.id;
  const sup = await login(url, 'supervisor1');
  const tokenOf = (party: string) => (party.startsWith('justice:') ? sup.token : best.token);
  const secrets = Object.fromEntries(created.draw.parties.map((p) => [p.party, newSecret()]));
  for (const p of created.draw.parties)
    await post(`/api/draws/${id}/commit`, tokenOf(p.party), { party: p.party, commitment: commitmentOf(created.draw.paramsHash, p.party, secrets[p.party]) });
  let last = created;
  const t = performance.now();
  for (const p of created.draw.parties) last = await post(`/api/draws/${id}/reveal`, tokenOf(p.party), { party: p.party, secret: secrets[p.party] });
  console.log(`  the last reveal drew and made the tasks (both reveals over HTTP: ${Math.round(performance.now() - t)} ms)`);
  if (last.draw.status !== 'drawn') throw new Error(`draw ${id} is ${last.draw.status}, not drawn`);
  return {
    drawId: id,
    username: best.username,
    agencyId: best.agencyId,
    planItemId: best.planItemId,
    populationSize: best.populationSize,
    selected: last.picks?.length ?? 0,
  };
}

/** reloads of `pathname` at 4× CPU until `[data-testid=testId]` is in the document (ms since navigation start) */
async function openTimes(ctx: BrowserContext, pathname: string, testId: string, profile?: string): Promise<{ times: number[]; cold: number }> {
  const page = await ctx.newPage();
  await page.addInitScript(`(() => {
    const want = ${JSON.stringify(testId)};
    const seen = () => document.querySelector('[data-testid="' + want + '"]');
    const obs = new MutationObserver(() => { if (seen()) { obs.disconnect(); window.__shown = performance.now(); console.log('bench:shown'); } });
    document.addEventListener('DOMContentLoaded', () => obs.observe(document.body, { childList: true, subtree: true }));
  })();`);
  const cdp = await ctx.newCDPSession(page);
  const t = performance.now();
  await page.goto(pathname, { waitUntil: 'commit', timeout: 120_000 });
  await page.getByTestId(testId).first().waitFor({ timeout: 120_000 });
  console.log(`  (${pathname}: first open, unthrottled, cold cache: ${Math.round(performance.now() - t)} ms)`);
  await page.waitForTimeout(1000); // the service worker installs and caches behind
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const times: number[] = [];
  for (let i = 0; i <= OPEN_RUNS; i++) {
    // the page's own console message, not waitForFunction: Playwright's injected script would run on the
    // (throttled) main thread in the middle of the measured load
    const prof = profile && i === 1;
    if (prof) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const shown = page.waitForEvent('console', { predicate: (m) => m.text() === 'bench:shown', timeout: 120_000 });
    await page.reload({ waitUntil: 'commit' });
    await shown;
    if (prof) fs.writeFileSync(profile, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    times.push(await page.evaluate(() => (window as unknown as { __shown: number }).__shown));
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await page.close();
  return { cold: times[0], times: times.slice(1) };
}

async function partTwo(browser: Browser): Promise<unknown> {
  const dist = process.env.BENCH_DIST || path.join(ROOT, 'dist');
  if (!fs.existsSync(path.join(dist, 'index.html')))
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', dist], { cwd: ROOT, stdio: 'inherit' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-draw-'));
  const t0 = performance.now();
  const srv = await spawnServer({ dataDir, env: { SEED_SCALE: 'city', STATIC_DIR: dist, LOGIN_MAX_FAILS_IP: '1000' }, startTimeoutMs: 600_000 });
  try {
    console.log(`\ncity-sized server started (seeded) in ${((performance.now() - t0) / 1000).toFixed(1)} s; sampling items of November 2026:`);
    const made = await makeDraw(srv.url, srv.wsUrl);
    console.log(
      `  draw ${made.drawId} of ${made.planItemId} (${made.username}, ${made.agencyId}): population ${made.populationSize.toLocaleString('en')}, ${made.selected} drawn`,
    );
    const signedIn = await browser.newContext({ baseURL: srv.url, viewport: { width: 1100, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await signedIn.newPage();
    await page.goto('/login');
    await page.getByLabel('用户名').fill(made.username);
    await page.getByLabel('密码').fill('demo1234');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('role').waitFor();
    await page.close();
    const visitor = await browser.newContext({ baseURL: srv.url, viewport: { width: 1100, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const out: Record<string, { cold: number; median: number }> = {};
    console.log(`\nopening at 4× CPU throttling (ms from navigation to the status on screen; median of ${OPEN_RUNS} reloads after a warm-up):`);
    // the API answers the pages wait for, over HTTP from here (median of 3)
    const agencyToken = (await login(srv.url, made.username)).token;
    for (const [name, p, token] of [
      ['GET /api/draws/:id', `/api/draws/${encodeURIComponent(made.drawId)}`, agencyToken],
      ['GET /api/public/draws/:id', `/api/public/draws/${encodeURIComponent(made.drawId)}`, ''],
    ] as const) {
      const ms: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        const r = await fetch(`${srv.url}${p}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
        bytes = (await r.arrayBuffer()).byteLength;
        ms.push(performance.now() - t);
      }
      console.log(`  ${name}: ${median(ms).toFixed(0)} ms, ${(bytes / 1024).toFixed(0)} KB`);
    }
    // the baseline: another page of the same signed-in app, on the same server, at the same throttling
    for (const [name, ctx, p, id, prof] of [
      ['/agency/draws (baseline)', signedIn, '/agency/draws', 'draw-item', ''],
      ['/draws/:id (agency admin)', signedIn, `/draws/${encodeURIComponent(made.drawId)}`, 'draw-status', 'draw'],
      ['/public/draws/:id (no account)', visitor, `/public/draws/${encodeURIComponent(made.drawId)}`, 'public-draw-status', 'public'],
    ] as const) {
      const profile = process.env.BENCH_PROFILE && prof ? `${process.env.BENCH_PROFILE}-page-${prof}.cpuprofile` : undefined;
      const r = await openTimes(ctx, p, id, profile);
      if (profile) console.log(`  CPU profile of one 4× reload: ${profile}`);
      const m = median(r.times);
      console.log(
        `  ${name.padEnd(32)} ${m.toFixed(0).padStart(5)} ms (first reload ${r.cold.toFixed(0)} ms; runs ${r.times.map((x) => x.toFixed(0)).join(', ')}) — ${(m / OPEN_GOAL_MS).toFixed(2)}× the 1 s goal`,
      );
      out[name] = { cold: r.cold, median: m };
    }
    const base = out['/agency/draws (baseline)'].median;
    for (const n of ['/draws/:id (agency admin)', '/public/draws/:id (no account)'])
      console.log(`  ${n}: ${(out[n].median / base).toFixed(2)}× the baseline page`);
    await signedIn.close();
    await visitor.close();
    return { draw: made, open: out };
  } finally {
    await srv.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  const part = process.env.PART;
  const one = part === '2' ? null : await partOne(browser);
  const two = part === '1' ? null : await partTwo(browser);
  console.log(JSON.stringify({ draw: one, page: two }));
} finally {
  await browser.close();
}
process.exit(0);
