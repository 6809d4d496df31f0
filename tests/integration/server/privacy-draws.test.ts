/**
 * Draws read early: a draw (双随机) names the enterprises selected and the inspectors sent, before the
 * visit. Over real sockets: agency1 and supervisor1 make a draw through the API (create, commit, reveal), so
 * the server writes it to `draws/<year>`; enterprise1 and inspector1 open the room and are refused with 4403
 * before any byte of it reaches them, and get 403 from the /api/draws routes; the agency and the supervisors
 * read the live doc.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { readDraws } from '../../../src/model';
import { commitmentOf, newSecret } from '../../../src/domain/draw';
import { api, SAMPLING_ITEM } from '../../helpers/draws';

let srv: SpawnedServer;
let agency1: LoginResult, supervisor: LoginResult, enterprise1: LoginResult, inspector1: LoginResult;
let drawId: string;

beforeAll(async () => {
  srv = await spawnServer();
  [agency1, supervisor, enterprise1, inspector1] = await Promise.all(['agency1', 'supervisor1', 'enterprise1', 'inspector1'].map((u) => login(srv.url, u)));
  const made = await api(srv.url, 'POST', '/api/draws', agency1.token, {
    year: 2026,
    kind: 'agency',
    source: { type: 'plan', planItemId: SAMPLING_ITEM },
    window: { from: '2026-11-26', to: '2026-11-30' },
    ratios: { A: 300, B: 500, C: 1000, D: 2000 },
    perTask: 2,
  });
  expect(made.status, made.text).toBe(201);
  drawId = made.json.draw.id;
  const paramsHash: string = made.json.draw.paramsHash;
  const parties = [
    ['agency:city-market', agency1],
    ['justice:city-justice', supervisor],
  ] as const;
  const secrets = parties.map(() => newSecret());
  for (const [i, [party, who]] of parties.entries()) {
    expect(
      (await api(srv.url, 'POST', `/api/draws/${drawId}/commit`, who.token, { party, commitment: commitmentOf(paramsHash, party, secrets[i]) })).status,
    ).toBe(200);
  }
  for (const [i, [party, who]] of parties.entries()) {
    expect((await api(srv.url, 'POST', `/api/draws/${drawId}/reveal`, who.token, { party, secret: secrets[i] })).status).toBe(200);
  }
}, 60_000);
afterAll(async () => {
  await srv?.stop();
});

/** open the room as `who`: 'read' with what it holds, or the close code (and whether any frame of the doc came first) */
async function open(who: LoginResult): Promise<{ code: number; frames: number } | { draws: string[] }> {
  const p = connectProvider(srv.wsUrl, 'draws/2026', who.token);
  let frames = 0;
  p.on('sync', () => {
    frames++;
  });
  try {
    const first = await Promise.race([waitSynced(p).then(() => 'synced' as const), p.closed]);
    if (first === 'synced') {
      await waitFor(() => readDraws(p.doc).items.some((d) => d.id === drawId && d.status === 'drawn'), 10_000, 'the drawn draw');
      return { draws: readDraws(p.doc).items.map((d) => d.id) };
    }
    return { code: first.code, frames: frames + Object.keys(p.doc.getMap('draws').toJSON()).length };
  } finally {
    destroyAll(p);
  }
}

describe('draws/<year> before publication', () => {
  it('enterprise1 cannot open the room: 4403, nothing of the draw received', async () => {
    expect(await open(enterprise1)).toEqual({ code: 4403, frames: 0 });
  });

  it('an inspector cannot either (assignments come through tasks)', async () => {
    expect(await open(inspector1)).toEqual({ code: 4403, frames: 0 });
  });

  it('neither gets anything from the /api/draws routes', async () => {
    for (const who of [enterprise1, inspector1]) {
      for (const path of ['/api/draws?year=2026', `/api/draws/${drawId}`, `/api/draws/${drawId}/population`]) {
        expect((await api(srv.url, 'GET', path, who.token)).status, path).toBe(403);
      }
    }
  });

  it('the agency and the supervisors read the live draw', async () => {
    expect(await open(agency1)).toMatchObject({ draws: expect.arrayContaining([drawId]) });
    expect(await open(supervisor)).toMatchObject({ draws: expect.arrayContaining([drawId]) });
  });
});
