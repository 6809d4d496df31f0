/**
 * Fresh figures (issue 17, point 6) over a real server: every statistics answer carries an ETag; a poll with
 * If-None-Match costs a 304 while nothing changed; a check-in an inspector uploads over a real socket is in
 * the summary within seconds, under a new ETag; a supervisor handling a warning changes the ETag of the
 * warnings section (the projection's generation moves on `supervision` rooms too).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { deviceOf, RECORD_AT, sign } from '../../helpers/devices';
import { appendRecord, readWarnings, setHandling } from '../../../src/model';
import { StatsSummary } from '../../../src/protocol/stats';

let srv: SpawnedServer;
let supervisor: LoginResult, agency1: LoginResult, inspector1: LoginResult;

const get = (path: string, who: LoginResult, etag?: string) =>
  fetch(`${srv.url}${path}`, { headers: { authorization: `Bearer ${who.token}`, ...(etag ? { 'if-none-match': etag } : {}) } });

beforeAll(async () => {
  srv = await spawnServer();
  [supervisor, agency1, inspector1] = await Promise.all(['supervisor1', 'agency1', 'inspector1'].map((u) => login(srv.url, u)));
  await waitFor(() => srv.logs.some((l) => l.msg === 'projection caught up'), 60_000, 'projection caught up');
}, 120_000);
afterAll(async () => {
  await srv?.stop();
});

describe('statistics follow the ledgers within seconds', () => {
  it('an ETag, a 304 while nothing changes', async () => {
    const r = await get('/api/stats/summary?year=2026', supervisor);
    expect(r.status).toBe(200);
    const tag = r.headers.get('etag')!;
    expect(tag).toMatch(/^W\/".+"$/);
    expect(r.headers.get('cache-control')).toContain('no-cache');
    const again = await get('/api/stats/summary?year=2026', supervisor, tag);
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    // another caller, another query: another tag
    const own = await get('/api/stats/summary?year=2026', agency1);
    expect(own.headers.get('etag')).not.toBe(tag);
    expect((await get('/api/stats/summary?year=2025', supervisor, tag)).status).toBe(200);
  });

  it("an inspector's check-in is counted within seconds, under a new ETag", async () => {
    const first = await get('/api/stats/summary?year=2026', supervisor);
    const tag = first.headers.get('etag')!;
    const before = StatsSummary.parse(await first.json());

    // a triggered on-site check-in at an enterprise the inspector scans, now (the server's clock)
    const page = (await (await get('/api/enterprises?limit=1&offset=1700', agency1)).json()) as { items: { uscc: string }[] };
    const uscc = page.items[0].uscc;
    const code = ((await (await get(`/api/enterprises/${uscc}/code`, inspector1)).json()) as { token: string }).token;
    const staff = (await (await get('/api/inspectors?agencyId=city-market', agency1)).json()) as {
      items: { id: string; name: string; certificateNumber: string }[];
    };
    const me = staff.items.find((s) => s.id === 'insp-city-market-1')!;
    const key = await deviceOf(srv.url, inspector1);
    const ledger = connectProvider(srv.wsUrl, `ledger/${uscc}`, inspector1.token);
    await waitSynced(ledger);
    appendRecord(
      ledger.doc,
      await sign(
        {
          id: `fresh-${process.pid}`,
          uscc,
          at: RECORD_AT,
          by: inspector1.userId,
          type: 'entry',
          agencyId: 'city-market',
          kind: { type: 'triggered', trigger: { kind: 'complaint', ref: `TS-${process.pid}` } },
          team: [{ inspectorId: me.id, name: me.name, certificateNumber: me.certificateNumber, certificateValid: true }],
          itemIds: ['city-market.SJ-01'],
          method: 'onsite',
          via: 'scan',
          code,
          exemptions: [],
          device: key.kid,
          conductAcknowledged: true,
        },
        key,
      ),
    );
    const t0 = Date.now();
    let after = before;
    let newTag = tag;
    await waitFor(
      async () => {
        // the page's poll: a 304 until the figures move
        const r = await get('/api/stats/summary?year=2026', supervisor, newTag);
        if (r.status === 304) return false;
        newTag = r.headers.get('etag')!;
        after = StatsSummary.parse(await r.json());
        return after.inspections === before.inspections + 1;
      },
      10_000,
      'the check-in in the summary',
    );
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(newTag).not.toBe(tag);
    expect(after.triggered).toBe(before.triggered + 1);
    expect(after.byTrigger.complaint).toBe(before.byTrigger.complaint + 1);
    expect(after.onsite).toBe(before.onsite + 1);
    // the agency's own view moves too
    const own = StatsSummary.parse(await (await get('/api/stats/summary?year=2026', agency1)).json());
    const sup = StatsSummary.parse(await (await get('/api/stats/summary?year=2026&agencyId=city-market', supervisor)).json());
    expect(own.inspections).toBe(sup.inspections);
    destroyAll(ledger);
  });

  it("a supervisor's handling of a warning changes the warnings section's ETag", async () => {
    const sup = connectProvider(srv.wsUrl, 'supervision/2026', supervisor.token);
    await waitSynced(sup);
    const w = readWarnings(sup.doc).items[0];
    expect(w).toBeTruthy();
    const tag = (await get('/api/stats/warnings?year=2026', supervisor)).headers.get('etag');
    expect(tag).toBeTruthy();
    expect((await get('/api/stats/warnings?year=2026', supervisor, tag!)).status).toBe(304);
    setHandling(sup.doc, { warningId: w.id, status: 'acknowledged', by: supervisor.userId, at: new Date().toISOString(), note: '已核实' });
    await waitFor(async () => (await get('/api/stats/warnings?year=2026', supervisor, tag!)).status === 200, 10_000, 'a new ETag for the warnings');
    destroyAll(sup);
  });
});
