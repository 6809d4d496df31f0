/**
 * Who may read the statistics (src/protocol/stats.ts), over a real server: every route is tried without a
 * token (401), by an inspector and an enterprise (403), by an agency naming another agency (403) and with a
 * malformed range (400, saying what is wrong). An agency without `agencyId` gets its own figures only: the
 * same as a supervisor's for that agency. The enterprise file is the supervisors' alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, spawnServer, waitFor, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { ENTERPRISE1_USCC } from '../../../server/seed/constants';
import { StatsAgencies, StatsEnterprises, StatsMonthly, StatsRecords, StatsSummary } from '../../../src/protocol/stats';

let srv: SpawnedServer;
let supervisor: LoginResult, agency1: LoginResult, inspector1: LoginResult, enterprise1: LoginResult;

const SECTIONS = ['summary', 'monthly', 'agencies', 'enterprises', 'warnings', 'feedback', 'plans'] as const;
/** every statistics route, with the query each is read with */
const ROUTES = [...SECTIONS.map((s) => `/api/stats/${s}`), '/api/stats/records', `/api/stats/enterprise/${ENTERPRISE1_USCC}`];

const get = (path: string, who: LoginResult | null) => fetch(`${srv.url}${path}`, { headers: who ? { authorization: `Bearer ${who.token}` } : {} });
const body = async <T>(r: Response, schema: { parse: (x: unknown) => T }): Promise<T> => {
  const text = await r.text();
  expect(r.status, text.slice(0, 400)).toBe(200);
  return schema.parse(JSON.parse(text));
};
/** the figures of a section without what differs between callers (when, and in which scope) */
const figures = <T extends { asOf: string; scope: string; filter: unknown }>({ asOf: _a, scope: _s, filter: _f, ...rest }: T) => rest;

beforeAll(async () => {
  srv = await spawnServer();
  [supervisor, agency1, inspector1, enterprise1] = await Promise.all(['supervisor1', 'agency1', 'inspector1', 'enterprise1'].map((u) => login(srv.url, u)));
  // the seed's ledgers projected: figures compared below do not move between two reads
  await waitFor(() => srv.logs.some((l) => l.msg === 'projection caught up'), 60_000, 'projection caught up');
}, 120_000);
afterAll(async () => {
  await srv?.stop();
});

describe('every statistics route refuses whom it must', () => {
  it('no token: 401', async () => {
    for (const path of ROUTES) expect((await get(path, null)).status, path).toBe(401);
  });

  it('an inspector and an enterprise: 403', async () => {
    for (const who of [inspector1, enterprise1]) {
      for (const path of ROUTES) expect((await get(path, who)).status, `${who.userId} ${path}`).toBe(403);
    }
  });

  it('an agency naming another agency: 403; the enterprise file: 403 for an agency', async () => {
    for (const path of ROUTES.slice(0, -1)) expect((await get(`${path}?agencyId=city-emergency`, agency1)).status, path).toBe(403);
    expect((await get(`/api/stats/enterprise/${ENTERPRISE1_USCC}`, agency1)).status).toBe(403);
  });

  it('a malformed range is 400 with a message that says what is wrong', async () => {
    const cases: [string, RegExp][] = [
      ['from=2026-13', /YYYY-MM/],
      ['from=2026-05&to=2026-02', /ends before it starts/],
      ['from=2023-01&to=2026-04', /at most 36 months/],
    ];
    for (const path of ROUTES.slice(0, -1)) {
      for (const [q, message] of cases) {
        for (const who of [supervisor, agency1]) {
          const r = await get(`${path}?${q}`, who);
          const text = await r.text();
          expect(r.status, `${path}?${q}`).toBe(400);
          expect((JSON.parse(text) as { error: { message: { en: string } } }).error.message.en).toMatch(message);
        }
      }
    }
  });
});

describe("an agency sees its own figures, and a supervisor's for it are the same", () => {
  it('summary: scope agency, its own id filled in, the figures of supervisor + agencyId=city-market', async () => {
    const own = await body(await get('/api/stats/summary?year=2026', agency1), StatsSummary);
    expect(own.scope).toBe('agency');
    expect(own.filter).toMatchObject({ from: '2026-01', to: '2026-12', agencyId: 'city-market' });
    const sup = await body(await get('/api/stats/summary?year=2026&agencyId=city-market', supervisor), StatsSummary);
    expect(sup.scope).toBe('city');
    expect(figures(own)).toEqual(figures(sup));
    expect(own.inspections).toBeGreaterThan(0);
    // and the city's figures are more
    const city = await body(await get('/api/stats/summary?year=2026', supervisor), StatsSummary);
    expect(city.inspections).toBeGreaterThan(own.inspections);
    // naming itself is allowed
    const named = await body(await get('/api/stats/summary?year=2026&agencyId=city-market', agency1), StatsSummary);
    expect(figures(named)).toEqual(figures(own));
  });

  it('agencies: one row, its own; a supervisor gets every enforcement agency', async () => {
    const own = await body(await get('/api/stats/agencies?year=2026', agency1), StatsAgencies);
    expect(own.rows.map((r) => r.agencyId)).toEqual(['city-market']);
    const all = await body(await get('/api/stats/agencies?year=2026', supervisor), StatsAgencies);
    expect(all.rows.length).toBeGreaterThan(5);
    expect(all.rows.find((r) => r.agencyId === 'city-market')).toEqual(own.rows[0]);
  });

  it('monthly, enterprises and records are its own too', async () => {
    const m = await body(await get('/api/stats/monthly?year=2026', agency1), StatsMonthly);
    const ms = await body(await get('/api/stats/monthly?year=2026&agencyId=city-market', supervisor), StatsMonthly);
    expect(m.rows).toEqual(ms.rows);
    const e = await body(await get('/api/stats/enterprises?year=2026', agency1), StatsEnterprises);
    expect(e.scope).toBe('agency');
    const es = await body(await get('/api/stats/enterprises?year=2026&agencyId=city-market', supervisor), StatsEnterprises);
    expect(e.distribution).toEqual(es.distribution);
    // a figure resting on other agencies' visits is withheld below STATS_MIN_ENTERPRISES enterprises
    if (es.multiAgency.enterprises !== null && es.multiAgency.enterprises < 5) expect(e.multiAgency).toEqual({ enterprises: null, inspections: null });
    else expect(e.multiAgency).toEqual(es.multiAgency);
    const r = await body(await get('/api/stats/records?year=2026&limit=10000', agency1), StatsRecords);
    expect(r.rows.length).toBeGreaterThan(0);
    expect(r.rows.every((x) => x.agencyId === 'city-market')).toBe(true);
  });
});
