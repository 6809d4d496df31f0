/**
 * bench:import — the city-sized enterprise import through the real HTTP route, on a fresh server (its own
 * process and DATA_DIR, demo mode): 100,000 valid register rows (real USCC check characters, the city's
 * divisions, every industry, Chinese values as the register writes them) uploaded as a UTF-8 CSV, checked (the
 * dry run) and applied. Prints each phase's time, the total against the 60 s goal (a ratio: below 1 meets it),
 * and then the p50/p99 of directory searches (name parts, USCC beginnings, the status filter, later pages) on
 * the directory the import has filled (the demo's 2,000 + 100,000). Not a test.
 *
 *   npm run bench:import            (ROWS=… for another size)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { usccCheckChar } from '../src/domain/uscc';
import { INDUSTRIES, INDUSTRY_CODES } from '../src/domain/industries';
import { DIVISIONS } from '../server/seed/divisions';
import { login, spawnServer } from '../tests/helpers/spawn-server';
import { ImportJob, ImportStarted } from '../src/protocol/imports';
import { EnterprisePage } from '../src/protocol/directory';

const ROWS = Number(process.env.ROWS ?? 100_000);
const GOAL_MS = 60_000;

/** a deterministic PRNG (mulberry32) so every run imports the same file */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAME_A = ['阳泉', '平定', '盂县', '城区', '矿区', '郊区', '狮脑山', '娘子关', '冠山', '桃河', '南山', '藏山'];
const NAME_B = ['鑫源', '恒达', '宏泰', '华兴', '晋阳', '瑞丰', '永盛', '兴旺', '金石', '泰和', '诚信', '联创', '万家', '福源'];
const NAME_C = ['餐饮有限公司', '商贸有限公司', '煤业有限责任公司', '化工有限公司', '建筑工程有限公司', '运输有限公司', '超市', '药房', '酒店', '诊所', 'KTV'];
const KINDS = ['法人', '非法人组织', '个体工商户'];
const RISKS = ['低', '中', '高', '重大'];
const CREDITS = ['A', 'B', 'C', 'D'];
const STATUS = ['存续', '存续', '存续', '在业', '注销'];

