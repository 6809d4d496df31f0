/**
 * The statistics of inspections over a real server (server/stats/inspections.ts):
 *  - on the demo seed, the summary agrees with counts made here from the ledger rooms themselves;
 *  - records this test signs and uploads to two fresh enterprises (planned and triggered, on-site, off-site and
 *    written, joint and drawn tasks, a correction, results with flexible-enforcement findings, visits on quiet
 *    days with and without a listed exception) move every figure by exactly what they are, under each filter:
 *    agency, division, industry and a month range across a year end; a corrected entry counts once;
 *  - monthly has every month of the range and adds up to the summary; agencies add up too;
 *  - the ledger export pages over every row once, with its total, and refuses a forged cursor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { registeredDevice, sign } from '../../helpers/devices';
import { appendRecord, createTask, readLedger } from '../../../src/model';
import { effectiveRecords } from '../../../src/domain/corrections';
import { shanghaiDate } from '../../../src/domain/time';
import type { DeviceKey } from '../../../src/domain/record-signing';
import type { LedgerRecord, TeamMember } from '../../../src/domain/schemas';
import { StatsAgencies, StatsEnterprises, StatsMonthly, StatsRecords, StatsSummary } from '../../../src/protocol/stats';

let srv: SpawnedServer;
let supervisor: LoginResult, agency1: LoginResult, inspector1: LoginResult;
let key: DeviceKey;
let team: TeamMember[];

interface Ent {
  uscc: string;
  division: string;
  industry: string;
  quietZone: boolean;
}
/** F: a fresh enterprise outside the quiet zone; Q: a fresh one inside it, of another industry */
let F: Ent, Q: Ent;

const get = (path: string, who: LoginResult | null = supervisor) =>
  fetch(`${srv.url}${path}`, { headers: who ? { authorization: `Bearer ${who.token}` } : {} });
const read = async <T>(path: string, schema: { parse: (x: unknown) => T }, who: LoginResult = supervisor): Promise<T> => {
  const r = await get(path, who);
  const text = await r.text();
  expect(r.status, `${path}: ${text.slice(0, 400)}`).toBe(200);
  return schema.parse(JSON.parse(text));
};
const summaryOf = (q: string) => read(`/api/stats/summary?${q}`, StatsSummary);

type Tree = { [k: string]: number | Tree };
/** the numeric leaves of b − a, zeros left out (meta fields ignored) */
function delta(a: unknown, b: unknown): Tree {
  const out: Tree = {};
  const ao = (a ?? {}) as Record<string, unknown>;
  const bo = (b ?? {}) as Record<string, unknown>;
  for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) {
    if (k === 'asOf' || k === 'filter' || k === 'scope') continue;
    const x = ao[k];
    const y = bo[k];
    if (typeof x === 'number' || typeof y === 'number') {
      const d = ((y as number) ?? 0) - ((x as number) ?? 0);
      if (d) out[k] = d;
    } else if ((x && typeof x === 'object') || (y && typeof y === 'object')) {
      const sub = delta(x, y);
      if (Object.keys(sub).length) out[k] = sub;
    }
  }
  return out;
}

/** enterprises whose ledger is still empty, one outside the quiet zone and one inside it (another industry) */
async function freshEnterprises(): Promise<[Ent, Ent]> {
  let f: Ent | undefined;
  let q: Ent | undefined;
  for (let offset = 1200; offset < 2000 && !(f && q); offset += 200) {
    const page = (await (await get(`/api/enterprises?limit=200&offset=${offset}`, agency1)).json()) as { items: Ent[] };
    for (const e of page.items) {
      if (e.quietZone ? q : f) continue;
      if (e.quietZone && f && e.industry === f.industry) continue;
      const p = connectProvider(srv.wsUrl, `ledger/${e.uscc}`, supervisor.token);
      await waitSynced(p);
      const empty = p.doc.getMap('records').size === 0;
      destroyAll(p);
      if (!empty) continue;
      if (e.quietZone) q = e;
      else f = e;
      if (f && q) break;
    }
  }
  if (!f || !q) throw new Error('no fresh enterprises');
  return [f, q];
}

