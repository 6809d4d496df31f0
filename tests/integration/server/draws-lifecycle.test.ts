/**
 * A draw (双随机) from start to end over the real server: agency1 checks (dry run) and creates a draw from a
 * filed sampling item, agency1 and supervisor1 (the justice bureau) commit and reveal, the last reveal draws
 * and makes the tasks in tasks/city-market/2026 (draw id, check code, teams of two, recusals honoured);
 * the errors of each step; a second draw whose justice party does not reveal lapses once a later server
 * clock passes its deadline (a draw_lapsed warning for supervisors), the first is published after its
 * window, and the same source is drawn again only by a draw that replaces the lapsed one, on its population.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { api, LIST_ITEM, SAMPLING_ITEM } from '../../helpers/draws';
import { parsed, responseSchema } from '../../helpers/api';
import { commitmentOf, newSecret, parsePopulationText, runDraw, seedOf } from '../../../src/domain/draw';
import { readTasks } from '../../../src/model';
import type { DrawDetail, DrawPreview } from '../../../src/protocol/draws';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eicp-draws-'));
let srv: SpawnedServer;
let agency1: LoginResult, supervisor1: LoginResult;
const WINDOW = { from: '2026-11-26', to: '2026-11-30' };
const RATIOS = { A: 300, B: 500, C: 1000, D: 2000 };
const AGENCY = 'agency:city-market';
const JUSTICE = 'justice:city-justice';

/** an API call whose answer is checked against the route's protocol schema */
async function call(method: string, p: string, token: string | null, body?: unknown) {
  const r = await api(srv.url, method, p, token, body);
  if (r.json !== null) parsed(r.json, responseSchema(method, p, r.status));
  return r;
}
const create = (extra: Record<string, unknown> = {}) =>
  call('POST', '/api/draws', agency1.token, {
    year: 2026,
    kind: 'agency',
    source: { type: 'plan', planItemId: SAMPLING_ITEM },
    window: WINDOW,
    ratios: RATIOS,
    perTask: 2,
    ...extra,
  });

