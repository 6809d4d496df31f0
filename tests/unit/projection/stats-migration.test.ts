/**
 * The projection's statistics columns on a database made before them (server/projection/tables.ts `migrate`):
 * the old tables get the new columns, every ledger room is projected again on start and fills them (month,
 * instant, quiet period, exemptions, names, flexible-enforcement counts, joint from the task), an old
 * warning gets its month; a task room becomes `task_facts`, and a task's joint plan follows its entries when
 * the task changes after them; an old result ordering rectification, not yet due, gets its follow-up task. A
 * real SQLite file and the real Projection; the rooms are plain Y.Docs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type DB } from '../../../server/store/db';
import { Projection } from '../../../server/projection/projection';
import type { RoomPort } from '../../../server/sync/port';
import { appendRecord, createTask, tasksRoot } from '../../../src/model';
import { generateDeviceKey, signRecord } from '../../../src/domain/record-signing';
import type { Enterprise, LedgerRecord } from '../../../src/domain/schemas';
import type { z } from 'zod';

/** the projection's tables as they were before the statistics (commit e80d33d) */
const OLD_SCHEMA = `
CREATE TABLE projection_rooms (room TEXT PRIMARY KEY, last_update_id INTEGER NOT NULL);
CREATE TABLE projected_records (room TEXT NOT NULL, record_id TEXT NOT NULL, projected_at INTEGER NOT NULL, PRIMARY KEY (room, record_id));
CREATE TABLE inspections (
  entry_id TEXT PRIMARY KEY, uscc TEXT NOT NULL, agency_id TEXT NOT NULL, at TEXT NOT NULL, year INTEGER NOT NULL,
  kind TEXT NOT NULL, planned_kind TEXT, trigger_kind TEXT, trigger_ref TEXT, method TEXT NOT NULL,
  task_id TEXT, inspectors TEXT NOT NULL, certificates TEXT NOT NULL, item_ids TEXT NOT NULL,
  via TEXT NOT NULL, late INTEGER NOT NULL, corrects TEXT, by_user TEXT NOT NULL
);
CREATE INDEX inspections_uscc ON inspections(uscc, year);
CREATE INDEX inspections_agency ON inspections(agency_id, year);
CREATE TABLE inspection_results (
  result_id TEXT PRIMARY KEY, entry_id TEXT NOT NULL, uscc TEXT NOT NULL, agency_id TEXT NOT NULL, at TEXT NOT NULL,
  outcome TEXT NOT NULL, findings INTEGER NOT NULL, rectify_by TEXT
);
CREATE TABLE warnings (
  id TEXT PRIMARY KEY, year INTEGER NOT NULL, kind TEXT NOT NULL, severity TEXT NOT NULL, agency_id TEXT,
  uscc TEXT, ref_id TEXT, at TEXT NOT NULL, json TEXT NOT NULL, created_at INTEGER NOT NULL
);
CREATE TABLE ratings (rating_id TEXT PRIMARY KEY, uscc TEXT NOT NULL, entry_id TEXT NOT NULL, score INTEGER NOT NULL, at TEXT NOT NULL);
`;

const USCC = '91140302MA0L2RXA6K';
const LEDGER = `ledger/${USCC}`;
const TASKS = 'tasks/city-market/2026';
const enterprise: Enterprise = {
  uscc: USCC,
  name: '测试企业',
  kind: 'legal_person',
  division: '140302',
  industry: 'retail',
  riskLevel: 'medium',
  creditLevel: 'B',
  address: '阳泉市',
  legalRep: '张三',
  quietZone: true,
};
const team = [{ inspectorId: 'insp-1', name: '李明', certificateNumber: 'C-1', certificateValid: true }];

let dir: string;
let db: DB;
let projection: Projection;
const docs = new Map<string, Y.Doc>();
const doc = (room: string) => {
  if (!docs.has(room)) docs.set(room, new Y.Doc());
  return docs.get(room)!;
};
/** what the relay does on an applied update: store it (doc_updates, the high-water marks' source) and tell the projection */
const stored = (room: string) =>
  db.prepare('INSERT INTO doc_updates(room, data, created_at) VALUES (?, ?, ?)').run(room, Buffer.from([0]), Date.now()).lastInsertRowid;