let taskN = 0;
/** a task of city-market for `e` (an entry of a planned inspection must name one) */
async function task(e: Ent, day: string, extra: { jointId?: string; drawId?: string; method?: 'onsite' | 'offsite'; planned?: 'routine' | 'special' } = {}) {
  const id = `stats-task-${process.pid}-${++taskN}`;
  const p = connectProvider(srv.wsUrl, `tasks/city-market/${day.slice(0, 4)}`, agency1.token);
  await waitSynced(p);
  createTask(p.doc, {
    id,
    agencyId: 'city-market',
    year: Number(day.slice(0, 4)),
    uscc: e.uscc,
    enterpriseName: 'x',
    itemIds: ['city-market.SJ-01'],
    window: { from: day, to: day },
    inspectorIds: team.map((m) => m.inspectorId),
    kind: { type: 'planned', planned: extra.planned ?? 'routine' },
    method: extra.method ?? 'onsite',
    status: 'done',
    createdAt: '2025-01-05T00:00:00Z',
    ...(extra.jointId ? { jointId: extra.jointId } : {}),
    ...(extra.drawId ? { drawId: extra.drawId } : {}),
  });
  await waitFor(
    async () => {
      const c = connectProvider(srv.wsUrl, `tasks/city-market/${day.slice(0, 4)}`, agency1.token);
      await waitSynced(c);
      const has = c.doc.getMap('tasks').has(id);
      destroyAll(c);
      return has;
    },
    10_000,
    'task stored',
  );
  destroyAll(p);
  return id;
}

const codes = new Map<string, string>();
async function codeOf(uscc: string): Promise<string> {
  if (!codes.has(uscc)) codes.set(uscc, ((await (await get(`/api/enterprises/${uscc}/code`, inspector1)).json()) as { token: string }).token);
  return codes.get(uscc)!;
}

const ids = (n: string) => `stats-${process.pid}-${n}`;
async function entry(e: Ent, n: string, at: string, o: Partial<z.input<typeof LedgerRecord>> & Record<string, unknown>): Promise<z.input<typeof LedgerRecord>> {
  const late = o.via === 'late';
  return {
    id: ids(n),
    uscc: e.uscc,
    at,
    by: inspector1.userId,
    type: 'entry',
    agencyId: 'city-market',
    kind: { type: 'planned', planned: 'routine' },
    team,
    itemIds: ['city-market.SJ-01'],
    method: 'onsite',
    via: 'scan',
    // an off-site inspection is recorded without a scan (and carries no code)
    ...(late ? { lateReason: '当场网络中断，事后补录' } : o.via === 'offsite' ? {} : { code: await codeOf(e.uscc) }),
    exemptions: [],
    device: key.kid,
    conductAcknowledged: true,
    ...o,
  } as z.input<typeof LedgerRecord>;
}
function result(e: Ent, n: string, entryN: string, at: string, outcome: 'no_problem' | 'rectify' | 'case_filed', suggestions: string[]) {
  return {
    id: ids(n),
    uscc: e.uscc,
    at,
    by: inspector1.userId,
    type: 'result',
    entryId: ids(entryN),
    agencyId: 'city-market',
    checklist: [],
    findings: suggestions.map((s, i) => ({ itemId: 'city-market.SJ-01', description: `问题 ${i + 1}`, suggestion: s })),
    outcome,
    ...(outcome === 'rectify' ? { rectifyBy: '2026-04-30' } : {}),
    notice: '检查结果告知',
    checkedOutAt: at,
  } as z.input<typeof LedgerRecord>;
}

async function upload(e: Ent, recs: z.input<typeof LedgerRecord>[]) {
  const p = connectProvider(srv.wsUrl, `ledger/${e.uscc}`, inspector1.token);
  await waitSynced(p);
  for (const r of recs) appendRecord(p.doc, await sign(r, key));
  await waitFor(
    async () => {
      const c = connectProvider(srv.wsUrl, `ledger/${e.uscc}`, supervisor.token);
      await waitSynced(c);
      const n = c.doc.getMap('records').size;
      destroyAll(c);
      return n >= recs.length;
    },
    15_000,
    'records stored',
  );
  destroyAll(p);
}

