/**
 * The two other kinds of draw, over a real server: the city draws for a county (市抽县查: the county's
 * enterprises, the county agency's inspectors, the county agency a party) and a joint draw (部门联合抽查: the
 * enterprises once, a team from each member agency, every member a party, the tasks in each member's room).
 * Each is also tried by an agency that may not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { api, SAMPLING_ITEM } from '../../helpers/draws';
import { commitmentOf, newSecret, parsePopulationText } from '../../../src/domain/draw';
import { createJointItem, readJoint, readTasks, setJointTeam } from '../../../src/model';
import { DrawDetail } from '../../../src/protocol/draws';

let srv: SpawnedServer;
let agency1: LoginResult, agency2: LoginResult, county1: LoginResult, supervisor: LoginResult;

beforeAll(async () => {
  srv = await spawnServer();
  [agency1, agency2, county1, supervisor] = await Promise.all(['agency1', 'agency2', 'county1', 'supervisor1'].map((u) => login(srv.url, u)));
}, 90_000);
afterAll(async () => {
  await srv?.stop();
});

/** every party commits, then reveals, each with the account given for it */
async function commitAndReveal(d: DrawDetail, by: Record<string, LoginResult>): Promise<DrawDetail> {
  const secrets = Object.fromEntries(d.draw.parties.map((p) => [p.party, newSecret()]));
  for (const p of d.draw.parties) {
    const r = await api(srv.url, 'POST', `/api/draws/${d.draw.id}/commit`, by[p.party].token, {
      party: p.party,
      commitment: commitmentOf(d.draw.paramsHash, p.party, secrets[p.party]),
    });
    expect(r.status, r.text).toBe(200);
  }
  let last: DrawDetail = d;
  for (const p of d.draw.parties) {
    const r = await api(srv.url, 'POST', `/api/draws/${d.draw.id}/reveal`, by[p.party].token, { party: p.party, secret: secrets[p.party] });
    expect(r.status, r.text).toBe(200);
    last = DrawDetail.parse(r.json);
  }
  expect(last.draw.status).toBe('drawn');
  return last;
}

async function tasksOf(room: string, token: string) {
  const p = connectProvider(srv.wsUrl, room, token);
  try {
    await waitSynced(p);
    return readTasks(p.doc).items;
  } finally {
    destroyAll(p);
  }
}

describe('市抽县查: the city market regulator draws for Pingding county', () => {
  const body = {
    year: 2026,
    kind: 'county',
    countyAgencyId: 'pd-market',
    source: { type: 'plan', planItemId: SAMPLING_ITEM },
    window: { from: '2026-11-26', to: '2026-11-30' },
    ratios: { A: 1000, B: 1000, C: 2000, D: 4000 },
    perTask: 2,
  };

  it('another city agency cannot draw for that county, nor the county for itself; a city agency is not a county', async () => {
    expect((await api(srv.url, 'POST', '/api/draws', agency2.token, body)).status).toBe(403); // not its plan item
    expect((await api(srv.url, 'POST', '/api/draws', county1.token, body)).status).toBe(403);
    const notCounty = await api(srv.url, 'POST', '/api/draws', agency1.token, { ...body, countyAgencyId: 'city-health' });
    expect(notCounty.status).toBe(422);
    expect(notCounty.json.error.code).toBe('draw_invalid');
  });

  it("draws the county's enterprises, sends the county's inspectors, and the county agency is a party", async () => {
    const r = await api(srv.url, 'POST', '/api/draws', agency1.token, body);
    expect(r.status, r.text).toBe(201);
    const d = DrawDetail.parse(r.json);
    expect(d.draw).toMatchObject({ kind: 'county', organiserId: 'city-market', teamAgencyIds: ['pd-market'] });
    expect(d.draw.parties.map((p) => p.party)).toEqual(['agency:city-market', 'agency:pd-market', 'justice:city-justice']);
    expect(d.statement.teams.map((t) => t.agencyId)).toEqual(['pd-market']);
    expect(d.statement.teams[0].pool.every((id) => id.startsWith('insp-pd-market-'))).toBe(true);
    const pop = parsePopulationText((await api(srv.url, 'GET', `/api/draws/${d.draw.id}/population`, county1.token)).text);
    expect(pop.length).toBe(d.draw.populationSize);
    expect(pop.length).toBeGreaterThan(0);

    // the county's admin sees the draw it is a party to; another agency's does not
    expect((await api(srv.url, 'GET', `/api/draws/${d.draw.id}`, county1.token)).status).toBe(200);
    expect((await api(srv.url, 'GET', `/api/draws/${d.draw.id}`, agency2.token)).status).toBe(403);
    // the city agency cannot commit for the county
    const foreign = await api(srv.url, 'POST', `/api/draws/${d.draw.id}/commit`, agency1.token, {
      party: 'agency:pd-market',
      commitment: commitmentOf(d.draw.paramsHash, 'agency:pd-market', newSecret()),
    });
    expect(foreign.status).toBe(403);

    const drawn = await commitAndReveal(d, { 'agency:city-market': agency1, 'agency:pd-market': county1, 'justice:city-justice': supervisor });
    const tasks = (await tasksOf('tasks/pd-market/2026', county1.token)).filter((t) => t.drawId === d.draw.id);
    const made = drawn.tasks.filter((t) => t.taskId);
    expect(tasks.map((t) => t.id).sort()).toEqual(made.map((t) => t.taskId).sort());
    expect(made.length).toBeGreaterThan(0);
    for (const t of tasks) {
      expect(t.inspectorIds.length).toBe(2);
      expect(t.inspectorIds.every((id) => id.startsWith('insp-pd-market-'))).toBe(true);
      expect(t.checkCode).toBeTruthy();
      expect(pop.some((e) => e.uscc === t.uscc)).toBe(true);
    }
  }, 60_000);
});

