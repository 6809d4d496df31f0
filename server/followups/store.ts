/**
 * Rectification follow-ups (整改复查) as SQL rows, written by the projection (server/projection/followups.ts)
 * and read by GET /api/followups. One row per result that ordered rectification with a deadline:
 *
 *  followups  result_id → its entry, enterprise, agency, deadline (`rectify_by`), the follow-up task, the last
 *             report (`report_id`, `reported_at`), the stored status (open | reported | accepted | rejected),
 *             when the agency decided, and whether the overdue warning was raised (`warned`)
 *
 * `overdue` is not stored: a row past its deadline (rectify_by < today, Asia/Shanghai) that is not accepted
 * reads `overdue`, whatever it stored.
 */
import type { DB } from '../store/db';
import type { FollowUpRow, FollowUpStatus } from '../../src/protocol/evidence';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS followups (
  result_id TEXT PRIMARY KEY, entry_id TEXT NOT NULL, uscc TEXT NOT NULL, enterprise_name TEXT NOT NULL,
  agency_id TEXT NOT NULL, rectify_by TEXT NOT NULL, task_id TEXT, report_id TEXT, reported_at TEXT,
  status TEXT NOT NULL, decided_at TEXT, warned INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS followups_agency ON followups(agency_id, rectify_by);
CREATE INDEX IF NOT EXISTS followups_due ON followups(warned, rectify_by);
`;

/** what the projection stores when a result orders rectification */
export interface NewFollowUp {
  resultId: string;
  entryId: string;
  uscc: string;
  enterpriseName: string;
  agencyId: string;
  rectifyBy: string;
  taskId: string | null;
  createdAt: string;
}

interface Row {
  result_id: string;
  entry_id: string;
  uscc: string;
  enterprise_name: string;
  agency_id: string;
  rectify_by: string;
  task_id: string | null;
  report_id: string | null;
  reported_at: string | null;
  status: string;
  decided_at: string | null;
}

export interface FollowUpListQuery {
  /** one agency; undefined: every agency (supervisors) */
  agencyId?: string;
  status: FollowUpStatus | 'pending' | 'all';
  limit: number;
  offset: number;
  /** today, YYYY-MM-DD (Asia/Shanghai): what `overdue` is measured against */
  today: string;
}

/** the status a row reads as on `today` */
const SHOWN = "CASE WHEN status <> 'accepted' AND rectify_by < @today THEN 'overdue' ELSE status END";

const rowOf = (r: Row, today: string): FollowUpRow => ({
  resultId: r.result_id,
  entryId: r.entry_id,
  uscc: r.uscc,
  enterpriseName: r.enterprise_name,
  agencyId: r.agency_id,
  rectifyBy: r.rectify_by,
  status: (r.status !== 'accepted' && r.rectify_by < today ? 'overdue' : r.status) as FollowUpStatus,
  taskId: r.task_id,
  reportId: r.report_id,
  reportedAt: r.reported_at,
  decidedAt: r.decided_at,
});

export class FollowUpStore {
  private readonly qHas;
  private readonly qGet;
  private readonly qInsert;
  private readonly qReported;
  private readonly qDecided;
  private readonly qDrop;
  private readonly qDue;
  private readonly qWarned;

  constructor(private readonly db: DB) {
    db.exec(SCHEMA);
    this.qHas = db.prepare('SELECT 1 FROM followups WHERE result_id = ?');
    this.qGet = db.prepare('SELECT * FROM followups WHERE result_id = ?');
    this.qInsert = db.prepare(`INSERT OR IGNORE INTO followups(result_id, entry_id, uscc, enterprise_name, agency_id, rectify_by, task_id, status, created_at)
      VALUES (@resultId, @entryId, @uscc, @enterpriseName, @agencyId, @rectifyBy, @taskId, 'open', @createdAt)`);
    // a report after the agency accepted changes nothing
    this.qReported = db.prepare("UPDATE followups SET status = 'reported', report_id = ?, reported_at = ? WHERE result_id = ? AND status <> 'accepted'");
    this.qDecided = db.prepare('UPDATE followups SET status = ?, decided_at = ? WHERE result_id = ?');
    this.qDrop = db.prepare('DELETE FROM followups WHERE result_id = ?');
    this.qDue = db.prepare("SELECT * FROM followups WHERE warned = 0 AND rectify_by < ? AND status <> 'accepted' ORDER BY rectify_by, result_id");
    this.qWarned = db.prepare('UPDATE followups SET warned = 1 WHERE result_id = ?');
  }

  has(resultId: string): boolean {
    return !!this.qHas.get(resultId);
  }

  get(resultId: string, today: string): FollowUpRow | undefined {
    const r = this.qGet.get(resultId) as Row | undefined;
    return r && rowOf(r, today);
  }

  insert(f: NewFollowUp): void {
    this.qInsert.run(f);
  }

  /** the enterprise reported (a rectification record): false when there is no such follow-up or it was accepted */
  reported(resultId: string, reportId: string, at: string): boolean {
    return this.qReported.run(reportId, at, resultId).changes > 0;
  }

  /** the agency decided on a report (a review record); the follow-up as it was, when there is one */
  decided(resultId: string, accepted: boolean, at: string): { taskId: string | null; rectifyBy: string; agencyId: string } | undefined {
    const r = this.qGet.get(resultId) as Row | undefined;
    if (!r) return undefined;
    this.qDecided.run(accepted ? 'accepted' : 'rejected', at, resultId);
    return { taskId: r.task_id, rectifyBy: r.rectify_by, agencyId: r.agency_id };
  }

  /** forget a follow-up (its result was superseded by a correction); the row as it was */
  drop(resultId: string): { taskId: string | null; rectifyBy: string; agencyId: string } | undefined {
    const r = this.qGet.get(resultId) as Row | undefined;
    if (!r) return undefined;
    this.qDrop.run(resultId);
    return { taskId: r.task_id, rectifyBy: r.rectify_by, agencyId: r.agency_id };
  }

  /** follow-ups past their deadline, not accepted, whose overdue warning is not raised yet */
  dueForWarning(today: string): FollowUpRow[] {
    return (this.qDue.all(today) as Row[]).map((r) => rowOf(r, today));
  }

  markWarned(resultIds: readonly string[]): void {
    this.db.transaction(() => {
      for (const id of resultIds) this.qWarned.run(id);
    })();
  }

  /** a page of follow-ups, the nearest deadline first; `pending`: every one not accepted */
  list(q: FollowUpListQuery): { total: number; items: FollowUpRow[] } {
    const where: string[] = [];
    const args: Record<string, string | number> = { today: q.today, limit: q.limit, offset: q.offset };
    if (q.agencyId) {
      where.push('agency_id = @agencyId');
      args.agencyId = q.agencyId;
    }
    if (q.status === 'pending') where.push("status <> 'accepted'");
    else if (q.status !== 'all') {
      where.push(`${SHOWN} = @status`);
      args.status = q.status;
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT count(*) AS n FROM followups ${w}`).get(args) as { n: number }).n;
    const rows = this.db.prepare(`SELECT * FROM followups ${w} ORDER BY rectify_by, result_id LIMIT @limit OFFSET @offset`).all(args) as Row[];
    return { total, items: rows.map((r) => rowOf(r, q.today)) };
  }
}