const port: RoomPort = {
  read: async (room, fn) => fn(doc(room)),
  change: async (room, fn) => fn(doc(room)),
};
const silent = { debug() {}, info() {}, warn() {}, error() {} };

async function signed(rec: z.input<typeof LedgerRecord>) {
  const key = await generateDeviceKey();
  return signRecord(rec, key.privateKey, key.kid);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'stats-migration-'));
  db = openDb(dir);
  db.exec(OLD_SCHEMA);

  // the rooms: a joint task, an on-site planned visit on a quiet day (the 10th) under a listed exception, its result
  createTask(doc(TASKS), {
    id: 'task-1',
    agencyId: 'city-market',
    year: 2026,
    uscc: USCC,
    enterpriseName: enterprise.name,
    itemIds: ['city-market.SJ-01'],
    window: { from: '2026-06-10', to: '2026-06-10' },
    inspectorIds: ['insp-1'],
    kind: { type: 'planned', planned: 'routine' },
    method: 'onsite',
    status: 'done',
    createdAt: '2026-01-05T00:00:00Z',
    jointId: 'joint-1',
  });
  appendRecord(
    doc(LEDGER),
    await signed({
      id: 'e1',
      uscc: USCC,
      at: '2026-06-10T02:00:00Z',
      by: 'u1',
      type: 'entry',
      agencyId: 'city-market',
      taskId: 'task-1',
      kind: { type: 'planned', planned: 'routine' },
      team,
      itemIds: ['city-market.SJ-01'],
      method: 'onsite',
      via: 'scan',
      exemptions: [{ rule: 'quiet', kind: 'hazard', reason: '重大安全隐患' }],
      device: 'd1',
      conductAcknowledged: true,
    }),
  );
  appendRecord(
    doc(LEDGER),
    await signed({
      id: 'r1',
      uscc: USCC,
      at: '2026-06-30T16:30:00Z', // 1 July in Shanghai
      by: 'u1',
      type: 'result',
      entryId: 'e1',
      agencyId: 'city-market',
      checklist: [],
      findings: [
        { itemId: 'city-market.SJ-01', description: '问题', suggestion: 'first_offence_exempt' },
        { itemId: 'city-market.SJ-01', description: '问题', suggestion: 'lighter' },
      ],
      outcome: 'rectify',
      rectifyBy: '2026-07-30',
      notice: '告知',
      checkedOutAt: '2026-06-30T16:30:00Z',
    }),
  );

  // what the old projection had made of them: its rows, its marks, a warning without a month
  const ledgerTop = Number(stored(LEDGER));
  db.prepare(`INSERT INTO inspections(entry_id, uscc, agency_id, at, year, kind, planned_kind, method, task_id, inspectors, certificates, item_ids, via, late, by_user)
    VALUES ('e1', ?, 'city-market', '2026-06-10T02:00:00Z', 2026, 'planned', 'routine', 'onsite', 'task-1', '[]', '[]', '[]', 'scan', 0, 'u1')`).run(USCC);
  db.prepare(
    `INSERT INTO inspection_results(result_id, entry_id, uscc, agency_id, at, outcome, findings) VALUES ('r1', 'e1', ?, 'city-market', '2026-06-30T16:30:00Z', 'rectify', 2)`,
  ).run(USCC);
  db.prepare('INSERT INTO projected_records(room, record_id, projected_at) VALUES (?, ?, 0), (?, ?, 0)').run(LEDGER, 'e1', LEDGER, 'r1');
  db.prepare('INSERT INTO projection_rooms(room, last_update_id) VALUES (?, ?)').run(LEDGER, ledgerTop);
  db.prepare(`INSERT INTO warnings(id, year, kind, severity, agency_id, uscc, ref_id, at, json, created_at)
    VALUES ('late_record.old', 2025, 'late_record', 'warn', 'city-market', ?, 'old', '2025-12-31T17:00:00Z', '{}', 0)`).run(USCC);
  stored(TASKS);

  projection = new Projection({
    db,
    relay: port,
    dir: { agency: () => undefined, enterprise: (u: string) => (u === USCC ? enterprise : undefined), enforcementAgencies: () => [] },
    latestUpdateId: (room) => (db.prepare('SELECT max(id) AS id FROM doc_updates WHERE room = ?').get(room) as { id: number | null }).id ?? 0,
    log: silent,
    now: () => new Date('2026-07-02T02:00:00Z'),
    daily: false,
  });
  projection.start();
  await projection.flush();
});