describe('部门联合抽查: the city market regulator and the emergency bureau draw together', () => {
  let jointId = '';

  beforeAll(async () => {
    const r = await api(srv.url, 'POST', '/api/joints', agency1.token, {
      title: '2026年末餐饮场所联合抽查',
      year: 2026,
      memberAgencyIds: ['city-emergency'],
      window: { from: '2026-12-01', to: '2026-12-18' },
    });
    expect(r.status, r.text).toBe(201);
    jointId = r.json.id;
    expect((await api(srv.url, 'POST', `/api/joints/${jointId}/accept`, agency2.token)).status).toBe(200);
    const lead = connectProvider(srv.wsUrl, `joint/${jointId}`, agency1.token);
    const member = connectProvider(srv.wsUrl, `joint/${jointId}`, agency2.token);
    await Promise.all([waitSynced(lead), waitSynced(member)]);
    createJointItem(lead.doc, {
      id: 'ji-m',
      agencyId: 'city-market',
      itemId: 'city-market.SJ-03',
      targets: { industries: ['catering'], divisions: [], riskLevels: [], samplingRatio: 0.05 },
      months: [12],
    });
    setJointTeam(
      lead.doc,
      'city-market',
      [1, 2, 3, 4, 5].map((n) => `insp-city-market-${n}`),
    );
    createJointItem(member.doc, {
      id: 'ji-e',
      agencyId: 'city-emergency',
      itemId: 'city-emergency.YJ-07',
      targets: { industries: ['catering'], divisions: [], riskLevels: [], samplingRatio: 0.05 },
      months: [12],
    });
    setJointTeam(
      member.doc,
      'city-emergency',
      [1, 2, 3, 4, 5].map((n) => `insp-city-emergency-${n}`),
    );
    // both members' edits have reached the server when a third reader sees them
    const sup = connectProvider(srv.wsUrl, `joint/${jointId}`, supervisor.token);
    await waitSynced(sup);
    await waitFor(() => readJoint(sup.doc).items.length === 2, 10_000, 'both joint items on the server');
    destroyAll(lead, member, sup);
  }, 60_000);

  it('cannot be drawn before the joint plan is filed, nor by a member that does not lead it', async () => {
    const body = {
      year: 2026,
      kind: 'joint',
      source: { type: 'joint', jointId },
      window: { from: '2026-12-01', to: '2026-12-18' },
      ratios: { A: 300, B: 500, C: 1000, D: 2000 },
      perTask: 2,
    };
    const early = await api(srv.url, 'POST', '/api/draws', agency1.token, body);
    expect(early.status, early.text).toBe(409);
    expect(early.json.error.code).toBe('plan_not_filed');
    const filing = await api(srv.url, 'POST', '/api/filings', agency1.token, { room: `joint/${jointId}` });
    expect(filing.status, filing.text).toBe(201);
    expect((await api(srv.url, 'POST', `/api/filings/${filing.json.filing.id}/decision`, supervisor.token, { decision: 'accept' })).status).toBe(200);
    expect((await api(srv.url, 'POST', '/api/draws', agency2.token, body)).status).toBe(403);
  }, 60_000);

  it('draws the enterprises once, a team from each member, and writes each member its tasks', async () => {
    const r = await api(srv.url, 'POST', '/api/draws', agency1.token, {
      year: 2026,
      kind: 'joint',
      source: { type: 'joint', jointId },
      window: { from: '2026-12-01', to: '2026-12-18' },
      ratios: { A: 300, B: 500, C: 1000, D: 2000 },
      perTask: 2,
    });
    expect(r.status, r.text).toBe(201);
    const d = DrawDetail.parse(r.json);
    expect(d.draw).toMatchObject({ kind: 'joint', jointId, teamAgencyIds: ['city-emergency', 'city-market'] });
    expect(d.draw.parties.map((p) => p.party)).toEqual(['agency:city-emergency', 'agency:city-market', 'justice:city-justice']);
    const drawn = await commitAndReveal(d, { 'agency:city-market': agency1, 'agency:city-emergency': agency2, 'justice:city-justice': supervisor });
    expect(drawn.picks!.length).toBeGreaterThan(0);
    for (const p of drawn.picks!) {
      expect(p.teams['city-market']).toHaveLength(2);
      expect(p.teams['city-emergency']).toHaveLength(2);
    }
    const market = (await tasksOf('tasks/city-market/2026', agency1.token)).filter((t) => t.drawId === d.draw.id);
    const emergency = (await tasksOf('tasks/city-emergency/2026', agency2.token)).filter((t) => t.drawId === d.draw.id);
    const made = (a: string) => drawn.tasks.filter((t) => t.agencyId === a && t.taskId).map((t) => t.uscc);
    expect(market.map((t) => t.uscc).sort()).toEqual(made('city-market').sort());
    expect(emergency.map((t) => t.uscc).sort()).toEqual(made('city-emergency').sort());
    for (const t of [...market, ...emergency]) expect(t.jointId).toBe(jointId);
    for (const t of emergency) expect(t.inspectorIds.some((id) => id.startsWith('insp-city-emergency-'))).toBe(true);
  }, 90_000);
});
