/**
 * Rectification follow-ups (整改复查) from the ledgers: a result ordering rectification by a deadline makes,
 * once, a follow-up task in `tasks/<agencyId>/<year of the deadline>` (written through the RoomPort as the
 * server) and a `followups` row (server/followups/store.ts); the enterprise's report (a `rectification`
 * record) moves the row to `reported`; the agency's review to `accepted` (and the task to `done`) or
 * `rejected`. A follow-up past its deadline without an accepted report is warned once
 * (`rectification_overdue`, for the agency and supervisors).
 *
 * Old results are history, not work: a follow-up is made for a result recorded at or after the moment this
 * server version first ran (`followups_since`), or whose deadline is today or later. Results made before,
 * with a deadline already passed (the seeded city's thousands, a database from before follow-ups), get
 * none, so they never flood the agencies' task lists or the supervisors' warnings.
 */
import { createHash } from 'node:crypto';
import type { EntryRecord, LedgerRecord, RectificationRecord, ResultRecord, ReviewRecord, Task } from '../../src/domain/schemas';
import { parseRoom, rooms } from '../../src/domain/rooms';
import { addTasks, readTask, setTaskStatus } from '../../src/model/tasks';
import { instantMs } from '../../src/domain/time';
import type { DB } from '../store/db';
import type { Logger } from '../log';
import type { RoomPort } from '../sync/port';
import { FollowUpStore } from '../followups/store';
import { warningId, type WarningT } from './evaluate';

export interface FollowUpDeps {
  db: DB;
  relay: RoomPort;
  log: Logger;
  enterpriseName(uscc: string): string;
  /** the server's clock */
  now(): Date;
}

/** the follow-up task's id of a result: `fu.` and a short stable digest of the result's id */
export function followUpTaskId(resultId: string): string {
  return `fu.${createHash('sha256').update(resultId).digest('hex').slice(0, 20)}`;
}

const yearOf = (date: string) => Number(date.slice(0, 4));
const byTime = (a: LedgerRecord, b: LedgerRecord) => instantMs(a.at) - instantMs(b.at) || (a.id < b.id ? -1 : 1);

/** what a follow-up needs of its result and entry */
interface Source {
  resultId: string;
  agencyId: string;
  uscc: string;
  rectifyBy: string;
  entryId: string;
  inspectorIds: string[];
  itemIds: string[];
}

export class FollowUps {
  readonly store: FollowUpStore;
  /** results recorded before this instant (ms) get a follow-up only when their deadline is not past */
  readonly since: number;

  constructor(private readonly d: FollowUpDeps) {
    this.store = new FollowUpStore(d.db);
    d.db.prepare('INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)').run('followups_since', d.now().toISOString());
    this.since = Date.parse((d.db.prepare('SELECT value FROM meta WHERE key = ?').get('followups_since') as { value: string }).value);
  }

  /** does this result get a follow-up (see the file's comment)? */
  private wanted(r: Pick<ResultRecord, 'at' | 'rectifyBy'>, today: string): boolean {
    return !!r.rectifyBy && (instantMs(r.at) >= this.since || r.rectifyBy >= today);
  }

  /**
   * A ledger's new records: follow-ups for new results ordering rectification, reports and reviews applied in
   * time order; follow-ups of results a correction superseded are dropped (their task cancelled).
   */
  async project(fresh: readonly LedgerRecord[], all: readonly LedgerRecord[], superseded: ReadonlySet<string>, today: string): Promise<void> {
    const entries = new Map(all.filter((r): r is EntryRecord => r.type === 'entry').map((e) => [e.id, e]));
    const sources: Source[] = [];
    for (const r of fresh) {
      if (r.type !== 'result' || r.outcome !== 'rectify' || !r.rectifyBy || superseded.has(r.id) || !this.wanted(r, today) || this.store.has(r.id)) continue;
      const e = entries.get(r.entryId);
      if (!e) continue;
      const itemIds = e.itemIds.length ? e.itemIds : [...new Set(r.checklist.map((c) => c.itemId))];
      sources.push({
        resultId: r.id,
        agencyId: r.agencyId,
        uscc: r.uscc,
        rectifyBy: r.rectifyBy,
        entryId: e.id,
        inspectorIds: e.team.map((m) => m.inspectorId),
        itemIds,
      });
    }
    await this.create(sources);
    const statusChanges: { agencyId: string; rectifyBy: string; taskId: string; status: Task['status'] }[] = [];
    for (const r of [...fresh].sort(byTime)) {
      if (r.type === 'rectification') this.reported(r);
      else if (r.type === 'review') {
        const f = this.reviewed(r);
        if (f?.taskId && r.accepted) statusChanges.push({ ...f, taskId: f.taskId, status: 'done' });
      }
    }
    for (const id of superseded) {
      if (!this.store.has(id)) continue;
      const f = this.store.drop(id);
      if (f?.taskId) statusChanges.push({ ...f, taskId: f.taskId, status: 'cancelled' });
    }
    await this.setStatuses(statusChanges);
  }

  private reported(r: RectificationRecord): void {
    this.store.reported(r.resultId, r.id, r.at);
  }

