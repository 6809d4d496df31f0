/**
 * Issue 13 item 15 over real HTTP and sockets: a lead cannot enrol an agency without its consent, write
 * items in its name, or have tasks written into its tasks room; suggestions never expose a draft plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer, type TestProvider } from '../../helpers/spawn-server';
import { createJointItem, createPlanItem, readJoint, readTasks, setJointTeam } from '../../../src/model';

let srv: SpawnedServer;
let lead: LoginResult, partner: LoginResult, supervisor: LoginResult;
const open: TestProvider[] = [];

beforeAll(async () => {
  srv = await spawnServer();
  [lead, partner, supervisor] = await Promise.all(['agency1', 'agency2', 'supervisor1'].map((u) => login(srv.url, u)));
}, 90_000);
afterAll(async () => { destroyAll(...open); await srv?.stop(); });

async function api(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(srv.url + path, {
    method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: await res.json().catch(() => null) };
}
function connect(room: string, token: string): TestProvider {
  const p = connectProvider(srv.wsUrl, room, token);
  open.push(p);
  return p;
}
async function outcome(p: TestProvider): Promise<'synced' | number> {
  const r = await Promise.race([waitSynced(p).then(() => 'synced' as const), p.closed]);
  return r === 'synced' ? r : r.code;
}
const tasksIn = async (room: string, token: string, jointId: string) => {
  const p = connectProvider(srv.wsUrl, room, token);
  try { await waitSynced(p); return readTasks(p.doc).items.filter((t) => t.jointId === jointId); } finally { destroyAll(p); }
};
const ITEM = (agencyId: string, itemId: string) => ({ id: `ji-${agencyId}`, agencyId, itemId, targets: { industries: ['catering'], divisions: [], riskLevels: [] }, months: [11, 12] });

describe('joint plans need the invited agency\'s consent', () => {
  let jointId = '';

  it('a lead "enrols" an agency: it is only invited; no member, no access, nothing written in its name', async () => {
    const r = await api('POST', '/api/joints', lead.token, { title: '未经同意的联合检查', year: 2026, memberAgencyIds: ['city-emergency'], window: { from: '2026-12-21', to: '2026-12-24' } });
    expect(r.status).toBe(201);
    jointId = r.json.id;
    expect(r.json.memberAgencyIds).toEqual(['city-market']);
    expect(r.json.invitedAgencyIds).toEqual(['city-emergency']);
    // the invited agency has no socket access yet, and the doc does not list it as a member
    expect(await outcome(connect(`joint/${jointId}`, partner.token))).toBe(4403);
    const l = connect(`joint/${jointId}`, lead.token);
    expect(await outcome(l)).toBe('synced');
    expect(readJoint(l.doc).members.map((m) => m.agencyId)).toEqual(['city-market']);
  });

  it('the lead writes an item and a team in the invited agency\'s name: refused (4403), not stored', async () => {
    const l = connect(`joint/${jointId}`, lead.token);
    await waitSynced(l);
    createJointItem(l.doc, ITEM('city-emergency', 'city-emergency.YJ-07'));
    expect((await l.closed).code).toBe(4403);
    const t = connect(`joint/${jointId}`, lead.token);
    await waitSynced(t);
    setJointTeam(t.doc, 'city-emergency', ['insp-city-emergency-1', 'insp-city-emergency-2']);
    expect((await t.closed).code).toBe(4403);
    const fresh = connect(`joint/${jointId}`, supervisor.token);
    await waitSynced(fresh);
    expect(readJoint(fresh.doc).items).toEqual([]);
    expect(readJoint(fresh.doc).team).toEqual([]);
  });

  it('joint tasks go only into members\' rooms: nothing into the non-consenting agency\'s tasks room', async () => {
    const l = connect(`joint/${jointId}`, lead.token);
    await waitSynced(l);
    createJointItem(l.doc, ITEM('city-market', 'city-market.SJ-01'));
    setJointTeam(l.doc, 'city-market', ['insp-city-market-1', 'insp-city-market-2']);
    await waitFor(async () => {
      const s = connectProvider(srv.wsUrl, `joint/${jointId}`, supervisor.token);
      try { await waitSynced(s); return readJoint(s.doc).items.length === 1 && readJoint(s.doc).team.length === 1; } finally { destroyAll(s); }
    }, 10_000, 'lead item stored');
    const ents = await api('GET', '/api/enterprises?industry=catering&limit=50', lead.token);
    const r = await api('POST', `/api/joints/${jointId}/tasks`, lead.token, { usccs: [(ents.json.items as { uscc: string }[])[7].uscc], confirm: true, exemptions: [] });
    // whatever the rules say for the lead's own task, the invited agency is never part of it
    const rooms = r.status === 201 ? (r.json.created as { agencyId: string }[]).map((c) => c.agencyId) : [];
    expect(rooms).not.toContain('city-emergency');
    if (r.status === 422) {
      expect((r.json.error.details as { agencyId: string }[]).map((p) => p.agencyId)).not.toContain('city-emergency');
    }
    expect(await tasksIn('tasks/city-emergency/2026', partner.token, jointId)).toEqual([]);
  });

  it('a declined invitation stays without access; an accepted one gives it', async () => {
    const dec = await api('POST', `/api/joints/${jointId}/decline`, partner.token);
    expect(dec.status).toBe(200);
    expect(await outcome(connect(`joint/${jointId}`, partner.token))).toBe(4403);
    expect((await api('POST', `/api/joints/${jointId}/accept`, partner.token)).status).toBe(404);
    const again = await api('POST', `/api/joints/${jointId}/members`, lead.token, { agencyId: 'city-emergency' });
    expect(again.json.invited).toBe(true);
    expect((await api('POST', `/api/joints/${jointId}/accept`, partner.token)).status).toBe(200);
    const p = connect(`joint/${jointId}`, partner.token);
    expect(await outcome(p)).toBe('synced');
    // its own items now; still not the lead's
    createJointItem(p.doc, ITEM('city-emergency', 'city-emergency.YJ-07'));
    await waitFor(() => readJoint(p.doc).items.length === 2, 10_000, 'own item');
  });
});

describe('suggestions use filed plans only', () => {
  it('a draft plan (next year, and an item added to a filed plan since) never shows in suggestions', async () => {
    // the partner adds a draft item to its filed 2026 plan: exactly what the lead would match with
    const plan = connect('plan/city-emergency/2026', partner.token);
    await waitSynced(plan);
    createPlanItem(plan.doc, { id: 'draft-secret', itemId: 'city-emergency.YJ-07', method: 'onsite', targets: { industries: ['catering'], divisions: [], riskLevels: [] }, months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], cap: 1 });
    await waitFor(async () => {
      const s = connectProvider(srv.wsUrl, 'plan/city-emergency/2026', supervisor.token);
      try { await waitSynced(s); return (s.doc.getMap('items') as Y.Map<unknown>).has('draft-secret'); } finally { destroyAll(s); }
    }, 10_000, 'draft item stored');
    const now = await api('GET', '/api/joint-suggestions?year=2026', lead.token);
    expect(now.status).toBe(200);
    const ids = (now.json.items as { planItemIds: Record<string, string[]> }[]).flatMap((s) => s.planItemIds['city-emergency'] ?? []);
    expect(ids).not.toContain('draft-secret');
    // next year's plans are drafts: nothing
    expect((await api('GET', '/api/joint-suggestions?year=2027', lead.token)).json.items).toEqual([]);
    // and a draft item cannot be copied into a joint plan either
    const c = await api('POST', '/api/joints', lead.token, { title: '抄草稿', year: 2026, memberAgencyIds: ['city-emergency'], planItems: [{ agencyId: 'city-emergency', planItemId: 'draft-secret' }] });
    expect(c.status).toBe(400);
    expect(c.json.error.code).toBe('unknown_plan_item');
  });
});
