/**
 * Feedback rooms in the projection, on a real server with stock WebsocketProvider clients:
 *  - an enterprise's rating of an inspection reaches supervisors' figures at once; the inspecting agency's
 *    (GET /api/ratings/summary) move only when a month closes, for months with RATING_MIN_COUNT rating
 *    enterprises (tests/integration/server/privacy-feedback.test.ts shows the closed month);
 *  - its complaint becomes a `complaint` warning: supervisors see the enterprise at once, the agency later
 *    and without it (privacy-feedback.test.ts);
 *  - rights: an agency reads its own summary only, supervisors any (naming it), others 403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { registeredDevice, sign } from '../../helpers/devices';
import { appendFeedback, appendRecord } from '../../../src/model';
import { ENTERPRISE1_USCC } from '../../../server/seed/constants';
import { apiJson } from '../../helpers/api';

let srv: SpawnedServer;
let inspector1: LoginResult, enterprise1: LoginResult, agency1: LoginResult, agency2: LoginResult, supervisor: LoginResult;
const get = (path: string, token: string) => fetch(`${srv.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
const summary = async (token: string, q = '') =>
  apiJson(await get(`/api/ratings/summary?year=2026${q}`, token)) as Promise<{
    count: number;
    enterprises: number;
    distribution: number[] | null;
    average: number | null;
    minCount: number;
  }>;
const summaryText = async (token: string) => (await get('/api/ratings/summary?year=2026', token)).text();

beforeAll(async () => {
  srv = await spawnServer();
  [inspector1, enterprise1, agency1, agency2, supervisor] = await Promise.all(
    ['inspector1', 'enterprise1', 'agency1', 'agency2', 'supervisor1'].map((u) => login(srv.url, u)),
  );
});
afterAll(async () => {
  await srv?.stop();
});

describe('feedback → rating aggregates and complaint warnings', () => {
  it('a rating counts for supervisors at once and not for the agency within the month; a complaint reaches supervisors as a warning', async () => {
    const before = await summary(agency1.token);
    const beforeText = await summaryText(agency1.token);
    const supBefore = await summary(supervisor.token, '&agencyId=city-market');
    expect(before.minCount).toBeGreaterThanOrEqual(5);
    const code = (await apiJson(await get(`/api/enterprises/${ENTERPRISE1_USCC}/code`, inspector1.token))) as { token: string };

    // an inspection by city-market at enterprise1, as the phone app writes it
    const key = await registeredDevice(srv.url, inspector1.token);
    const entryId = `rate-entry-${process.pid}`;
    const ledger = connectProvider(srv.wsUrl, `ledger/${ENTERPRISE1_USCC}`, inspector1.token);
    const feedback = connectProvider(srv.wsUrl, `feedback/${ENTERPRISE1_USCC}`, enterprise1.token);
    try {
      await Promise.all([waitSynced(ledger), waitSynced(feedback)]);
      appendRecord(
        ledger.doc,
        await sign(
          {
            id: entryId,
            uscc: ENTERPRISE1_USCC,
            at: '2026-11-20T02:00:00Z',
            by: inspector1.userId,
            type: 'entry',
            agencyId: 'city-market',
            kind: { type: 'triggered', trigger: { kind: 'complaint', ref: 'R-1' } },
            team: [
              { inspectorId: 'insp-city-market-1', name: '阎晨刚', certificateNumber: 'SX-140300-0001', certificateValid: true },
              { inspectorId: 'insp-city-market-2', name: '程燕丹', certificateNumber: 'SX-140300-0002', certificateValid: true },
            ],
            itemIds: ['city-market.SJ-01'],
            method: 'onsite',
            via: 'scan',
            code: code.token,
            exemptions: [],
            device: key.kid,
            conductAcknowledged: true,
          },
          key,
        ),
      );
      // the enterprise rates it and complains about it
      appendFeedback(feedback.doc, {
        id: `rating-${process.pid}`,
        uscc: ENTERPRISE1_USCC,
        at: '2026-11-20T05:00:00Z',
        by: enterprise1.userId,
        type: 'rating',
        entryId,
        score: 2,
        comment: '',
      });
      const complaintId = `complaint-${process.pid}`;
      appendFeedback(feedback.doc, {
        id: complaintId,
        uscc: ENTERPRISE1_USCC,
        at: '2026-11-20T05:01:00Z',
        by: enterprise1.userId,
        type: 'complaint',
        entryId,
        ruleCode: 'B3',
        text: '检查人员要求企业购买指定产品',
      });

      // supervisors (who may know who rated) read the new count at once, with the scores
      await waitFor(async () => (await summary(supervisor.token, '&agencyId=city-market')).count === supBefore.count + 1, 15_000, 'rating in the summary');
      const sup1 = await summary(supervisor.token, '&agencyId=city-market');
      expect(sup1.enterprises).toBeGreaterThanOrEqual(1);
      expect(sup1.distribution![1]).toBeGreaterThanOrEqual(1);
      // the agency: the same answer as before, to the byte (this month has not closed)
      expect(await summaryText(agency1.token)).toBe(beforeText);

      await waitFor(
        async () => {
          const r = (await apiJson(await get('/api/warnings?year=2026&kind=complaint', supervisor.token))) as { items: { refId?: string }[] };
          return r.items.some((w) => w.refId === complaintId);
        },
        15_000,
        'complaint warning',
      );
      const sup = (
        (await apiJson(await get('/api/warnings?year=2026&kind=complaint', supervisor.token))) as {
          items: { id: string; refId?: string; uscc?: string; agencyId?: string; message: { zh: string } }[];
        }
      ).items.find((w) => w.refId === complaintId)!;
      expect(sup).toMatchObject({ uscc: ENTERPRISE1_USCC, agencyId: 'city-market' });
      expect(sup.message.zh).toContain('B3');
      // the agency: not today (it reads of a complaint from the next day on, without who or what)
      const own = await (await get('/api/warnings?year=2026&kind=complaint', agency1.token)).text();
      expect(own).not.toContain(complaintId);
      expect(own).not.toContain('指定产品');
      expect(own).not.toContain(sup.id);

      // the supervisors' overview: every enforcement agency, its ratings and complaints
      const all = (await apiJson(await get('/api/ratings/by-agency?year=2026', supervisor.token))) as {
        items: { agencyId: string; count: number; complaints: number }[];
      };
      expect(all.items.length).toBeGreaterThanOrEqual(10);
      expect(all.items.find((x) => x.agencyId === 'city-market')).toMatchObject({ count: sup1.count });
      expect(all.items.find((x) => x.agencyId === 'city-market')!.complaints).toBeGreaterThanOrEqual(1);
      expect(all.items.some((x) => x.agencyId === 'city-justice')).toBe(false);
    } finally {
      destroyAll(ledger, feedback);
    }
  });

  it('rights: an agency its own only; supervisors name the agency; inspectors and enterprises 403', async () => {
    expect((await get('/api/ratings/summary?year=2026&agencyId=city-market', agency2.token)).status).toBe(403);
    expect((await get('/api/ratings/summary?year=2026', agency2.token)).status).toBe(200);
    expect((await get('/api/ratings/summary?year=2026', supervisor.token)).status).toBe(400);
    expect((await get('/api/ratings/summary?year=2026', inspector1.token)).status).toBe(403);
    expect((await get('/api/ratings/summary?year=2026', enterprise1.token)).status).toBe(403);
    expect((await fetch(`${srv.url}/api/ratings/summary`)).status).toBe(401);
    expect((await get('/api/ratings/by-agency?year=2026', agency1.token)).status).toBe(403);
  });
});