afterAll(async () => {
  await projection?.close();
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a database from before the statistics', () => {
  it('gets the new columns, and the ledger projected again fills them', () => {
    const e = db.prepare('SELECT * FROM inspections WHERE entry_id = ?').get('e1') as Record<string, unknown>;
    expect(e).toMatchObject({
      month: '2026-06',
      at_ms: Date.parse('2026-06-10T02:00:00Z'),
      quiet: 1,
      quiet_exception: 1,
      exemptions: '["hazard"]',
      inspector_names: '李明',
      superseded: 0,
      joint: 1,
      drawn: 0,
    });
    const r = db.prepare('SELECT * FROM inspection_results WHERE result_id = ?').get('r1') as Record<string, unknown>;
    expect(r).toMatchObject({ month: '2026-07', at_ms: Date.parse('2026-06-30T16:30:00Z'), lighter: 1, mitigated: 0, first_offence: 1, superseded: 0 });
    // an old warning's month is that of its time in Shanghai
    expect(db.prepare("SELECT month FROM warnings WHERE id = 'late_record.old'").get()).toEqual({ month: '2026-01' });
    // the room is marked projected again, up to its last update
    expect(db.prepare('SELECT count(*) AS n FROM projected_records WHERE room = ?').get(LEDGER)).toEqual({ n: 2 });
  });

  it('a task room becomes task_facts; a task that loses its joint plan takes its entries with it', async () => {
    // the result ordering rectification by 2026-07-30 (not yet due) got its follow-up task (written, assigned)
    const fu = db.prepare("SELECT task_id AS id FROM followups WHERE result_id = 'r1'").get() as { id: string };
    expect(fu.id).toMatch(/^fu\./);
    expect(db.prepare('SELECT task_id, agency_id, year, joint_id, draw_id, method, status FROM task_facts ORDER BY task_id').all()).toEqual([
      { task_id: fu.id, agency_id: 'city-market', year: 2026, joint_id: null, draw_id: null, method: 'written', status: 'assigned' },
      { task_id: 'task-1', agency_id: 'city-market', year: 2026, joint_id: 'joint-1', draw_id: null, method: 'onsite', status: 'done' },
    ]);
    const t = tasksRoot(doc(TASKS)).get('task-1')!;
    t.delete('jointId');
    t.set('drawId', 'draw-1');
    stored(TASKS);
    projection.notify(TASKS, { kind: 'tasks', agencyId: 'city-market', year: 2026 });
    await projection.flush();
    expect(db.prepare("SELECT joint, drawn FROM inspections WHERE entry_id = 'e1'").get()).toEqual({ joint: 0, drawn: 1 });
    // removed from the room: gone from the table, and its entries are neither joint nor drawn
    tasksRoot(doc(TASKS)).delete('task-1');
    stored(TASKS);
    projection.notify(TASKS, { kind: 'tasks', agencyId: 'city-market', year: 2026 });
    await projection.flush();
    expect(db.prepare("SELECT count(*) AS n FROM task_facts WHERE task_id = 'task-1'").get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT joint, drawn FROM inspections WHERE entry_id = 'e1'").get()).toEqual({ joint: 0, drawn: 0 });
  });
});
