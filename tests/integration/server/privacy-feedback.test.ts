/**
 * Complaint anonymity and rating differencing: what an agency can learn about the enterprises that rate and complain about its
 * inspections, attacked over real sockets and HTTP on one server whose clock moves on by restarts
 * (CLOCK_NOW 2026-11-25 → 2026-11-26 → 2026-12-02, same DATA_DIR):
 *  - 7. complaint anonymity: the agency lists its warnings before and after an enterprise complains about
 *    its inspection; on the same day nothing changes; the next day it reads an opaque id, a day, a fixed
 *    text, and no USCC, record id, enterprise name, rule or word of the complaint; supervisors read it all.
 *  - 8. rating differencing: the agency polls /api/ratings/summary, an enterprise rates, the answer is
 *    byte-identical; once November has closed, city-market (5 rating enterprises) sees November's figures,
 *    pd-market (4 rating enterprises) sees nothing of November, count and all; supervisors see everything.
 * Three more enterprise accounts are made with the real admin command, as an operator would.
 */
import { spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { registeredDevice, sign } from '../../helpers/devices';
import { appendFeedback, appendRecord, readFeedback, readLedger } from '../../../src/model';
import { ENTERPRISE1_USCC, ENTERPRISE2_USCC } from '../../../server/seed/constants';
import type { TeamMember } from '../../../src/domain/schemas';
import { apiJson } from '../../helpers/api';

const env: Record<string, string> = { CLOCK_NOW: '2026-11-25T10:00:00+08:00' };
let srv: SpawnedServer;
let inspector1: LoginResult, inspector3: LoginResult, agency1: LoginResult, county1: LoginResult, supervisor: LoginResult;
let raters: LoginResult[] = [];
const RUN = `p${process.pid}`;
const COMPLAINT_ID = `complaint-${RUN}`;
const COMPLAINT_WORDS = '检查人员索要好处费 demanded a kickback';

const get = (path: string, token: string) => fetch(`${srv.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
const text = async (path: string, token: string) => {
  const r = await get(path, token);
  expect(r.status, path).toBe(200);
  return r.text();
};
const post = (path: string, body: unknown, token?: string) =>
  fetch(`${srv.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
const relogin = async () => {
  [inspector1, inspector3, agency1, county1, supervisor] = await Promise.all(
    ['inspector1', 'inspector3', 'agency1', 'county1', 'supervisor1'].map((u) => login(srv.url, u)),
  );
};
/** the server's clock moves on: restart on the same DATA_DIR with a later CLOCK_NOW, and sign in again */
const clockTo = async (iso: string) => {
  env.CLOCK_NOW = iso;
  await srv.restart();
  await relogin();
};

/** `npm run admin -- create-user --role enterprise`, then the first sign-in with the one-time password and its change */
async function enterpriseAccount(uscc: string, username: string): Promise<LoginResult> {
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'server/admin.ts', 'create-user', '--role', 'enterprise', '--uscc', uscc, '--username', username],
      { cwd: ROOT, env: { ...process.env, DATA_DIR: srv.dataDir, CLOCK_NOW: env.CLOCK_NOW }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let s = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      s += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      s += c;
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(s) : reject(new Error(`admin create-user ${username}: exit ${code}\n${s}`))));
  });
  const otp = /one-time password(?: for \S+)?: (\S+)/.exec(out)?.[1];
  if (!otp) throw new Error(`no one-time password:\n${out}`);
  const step = (await apiJson(await post('/api/login', { username, password: otp }), 'POST')) as { passwordChangeToken: string };
  const done = await post('/api/password', { currentPassword: otp, newPassword: 'privacy test pass phrase' }, step.passwordChangeToken);
  if (done.status !== 200) throw new Error(`password change ${username}: ${done.status} ${await done.text()}`);
  return (await apiJson(done, 'POST')) as LoginResult;
}

async function teamOf(agencyId: string, token: string): Promise<TeamMember[]> {
  const r = (await apiJson(await get(`/api/inspectors?agencyId=${agencyId}`, token))) as {
    items: { id: string; name: string; certificateNumber?: string; active?: boolean }[];
  };
  const two = r.items.filter((i) => i.certificateNumber && i.active !== false).slice(0, 2);
  expect(two.length).toBe(2);
  return two.map((i) => ({ inspectorId: i.id, name: i.name, certificateNumber: i.certificateNumber!, certificateValid: true }));
}

