/**
 * What a draw shows, and to whom, over a real server: the public sees the summary and the commitments at
 * once, each inspection's result as soon as the projection has it (with its 20-working-day due date), and
 * nothing of the population, reveals or picks until the draw is published; an enterprise sees its own
 * result and nobody else's; coverage is an agency's own, or every agency's for supervisors. Every route
 * is also tried by someone who may not use it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { deviceOf, RECORD_AT, sign } from '../../helpers/devices';
import { appendRecord } from '../../../src/model';
import { commitmentOf, newSecret, parsePopulationText, verifyDraw } from '../../../src/domain/draw';
import { Coverage, DrawDetail, MyDrawResults, PublicDraw, PublicDrawList } from '../../../src/protocol/draws';

let srv: SpawnedServer;
let dataDir: string;
let agency1: LoginResult, agency2: LoginResult, supervisor: LoginResult, enterprise1: LoginResult, inspector1: LoginResult;
let draw: DrawDetail;
const secrets = new Map<string, string>();

const call = async (path: string, who: LoginResult | null, body?: unknown): Promise<Response> =>
  fetch(`${srv.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(who ? { authorization: `Bearer ${who.token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const json = async <T>(r: Response, schema: { parse: (x: unknown) => T }, status = 200): Promise<T> => {
  const text = await r.text();
  expect(r.status, text.slice(0, 400)).toBe(status);
  return schema.parse(JSON.parse(text));
};

beforeAll(async () => {
  // a data dir of our own: the last part restarts the server on it, a few days later
  dataDir = mkdtempSync(path.join(tmpdir(), 'draws-reads-'));
  srv = await spawnServer({ dataDir });
  [agency1, agency2, supervisor, enterprise1, inspector1] = await Promise.all(
    ['agency1', 'agency2', 'supervisor1', 'enterprise1', 'inspector1'].map((u) => login(srv.url, u)),
  );
  // class A of the demo's sampling item, drawn whole: many picks, several with inspector1 on the team
  draw = await json(
    await call('/api/draws', agency1, {
      year: 2026,
      kind: 'agency',
      source: { type: 'plan', planItemId: 'city-market.p2026-02' },
      window: { from: '2026-11-25', to: '2026-11-27' },
      ratios: { A: 10000, B: 0, C: 0, D: 0 },
      perTask: 2,
    }),
    DrawDetail,
    201,
  );
}, 120_000);
afterAll(async () => {
  await srv?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function act(kind: 'commit' | 'reveal', party: string, who: LoginResult): Promise<DrawDetail> {
  if (!secrets.has(party)) secrets.set(party, newSecret());
  const secret = secrets.get(party)!;
  const body = kind === 'commit' ? { party, commitment: commitmentOf(draw.draw.paramsHash, party, secret) } : { party, secret };
  return json(await call(`/api/draws/${draw.draw.id}/${kind}`, who, body), DrawDetail);
}

describe('before anyone commits', () => {
  it('the public sees the summary: hashes, size, ratios, parties without commitments', async () => {
    const list = await json(await call('/api/public/draws?year=2026', null), PublicDrawList);
    const s = list.items.find((d) => d.id === draw.draw.id)!;
    expect(s).toMatchObject({ status: 'committing', paramsHash: draw.draw.paramsHash, populationSize: draw.draw.populationSize, organiserId: 'city-market' });
    expect(s.organiserName).toContain('市场监督管理局');
    expect(s.parties.every((p) => p.commitment === undefined)).toBe(true);
    expect(s.seed).toBeUndefined();
  });

  it('nor the population, the statement or any pick', async () => {
    const d = await json(await call(`/api/public/draws/${draw.draw.id}`, null), PublicDraw);
    expect(d.statement).toBeUndefined();
    expect(d.picks).toBeUndefined();
    expect(d.inspectors).toBeUndefined();
    expect(d.reveals).toBeUndefined();
    expect((await call(`/api/public/draws/${draw.draw.id}/population`, null)).status).toBe(404);
    expect((await call('/api/public/draws/no-such-draw', null)).status).toBe(404);
    expect((await call('/api/public/draws/bad%20id', null)).status).toBe(400);
  });
});

describe('committed, revealed, drawn', () => {
  beforeAll(async () => {
    const parties = draw.draw.parties.map((p) => p.party);
    const justice = parties.find((p) => p.startsWith('justice:'))!;
    await act('commit', 'agency:city-market', agency1);
    await act('commit', justice, supervisor);
    await act('reveal', justice, supervisor);
    // the agency, still to reveal, cannot learn the bureau's secret: not from the draw, its live doc or the audit trail
    const early = await json(await call(`/api/draws/${draw.draw.id}`, agency1), DrawDetail);
    expect(early.reveals).toBeUndefined();
    const audit = await call('/api/audit?action=draw', agency1);
    expect(audit.status).toBe(200);
    const trail = await audit.text();
    expect(trail).toContain('draw.reveal');
    expect(trail).not.toContain(secrets.get(justice)!);
    draw = await act('reveal', 'agency:city-market', agency1);
  }, 120_000);

  it('the public sees both commitments, and still no pick, seed or population', async () => {
    expect(draw.draw.status).toBe('drawn');
    const d = await json(await call(`/api/public/draws/${draw.draw.id}`, null), PublicDraw);
    expect(d.status).toBe('drawn');
    for (const p of d.parties) expect(p.commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(d.picks).toBeUndefined();
    expect(d.seed).toBeUndefined();
    expect(d.results).toEqual([]);
    expect((await call(`/api/public/draws/${draw.draw.id}/population`, null)).status).toBe(404);
  });

  it('an inspection recorded under the draw is public at once, with its due date, and its enterprise sees it', async () => {
    const pick = draw.picks!.find((p) => p.teams['city-market'].includes('insp-city-market-1'))!;
    const task = draw.tasks.find((t) => t.uscc === pick.uscc && t.agencyId === 'city-market')!;
    expect(task.taskId).toBeTruthy();
    const key = await deviceOf(srv.url, inspector1);
    const ledger = connectProvider(srv.wsUrl, `ledger/${pick.uscc}`, inspector1.token);
    await waitSynced(ledger);
    const entryId = `draw-entry-${process.pid}`;
    appendRecord(
      ledger.doc,
      await sign(
        {
          id: entryId,
          uscc: pick.uscc,
          at: RECORD_AT,
          by: inspector1.userId,
          type: 'entry',
          agencyId: 'city-market',
          taskId: task.taskId,
          kind: { type: 'planned', planned: 'routine' },
          team: pick.teams['city-market'].map((id) => ({ inspectorId: id, name: id, certificateNumber: 'SX-140300-0001', certificateValid: true })),
          itemIds: ['city-market.SJ-03'],
          via: 'late',
          lateReason: 'recorded after the visit',
          exemptions: [],
          device: 'test',
          conductAcknowledged: true,
        },
        key,
      ),
    );
    appendRecord(
      ledger.doc,
      await sign(
        {
          id: `draw-result-${process.pid}`,
          uscc: pick.uscc,
          at: RECORD_AT,
          by: inspector1.userId,
          type: 'result',
          entryId,
          agencyId: 'city-market',
          checklist: [],
          findings: [],
          outcome: 'no_problem',
          notice: '未发现问题',
          checkedOutAt: RECORD_AT,
        },
        key,
      ),
    );
    let results: PublicDraw['results'] = [];
    await waitFor(
      async () => {
        results = (await json(await call(`/api/public/draws/${draw.draw.id}`, null), PublicDraw)).results;
        return results.length > 0;
      },
      20_000,
      'the result on the public page',
    );
    destroyAll(ledger);
    // inspected on Wednesday 25 November: 20 working days later is Wednesday 23 December
    expect(results).toEqual([
      expect.objectContaining({ uscc: pick.uscc, agencyId: 'city-market', outcome: 'no_problem', inspectedAt: RECORD_AT, dueBy: '2026-12-23' }),
    ]);
    const list = await json(await call('/api/public/draws?year=2026', null), PublicDrawList);
    expect(list.items.find((d) => d.id === draw.draw.id)?.resultsPublished).toBe(1);

    // enterprise1's account, bound to the inspected enterprise by a supervisor, sees that result; before, it saw none
    expect((await json(await call('/api/draws/mine', enterprise1), MyDrawResults)).items.filter((r) => r.uscc === pick.uscc)).toEqual([]);
    const rebind = await call('/api/accounts/u-enterprise1/rebind', supervisor, { role: 'enterprise', uscc: pick.uscc });
    expect(rebind.status, await rebind.text()).toBe(200);
    enterprise1 = await login(srv.url, 'enterprise1');
    const mine = await json(await call('/api/draws/mine', enterprise1), MyDrawResults);
    expect(mine.items).toEqual([expect.objectContaining({ drawId: draw.draw.id, uscc: pick.uscc, outcome: 'no_problem', title: draw.draw.title })]);
  }, 60_000);

  it('only an enterprise reads /api/draws/mine', async () => {
    for (const who of [agency1, supervisor, inspector1]) expect((await call('/api/draws/mine', who)).status).toBe(403);
    expect((await call('/api/draws/mine', null)).status).toBe(401);
  });
});

describe('coverage', () => {
  it("an agency sees its own sampling item against the plan's ratio and the 5% floor", async () => {
    const c = await json(await call('/api/draws/coverage?year=2026', agency1), Coverage);
    expect(c.minRatio).toBe(0.05);
    expect(c.agencies.map((a) => a.agencyId)).toEqual(['city-market']);
    const a = c.agencies[0];
    const item = a.items.find((i) => i.planItemId === 'city-market.p2026-02')!;
    expect(item).toMatchObject({ targetRatio: 0.05, draws: 1, drawn: draw.picks!.length, inspected: 1 });
    expect(item.population).toBeGreaterThanOrEqual(draw.draw.populationSize);
    expect(item.itemName.zh.length).toBeGreaterThan(0);
    expect(a).toMatchObject({ drawn: draw.picks!.length, inspected: 1, resultsPublished: 1 });
    expect(a.share).toBeCloseTo(a.drawn / a.population, 10);
    expect(a.meetsFloor).toBe(a.share >= 0.05);
  });

  it("another agency's admin gets 403 for city-market and sees only its own; supervisors see every agency", async () => {
    expect((await call('/api/draws/coverage?year=2026&agencyId=city-market', agency2)).status).toBe(403);
    const own = await json(await call('/api/draws/coverage?year=2026', agency2), Coverage);
    expect(own.agencies.map((a) => a.agencyId)).toEqual(['city-emergency']);
    const all = await json(await call('/api/draws/coverage?year=2026', supervisor), Coverage);
    expect(all.agencies.length).toBeGreaterThan(5);
    expect(all.agencies.find((a) => a.agencyId === 'city-market')?.drawn).toBe(draw.picks!.length);
    const one = await json(await call('/api/draws/coverage?year=2026&agencyId=city-emergency', supervisor), Coverage);
    expect(one.agencies.map((a) => a.agencyId)).toEqual(['city-emergency']);
  });

  it('inspectors and enterprises get 403; a bad year 400', async () => {
    expect((await call('/api/draws/coverage?year=2026', inspector1)).status).toBe(403);
    expect((await call('/api/draws/coverage?year=2026', enterprise1)).status).toBe(403);
    expect((await call('/api/draws/coverage?year=abc', supervisor)).status).toBe(400);
  });
});

describe('after the window', () => {
  it('the draw is published: population, statement, reveals and picks are public, and they verify', async () => {
    await srv.stop();
    srv = await spawnServer({ dataDir, env: { CLOCK_NOW: '2026-11-30T10:00:00+08:00' } });
    const d = await json(await call(`/api/public/draws/${draw.draw.id}`, null), PublicDraw);
    expect(d.status).toBe('published');
    expect(d.seed).toBe(draw.draw.seed);
    expect(d.picks?.length).toBe(draw.picks!.length);
    // the inspectors of the picks by name (public, like /api/public/bodies), and nobody else
    const sent = new Set(d.picks!.flatMap((p) => Object.values(p.teams).flat()));
    expect(Object.keys(d.inspectors ?? {}).sort()).toEqual([...sent].sort());
    expect(d.inspectors?.['insp-city-market-1']).toBeTruthy();
    const text = await (await call(`/api/public/draws/${draw.draw.id}/population`, null)).text();
    const population = parsePopulationText(text);
    expect(population.length).toBe(d.populationSize);
    const pub = {
      statement: { ...d.statement!, population },
      populationHash: d.populationHash,
      populationSize: d.populationSize,
      paramsHash: d.paramsHash,
      commitments: Object.fromEntries(d.parties.map((p) => [p.party, p.commitment ?? ''])),
      reveals: d.reveals!,
      seed: d.seed!,
      resultText: d.resultText!,
    };
    expect(verifyDraw(pub).steps.filter((s) => !s.ok)).toEqual([]);
    // one enterprise less and it no longer verifies
    expect(verifyDraw({ ...pub, statement: { ...pub.statement, population: population.slice(1) } }).ok).toBe(false);
  }, 90_000);
});

describe("the demo's published draw of last year", () => {
  it('is on the public page whole, and verifies', async () => {
    const list = await json(await call('/api/public/draws?year=2025', null), PublicDrawList);
    const s = list.items.find((d) => d.id === 'city-market.d2025-1')!;
    expect(s).toMatchObject({ status: 'published', organiserId: 'city-market' });
    const d = await json(await call(`/api/public/draws/${s.id}`, null), PublicDraw);
    const population = parsePopulationText(await (await call(`/api/public/draws/${s.id}/population`, null)).text());
    const check = verifyDraw({
      statement: { ...d.statement!, population },
      populationHash: d.populationHash,
      populationSize: d.populationSize,
      paramsHash: d.paramsHash,
      commitments: Object.fromEntries(d.parties.map((p) => [p.party, p.commitment ?? ''])),
      reveals: d.reveals!,
      seed: d.seed!,
      resultText: d.resultText!,
    });
    expect(check.steps.filter((x) => !x.ok)).toEqual([]);
    expect(d.picks!.length).toBe(s.selectedCount);
  });
});
