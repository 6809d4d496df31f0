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
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ratings-'));
  db = openDb(dir);
  t = new ProjectionTables(db);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const USCC = (i: number) => `9114030000000000${String(i).padStart(2, '0')}`;
function entry(id: string, uscc: string, agencyId: string, at: string): EntryRecord {
  return {
    id,
    uscc,
    at,
    by: 'u-insp',
    type: 'entry',
    agencyId,
    kind: { type: 'planned', planned: 'routine' },
    team: [{ inspectorId: 'i1', name: '甲', certificateNumber: 'C1', certificateValid: true }],
    itemIds: ['x'],
    method: 'onsite',
    via: 'scan',
    exemptions: [],
    device: 'd',
    conductAcknowledged: true,
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

/**
 * The agency's own view (no differencing): closed calendar months (Asia/Shanghai) only, frozen when first
 * read, months with fewer than RATING_MIN_COUNT rating enterprises left out entirely; a rating counts in the
 * later of its own month and the month the server received it.
 */
describe('agencyRatings (closed months, ≥ RATING_MIN_COUNT enterprises a month)', () => {
  const n = RATING_MIN_COUNT;
  /** `k` enterprises (from `from`) each with one inspection by a1 in `month`, rated `score`, received in `received` */
  function rated(k: number, month: string, score: number, o: { from?: number; received?: string; prefix?: string } = {}) {
    const from = o.from ?? 1;
    for (let i = from; i < from + k; i++) {
      const id = `${o.prefix ?? month}-e${i}`;
      t.commit(`ledger/${USCC(i)}`, 0, [entry(id, USCC(i), 'a1', `${month}-10T02:00:00Z`)], [], [id]);
      const rid = `r-${id}`;
      t.commitRatings(
        `feedback/${USCC(i)}`,
        0,
        [{ id: rid, uscc: USCC(i), entryId: id, score, at: `${month}-12T02:00:00Z` }],
        [rid],
        new Date(o.received ?? `${month}-12T02:00:00Z`),
      );
    }
  }
  const DEC = new Date('2026-12-02T10:00:00+08:00');

  it('shows a closed month with ≥ 5 rating enterprises; leaves out one with fewer, count and all', () => {
    rated(n, '2026-10', 4);
    rated(n - 1, '2026-11', 1, { from: 20 });
    const v = t.agencyRatings('a1', 2026, DEC);
    expect(v.closedThrough).toBe('2026-11');
    expect(v.months).toEqual([{ month: '2026-10', count: n, enterprises: n, distribution: [0, 0, 0, n, 0], average: 4 }]);
    expect(v).toMatchObject({ count: n, enterprises: n, distribution: [0, 0, 0, n, 0], average: 4 });
    expect(v.months.some((m) => m.month === '2026-11')).toBe(false); // November (4 enterprises): not in the view at all
    // supervisors still read everything, now
    expect(t.ratingSummary('a1', 2026, true)).toMatchObject({ count: 2 * n - 1, enterprises: 2 * n - 1 });
  });

  it('the current month never shows, whatever its count; it shows once closed', () => {
    rated(n + 2, '2026-12', 5);
    const open = t.agencyRatings('a1', 2026, DEC);
    expect(open).toMatchObject({ count: 0, enterprises: 0, distribution: null, average: null, months: [] });
    const later = t.agencyRatings('a1', 2026, new Date('2027-01-01T00:00:01+08:00'));
    expect(later.months.map((m) => m.month)).toEqual(['2026-12']);
    expect(later.count).toBe(n + 2);
  });

  it('differencing: a rating received after a month closed counts in the open month, and a closed month never moves', () => {
    rated(n, '2026-10', 3);
    const before = JSON.stringify(t.agencyRatings('a1', 2026, DEC));
    // back-dated to October, received in December; and a re-rating of an October inspection
    rated(1, '2026-10', 1, { from: 40, received: '2026-12-01T02:00:00Z', prefix: 'late' });
    t.commitRatings(`feedback/${USCC(1)}`, 0, [{ id: 'again', uscc: USCC(1), entryId: '2026-10-e1', score: 1, at: '2026-12-01T03:00:00Z' }], ['again'], DEC);
    expect(JSON.stringify(t.agencyRatings('a1', 2026, DEC))).toBe(before);
    // an entry projected late (its rating was already in October's rows) does not move a frozen month either
    t.commitRatings(
      `feedback/${USCC(50)}`,
      0,
      [{ id: 'orphan', uscc: USCC(50), entryId: 'later-entry', score: 1, at: '2026-10-20T02:00:00Z' }],
      ['orphan'],
      new Date('2026-10-20T02:00:00Z'),
    );
    t.commit(`ledger/${USCC(50)}`, 0, [entry('later-entry', USCC(50), 'a1', '2026-10-19T02:00:00Z')], [], ['later-entry']);
    expect(JSON.stringify(t.agencyRatings('a1', 2026, DEC))).toBe(before);
    // supervisors see the newest figures (latest score per inspection)
    expect(t.ratingSummary('a1', 2026, true).count).toBe(n + 2);
  });

  it('keeps years apart: a past year shows all its closed months; a future year shows nothing', () => {
    rated(n, '2025-12', 2);
    expect(t.agencyRatings('a1', 2025, DEC).months.map((m) => m.month)).toEqual(['2025-12']);
    expect(t.agencyRatings('a1', 2026, DEC).count).toBe(0);
    expect(t.agencyRatings('a1', 2027, DEC)).toMatchObject({ count: 0, months: [] });
    expect(t.agencyRatings('a2', 2025, DEC).count).toBe(0);
  });
});