  private reviewed(r: ReviewRecord) {
    return this.store.decided(r.resultId, r.accepted, r.at);
  }

  /** make the follow-up tasks (one change per tasks room) and their rows */
  async create(sources: readonly Source[]): Promise<number> {
    const byRoom = new Map<string, { task: Task; source: Source }[]>();
    const createdAt = this.d.now().toISOString();
    for (const s of sources) {
      if (!s.itemIds.length) {
        this.d.log.info('follow-up skipped: the inspection names no item', { resultId: s.resultId });
        continue;
      }
      const room = rooms.tasks(s.agencyId, yearOf(s.rectifyBy));
      if (!parseRoom(room)) {
        this.d.log.warn('follow-up skipped: deadline year out of range', { resultId: s.resultId, rectifyBy: s.rectifyBy });
        continue;
      }
      const task: Task = {
        id: followUpTaskId(s.resultId),
        agencyId: s.agencyId,
        year: yearOf(s.rectifyBy),
        uscc: s.uscc,
        enterpriseName: this.d.enterpriseName(s.uscc),
        itemIds: s.itemIds.slice(0, 20),
        window: { from: s.rectifyBy, to: s.rectifyBy },
        inspectorIds: s.inspectorIds,
        kind: { type: 'planned', planned: 'other' },
        method: 'written',
        status: 'assigned',
        createdAt,
        followUpOf: s.resultId,
        followUpEntryId: s.entryId,
      };
      const list = byRoom.get(room) ?? [];
      list.push({ task, source: s });
      byRoom.set(room, list);
    }
    let n = 0;
    for (const [room, list] of byRoom) {
      // addTasks skips ids already there (a crash between the change and the rows)
      await this.d.relay.change(room, (doc) => {
        addTasks(
          doc,
          list.map((x) => x.task),
          'projection',
        );
      });
      this.d.db.transaction(() => {
        for (const { task, source: s } of list)
          this.store.insert({
            resultId: s.resultId,
            entryId: s.entryId,
            uscc: s.uscc,
            enterpriseName: task.enterpriseName,
            agencyId: s.agencyId,
            rectifyBy: s.rectifyBy,
            taskId: task.id,
            createdAt,
          });
      })();
      n += list.length;
    }
    if (n) this.d.log.info('follow-ups made', { n, rooms: byRoom.size });
    return n;
  }

  private async setStatuses(changes: readonly { agencyId: string; rectifyBy: string; taskId: string; status: Task['status'] }[]): Promise<void> {
    for (const c of changes) {
      const room = rooms.tasks(c.agencyId, yearOf(c.rectifyBy));
      if (!parseRoom(room)) continue;
      await this.d.relay.change(room, (doc) => {
        const t = readTask(doc, c.taskId);
        if (t && t.status !== c.status) setTaskStatus(doc, c.taskId, c.status, 'projection');
      });
    }
  }

  /**
   * Once, for databases whose ledgers were projected before follow-ups existed: results ordering
   * rectification by today or later that have no follow-up yet, from the projection's rows.
   */
  async backfill(today: string): Promise<number> {
    const done = this.d.db.prepare('SELECT value FROM meta WHERE key = ?').get('followups_backfilled') as { value: string } | undefined;
    if (done) return 0;
    const rows = this.d.db
      .prepare(`SELECT r.result_id AS resultId, r.agency_id AS agencyId, r.uscc, r.rectify_by AS rectifyBy, r.entry_id AS entryId,
        i.inspectors, i.item_ids AS itemIds FROM inspection_results r JOIN inspections i ON i.entry_id = r.entry_id
        WHERE r.outcome = 'rectify' AND r.superseded = 0 AND r.rectify_by >= ? AND NOT EXISTS (SELECT 1 FROM followups f WHERE f.result_id = r.result_id)`)
      .all(today) as { resultId: string; agencyId: string; uscc: string; rectifyBy: string; entryId: string; inspectors: string; itemIds: string }[];
    const n = await this.create(rows.map((r) => ({ ...r, inspectorIds: JSON.parse(r.inspectors) as string[], itemIds: JSON.parse(r.itemIds) as string[] })));
    this.d.db.prepare('INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)').run('followups_backfilled', this.d.now().toISOString());
    return n;
  }

  /** the overdue warnings not raised yet (`today`: YYYY-MM-DD, Asia/Shanghai); the caller stores them, then `markWarned` */
  due(today: string): WarningT[] {
    return this.store.dueForWarning(today).map((f) => ({
      id: warningId('rectification_overdue', f.resultId),
      kind: 'rectification_overdue',
      severity: 'warn',
      agencyId: f.agencyId,
      uscc: f.uscc,
      refId: f.resultId,
      at: `${f.rectifyBy}T16:00:00.000Z`,
      message: {
        zh: `${f.enterpriseName}的整改期限 ${f.rectifyBy} 已过，${f.reportId ? '整改报告尚未通过复查' : '企业尚未报告整改'}（检查结果 ${f.resultId}）`,
        en: `${f.enterpriseName}: the rectification deadline ${f.rectifyBy} has passed without an accepted report (result ${f.resultId})`,
      },
    }));
  }
}
