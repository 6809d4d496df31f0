/**
 * Joint plans on the real server: creation by an agency admin (who becomes the lead), membership
 * enforced by room rights (a non-member is closed with 4403; an invited agency joins only when its admin
 * accepts), the lead-only invitation, listing, suggestions from filed plans, and joint tasks written by the
 * server into every member's own tasks room after the rules were checked (blocks refused, warnings confirmed).
 * Last, the consent attacks: a lead cannot enrol an agency without its consent, write items in its
 * name, or have tasks written into its tasks room; suggestions never expose a draft plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectProvider,
  destroyAll,
  login,
  spawnServer,
  waitFor,
  waitSynced,
  type LoginResult,
  type SpawnedServer,
  type TestProvider,
} from '../../helpers/spawn-server';
import * as Y from 'yjs';
import { createJointItem, createPlanItem, jointRoots, readJoint, readTasks, setJointMeta, setJointTeam } from '../../../src/model';
import { parsed, responseSchema } from '../../helpers/api';

let srv: SpawnedServer;
let agency1: LoginResult, agency2: LoginResult, county1: LoginResult, supervisor1: LoginResult, inspector1: LoginResult;
const open: TestProvider[] = [];

beforeAll(async () => {
  srv = await spawnServer();
  [agency1, agency2, county1, supervisor1, inspector1] = await Promise.all(
    ['agency1', 'agency2', 'county1', 'supervisor1', 'inspector1'].map((u) => login(srv.url, u)),
  );
}, 90_000);
afterAll(async () => {
  destroyAll(...open);
  await srv?.stop();
});

async function api(method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(srv.url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const json: unknown = await res.json().catch(() => null);
  // every answer is checked against its route's protocol schema (src/protocol/api.ts)
  if (json !== null) parsed(json, responseSchema(method, path, res.status));
  return { status: res.status, json };
}

function connect(room: string, token: string): TestProvider {
  const p = connectProvider(srv.wsUrl, room, token);
  open.push(p);
  return p;
}

/** synced, or the close code when refused */
async function outcome(p: TestProvider): Promise<'synced' | number> {
  const r = await Promise.race([waitSynced(p).then(() => 'synced' as const), p.closed]);
  return r === 'synced' ? r : r.code;
}

