/**
 * Who may act on a draw (双随机), over the real server: only the organiser's agency admins create and cancel;
 * a party's own people commit and reveal for it (agency1 not for the justice bureau); an agency admin of
 * another agency, an inspector and an enterprise are refused every route (403), a supervisor may not create.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, spawnServer, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { api, SAMPLING_ITEM } from '../../helpers/draws';
import { commitmentOf, newSecret } from '../../../src/domain/draw';
import type { DrawDetail } from '../../../src/protocol/draws';

let srv: SpawnedServer;
const who = {} as Record<'agency1' | 'agency2' | 'supervisor1' | 'inspector1' | 'enterprise1', LoginResult>;
let draw: DrawDetail;
const body = {
  year: 2026,
  kind: 'agency',
  source: { type: 'plan', planItemId: SAMPLING_ITEM },
  window: { from: '2026-11-26', to: '2026-11-30' },
  ratios: { A: 300, B: 500, C: 1000, D: 2000 },
  perTask: 2,
};
const AGENCY = 'agency:city-market';
const JUSTICE = 'justice:city-justice';

beforeAll(async () => {
  srv = await spawnServer();
  for (const u of Object.keys({ agency1: 1, agency2: 1, supervisor1: 1, inspector1: 1, enterprise1: 1 }) as (keyof typeof who)[])
    who[u] = await login(srv.url, u);
  const r = await api(srv.url, 'POST', '/api/draws', who.agency1.token, body);
  expect(r.status, r.text).toBe(201);
  draw = r.json;
}, 60_000);
afterAll(async () => {
  await srv?.stop();
});

describe('draw rights', () => {
  it('no one else creates, commits, reveals, reads or cancels a draw', async () => {
    const id = draw.draw.id;
    const commitment = commitmentOf(draw.draw.paramsHash, AGENCY, newSecret());
    for (const u of ['agency2', 'inspector1', 'enterprise1'] as const) {
      const t = who[u].token;
      const tries = [
        await api(srv.url, 'POST', '/api/draws', t, { ...body, dryRun: true }),
        await api(srv.url, 'GET', '/api/draws?year=2026', t),
        await api(srv.url, 'GET', `/api/draws/${id}`, t),
        await api(srv.url, 'GET', `/api/draws/${id}/population`, t),
        await api(srv.url, 'POST', `/api/draws/${id}/commit`, t, { party: AGENCY, commitment }),
        await api(srv.url, 'POST', `/api/draws/${id}/reveal`, t, { party: AGENCY, secret: newSecret() }),
        await api(srv.url, 'POST', `/api/draws/${id}/cancel`, t, { reason: 'not mine to cancel' }),
      ];
      // another agency lists the draws it is a party to: none
      const expected = u === 'agency2' ? [403, 200, 403, 403, 403, 403, 403] : [403, 403, 403, 403, 403, 403, 403];
      expect(
        tries.map((r) => r.status),
        u,
      ).toEqual(expected);
      if (u === 'agency2') expect(tries[1].json.items).toEqual([]);
      expect(tries[3].text, u).not.toMatch(/^\S+ [ABCD]$/m);
    }
    expect((await api(srv.url, 'GET', '/api/draws/nope.d2026-9', who.agency2.token)).status).toBe(404);
  });

  it('agency1 cannot commit for the justice bureau, nor supervisor1 for the agency; a supervisor cannot create or cancel', async () => {
    const id = draw.draw.id;
    const c = (party: string) => ({ party, commitment: commitmentOf(draw.draw.paramsHash, party, newSecret()) });
    expect((await api(srv.url, 'POST', `/api/draws/${id}/commit`, who.agency1.token, c(JUSTICE))).status).toBe(403);
    expect((await api(srv.url, 'POST', `/api/draws/${id}/commit`, who.supervisor1.token, c(AGENCY))).status).toBe(403);
    expect((await api(srv.url, 'POST', '/api/draws', who.supervisor1.token, { ...body, dryRun: true })).status).toBe(403);
    expect((await api(srv.url, 'POST', `/api/draws/${id}/cancel`, who.supervisor1.token, { reason: 'not the organiser' })).status).toBe(403);
    // the parties themselves still read it, and nothing was recorded by the refused calls
    const got = await api(srv.url, 'GET', `/api/draws/${id}`, who.supervisor1.token);
    expect(got.status).toBe(200);
    expect(got.json.myParties).toEqual([JUSTICE]);
    expect(got.json.draw.parties.every((p: { commitment?: string }) => !p.commitment)).toBe(true);
  });

  it('the organiser cancels before every commitment is in, and not after', async () => {
    const id = draw.draw.id;
    const r = await api(srv.url, 'POST', `/api/draws/${id}/cancel`, who.agency1.token, { reason: '窗口期调整' });
    expect([r.status, r.json.draw.status]).toEqual([200, 'cancelled']);
    const again = await api(srv.url, 'POST', `/api/draws/${id}/cancel`, who.agency1.token, { reason: '窗口期调整' });
    expect([again.status, again.json.error.code]).toEqual([409, 'draw_stage']);
  });
});