beforeAll(async () => {
  srv = await spawnServer();
  [supervisor, agency1, inspector1] = await Promise.all(['supervisor1', 'agency1', 'inspector1'].map((u) => login(srv.url, u)));
  await waitFor(() => srv.logs.some((l) => l.msg === 'projection caught up'), 60_000, 'projection caught up');
  key = await registeredDevice(srv.url, inspector1.token);
  const staff = (await (await get('/api/inspectors?agencyId=city-market', agency1)).json()) as {
    items: { id: string; name: string; certificateNumber: string }[];
  };
  team = ['insp-city-market-1', 'insp-city-market-2'].map((id) => {
    const s = staff.items.find((x) => x.id === id)!;
    return { inspectorId: s.id, name: s.name, certificateNumber: s.certificateNumber, certificateValid: true };
  });
  [F, Q] = await freshEnterprises();
}, 180_000);
afterAll(async () => {
  await srv?.stop();
});

describe('the demo seed', () => {
  it("the summary of 2026 agrees with the ledger rooms' own records", async () => {
    const s = await summaryOf('year=2026');
    // the enterprises inspected, as the export names them; their ledgers are read here, not through the projection
    const all = await read('/api/stats/records?year=2026&limit=10000', StatsRecords);
    expect(all.next).toBeNull();
    const usccs = [...new Set(all.rows.map((r) => r.uscc))];
    const mine = { inspections: 0, onsite: 0, offsite: 0, written: 0, planned: 0, triggered: 0, results: 0, no_problem: 0, rectify: 0, case_filed: 0 };
    const inspected = new Set<string>();
    for (const u of usccs) {
      const p = connectProvider(srv.wsUrl, `ledger/${u}`, supervisor.token);
      await waitSynced(p);
      const recs = effectiveRecords(readLedger(p.doc, { uscc: u }).items.map((x) => x.rec)).filter((r) => shanghaiDate(r.at).startsWith('2026-'));
      destroyAll(p);
      for (const r of recs) {
        if (r.type === 'entry') {
          inspected.add(u);
          mine.inspections++;
          mine[r.method ?? 'onsite']++;
          mine[r.kind.type]++;
        } else if (r.type === 'result') {
          mine.results++;
          mine[r.outcome]++;
        }
      }
    }
    expect(mine.inspections).toBeGreaterThan(10);
    expect({
      inspections: s.inspections,
      onsite: s.onsite,
      offsite: s.offsite,
      written: s.written,
      planned: s.planned,
      triggered: s.triggered,
      results: s.outcomes.results,
      no_problem: s.outcomes.no_problem,
      rectify: s.outcomes.rectify,
      case_filed: s.outcomes.case_filed,
    }).toEqual(mine);
    expect(s.enterprises).toBe(inspected.size);
    expect(all.total).toBe(s.inspections + s.outcomes.results);
  });

  it('monthly has every month of the range, across a year end, and adds up to the summary; so do the agencies', async () => {
    for (const q of ['year=2026', 'from=2025-11&to=2026-02', 'year=2026&agencyId=city-market']) {
      const s = await summaryOf(q);
      const m = await read(`/api/stats/monthly?${q}`, StatsMonthly);
      const months = q.startsWith('from')
        ? ['2025-11', '2025-12', '2026-01', '2026-02']
        : Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`);
      expect(m.rows.map((r) => r.month)).toEqual(months);
      const sum = (k: keyof (typeof m.rows)[number]) => m.rows.reduce((a, r) => a + (r[k] as number), 0);
      expect({
        inspections: sum('inspections'),
        planned: sum('planned'),
        triggered: sum('triggered'),
        onsite: sum('onsite'),
        offsite: sum('offsite'),
        joint: sum('joint'),
        drawn: sum('drawn'),
        no_problem: sum('no_problem'),
        rectify: sum('rectify'),
        case_filed: sum('case_filed'),
      }).toEqual({
        inspections: s.inspections,
        planned: s.planned,
        triggered: s.triggered,
        onsite: s.onsite,
        offsite: s.offsite + s.written,
        joint: s.joint,
        drawn: s.drawn,
        no_problem: s.outcomes.no_problem,
        rectify: s.outcomes.rectify,
        case_filed: s.outcomes.case_filed,
      });
      const a = await read(`/api/stats/agencies?${q}`, StatsAgencies);
      expect(a.rows.reduce((x, r) => x + r.inspections, 0)).toBe(s.inspections);
      expect(a.rows.reduce((x, r) => x + r.case_filed + r.rectify + r.no_problem, 0)).toBe(s.outcomes.results);
      for (let i = 1; i < a.rows.length; i++) expect(a.rows[i - 1].inspections).toBeGreaterThanOrEqual(a.rows[i].inspections);
    }
    const all = await read('/api/stats/agencies?year=2026', StatsAgencies);
    expect(all.rows.some((r) => r.inspections === 0)).toBe(true);
  });

  it('a division or an industry narrows the figures to its enterprises', async () => {
    const all = await read('/api/stats/records?year=2026&limit=10000', StatsRecords);
    const entries = all.rows.filter((r) => r.type === 'entry');
    for (const [field, param] of [
      ['division', 'division'],
      ['industry', 'industry'],
    ] as const) {
      const values = [...new Set(entries.map((r) => r[field]))];
      expect(values.length).toBeGreaterThan(1);
      let total = 0;
      for (const v of values) {
        const s = await summaryOf(`year=2026&${param}=${v}`);
        expect(s.inspections, `${param}=${v}`).toBe(entries.filter((r) => r[field] === v).length);
        total += s.inspections;
      }
      expect(total).toBe(entries.length);
    }
  });
});

describe('records uploaded now move the figures by exactly what they are', () => {
  const before = new Map<string, unknown>();
  /** the queries compared before and after */
  const Fq = () => `agencyId=city-market&division=${F.division}&industry=${F.industry}`;
  const queries = () => ({
    city: 'year=2026',
    agency: 'year=2026&agencyId=city-market',
    fOnly: `year=2026&${Fq()}`,
    industry: `year=2026&industry=${F.industry}`,
    division: `year=2026&division=${F.division}`,
    yearEnd: `from=2025-12&to=2026-01&${Fq()}`,
    december: `from=2025-12&to=2025-12&${Fq()}`,
    otherAgency: 'year=2026&agencyId=city-emergency',
  });

  beforeAll(async () => {
    for (const [k, q] of Object.entries(queries())) before.set(k, await summaryOf(q));
    before.set('enterprises', await read(`/api/stats/enterprises?year=2026&${Fq()}`, StatsEnterprises));
    before.set('records', await read(`/api/stats/records?from=2025-12&to=2026-12&${Fq()}`, StatsRecords));
    const t1 = await task(F, '2026-03-23', { jointId: 'joint-stats-test' });
    const t2 = await task(F, '2026-04-23', { drawId: 'draw-stats-test', method: 'offsite', planned: 'special' });
    await upload(F, [
      await entry(F, 'e1', '2026-03-23T02:00:00Z', { taskId: t1 }),
      // the same inspector corrects it: the correction counts, the entry it replaces no more
      await entry(F, 'e1c', '2026-03-23T03:00:00Z', { taskId: t1, corrects: ids('e1') }),
      // an off-site check recorded without a scan: an inspection, off-site, never late
      await entry(F, 'e2', '2026-04-23T02:00:00Z', {
        taskId: t2,
        kind: { type: 'planned', planned: 'special' },
        method: 'offsite',
        via: 'offsite',
        sources: [{ kind: 'documents', note: '调阅进货查验台账' }],
      }),
      await entry(F, 'e3', '2025-12-24T02:00:00Z', {
        kind: { type: 'triggered', trigger: { kind: 'complaint', ref: 'TS-1' } },
        method: 'written',
        via: 'late',
        itemIds: [],
      }),
      await entry(F, 'e4', '2026-01-05T02:00:00Z', {
        kind: { type: 'triggered', trigger: { kind: 'referral', ref: 'ZB-1' } },
        exemptions: [{ rule: 'cap', kind: 'referral', reason: '上级转办案件' }],
      }),
      result(F, 'r1', 'e1c', '2026-03-23T04:00:00Z', 'rectify', ['lighter', 'first_offence_exempt']),
      result(F, 'r2', 'e2', '2026-04-23T04:00:00Z', 'no_problem', []),
      result(F, 'r3', 'e3', '2026-01-06T02:00:00Z', 'case_filed', ['mitigated']),
    ]);
    // Q, in the quiet zone: three on-site visits on quiet days (the 10th): planned without an exception (a
    // breach), planned under a listed exception, triggered by a complaint
    const t5 = await task(Q, '2026-06-10');
    const t6 = await task(Q, '2026-07-10');
    await upload(Q, [
      await entry(Q, 'q5', '2026-06-10T02:00:00Z', { taskId: t5 }),
      await entry(Q, 'q6', '2026-07-10T02:00:00Z', { taskId: t6, exemptions: [{ rule: 'quiet', kind: 'hazard', reason: '群众举报重大安全隐患' }] }),
      await entry(Q, 'q7', '2026-08-10T02:00:00Z', { kind: { type: 'triggered', trigger: { kind: 'complaint', ref: 'TS-2' } } }),
    ]);
    const base = before.get('city') as StatsSummary;
    await waitFor(
      async () => {
        const s = await summaryOf('year=2026');
        return s.inspections === base.inspections + 6 && s.outcomes.results === base.outcomes.results + 3 && s.quiet.breaches === base.quiet.breaches + 1;
      },
      20_000,
      'the uploaded records in the figures',
    );
  }, 120_000);

  const F2026 = {
    inspections: 3,
    enterprises: 1,
    planned: 2,
    triggered: 1,
    byPlanned: { special: 1, routine: 1 },
    byTrigger: { referral: 1 },
    onsite: 2,
    offsite: 1,
    joint: 1,
    drawn: 1,
    exemptions: { total: 1, byKind: { referral: 1 } },
    outcomes: { results: 3, no_problem: 1, rectify: 1, case_filed: 1, findings: 3, flexible: { lighter: 1, mitigated: 1, first_offence_exempt: 1 } },
  };
  const Q2026 = {
    inspections: 3,
    enterprises: 1,
    planned: 2,
    triggered: 1,
    byPlanned: { routine: 2 },
    byTrigger: { complaint: 1 },
    onsite: 3,
    quiet: { onQuietDays: 3, withException: 1, triggered: 1, breaches: 1 },
    exemptions: { total: 1, byKind: { hazard: 1 } },
  };

  it('the city, the agency, its enterprise alone, an industry; a corrected entry counts once', async () => {
    const q = queries();
    const d = async (k: keyof typeof q) => delta(before.get(k), await summaryOf(q[k]));
    const both = {
      ...F2026,
      inspections: 6,
      enterprises: 2,
      planned: 4,
      triggered: 2,
      byPlanned: { special: 1, routine: 3 },
      byTrigger: { referral: 1, complaint: 1 },
      onsite: 5,
      quiet: Q2026.quiet,
      exemptions: { total: 2, byKind: { referral: 1, hazard: 1 } },
    };
    expect(await d('city')).toEqual(both);
    expect(await d('agency')).toEqual(both);
    expect(await d('fOnly')).toEqual(F2026);
    expect(await d('industry')).toEqual(F2026);
    expect(await d('otherAgency')).toEqual({});
    const div = await d('division');
    expect(div.inspections).toBe(F.division === Q.division ? 6 : 3);
  });

  it('a month range across the year end: the December entry and the January ones', async () => {
    const q = queries();
    expect(delta(before.get('yearEnd'), await summaryOf(q.yearEnd))).toEqual({
      inspections: 2,
      enterprises: 1,
      triggered: 2,
      byTrigger: { complaint: 1, referral: 1 },
      onsite: 1,
      written: 1,
      late: 1,
      exemptions: { total: 1, byKind: { referral: 1 } },
      outcomes: { results: 1, case_filed: 1, findings: 1, flexible: { mitigated: 1 } },
    });
    expect(delta(before.get('december'), await summaryOf(q.december))).toEqual({
      inspections: 1,
      enterprises: 1,
      triggered: 1,
      byTrigger: { complaint: 1 },
      written: 1,
      late: 1,
    });
    const m = await read(`/api/stats/monthly?${q.yearEnd}`, StatsMonthly);
    expect(m.rows.map((r) => r.month)).toEqual(['2025-12', '2026-01']);
  });

  it('the distribution per enterprise: the enterprise inspected on-site twice in 2026', async () => {
    const b = before.get('enterprises') as StatsEnterprises;
    const a = await read(`/api/stats/enterprises?year=2026&${Fq()}`, StatsEnterprises);
    expect(a.cap).toBe(2);
    expect(a.inspected).toBe(b.inspected + 1);
    expect(a.distribution.map((x) => x.enterprises - (b.distribution.find((y) => y.times === x.times)?.enterprises ?? 0))).toEqual([0, 1, 0]);
    expect(a.distribution.map((x) => [x.times, x.atLeast])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(a.distribution.reduce((x, y) => x + y.enterprises, 0)).toBe(a.inspected);
  });

  it('the export pages over every row once, with its total, in time order; the corrected entry is not among them', async () => {
    const q = `from=2025-12&to=2026-12&${Fq()}`;
    const seen: string[] = [];
    const ats: string[] = [];
    let after: string | null = null;
    let total = -1;
    for (let page = 0; page < 100; page++) {
      const r: StatsRecords = await read(`/api/stats/records?${q}&limit=2${after ? `&after=${after}` : ''}`, StatsRecords);
      total = r.total;
      expect(r.rows.length).toBeLessThanOrEqual(2);
      for (const x of r.rows) {
        seen.push(`${x.type}:${x.id}`);
        ats.push(new Date(x.at).toISOString());
      }
      after = r.next;
      if (!after) break;
    }
    const b = before.get('records') as StatsRecords;
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(total);
    expect(total).toBe(b.total + 7);
    expect(seen).toEqual(
      expect.arrayContaining(
        ['entry:e1c', 'entry:e2', 'entry:e3', 'entry:e4', 'result:r1', 'result:r2', 'result:r3'].map((s) => s.replace(':', `:${ids('')}`)),
      ),
    );
    expect(seen).not.toContain(`entry:${ids('e1')}`);
    expect([...ats].sort()).toEqual(ats);
    const all = await read(`/api/stats/records?${q}`, StatsRecords);
    const e1c = all.rows.find((r) => r.id === ids('e1c'))!;
    expect(e1c).toMatchObject({ type: 'entry', kind: 'planned', detail: 'routine', method: 'onsite', joint: true, drawn: false, late: false, uscc: F.uscc });
    expect(e1c.inspectors).toBe(team.map((m) => m.name).join('、'));
    expect(all.rows.find((r) => r.id === ids('e2'))).toMatchObject({ type: 'entry', method: 'offsite', late: false });
    expect(all.rows.find((r) => r.id === ids('r1'))).toMatchObject({ type: 'result', outcome: 'rectify', findings: 2, entryId: ids('e1c'), method: null });
  });

  it('a forged or broken cursor is 400', async () => {
    for (const bad of ['!!!', 'Zm9v', Buffer.from('12.x.abc').toString('base64url'), Buffer.from('12.e.bad id').toString('base64url')]) {
      const r = await get(`/api/stats/records?year=2026&after=${encodeURIComponent(bad)}`);
      expect(r.status, bad).toBe(400);
    }
  });
});