describe('joint plans', () => {
  let jointId = '';

  it('an agency admin creates a joint plan and becomes its lead; bad bodies and other roles are refused', async () => {
    const bad = await api('POST', '/api/joints', agency1.token, { title: '', year: 2026 });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message.zh).toMatch(/请求内容无效/);
    expect(bad.json.error.message.en).toMatch(/title/);
    expect((await api('POST', '/api/joints', inspector1.token, { title: 'x', year: 2026, memberAgencyIds: [] })).status).toBe(403);
    expect((await api('POST', '/api/joints', null, { title: 'x', year: 2026 })).status).toBe(401);
    const justice = await api('POST', '/api/joints', agency1.token, { title: 'x', year: 2026, memberAgencyIds: ['city-justice'] });
    expect(justice.status).toBe(400);
    expect(justice.json.error.code).toBe('not_enforcement');

    const r = await api('POST', '/api/joints', agency1.token, {
      title: '2026年末餐饮场所联合检查',
      year: 2026,
      memberAgencyIds: ['city-emergency'],
      window: { from: '2026-12-21', to: '2026-12-24' },
    });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ title: '2026年末餐饮场所联合检查', year: 2026, leadAgencyId: 'city-market', status: 'draft' });
    // city-emergency is invited, not a member, until its admin accepts
    expect(r.json.memberAgencyIds).toEqual(['city-market']);
    expect(r.json.invitedAgencyIds).toEqual(['city-emergency']);
    jointId = r.json.id;
    const inv = await api('GET', '/api/joint-invitations', agency2.token);
    expect(inv.json.items.find((x: { jointId: string }) => x.jointId === jointId)).toMatchObject({
      title: '2026年末餐饮场所联合检查',
      leadAgencyId: 'city-market',
      status: 'invited',
    });
    expect((await api('POST', `/api/joints/${jointId}/accept`, county1.token)).status).toBe(404);
    const acc = await api('POST', `/api/joints/${jointId}/accept`, agency2.token);
    expect(acc.status).toBe(200);
    expect(acc.json.memberAgencyIds.sort()).toEqual(['city-emergency', 'city-market']);
    expect(acc.json.invitedAgencyIds).toEqual([]);
    expect((await api('POST', `/api/joints/${jointId}/accept`, agency2.token)).status).toBe(404);
  });

  it('members co-edit the doc; a non-member is closed with 4403; a supervisor reads', async () => {
    const lead = connect(`joint/${jointId}`, agency1.token);
    const member = connect(`joint/${jointId}`, agency2.token);
    const outsider = connect(`joint/${jointId}`, county1.token);
    const sup = connect(`joint/${jointId}`, supervisor1.token);
    const insp = connect(`joint/${jointId}`, inspector1.token);
    expect(await outcome(lead)).toBe('synced');
    expect(await outcome(member)).toBe('synced');
    expect(await outcome(outsider)).toBe(4403);
    expect(await outcome(insp)).toBe(4403);
    expect(await outcome(sup)).toBe('synced');
    // the server initialised the doc
    const v = readJoint(member.doc);
    expect(v.meta).toMatchObject({ id: jointId, leadAgencyId: 'city-market', year: 2026, window: { from: '2026-12-21', to: '2026-12-24' } });
    expect(v.members.map((m) => m.agencyId)).toEqual(['city-emergency', 'city-market']);
    // each member adds its own item and team; both see both
    createJointItem(lead.doc, {
      id: 'ji-m',
      agencyId: 'city-market',
      itemId: 'city-market.SJ-01',
      targets: { industries: ['catering'], divisions: [], riskLevels: [] },
      months: [11],
    });
    setJointTeam(lead.doc, 'city-market', ['insp-city-market-1', 'insp-city-market-2']);
    createJointItem(member.doc, {
      id: 'ji-e',
      agencyId: 'city-emergency',
      itemId: 'city-emergency.YJ-07',
      targets: { industries: ['catering'], divisions: [], riskLevels: [] },
      months: [11],
    });
    setJointTeam(member.doc, 'city-emergency', ['insp-city-emergency-1']);
    await waitFor(() => readJoint(lead.doc).items.length === 2 && readJoint(member.doc).team.length === 2, 10_000, 'both edits on both sides');
    // the supervisor's write is dropped (read-only): the members never see it
    sup.doc.getMap('probe').set('x', 1);
    jointRoots(lead.doc).comments.push([{ id: 'c1', by: agency1.userId, agencyId: 'city-market', at: '2026-11-25T09:00:00+08:00', text: '请确认' }]);
    await waitFor(() => readJoint(member.doc).comments.length === 1, 10_000, 'comment relayed');
    expect(member.doc.getMap('probe').size).toBe(0);
  });

  it('only the lead invites; an invited agency connects with write access once its admin accepts', async () => {
    const notLead = await api('POST', `/api/joints/${jointId}/members`, agency2.token, { agencyId: 'pd-market' });
    expect(notLead.status).toBe(403);
    expect(notLead.json.error.code).toBe('not_lead');
    const outsider = await api('POST', `/api/joints/${jointId}/members`, county1.token, { agencyId: 'pd-market' });
    expect(outsider.status).toBe(404);
    const ok = await api('POST', `/api/joints/${jointId}/members`, agency1.token, { agencyId: 'pd-market' });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ added: false, invited: true });
    expect(ok.json.joint.memberAgencyIds).not.toContain('pd-market');
    expect(ok.json.joint.invitedAgencyIds).toContain('pd-market');
    const again = await api('POST', `/api/joints/${jointId}/members`, agency1.token, { agencyId: 'pd-market' });
    expect(again.json.invited).toBe(false);
    // not yet a member: refused at the socket, not listed
    expect(await outcome(connect(`joint/${jointId}`, county1.token))).toBe(4403);
    expect(((await api('GET', '/api/joints?year=2026', county1.token)).json.items as { id: string }[]).map((j) => j.id)).not.toContain(jointId);
    expect((await api('POST', `/api/joints/${jointId}/accept`, county1.token)).status).toBe(200);

    const c = connect(`joint/${jointId}`, county1.token);
    expect(await outcome(c)).toBe('synced');
    expect(readJoint(c.doc).members.map((m) => m.agencyId)).toContain('pd-market');
    const lead = connect(`joint/${jointId}`, agency1.token);
    await waitSynced(lead);
    c.doc.getMap('meta').set('title', '县级参与后的标题');
    await waitFor(() => lead.doc.getMap('meta').get('title') === '县级参与后的标题', 10_000, 'county write relayed');
    setJointMeta(lead.doc, { title: '2026年末餐饮场所联合检查' });

    const list = await api('GET', '/api/joints?year=2026', county1.token);
    expect(list.json.items.map((j: { id: string }) => j.id)).toContain(jointId);
    const none = await api('GET', '/api/joints?year=2025', county1.token);
    expect(none.json.items).toEqual([]);
    const sup = await api('GET', '/api/joints', supervisor1.token);
    // supervisors see every joint, the seeded one too (filled in from its doc)
    expect(sup.json.items.map((j: { id: string }) => j.id)).toEqual(expect.arrayContaining([jointId, 'joint-2027-catering']));
    expect(sup.json.items.find((j: { id: string }) => j.id === 'joint-2027-catering').leadAgencyId).toBe('city-market');
    expect((await api('GET', '/api/joints', inspector1.token)).status).toBe(403);
  });

  it("joint tasks: rules checked first, then written into every member's own tasks room", async () => {
    // an enterprise of catering that neither agency has tasks at in 2026
    const mk = connect('tasks/city-market/2026', agency1.token);
    const em = connect('tasks/city-emergency/2026', agency2.token);
    await Promise.all([waitSynced(mk), waitSynced(em)]);
    const busy = new Set([...readTasks(mk.doc).items, ...readTasks(em.doc).items].map((t) => t.uscc));
    const ents = await api('GET', '/api/enterprises?industry=catering&limit=50', agency1.token);
    const target = (ents.json.items as { uscc: string; name: string }[]).find((e) => !busy.has(e.uscc))!;
    expect(target).toBeTruthy();
    const body = { usccs: [target.uscc] };

    // only the lead
    const notLead = await api('POST', `/api/joints/${jointId}/tasks`, agency2.token, body);
    expect(notLead.status).toBe(403);

    // draft joint plan + one inspector for city-emergency: blocked, with every reason
    const r1 = await api('POST', `/api/joints/${jointId}/tasks`, agency1.token, body);
    expect(r1.status).toBe(422);
    expect(r1.json.error.code).toBe('task_rules');
    const codes1 = (r1.json.error.details as { agencyId: string; verdicts: { code: string }[] }[]).flatMap((p) =>
      p.verdicts.map((v) => `${p.agencyId}:${v.code}`),
    );
    expect(codes1).toEqual(expect.arrayContaining(['city-market:plan.unfiled', 'city-emergency:plan.unfiled', 'city-emergency:team.too_few']));
    expect(codes1).not.toContain('city-market:team.too_few');
    expect(codes1).not.toContain('city-market:quiet.blocked');

    // the lead files the joint plan (measure 6) and the city justice bureau accepts it
    const member = connect(`joint/${jointId}`, agency2.token);
    await waitSynced(member);
    setJointTeam(member.doc, 'city-emergency', ['insp-city-emergency-1', 'insp-city-emergency-2']);
    await waitFor(
      async () =>
        (await api('POST', `/api/joints/${jointId}/tasks`, agency1.token, body)).json.error.details.every(
          (p: { verdicts: { code: string }[] }) => !p.verdicts.some((v) => v.code === 'team.too_few'),
        ),
      10_000,
      'team on the server',
    );
    const filing = await api('POST', '/api/filings', agency1.token, { room: `joint/${jointId}` });
    expect(filing.status, JSON.stringify(filing.json)).toBe(201);
    const decided = await api('POST', `/api/filings/${filing.json.filing.id}/decision`, supervisor1.token, { decision: 'accept' });
    expect(decided.status, JSON.stringify(decided.json)).toBe(200);
    expect((await api('GET', `/api/joints/${jointId}`, agency1.token)).json.status).toBe('filed');

    // the items are planned for November, the window is in December: a warning to confirm
    const r2 = await api('POST', `/api/joints/${jointId}/tasks`, agency1.token, body);
    expect(r2.status).toBe(422);
    expect(r2.json.error.code).toBe('confirm_required');
    expect(r2.json.error.message.zh).toMatch(/确认/);
    expect((r2.json.error.details as { verdicts: { code: string; verdict: string }[] }[]).flatMap((p) => p.verdicts.map((v) => v.code))).toContain(
      'task.outside_months',
    );

    const r3 = await api('POST', `/api/joints/${jointId}/tasks`, agency1.token, { ...body, confirm: true });
    expect(r3.status).toBe(201);
    const ids = Object.fromEntries((r3.json.created as { agencyId: string; taskIds: string[] }[]).map((c) => [c.agencyId, c.taskIds]));
    expect(Object.keys(ids).sort()).toEqual(['city-emergency', 'city-market']); // pd-market has no items: no task
    expect(ids['city-market']).toHaveLength(1);

    // each member's own room has its task, carrying both members' items and inspectors
    for (const [p, agencyId] of [
      [mk, 'city-market'],
      [em, 'city-emergency'],
    ] as const) {
      await waitFor(() => readTasks(p.doc).items.some((t) => t.jointId === jointId), 10_000, `task in ${agencyId}`);
      const t = readTasks(p.doc).items.find((x) => x.jointId === jointId)!;
      expect(t).toMatchObject({
        agencyId,
        uscc: target.uscc,
        enterpriseName: target.name,
        window: { from: '2026-12-21', to: '2026-12-24' },
        status: 'assigned',
        kind: { type: 'planned' },
      });
      expect(t.itemIds.sort()).toEqual(['city-emergency.YJ-07', 'city-market.SJ-01']);
      expect(t.inspectorIds.sort()).toEqual(['insp-city-emergency-1', 'insp-city-emergency-2', 'insp-city-market-1', 'insp-city-market-2']);
      expect(t.checkCode).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      // the catalogue version the joint plan was filed against (the demo seed's version 1)
      expect(t.catalogueVersion).toBe(1);
    }
    // inspector1 (city-market) reads it from its agency's room
    const ins = connect('tasks/city-market/2026', inspector1.token);
    await waitSynced(ins);
    expect(readTasks(ins.doc).items.filter((t) => t.jointId === jointId && t.inspectorIds.includes('insp-city-market-1'))).toHaveLength(1);

    // generating the same again is refused: the tasks exist
    const r4 = await api('POST', `/api/joints/${jointId}/tasks`, agency1.token, { ...body, confirm: true });
    expect(r4.status).toBe(422);
    expect((r4.json.error.details as { verdicts: { code: string }[] }[]).flatMap((p) => p.verdicts.map((v) => v.code))).toContain('task.exists');

    // a change after filing: tasks now need a confirmation that the plan must be re-filed (measure 6)
    const other = (ents.json.items as { uscc: string }[]).find((e) => !busy.has(e.uscc) && e.uscc !== target.uscc)!;
    const r5 = await api('POST', `/api/joints/${jointId}/tasks`, agency1.token, { usccs: [other.uscc], confirm: true });
    expect(r5.status, JSON.stringify(r5.json)).toBe(201);
    member.doc.getMap('meta').set('title', '备案后修改的标题');
    await waitFor(async () => (await api('GET', `/api/joints/${jointId}`, agency1.token)).json.title === '备案后修改的标题', 10_000, 'title on the server');
    const third = (ents.json.items as { uscc: string }[]).find((e) => !busy.has(e.uscc) && e.uscc !== target.uscc && e.uscc !== other.uscc)!;
    const r6 = await api('POST', `/api/joints/${jointId}/tasks`, agency1.token, { usccs: [third.uscc] });
    expect(r6.status).toBe(422);
    expect(r6.json.error.code).toBe('confirm_required');
    expect(
      (r6.json.error.details as { verdicts: { code: string; message: { zh: string } }[] }[]).flatMap((p) => p.verdicts).find((v) => v.code === 'plan.changed')
        ?.message.zh,
    ).toMatch(/重新备案/);
  });

  it("suggestions come from filed plans only, concern the caller's agency and can seed a joint plan", async () => {
    // next year's plans are all drafts: no suggestion exposes them
    const drafts = await api('GET', '/api/joint-suggestions?year=2027', supervisor1.token);
    expect(drafts.status).toBe(200);
    expect(drafts.json.items).toEqual([]);
    const r = await api('GET', '/api/joint-suggestions?year=2026', agency1.token);
    expect(r.status).toBe(200);
    const items = r.json.items as { agencies: string[]; planItemIds: Record<string, string[]>; months: number[]; enterpriseCount: number }[];
    expect(items.length).toBeGreaterThan(0);
    for (const s of items) {
      expect(s.agencies).toContain('city-market');
      expect(s.enterpriseCount).toBeGreaterThan(0);
    }
    const sup = await api('GET', '/api/joint-suggestions?year=2026', supervisor1.token);
    expect(sup.json.items.length).toBeGreaterThanOrEqual(items.length);
    expect((await api('GET', '/api/joint-suggestions', agency1.token)).status).toBe(400);

    const s = items[0];
    const partners = s.agencies.filter((a) => a !== 'city-market');
    const created = await api('POST', '/api/joints', agency1.token, {
      title: '由建议生成的联合检查',
      year: 2026,
      memberAgencyIds: partners,
      months: s.months,
      planItems: Object.entries(s.planItemIds).flatMap(([agencyId, ids]) => ids.map((planItemId) => ({ agencyId, planItemId }))),
    });
    expect(created.status).toBe(201);
    const p = connect(`joint/${created.json.id}`, agency1.token);
    await waitSynced(p);
    // the lead's own items now; the partners' when they accept
    expect(new Set(readJoint(p.doc).items.map((i) => i.agencyId))).toEqual(new Set(['city-market']));
    expect(readJoint(p.doc).items.length).toBe(s.planItemIds['city-market'].length);
    const admins: Record<string, LoginResult> = { 'city-emergency': agency2, 'pd-market': county1 };
    for (const a of partners) {
      const admin = admins[a] ?? null;
      if (!admin) continue;
      const inv = (await api('GET', '/api/joint-invitations', admin.token)).json.items.find((x: { jointId: string }) => x.jointId === created.json.id);
      expect(inv.planItemIds.sort()).toEqual([...s.planItemIds[a]].sort());
      expect((await api('POST', `/api/joints/${created.json.id}/accept`, admin.token)).status).toBe(200);
    }
    const accepted = partners.filter((a) => admins[a]);
    await waitFor(
      () => readJoint(p.doc).items.length === ['city-market', ...accepted].flatMap((a) => s.planItemIds[a]).length,
      10_000,
      "accepted partners' items",
    );
    const v = readJoint(p.doc);
    expect(new Set(v.items.map((i) => i.agencyId))).toEqual(new Set(['city-market', ...accepted]));
    for (const i of v.items) expect(i.months.every((m) => s.months.includes(m))).toBe(true);
    expect(v.meta?.window?.from).toBe(`2026-${String(Math.min(...s.months)).padStart(2, '0')}-01`);
    const again = await api('GET', '/api/joint-suggestions?year=2026', agency1.token);
    const same = (again.json.items as { agencies: string[]; months: number[]; existingJointIds: string[] }[]).find(
      (x) => x.agencies.join() === s.agencies.join() && x.months.join() === s.months.join(),
    )!;
    expect(same.existingJointIds).toContain(created.json.id);
  });
});

