/**
 * Anonymised rating aggregates (DESIGN §4: agencies see aggregates only): ProjectionTables.ratingSummary
 * on a real SQLite database. Scores show only once RATING_MIN_COUNT different enterprises rated; an
 * inspection rated twice counts once, with its latest score; other agencies' and years' ratings are apart.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb, type DB } from '../../../server/store/db';
import { ProjectionTables, RATING_MIN_COUNT } from '../../../server/projection';
import type { EntryRecord } from '../../../src/domain/schemas';

let dir: string;
let db: DB;
let t: ProjectionTables;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ratings-')); db = openDb(dir); t = new ProjectionTables(db); });
afterEach(() => { db.close(); fs.rmSync(dir, { recursive: true, force: true }); });

const USCC = (i: number) => `9114030000000000${String(i).padStart(2, '0')}`;
function entry(id: string, uscc: string, agencyId: string, at: string): EntryRecord {
  return {
    id, uscc, at, by: 'u-insp', type: 'entry', agencyId, kind: { type: 'planned', planned: 'routine' },
    team: [{ inspectorId: 'i1', name: '甲', certificateNumber: 'C1', certificateValid: true }], itemIds: ['x'],
    method: 'onsite', via: 'scan', exemptions: [], device: 'd', conductAcknowledged: true,
  } as EntryRecord;
}
function rate(uscc: string, entryId: string, score: number, at: string, id = `rating-${entryId}-${at}`) {
  t.commitRatings(`feedback/${uscc}`, 0, [{ id, uscc, entryId, score, at }], [id]);
}

describe('ratingSummary', () => {
  it('shows counts only below the minimum of rating enterprises, scores from it up', () => {
    const n = RATING_MIN_COUNT;
    for (let i = 1; i <= n; i++) t.commit(`ledger/${USCC(i)}`, 0, [entry(`e${i}`, USCC(i), 'a1', '2026-05-10T02:00:00Z')], [], [`e${i}`]);
    for (let i = 1; i < n; i++) rate(USCC(i), `e${i}`, 4, '2026-05-11T02:00:00Z');
    expect(t.ratingSummary('a1', 2026)).toEqual({ agencyId: 'a1', year: 2026, count: n - 1, enterprises: n - 1, distribution: null, average: null });
    // supervisors (who may know who rated) see the scores at any count
    expect(t.ratingSummary('a1', 2026, true)).toMatchObject({ distribution: [0, 0, 0, n - 1, 0], average: 4 });
    rate(USCC(n), `e${n}`, 2, '2026-05-11T02:00:00Z');
    const s = t.ratingSummary('a1', 2026);
    expect(s.distribution).toEqual([0, 1, 0, n - 1, 0]);
    expect(s.average).toBe(Math.round(((4 * (n - 1) + 2) / n) * 10) / 10);
  });

  it('one enterprise rating many inspections is one rater; a re-rating replaces the score', () => {
    const u = USCC(1);
    for (let i = 1; i <= 6; i++) t.commit(`ledger/${u}`, 0, [entry(`m${i}`, u, 'a1', `2026-0${i}-10T02:00:00Z`)], [], [`m${i}`]);
    for (let i = 1; i <= 6; i++) rate(u, `m${i}`, 5, '2026-07-01T02:00:00Z');
    rate(u, 'm1', 1, '2026-07-02T02:00:00Z');
    const s = t.ratingSummary('a1', 2026);
    expect(s).toMatchObject({ count: 6, enterprises: 1, distribution: null, average: null });
  });

  it('keeps agencies and years apart; a rating of an entry not projected yet counts once the entry is', () => {
    t.commit(`ledger/${USCC(1)}`, 0, [entry('x1', USCC(1), 'a2', '2025-12-31T15:59:00Z')], [], ['x1']); // 2025-12-31 23:59 Shanghai
    rate(USCC(1), 'x1', 3, '2026-01-02T02:00:00Z');
    rate(USCC(2), 'later', 5, '2026-03-01T02:00:00Z');
    expect(t.ratingSummary('a1', 2026).count).toBe(0);
    expect(t.ratingSummary('a1', 2026, true)).toMatchObject({ count: 0, distribution: null, average: null });
    expect(t.ratingSummary('a2', 2026).count).toBe(0);
    expect(t.ratingSummary('a2', 2025).count).toBe(1);
    t.commit(`ledger/${USCC(2)}`, 0, [entry('later', USCC(2), 'a2', '2026-02-27T02:00:00Z')], [], ['later']);
    expect(t.ratingSummary('a2', 2026).count).toBe(1);
  });
});