beforeAll(async () => {
  srv = await spawnServer({ dataDir });
  [agency1, supervisor1] = await Promise.all(['agency1', 'supervisor1'].map((u) => login(srv.url, u)));
}, 60_000);
afterAll(async () => {
  await srv?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const secrets = { [AGENCY]: newSecret(), [JUSTICE]: newSecret() };
let first: DrawDetail;
let lapsing: DrawDetail;

describe('a draw from a filed sampling item', () => {
  it('a dry run counts and stores nothing', async () => {
    const r = await create({ dryRun: true });
    expect(r.status, r.text).toBe(200);
    const p = r.json as DrawPreview;
    expect(p.populationSize).toBeGreaterThan(0);
    expect(p.selectedCount).toBe(Object.values(p.byClass).reduce((s, c) => s + c.drawn, 0));
    expect(Object.values(p.byClass).reduce((s, c) => s + c.population, 0)).toBe(p.populationSize);
    expect(p.parties).toEqual([AGENCY, JUSTICE]);
    expect(p.teams).toHaveLength(1);
    expect(p.teams[0].pool.length).toBeGreaterThanOrEqual(2);
    expect((await call('GET', '/api/draws?year=2026', agency1.token)).json.items).toEqual([]);
  });

  it('is created, committing, its population published as text matching its hash', async () => {
    const r = await create();
    expect(r.status, r.text).toBe(201);
    first = r.json;
    expect(first.draw).toMatchObject({ id: 'city-market.d2026-1', status: 'committing', organiserId: 'city-market', teamAgencyIds: ['city-market'] });
    expect(first.myParties).toEqual([AGENCY]);
    const pop = await call('GET', `/api/draws/${first.draw.id}/population`, supervisor1.token);
    expect(pop.status).toBe(200);
    expect(createHash('sha256').update(pop.text).digest('hex')).toBe(first.draw.populationHash);
    expect(parsePopulationText(pop.text)).toHaveLength(first.draw.populationSize);
    expect((await call('GET', '/api/draws?year=2026', supervisor1.token)).json.items.map((d: { id: string }) => d.id)).toEqual([first.draw.id]);
  });

  it('refuses a reveal before every commitment, a second commitment, and a second open draw of the source', async () => {
    const id = first.draw.id;
    expect((await call('POST', `/api/draws/${id}/reveal`, agency1.token, { party: AGENCY, secret: secrets[AGENCY] })).json.error.code).toBe('draw_stage');
    const c = await call('POST', `/api/draws/${id}/commit`, agency1.token, {
      party: AGENCY,
      commitment: commitmentOf(first.draw.paramsHash, AGENCY, secrets[AGENCY]),
    });
    expect(c.status, c.text).toBe(200);
    expect(c.json.draw.status).toBe('committing');
    const again = await call('POST', `/api/draws/${id}/commit`, agency1.token, { party: AGENCY, commitment: 'a'.repeat(64) });
    expect([again.status, again.json.error.code]).toEqual([409, 'already_committed']);
    const open = await create();
    expect([open.status, open.json.error.code]).toEqual([409, 'draw_replaces']);
  });

  it('every commitment in: revealing with a deadline; a wrong secret is refused; the last reveal draws and makes the tasks', async () => {
    const id = first.draw.id;
    const c = await call('POST', `/api/draws/${id}/commit`, supervisor1.token, {
      party: JUSTICE,
      commitment: commitmentOf(first.draw.paramsHash, JUSTICE, secrets[JUSTICE]),
    });
    expect(c.status, c.text).toBe(200);
    expect(c.json.draw).toMatchObject({ status: 'revealing', revealBy: '2026-11-27T23:59:59+08:00' });
    const bad = await call('POST', `/api/draws/${id}/reveal`, agency1.token, { party: AGENCY, secret: newSecret() });
    expect([bad.status, bad.json.error.code]).toEqual([422, 'reveal_mismatch']);
    expect((await call('POST', `/api/draws/${id}/reveal`, agency1.token, { party: AGENCY, secret: secrets[AGENCY] })).json.draw.status).toBe('revealing');
    const last = await call('POST', `/api/draws/${id}/reveal`, supervisor1.token, { party: JUSTICE, secret: secrets[JUSTICE] });
    expect(last.status, last.text).toBe(200);
    first = last.json;
    expect(first.draw.status).toBe('drawn');
    expect(first.reveals).toEqual(secrets);
    // anyone re-runs it from the statement, the population and the reveals
    const pop = parsePopulationText((await call('GET', `/api/draws/${id}/population`, agency1.token)).text);
    const run = runDraw({ ...first.statement, population: pop }, seedOf(first.draw.paramsHash, secrets));
    expect(run.resultText).toBe(first.resultText);
    expect(run.resultHash).toBe(first.draw.resultHash);
    expect(first.draw.selectedCount).toBe(first.picks!.length);
    for (const pick of first.picks!) {
      const team = pick.teams['city-market'];
      expect(team.length).toBeGreaterThanOrEqual(2);
      for (const x of first.statement.recusals[pick.uscc] ?? []) expect(team).not.toContain(x);
    }
    expect(first.tasks.length).toBe(first.picks!.length);
  });

  it('the tasks are in tasks/city-market/2026 with the draw id, a check code and the drawn team', async () => {
    const p = connectProvider(srv.wsUrl, 'tasks/city-market/2026', agency1.token);
    try {
      await waitSynced(p);
      const made = first.tasks.filter((x) => x.taskId);
      expect(made.length).toBeGreaterThan(0);
      await waitFor(() => readTasks(p.doc).items.filter((x) => x.drawId === first.draw.id).length === made.length, 10_000, 'the tasks');
      for (const task of readTasks(p.doc).items.filter((x) => x.drawId === first.draw.id)) {
        const pick = first.picks!.find((x) => x.uscc === task.uscc)!;
        expect(task).toMatchObject({ kind: { type: 'planned', planned: 'routine' }, planItemId: SAMPLING_ITEM, status: 'assigned', window: WINDOW });
        expect(task.inspectorIds).toEqual(pick.teams['city-market']);
        expect(task.checkCode).toBeTruthy();
      }
    } finally {
      destroyAll(p);
    }
  });

  it('refuses an unfiled plan, a non-sampling item, one inspector a task, a window in the past', async () => {
    const unfiled = await create({
      year: 2027,
      source: { type: 'plan', planItemId: 'city-market.p2027-01' },
      window: { from: '2027-03-01', to: '2027-03-05' },
    });
    expect([unfiled.status, unfiled.json.error.code]).toEqual([409, 'plan_not_filed']);
    const notSampling = await create({ source: { type: 'plan', planItemId: LIST_ITEM } });
    expect([notSampling.status, notSampling.json.error.code]).toEqual([422, 'draw_invalid']);
    const one = await create({ perTask: 1 });
    expect([one.status, one.json.error.code]).toEqual([422, 'draw_invalid']);
    const past = await create({ window: { from: '2026-11-20', to: '2026-11-30' } });
    expect([past.status, past.json.error.code]).toEqual([422, 'draw_invalid']);
  });

  it('a second draw of the source: both commit, only the agency reveals', async () => {
    const r = await create({ window: { from: '2026-12-21', to: '2026-12-23' } });
    expect(r.status, r.text).toBe(201);
    lapsing = r.json;
    expect(lapsing.draw.id).toBe('city-market.d2026-2');
    const id = lapsing.draw.id;
    for (const [who, party] of [
      [agency1, AGENCY],
      [supervisor1, JUSTICE],
    ] as const) {
      const c = await call('POST', `/api/draws/${id}/commit`, who.token, { party, commitment: commitmentOf(lapsing.draw.paramsHash, party, secrets[party]) });
      expect(c.status, c.text).toBe(200);
    }
    expect((await call('POST', `/api/draws/${id}/reveal`, agency1.token, { party: AGENCY, secret: secrets[AGENCY] })).json.draw.status).toBe('revealing');
  });
});

describe('days later (the server restarted with a later clock)', () => {
  beforeAll(async () => {
    await srv.stop();
    srv = await spawnServer({ dataDir, env: { CLOCK_NOW: '2026-12-02T10:00:00+08:00' } });
    [agency1, supervisor1] = await Promise.all(['agency1', 'supervisor1'].map((u) => login(srv.url, u)));
  }, 60_000);

  it('the first draw is published after its window; the second lapsed, naming the party that did not reveal', async () => {
    const items = (await call('GET', '/api/draws?year=2026', agency1.token)).json.items as { id: string; status: string }[];
    expect(Object.fromEntries(items.map((d) => [d.id, d.status]))).toEqual({ [first.draw.id]: 'published', [lapsing.draw.id]: 'lapsed' });
    const w = await call('GET', '/api/warnings?year=2026&kind=draw_lapsed', supervisor1.token);
    expect(w.status, w.text).toBe(200);
    const mine = (w.json.items as { refId?: string; message: { en: string } }[]).find((x) => x.refId === lapsing.draw.id);
    expect(mine?.message.en).toMatch(/Yangquan Justice Bureau/);
  });

  it('the source is drawn again only by a draw replacing the lapsed one, on the same population', async () => {
    const window = { from: '2026-12-21', to: '2026-12-24' };
    const refused = await create({ window });
    expect([refused.status, refused.json.error.code]).toEqual([409, 'draw_replaces']);
    const wrong = await create({ window, replaces: first.draw.id });
    expect([wrong.status, wrong.json.error.code]).toEqual([409, 'draw_replaces']);
    const r = await create({ window, replaces: lapsing.draw.id, ratios: { A: 10000, B: 10000, C: 10000, D: 10000 } });
    expect(r.status, r.text).toBe(201);
    expect(r.json.draw).toMatchObject({ replaces: lapsing.draw.id, populationHash: lapsing.draw.populationHash, ratios: lapsing.draw.ratios });
  });
});