// ---- consent (these write into city-emergency's 2026 plan: keep them last) ----
const tasksIn = async (room: string, token: string, jointId: string) => {
  const p = connectProvider(srv.wsUrl, room, token);
  try {
    await waitSynced(p);
    return readTasks(p.doc).items.filter((t) => t.jointId === jointId);
  } finally {
    destroyAll(p);
  }
};
const ITEM = (agencyId: string, itemId: string) => ({
  id: `ji-${agencyId}`,
  agencyId,
  itemId,
  targets: { industries: ['catering'], divisions: [], riskLevels: [] },
  months: [11, 12],
});

describe("joint plans need the invited agency's consent", () => {
  let jointId = '';

  it('a lead "enrols" an agency: it is only invited; no member, no access, nothing written in its name', async () => {
    const r = await api('POST', '/api/joints', agency1.token, {
      title: '未经同意的联合检查',
      year: 2026,
      memberAgencyIds: ['city-emergency'],
      window: { from: '2026-12-21', to: '2026-12-24' },
    });
    expect(r.status).toBe(201);
    jointId = r.json.id;
    expect(r.json.memberAgencyIds).toEqual(['city-market']);
    expect(r.json.invitedAgencyIds).toEqual(['city-emergency']);
    // the invited agency has no socket access yet, and the doc does not list it as a member
    expect(await outcome(connect(`joint/${jointId}`, agency2.token))).toBe(4403);
    const l = connect(`joint/${jointId}`, agency1.token);
    expect(await outcome(l)).toBe('synced');
    expect(readJoint(l.doc).members.map((m) => m.agencyId)).toEqual(['city-market']);
  });

  it("the lead writes an item and a team in the invited agency's name: refused (4403), not stored", async () => {
    const l = connect(`joint/${jointId}`, agency1.token);
    await waitSynced(l);
    createJointItem(l.doc, ITEM('city-emergency', 'city-emergency.YJ-07'));
    expect((await l.closed).code).toBe(4403);
    const t = connect(`joint/${jointId}`, agency1.token);
    await waitSynced(t);
    setJointTeam(t.doc, 'city-emergency', ['insp-city-emergency-1', 'insp-city-emergency-2']);
    expect((await t.closed).code).toBe(4403);
    const fresh = connect(`joint/${jointId}`, supervisor1.token);
    await waitSynced(fresh);
    expect(readJoint(fresh.doc).items).toEqual([]);
    expect(readJoint(fresh.doc).team).toEqual([]);
  });

  it("joint tasks go only into members' rooms: nothing into the non-consenting agency's tasks room", async () => {
    const l = connect(`joint/${jointId}`, agency1.token);
    await waitSynced(l);
    createJointItem(l.doc, ITEM('city-market', 'city-market.SJ-01'));
    setJointTeam(l.doc, 'city-market', ['insp-city-market-1', 'insp-city-market-2']);
    await waitFor(
      async () => {
        const s = connectProvider(srv.wsUrl, `joint/${jointId}`, supervisor1.token);
        try {
          await waitSynced(s);
          return readJoint(s.doc).items.length === 1 && readJoint(s.doc).team.length === 1;
        } finally {
          destroyAll(s);
        }
      },
      10_000,
      'lead item stored',
    );
    const ents = await api('GET', '/api/enterprises?industry=catering&limit=50', agency1.token);
    const r = await api('POST', `/api/joints/${jointId}/tasks`, agency1.token, {
      usccs: [(ents.json.items as { uscc: string }[])[7].uscc],
      confirm: true,
      exemptions: [],
    });
    // whatever the rules say for the lead's own task, the invited agency is never part of it
    const rooms = r.status === 201 ? (r.json.created as { agencyId: string }[]).map((c) => c.agencyId) : [];
    expect(rooms).not.toContain('city-emergency');
    if (r.status === 422) {
      expect((r.json.error.details as { agencyId: string }[]).map((p) => p.agencyId)).not.toContain('city-emergency');
    }
    expect(await tasksIn('tasks/city-emergency/2026', agency2.token, jointId)).toEqual([]);
  });

  it('a declined invitation stays without access; an accepted one gives it', async () => {
    const dec = await api('POST', `/api/joints/${jointId}/decline`, agency2.token);
    expect(dec.status).toBe(200);
    expect(await outcome(connect(`joint/${jointId}`, agency2.token))).toBe(4403);
    expect((await api('POST', `/api/joints/${jointId}/accept`, agency2.token)).status).toBe(404);
    const again = await api('POST', `/api/joints/${jointId}/members`, agency1.token, { agencyId: 'city-emergency' });
    expect(again.json.invited).toBe(true);
    expect((await api('POST', `/api/joints/${jointId}/accept`, agency2.token)).status).toBe(200);
    const p = connect(`joint/${jointId}`, agency2.token);
    expect(await outcome(p)).toBe('synced');
    // its own items now; still not the lead's
    createJointItem(p.doc, ITEM('city-emergency', 'city-emergency.YJ-07'));
    await waitFor(() => readJoint(p.doc).items.length === 2, 10_000, 'own item');
  });
});