/** an inspection entry by `insp` of `agencyId` at `uscc`, signed and written over the ledger room, as the phone does */
async function inspect(insp: LoginResult, agencyId: string, team: TeamMember[], uscc: string, id: string): Promise<void> {
  const key = await registeredDevice(srv.url, insp.token);
  // the enterprise's code, scanned at the door (a clean on-site inspection raises no warning of its own)
  const code = (await apiJson(await get(`/api/enterprises/${uscc}/code`, insp.token))) as { token: string };
  const p = connectProvider(srv.wsUrl, `ledger/${uscc}`, insp.token);
  try {
    await waitSynced(p);
    appendRecord(
      p.doc,
      await sign(
        {
          id,
          uscc,
          at: '2026-11-25T01:30:00Z',
          by: insp.userId,
          type: 'entry',
          agencyId,
          kind: { type: 'triggered', trigger: { kind: 'complaint', ref: `12345-${RUN}` } },
          team,
          itemIds: [],
          method: 'onsite',
          via: 'scan',
          code: code.token,
          exemptions: [],
          device: key.kid,
          conductAcknowledged: true,
        },
        key,
      ),
    );
  } finally {
    setTimeout(() => destroyAll(p), 500);
  }
  // stored: a fresh reader (a supervisor) sees it
  const r = connectProvider(srv.wsUrl, `ledger/${uscc}`, supervisor.token);
  try {
    await waitSynced(r);
    await waitFor(() => readLedger(r.doc, { uscc }).items.some((x) => x.rec.id === id), 10_000, `entry ${id} stored`);
  } finally {
    destroyAll(r);
  }
}

/** the enterprise writes feedback over its own feedback room, as its app does; stored once a supervisor's fresh reader sees it */
async function feedback(e: LoginResult, recs: Parameters<typeof appendFeedback>[1][]): Promise<void> {
  const p = connectProvider(srv.wsUrl, `feedback/${e.uscc}`, e.token);
  try {
    await waitSynced(p);
    for (const f of recs) appendFeedback(p.doc, f);
  } finally {
    setTimeout(() => destroyAll(p), 500);
  }
  const r = connectProvider(srv.wsUrl, `feedback/${e.uscc}`, supervisor.token);
  try {
    await waitSynced(r);
    await waitFor(
      () => {
        const have = new Set(readFeedback(r.doc, { uscc: e.uscc! }).items.map((x) => x.id));
        return recs.every((f) => have.has(f.id));
      },
      10_000,
      'feedback stored',
    );
  } finally {
    destroyAll(r);
  }
}

const supSummary = async (agencyId: string) =>
  (await apiJson(await get(`/api/ratings/summary?year=2026&agencyId=${agencyId}`, supervisor.token))) as { count: number; enterprises: number };
const entryId = (agency: string, i: number) => `entry-${RUN}-${agency}-${i}`;

beforeAll(async () => {
  srv = await spawnServer({ env });
  await relogin();
  const [e1, e2] = await Promise.all(['enterprise1', 'enterprise2'].map((u) => login(srv.url, u)));
  const page = (await apiJson(await get('/api/enterprises?limit=50', supervisor.token))) as { items: { uscc: string }[] };
  const others = page.items
    .map((e) => e.uscc)
    .filter((u) => u !== ENTERPRISE1_USCC && u !== ENTERPRISE2_USCC)
    .slice(0, 3);
  expect(others.length).toBe(3);
  const made: LoginResult[] = [];
  for (const [i, u] of others.entries()) made.push(await enterpriseAccount(u, `rater${i + 3}.${process.pid}`));
  raters = [e1, e2, ...made];
}, 180_000);
afterAll(async () => {
  await srv?.stop();
});

