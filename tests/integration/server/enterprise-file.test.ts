/**
 * 一企一档 over a real server (GET /api/stats/enterprise/:uscc, server/stats/enterprise-file.ts): supervisor1
 * reads enterprise1's whole file (the seeded inspections of several agencies, their results, the
 * acknowledgements, the warnings about it), each event tied to its inspection; a rating and a complaint the
 * enterprise appends appear at once; an unknown USCC is 404, a malformed one 400; an agency admin, an
 * inspector and the enterprise itself are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { json } from '../../helpers/api';
import { appendFeedback } from '../../../src/model';
import { ENTERPRISE1_USCC } from '../../../server/seed/constants';
import { EnterpriseFile } from '../../../src/protocol/stats';

const RUN = `ef${process.pid}`;
let srv: SpawnedServer;
let supervisor: LoginResult, agency1: LoginResult, inspector1: LoginResult, enterprise1: LoginResult;
const get = (p: string, who: LoginResult) => fetch(`${srv.url}${p}`, { headers: { authorization: `Bearer ${who.token}` } });
const fileOf = async (uscc = ENTERPRISE1_USCC) => json(await get(`/api/stats/enterprise/${uscc}`, supervisor), EnterpriseFile);

beforeAll(async () => {
  srv = await spawnServer();
  [supervisor, agency1, inspector1, enterprise1] = await Promise.all(['supervisor1', 'agency1', 'inspector1', 'enterprise1'].map((u) => login(srv.url, u)));
}, 120_000);
afterAll(async () => {
  await srv?.stop();
});

describe('the enterprise file', () => {
  it("supervisor1 reads enterprise1's inspections by every agency, with results, acknowledgements and warnings", async () => {
    const f = await fileOf();
    expect(f.enterprise).toMatchObject({ uscc: ENTERPRISE1_USCC, deregistered: false });
    expect(f.enterprise.name.length).toBeGreaterThan(0);
    const of = (t: string) => f.events.filter((e) => e.type === t);
    expect(of('entry').length).toBeGreaterThan(0);
    expect(of('result').length).toBeGreaterThan(0);
    expect(of('ack').length).toBeGreaterThan(0);
    expect(new Set(of('entry').map((e) => e.agencyId)).size).toBe(f.counts.agencies);
    expect(f.counts.agencies).toBeGreaterThanOrEqual(1);
    expect(of('entry').every((e) => e.agencyId && e.agencyName && e.agencyName !== e.agencyId && e.entryId === e.id)).toBe(true);
    // every result and acknowledgement points at an inspection of the file
    const entries = new Set(of('entry').map((e) => e.id));
    for (const e of [...of('result'), ...of('ack')]) expect(entries.has(e.entryId!)).toBe(true);
    expect(f.counts.results).toBe(of('result').length);
    // the warnings about it: what the supervisors' warnings API lists with its USCC
    const all = (await (await get('/api/warnings?year=2026', supervisor)).json()) as { items: { id: string; uscc?: string }[] };
    const mine = all.items.filter((w) => w.uscc === ENTERPRISE1_USCC).map((w) => w.id);
    for (const id of mine) expect(of('warning').map((e) => e.id)).toContain(id);
    expect(f.counts.warnings).toBe(of('warning').length);
    // newest first
    const times = f.events.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // the title of an entry is in both languages
    expect(of('entry')[0].title.zh).toMatch(/检查/);
    expect(of('entry')[0].title.en).toMatch(/inspection|check/i);
  });

  it('a rating and a complaint appended by enterprise1 appear, under their inspection', async () => {
    const before = await fileOf();
    const entry = before.events.find((e) => e.type === 'entry')!;
    const fb = connectProvider(srv.wsUrl, `feedback/${ENTERPRISE1_USCC}`, enterprise1.token);
    try {
      await waitSynced(fb);
      appendFeedback(fb.doc, {
        id: `${RUN}-rating`,
        uscc: ENTERPRISE1_USCC,
        at: '2026-11-25T01:00:00Z',
        by: enterprise1.userId,
        type: 'rating',
        entryId: entry.id,
        score: 5,
        comment: '检查规范 by the book',
      });
      appendFeedback(fb.doc, {
        id: `${RUN}-complaint`,
        uscc: ENTERPRISE1_USCC,
        at: '2026-11-25T01:01:00Z',
        by: enterprise1.userId,
        type: 'complaint',
        entryId: entry.id,
        ruleCode: 'B3',
        text: '检查时要求购买指定产品',
      });
      await waitFor(async () => (await fileOf()).events.some((e) => e.id === `${RUN}-complaint`), 15_000, 'the complaint in the file');
    } finally {
      destroyAll(fb);
    }
    const f = await fileOf();
    const rating = f.events.find((e) => e.id === `${RUN}-rating`)!;
    expect(rating).toMatchObject({ type: 'rating', entryId: entry.id, agencyId: entry.agencyId });
    expect(rating.title.zh).toContain('5');
    expect(rating.details.map((d) => d.value)).toContain('检查规范 by the book');
    const complaint = f.events.find((e) => e.id === `${RUN}-complaint`)!;
    expect(complaint).toMatchObject({ type: 'complaint', entryId: entry.id, agencyId: entry.agencyId });
    expect(complaint.details.map((d) => d.value)).toContain('检查时要求购买指定产品');
    expect(f.counts).toMatchObject({ ratings: before.counts.ratings + 1, complaints: before.counts.complaints + 1 });
    // the complaint's warning joins the file once the projection raised it
    await waitFor(
      async () => (await fileOf()).events.some((e) => e.type === 'warning' && e.entryId === entry.id && e.details.some((d) => d.value === 'complaint')),
      15_000,
      'warning',
    );
  });

  it('an unknown USCC is 404, a malformed one 400', async () => {
    expect((await get('/api/stats/enterprise/911403020000000001', supervisor)).status).toBe(404);
    expect((await get('/api/stats/enterprise/not-a-uscc', supervisor)).status).toBe(400);
  });

  it('an agency admin, an inspector and the enterprise itself are refused', async () => {
    for (const who of [agency1, inspector1, enterprise1]) expect((await get(`/api/stats/enterprise/${ENTERPRISE1_USCC}`, who)).status).toBe(403);
  });
});