describe('suggestions use filed plans only', () => {
  it('a draft plan (next year, and an item added to a filed plan since) never shows in suggestions', async () => {
    // the partner adds a draft item to its filed 2026 plan: exactly what the lead would match with
    const plan = connect('plan/city-emergency/2026', agency2.token);
    await waitSynced(plan);
    createPlanItem(plan.doc, {
      id: 'draft-secret',
      itemId: 'city-emergency.YJ-07',
      method: 'onsite',
      targets: { industries: ['catering'], divisions: [], riskLevels: [] },
      months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
      cap: 1,
    });
    await waitFor(
      async () => {
        const s = connectProvider(srv.wsUrl, 'plan/city-emergency/2026', supervisor1.token);
        try {
          await waitSynced(s);
          return (s.doc.getMap('items') as Y.Map<unknown>).has('draft-secret');
        } finally {
          destroyAll(s);
        }
      },
      10_000,
      'draft item stored',
    );
    const now = await api('GET', '/api/joint-suggestions?year=2026', agency1.token);
    expect(now.status).toBe(200);
    const ids = (now.json.items as { planItemIds: Record<string, string[]> }[]).flatMap((s) => s.planItemIds['city-emergency'] ?? []);
    expect(ids).not.toContain('draft-secret');
    // next year's plans are drafts: nothing
    expect((await api('GET', '/api/joint-suggestions?year=2027', agency1.token)).json.items).toEqual([]);
    // and a draft item cannot be copied into a joint plan either
    const c = await api('POST', '/api/joints', agency1.token, {
      title: '抄草稿',
      year: 2026,
      memberAgencyIds: ['city-emergency'],
      planItems: [{ agencyId: 'city-emergency', planItemId: 'draft-secret' }],
    });
    expect(c.status).toBe(400);
    expect(c.json.error.code).toBe('unknown_plan_item');
  });
});