function registerCsv(n: number): Buffer {
  const r = prng(20261202);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const counties = DIVISIONS.filter((d) => d.level !== 'city').map((d) => d.code);
  const lines = ['统一社会信用代码,企业名称,主体类型,所属区划,行业,风险等级,信用等级,地址,法定代表人,安静期,登记状态'];
  for (let i = 0; i < n; i++) {
    const division = pick(counties);
    // 92 (individual) or 91 (company) + the division + a serial: unique, never one of the seed's
    const first17 = `9${i % 3 === 2 ? '2' : '1'}${division}BM${String(i).padStart(7, '0')}`;
    const code = pick(INDUSTRY_CODES);
    lines.push(
      [
        first17 + usccCheckChar(first17),
        `${pick(NAME_A)}${pick(NAME_B)}${i}号${pick(NAME_C)}`,
        pick(KINDS),
        division,
        r() < 0.5 ? INDUSTRIES[code].zh : code,
        pick(RISKS),
        pick(CREDITS),
        `阳泉市${pick(NAME_A)}路${Math.floor(r() * 300) + 1}号`,
        `${pick(['王', '李', '张', '刘', '赵', '郭'])}${pick(['伟', '芳', '强', '敏', '军', '丽'])}`,
        r() < 0.1 ? '是' : '否',
        pick(STATUS),
      ].join(','),
    );
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main(): Promise<void> {
  const t0 = performance.now();
  const file = registerCsv(ROWS);
  console.log(`file: ${ROWS.toLocaleString('en')} rows, ${(file.length / 1024 / 1024).toFixed(1)} MB (generated in ${Math.round(performance.now() - t0)} ms)`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
  const srv = await spawnServer({ dataDir });
  try {
    const sup = await login(srv.url, 'supervisor1');
    const headers = { authorization: `Bearer ${sup.token}` };
    const follow = async (jobId: string, label: string) => {
      let last = '';
      for (;;) {
        const j = ImportJob.parse(await (await fetch(`${srv.url}/api/imports/${jobId}`, { headers })).json());
        const now = `${j.phase} ${j.done}/${j.total}`;
        if (now !== last && process.stdout.isTTY) process.stdout.write(`\r  ${label}: ${now}        `);
        last = now;
        if (j.phase === 'done' || j.phase === 'failed') {
          if (process.stdout.isTTY) process.stdout.write('\n');
          return j;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    const tDry = performance.now();
    const up = await fetch(`${srv.url}/api/imports/enterprises?filename=bench.csv&dryRun=1`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(file),
    });
    if (up.status !== 202) throw new Error(`upload: ${up.status} ${await up.text()}`);
    const { jobId } = ImportStarted.parse(await up.json());
    const dry = await follow(jobId, 'dry run');
    const dryMs = performance.now() - tDry;
    if (dry.phase !== 'done') throw new Error(`dry run failed: ${JSON.stringify(dry.error)}`);
    console.log(
      `dry run (upload, read, check): ${(dryMs / 1000).toFixed(2)} s — ${JSON.stringify({ ...dry.result, invalidRows: dry.result?.invalidRows.length })}`,
    );

    const tApply = performance.now();
    const ap = await fetch(`${srv.url}/api/imports/${jobId}/apply`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: '{}',
    });
    if (ap.status !== 202) throw new Error(`apply: ${ap.status} ${await ap.text()}`);
    const done = await follow(jobId, 'apply');
    const applyMs = performance.now() - tApply;
    if (done.phase !== 'done' || !done.applied) throw new Error(`apply failed: ${JSON.stringify(done.error)}`);
    console.log(`apply (read and check again, write in one transaction): ${(applyMs / 1000).toFixed(2)} s`);
    const total = dryMs + applyMs;
    console.log(`import total: ${(total / 1000).toFixed(2)} s — ${(total / GOAL_MS).toFixed(3)}× the 60 s goal (below 1 meets it)`);

    // searches on the filled directory
    const KINDS_OF_QUERY = ['a common name part', 'a longer name part', 'a rare name part', 'a USCC beginning', '注销 + a name part', 'a deep page'];
    const queries: string[] = [];
    const r = prng(7);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
    for (let i = 0; i < 300; i++) {
      const k = i % 6;
      if (k === 0) queries.push(`q=${encodeURIComponent(pick(NAME_B))}`);
      else if (k === 1) queries.push(`q=${encodeURIComponent(pick(NAME_A) + pick(NAME_B))}`);
      else if (k === 2) queries.push(`q=${encodeURIComponent(`${Math.floor(r() * ROWS)}号`)}`);
      else if (k === 3)
        queries.push(
          `q=91${pick(DIVISIONS).code}BM${String(Math.floor(r() * ROWS))
            .padStart(7, '0')
            .slice(0, 4)}`,
        );
      else if (k === 4) queries.push(`status=deregistered&q=${encodeURIComponent(pick(NAME_C))}`);
      else queries.push(`offset=${Math.floor(r() * 1000) * 50}&limit=50`);
    }
    const times: number[] = [];
    const byKind: number[][] = KINDS_OF_QUERY.map(() => []);
    let found = 0;
    for (const [i, q] of queries.entries()) {
      const t = performance.now();
      const res = await fetch(`${srv.url}/api/enterprises?${q}`, { headers });
      const page = EnterprisePage.parse(await res.json());
      times.push(performance.now() - t);
      byKind[i % 6].push(performance.now() - t);
      found += page.items.length;
    }
    for (const [k, label] of KINDS_OF_QUERY.entries())
      console.log(`  ${label}: p50 ${pct(byKind[k], 50).toFixed(1)} ms, p99 ${pct(byKind[k], 99).toFixed(1)} ms`);
    const all = EnterprisePage.parse(await (await fetch(`${srv.url}/api/enterprises?limit=1`, { headers })).json()).total;
    console.log(
      `search on ${all.toLocaleString('en')} enterprises, ${queries.length} queries over HTTP (${found} rows returned): p50 ${pct(times, 50).toFixed(1)} ms, p99 ${pct(times, 99).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms — p99 ${(pct(times, 99) / 100).toFixed(3)}× the 100 ms goal`,
    );
  } finally {
    await srv.stop();
    // KEEP=1: leave the filled DATA_DIR for a look at the queries
    if (process.env.KEEP === '1') console.log(`kept: ${dataDir}`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