describe('privacy of feedback towards the inspected agency', () => {
  // the agency's answers before any feedback of this run (same day, same month)
  let summaryBefore: string, countySummaryBefore: string, warningsBefore: string;

  it('8. differencing: the agency polls, enterprises rate, its answer is byte-identical; supervisors see the new figures', async () => {
    const [teamMarket, teamPd] = await Promise.all([teamOf('city-market', inspector1.token), teamOf('pd-market', inspector3.token)]);
    for (const [i, e] of raters.entries()) await inspect(inspector1, 'city-market', teamMarket, e.uscc!, entryId('market', i));
    for (const [i, e] of raters.slice(1).entries()) await inspect(inspector3, 'pd-market', teamPd, e.uscc!, entryId('pd', i));

    summaryBefore = await text('/api/ratings/summary?year=2026', agency1.token);
    countySummaryBefore = await text('/api/ratings/summary?year=2026', county1.token);
    warningsBefore = await text('/api/warnings?year=2026', agency1.token);
    const supBefore = await supSummary('city-market');

    // one enterprise rates: the attack reads the difference
    await feedback(raters[0], [
      {
        id: `rating-${RUN}-market-0`,
        uscc: raters[0].uscc!,
        at: '2026-11-25T02:30:00Z',
        by: raters[0].userId,
        type: 'rating',
        entryId: entryId('market', 0),
        score: 1,
        comment: '',
      },
    ]);
    await waitFor(async () => (await supSummary('city-market')).count === supBefore.count + 1, 20_000, 'the rating projected (supervisors)');
    expect(await text('/api/ratings/summary?year=2026', agency1.token)).toBe(summaryBefore);

    // the other enterprises rate too: five for city-market, four for pd-market; still nothing moves for the agencies
    for (const [i, e] of raters.entries()) {
      await feedback(e, [
        ...(i > 0
          ? [
              {
                id: `rating-${RUN}-market-${i}`,
                uscc: e.uscc!,
                at: '2026-11-25T02:31:00Z',
                by: e.userId,
                type: 'rating' as const,
                entryId: entryId('market', i),
                score: 4,
                comment: '',
              },
            ]
          : []),
        ...(i > 0
          ? [
              {
                id: `rating-${RUN}-pd-${i - 1}`,
                uscc: e.uscc!,
                at: '2026-11-25T02:32:00Z',
                by: e.userId,
                type: 'rating' as const,
                entryId: entryId('pd', i - 1),
                score: 5,
                comment: '',
              },
            ]
          : []),
      ]);
    }
    await waitFor(
      async () => (await supSummary('city-market')).count === supBefore.count + 5 && (await supSummary('pd-market')).count >= 4,
      20_000,
      'all ratings projected',
    );
    expect(await text('/api/ratings/summary?year=2026', agency1.token)).toBe(summaryBefore);
    expect(await text('/api/ratings/summary?year=2026', county1.token)).toBe(countySummaryBefore);
    expect(await supSummary('city-market')).toMatchObject({ enterprises: 5 });
  }, 180_000);

  it("7. a complaint: the agency's warnings do not change the same day; supervisors read everything at once", async () => {
    await feedback(raters[0], [
      {
        id: COMPLAINT_ID,
        uscc: raters[0].uscc!,
        at: '2026-11-25T03:07:41.123Z',
        by: raters[0].userId,
        type: 'complaint',
        entryId: entryId('market', 0),
        ruleCode: 'B3',
        text: COMPLAINT_WORDS,
      },
    ]);
    await waitFor(
      async () => {
        const r = (await apiJson(await get('/api/warnings?year=2026&kind=complaint', supervisor.token))) as { items: { refId?: string }[] };
        return r.items.some((w) => w.refId === COMPLAINT_ID);
      },
      20_000,
      'the complaint warning (supervisors)',
    );
    const sup = (
      (await apiJson(await get('/api/warnings?year=2026&kind=complaint', supervisor.token))) as {
        items: { refId?: string; uscc?: string; agencyId?: string; message: { zh: string } }[];
      }
    ).items.find((w) => w.refId === COMPLAINT_ID)!;
    expect(sup).toMatchObject({ uscc: raters[0].uscc, agencyId: 'city-market' });
    expect(sup.message.zh).toContain(COMPLAINT_WORDS);
    // polling the same day shows nothing new: not even when the complaint came
    expect(await text('/api/warnings?year=2026', agency1.token)).toBe(warningsBefore);
  }, 60_000);

  it('7. the next day the agency reads an opaque id, a day and a fixed text, nothing that names the enterprise or the complaint', async () => {
    await clockTo('2026-11-26T10:00:00+08:00');
    const body = await text('/api/warnings?year=2026', agency1.token);
    const r = JSON.parse(body) as {
      items: { id: string; kind: string; at: string; message: { zh: string; en: string }; handling?: { at?: string } }[];
      counts: Record<string, number>;
    };
    const mine = r.items.filter((w) => w.kind === 'complaint');
    expect(mine.length).toBe(1);
    const w = mine[0];
    // nothing anywhere in the body names the enterprise, the record or the words
    const e1 = (await apiJson(await get(`/api/enterprises/${raters[0].uscc}`, supervisor.token))) as { name: string };
    for (const secret of [raters[0].uscc!, COMPLAINT_ID, e1.name, COMPLAINT_WORDS, '索要', 'kickback', 'B3', raters[0].userId, '03:07', '11:07']) {
      expect(body, secret).not.toContain(secret);
    }
    expect(Object.keys(w).sort()).toEqual(['agencyId', 'at', 'id', 'kind', 'message', 'severity']);
    expect(Object.keys(r.counts).every((k) => /^[a-z_]+$/.test(k))).toBe(true); // counts per kind, never per enterprise
    // the time is a day (Asia/Shanghai midnight)
    expect(w.at).toBe('2026-11-25T00:00:00+08:00');
    // the id is opaque: not any plain digest of what the agency might guess
    const guesses = [COMPLAINT_ID, `complaint.${raters[0].uscc}.${COMPLAINT_ID}`, `${raters[0].uscc}${COMPLAINT_ID}`];
    const digests = guesses.flatMap((g) => [
      ...(['sha256', 'sha1', 'md5'] as const).flatMap((a) => [createHash(a).update(g).digest('hex'), createHash(a).update(g).digest('base64url')]),
      createHmac('sha256', '').update(g).digest('base64url'),
    ]);
    const tail = w.id.replace(/^complaint\./, '');
    expect(tail.length).toBeGreaterThanOrEqual(16);
    for (const dgst of digests) expect(dgst.includes(tail) || tail.includes(dgst.slice(0, 16))).toBe(false);
    // stable across reads (a handling status follows it) and distinct from the supervisors' id
    expect(JSON.parse(await text('/api/warnings?year=2026&kind=complaint', agency1.token)).items[0].id).toBe(w.id);
    // the rooms that hold the rest stay shut to the agency
    for (const room of [`feedback/${raters[0].uscc}`, 'supervision/2026']) {
      const p = connectProvider(srv.wsUrl, room, agency1.token);
      try {
        expect((await p.closed).code, room).toBe(4403);
      } finally {
        destroyAll(p);
      }
    }
    // ratings: still November, still the same answer
    expect(await text('/api/ratings/summary?year=2026', agency1.token)).toBe(summaryBefore);
  }, 120_000);

  it('8. once November has closed: ≥ 5 rating enterprises show; 4 are left out entirely; supervisors see all', async () => {
    await clockTo('2026-12-02T10:00:00+08:00');
    const market = JSON.parse(await text('/api/ratings/summary?year=2026', agency1.token)) as {
      count: number;
      enterprises: number;
      distribution: number[] | null;
      average: number | null;
      months: { month: string; count: number; enterprises: number }[];
      closedThrough: string;
    };
    expect(market.closedThrough).toBe('2026-11');
    const nov = market.months.find((m) => m.month === '2026-11');
    expect(nov).toMatchObject({ count: 5, enterprises: 5, distribution: [1, 0, 0, 4, 0], average: 3.4 });
    expect(market.count).toBeGreaterThanOrEqual(5);
    // pd-market: four rating enterprises in November, so November is not there at all
    const pdBody = await text('/api/ratings/summary?year=2026', county1.token);
    const pd = JSON.parse(pdBody) as { count: number; enterprises: number; months: { month: string }[] };
    expect(pd.months.some((m) => m.month === '2026-11')).toBe(false);
    expect(pd).toMatchObject({ count: 0, enterprises: 0, distribution: null, average: null });
    // supervisors: full current figures, scores at any count
    expect(await supSummary('pd-market')).toMatchObject({ count: 4, enterprises: 4 });
    const supPd = (await apiJson(await get('/api/ratings/summary?year=2026&agencyId=pd-market', supervisor.token))) as { distribution: number[] };
    expect(supPd.distribution).toEqual([0, 0, 0, 0, 4]);
    // the supervisors' overview stays theirs
    expect((await get('/api/ratings/by-agency?year=2026', agency1.token)).status).toBe(403);
    expect((await get('/api/ratings/by-agency?year=2026', county1.token)).status).toBe(403);
    // and polling again changes nothing until the next month closes
    expect(await text('/api/ratings/summary?year=2026', county1.token)).toBe(pdBody);
  }, 120_000);
});
