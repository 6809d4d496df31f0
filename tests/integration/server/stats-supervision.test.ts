/**
 * The supervision sections of the statistics (server/stats/supervision.ts) over a real server:
 *  - warnings by kind count what the warnings API lists; a handling written into `supervision/<year>` as the
 *    supervisors' page writes it moves a warning to handled, with the hours it took;
 *  - feedback: supervisors see each agency's ratings of its inspections with the scores; an agency sees its
 *    closed months only, and a month rated by fewer than STATS_MIN_ENTERPRISES enterprises shows counts, no
 *    average, no distribution, and no complaint count (the clock moves on by a restart, as privacy-feedback does);
 *  - plans: every enforcement agency with the due date from the policy, the seeded filings on time;
 *  - every answer parses with its schema; an agency naming another, an inspector and an enterprise are refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { deviceOf, lateEntry, sign } from '../../helpers/devices';
import { json } from '../../helpers/api';
import { appendFeedback, appendRecord, setHandling } from '../../../src/model';
import { ENTERPRISE1_USCC, ENTERPRISE2_USCC } from '../../../server/seed/constants';
import { StatsFeedback, StatsPlans, StatsWarnings, STATS_MIN_ENTERPRISES } from '../../../src/protocol/stats';

const env: Record<string, string> = { CLOCK_NOW: '2026-11-25T10:00:00+08:00' };
const RUN = `ss${process.pid}`;
let srv: SpawnedServer;
let dataDir: string;
let supervisor: LoginResult, agency1: LoginResult, inspector1: LoginResult, enterprise1: LoginResult, enterprise2: LoginResult;

const get = (p: string, who: LoginResult) => fetch(`${srv.url}${p}`, { headers: { authorization: `Bearer ${who.token}` } });
const signIn = async () => {
  [supervisor, agency1, inspector1, enterprise1, enterprise2] = await Promise.all(
    ['supervisor1', 'agency1', 'inspector1', 'enterprise1', 'enterprise2'].map((u) => login(srv.url, u)),
  );
};

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'stats-supervision-'));
  srv = await spawnServer({ dataDir, env });
  await signIn();
}, 120_000);
afterAll(async () => {
  await srv?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('warnings', () => {
  it('count by kind what the warnings API lists for the year', async () => {
    const api = (await (await get('/api/warnings?year=2026', supervisor)).json()) as { counts: Record<string, number> };
    const s = await json(await get('/api/stats/warnings?year=2026', supervisor), StatsWarnings);
    expect(s.scope).toBe('city');
    expect(Object.fromEntries(s.rows.map((r) => [r.kind, r.raised]))).toEqual(api.counts);
    for (const r of s.rows) expect(r.open).toBe(r.raised - r.handled);
  });

  it('a division filter counts the warnings about that division’s enterprises only (none without an enterprise)', async () => {
    const api = (await (await get('/api/warnings?year=2026', supervisor)).json()) as { items: { kind: string; uscc?: string }[] };
    const divisionOf = new Map<string, string>();
    for (const u of new Set(api.items.flatMap((w) => (w.uscc ? [w.uscc] : [])))) {
      divisionOf.set(u, ((await (await get(`/api/enterprises/${u}`, supervisor)).json()) as { division: string }).division);
    }
    const division = divisionOf.get(ENTERPRISE1_USCC) ?? [...divisionOf.values()][0];
    const want: Record<string, number> = {};
    for (const w of api.items) if (w.uscc && divisionOf.get(w.uscc) === division) want[w.kind] = (want[w.kind] ?? 0) + 1;
    const s = await json(await get(`/api/stats/warnings?year=2026&division=${division}`, supervisor), StatsWarnings);
    expect(Object.fromEntries(s.rows.map((r) => [r.kind, r.raised]))).toEqual(want);
  });

  it('a handling in the supervision room moves a warning to handled, with the hours it took', async () => {
    const api = (await (await get('/api/warnings?year=2026', supervisor)).json()) as {
      items: { id: string; kind: string; at: string; handling?: unknown }[];
    };
    const w = api.items.find((x) => !x.handling)!;
    expect(w).toBeDefined();
    const before = (await json(await get('/api/stats/warnings?year=2026', supervisor), StatsWarnings)).rows.find((r) => r.kind === w.kind)!;
    const room = connectProvider(srv.wsUrl, 'supervision/2026', supervisor.token);
    try {
      await waitSynced(room);
      // as the supervisors' warnings page writes it (WarningsPage: setHandling), three hours after the warning
      setHandling(room.doc, {
        warningId: w.id,
        status: 'resolved',
        by: supervisor.userId,
        at: new Date(Date.parse(w.at) + 3 * 3_600_000).toISOString(),
        note: RUN,
      });
      await waitFor(
        async () =>
          (await json(await get('/api/stats/warnings?year=2026', supervisor), StatsWarnings)).rows.find((r) => r.kind === w.kind)!.handled ===
          before.handled + 1,
        15_000,
        'the warning handled',
      );
    } finally {
      destroyAll(room);
    }
    const after = (await json(await get('/api/stats/warnings?year=2026', supervisor), StatsWarnings)).rows.find((r) => r.kind === w.kind)!;
    expect(after).toMatchObject({ raised: before.raised, open: before.open - 1 });
    expect(after.medianHoursToHandle).not.toBeNull();
    if (before.handled === 0) expect(after.medianHoursToHandle).toBe(3);
  });

  it('an agency sees its own warnings, never the complaints among them', async () => {
    const s = await json(await get('/api/stats/warnings?year=2026', agency1), StatsWarnings);
    expect(s).toMatchObject({ scope: 'agency', filter: { agencyId: 'city-market' } });
    expect(s.rows.some((r) => r.kind === 'complaint')).toBe(false);
    const own = (await (await get('/api/warnings?year=2026', agency1)).json()) as { counts: Record<string, number> };
    const { complaint: _, ...noComplaints } = own.counts;
    expect(Object.fromEntries(s.rows.map((r) => [r.kind, r.raised]))).toEqual(noComplaints);
  });
});

describe('feedback', () => {
  const entries = { [ENTERPRISE1_USCC]: `${RUN}-e1`, [ENTERPRISE2_USCC]: `${RUN}-e2` };

  beforeAll(async () => {
    // inspector1 (city-market) records an inspection at each enterprise; each rates it, enterprise1 complains too
    const key = await deviceOf(srv.url, inspector1);
    for (const [uscc, id] of Object.entries(entries)) {
      const ledger = connectProvider(srv.wsUrl, `ledger/${uscc}`, inspector1.token);
      try {
        await waitSynced(ledger);
        appendRecord(ledger.doc, await sign(lateEntry(inspector1, uscc, id), key));
        await waitFor(() => ledger.synced, 5_000, 'ledger synced');
      } finally {
        // give the update time to leave before closing
        await new Promise((r) => setTimeout(r, 300));
        destroyAll(ledger);
      }
    }
    for (const [who, uscc, score] of [
      [enterprise1, ENTERPRISE1_USCC, 4],
      [enterprise2, ENTERPRISE2_USCC, 2],
    ] as const) {
      const fb = connectProvider(srv.wsUrl, `feedback/${uscc}`, who.token);
      try {
        await waitSynced(fb);
        appendFeedback(fb.doc, {
          id: `${RUN}-rating-${uscc}`,
          uscc,
          at: '2026-11-25T02:30:00Z',
          by: who.userId,
          type: 'rating',
          entryId: entries[uscc],
          score,
          comment: '',
        });
        if (uscc === ENTERPRISE1_USCC)
          appendFeedback(fb.doc, {
            id: `${RUN}-complaint`,
            uscc,
            at: '2026-11-25T02:31:00Z',
            by: who.userId,
            type: 'complaint',
            entryId: entries[uscc],
            text: '检查时态度粗暴 rude during the visit',
          });
        await new Promise((r) => setTimeout(r, 300));
      } finally {
        destroyAll(fb);
      }
    }
  }, 60_000);

  it('supervisors: by agency, the ratings of its inspections in the range with the scores and complaints', async () => {
    const q = '/api/stats/feedback?from=2026-11&to=2026-11&agencyId=city-market';
    await waitFor(
      async () => {
        const s = await json(await get(q, supervisor), StatsFeedback);
        return (s.rows[0].ratings ?? 0) >= 2 && (s.rows[0].complaints ?? 0) >= 1;
      },
      15_000,
      'ratings and complaint projected',
    );
    const s = await json(await get(q, supervisor), StatsFeedback);
    expect(s).toMatchObject({ scope: 'city', by: 'agency' });
    expect(s.rows).toHaveLength(1);
    const r = s.rows[0];
    expect(r).toMatchObject({ key: 'city-market', suppressed: false });
    // no seeded ratings: exactly the two the test appended
    expect(r).toMatchObject({ ratings: 2, enterprises: 2, distribution: [0, 1, 0, 1, 0], average: 3 });
    expect(r.complaints).toBeGreaterThanOrEqual(1);
    const all = await json(await get('/api/stats/feedback?year=2026', supervisor), StatsFeedback);
    const emergency = all.rows.find((x) => x.key === 'city-emergency')!;
    expect(emergency.ratings).toBe(0);
    expect(all.rows.find((x) => x.key === 'city-market')!.ratings).toBe(2);
  });

  it('agency1: its closed months; a month rated by fewer than 5 enterprises is hidden whole (no counts, scores or complaint count)', async () => {
    // November still runs: the agency sees nothing of it
    const now = await json(await get('/api/stats/feedback?year=2026', agency1), StatsFeedback);
    expect(now).toMatchObject({ scope: 'agency', by: 'month' });
    expect(now.rows.map((r) => r.key)).not.toContain('2026-11');
    // a week later November has closed
    env.CLOCK_NOW = '2026-12-02T10:00:00+08:00';
    await srv.restart();
    await signIn();
    const s = await json(await get('/api/stats/feedback?year=2026', agency1), StatsFeedback);
    const nov = s.rows.find((r) => r.key === '2026-11')!;
    expect(nov).toMatchObject({ ratings: null, enterprises: null, average: null, distribution: null, complaints: null, suppressed: true });
    for (const r of s.rows) {
      if (r.enterprises === null || r.enterprises < STATS_MIN_ENTERPRISES) expect(r.average).toBeNull();
      if (r.enterprises === null || r.enterprises < STATS_MIN_ENTERPRISES) expect(r.distribution).toBeNull();
      if (r.ratings) expect(r.enterprises).toBeGreaterThanOrEqual(STATS_MIN_ENTERPRISES);
    }
    // a division filter splits nothing below the threshold either
    const div = await json(await get('/api/stats/feedback?year=2026&division=140302', agency1), StatsFeedback);
    for (const r of div.rows) expect(r.average).toBeNull();
    // supervisors still see November's scores
    const sup = await json(await get('/api/stats/feedback?from=2026-11&to=2026-11&agencyId=city-market', supervisor), StatsFeedback);
    expect(sup.rows[0].average).toBe(3);
  }, 60_000);
});

describe('plans', () => {
  it('every enforcement agency, the due date from the policy, the seeded filings on time', async () => {
    const s = await json(await get('/api/stats/plans?year=2026', supervisor), StatsPlans);
    const agencies = (await (await get('/api/ratings/by-agency?year=2026', supervisor)).json()) as { items: { agencyId: string }[] };
    expect(s.year).toBe(2026);
    expect(s.rows.map((r) => r.agencyId).sort()).toEqual(agencies.items.map((a) => a.agencyId).sort());
    for (const r of s.rows) {
      expect(r.due).toBe('2026-01-31');
      if (r.submittedOn) expect(r.onTime).toBe(true);
      else expect(r.onTime).toBeNull();
      expect(r.tasksDone).toBeLessThanOrEqual(r.tasks);
      expect(r.samplingItems).toBeLessThanOrEqual(r.items);
      if (!r.samplingItems) expect(r.sampling).toBeNull();
    }
    // 双随机 coverage as the draws' own coverage counts it
    const cov = (await (await get('/api/draws/coverage?year=2026', supervisor)).json()) as {
      agencies: { agencyId: string; population: number; drawn: number; inspected: number; share: number; items: unknown[] }[];
    };
    for (const c of cov.agencies) {
      const row = s.rows.find((r) => r.agencyId === c.agencyId)!;
      expect(row.sampling, c.agencyId).toEqual(c.items.length ? { population: c.population, drawn: c.drawn, inspected: c.inspected, share: c.share } : null);
    }
    const market = s.rows.find((r) => r.agencyId === 'city-market')!;
    expect(market).toMatchObject({ status: 'published', onTime: true });
    expect(market.items).toBeGreaterThan(0);
    expect(market.tasks).toBeGreaterThan(0);
    expect(market.sampling).not.toBeNull();
    expect(s.rows.filter((r) => r.status === 'published').length).toBeGreaterThan(s.rows.length / 2);
  });

  it('an agency: its own row only', async () => {
    const s = await json(await get('/api/stats/plans?year=2026', agency1), StatsPlans);
    expect(s.rows.map((r) => r.agencyId)).toEqual(['city-market']);
  });
});

describe('rights', () => {
  it('an agency naming another, an inspector and an enterprise are refused every section', async () => {
    for (const section of ['warnings', 'feedback', 'plans']) {
      expect((await get(`/api/stats/${section}?year=2026&agencyId=city-emergency`, agency1)).status).toBe(403);
      expect((await get(`/api/stats/${section}?year=2026`, inspector1)).status).toBe(403);
      expect((await get(`/api/stats/${section}?year=2026`, enterprise1)).status).toBe(403);
    }
  });
});
