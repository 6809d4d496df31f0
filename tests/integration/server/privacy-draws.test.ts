/**
 * Draws read early: a draw (双随机) names the enterprises selected and the inspectors sent, before the
 * visit. Over real sockets: an agency appends a draw to `draws/<year>`; enterprise1 (selected in it) and
 * an inspector open the room and are refused with 4403 before any byte of it reaches them; the agency and
 * the supervisors still read it. Nothing public serves draws (there is no published draw yet).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { appendDraw, readDraws } from '../../../src/model';
import { ENTERPRISE1_USCC } from '../../../server/seed/constants';

let srv: SpawnedServer;
let agency1: LoginResult, supervisor: LoginResult, enterprise1: LoginResult, inspector1: LoginResult;
const DRAW_ID = `draw-${process.pid}`;

beforeAll(async () => {
  srv = await spawnServer();
  [agency1, supervisor, enterprise1, inspector1] = await Promise.all(['agency1', 'supervisor1', 'enterprise1', 'inspector1'].map((u) => login(srv.url, u)));
  // the agency draws: enterprise1 is selected, inspector1 is sent
  const p = connectProvider(srv.wsUrl, 'draws/2026', agency1.token);
  try {
    await waitSynced(p);
    appendDraw(p.doc, {
      id: DRAW_ID,
      agencyId: 'city-market',
      year: 2026,
      title: '2026年12月双随机抽查',
      seed: 'seed-1',
      populationHash: 'h',
      populationSize: 40,
      ratio: 0.05,
      selected: [{ uscc: ENTERPRISE1_USCC, inspectorIds: ['insp-city-market-1', 'insp-city-market-2'] }],
      at: '2026-11-25T01:00:00Z',
    });
  } finally {
    setTimeout(() => destroyAll(p), 500);
  }
}, 90_000);
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
      await waitFor(() => readDraws(p.doc).items.some((d) => d.id === DRAW_ID), 10_000, 'the draw');
      return { draws: readDraws(p.doc).items.map((d) => d.id) };
    }
    return { code: first.code, frames: frames + Object.keys(p.doc.getMap('draws').toJSON()).length };
  } finally {
    destroyAll(p);
  }
}

describe('draws/<year> before publication', () => {
  it('enterprise1, selected in a draw, cannot open the room: 4403, nothing of the draw received', async () => {
    expect(await open(enterprise1)).toEqual({ code: 4403, frames: 0 });
  });

  it('an inspector cannot either (assignments come through tasks)', async () => {
    expect(await open(inspector1)).toEqual({ code: 4403, frames: 0 });
  });

  it('the agency and the supervisors still read the draw', async () => {
    expect(await open(agency1)).toMatchObject({ draws: expect.arrayContaining([DRAW_ID]) });
    expect(await open(supervisor)).toMatchObject({ draws: expect.arrayContaining([DRAW_ID]) });
  });

  it('no public route serves draws', async () => {
    for (const path of ['/api/public/draws?year=2026', '/api/draws?year=2026', '/api/public/draws/2026']) {
      const r = await fetch(`${srv.url}${path}`);
      expect(r.status, path).toBe(404);
    }
  });
});
