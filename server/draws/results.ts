/**
 * Each inspection's result under a draw (抽查结果公示): not copied anywhere, but the join of the draw's tasks
 * with the projection's tables (inspections by task id, inspection_results by entry). A result is public the
 * moment the projection has it; "published at" is when the projection stored it, and the due date (20 working
 * days after the inspection) is shown beside it. One reader for the draw page, the public page and the
 * enterprise's own list.
 */
import { addWorkingDays, shanghaiDate } from '../../src/domain/time';
import type { DrawResultWire } from '../../src/protocol/draws';
import type { DB } from '../store/db';

/** working days within which a draw's inspection result is published */
export const RESULT_PUBLICATION_WORKING_DAYS = 20;

interface ResultRow {
  draw_id: string;
  agency_id: string;
  uscc: string;
  name: string | null;
  inspected_at: string;
  outcome: DrawResultWire['outcome'];
  projected_at: number | null;
  result_at: string;
}

const SQL = `
SELECT dt.draw_id, dt.agency_id, dt.uscc, COALESCE(p.name, e.name) AS name, i.at AS inspected_at, r.outcome, r.at AS result_at, pr.projected_at
FROM draw_tasks dt
JOIN inspections i ON i.task_id = dt.task_id
JOIN inspection_results r ON r.entry_id = i.entry_id
LEFT JOIN draw_picks p ON p.draw_id = dt.draw_id AND p.uscc = dt.uscc
LEFT JOIN enterprises e ON e.uscc = dt.uscc
LEFT JOIN projected_records pr ON pr.room = 'ledger/' || r.uscc AND pr.record_id = r.result_id
WHERE dt.task_id IS NOT NULL AND %WHERE%
ORDER BY r.at`;

/** the latest result of each draw task's inspection (a later result, e.g. a correction's, supersedes an earlier one) */
export function drawResults(db: DB, where: string, ...args: unknown[]): (DrawResultWire & { drawId: string })[] {
  const rows = db.prepare(SQL.replace('%WHERE%', where)).all(...args) as ResultRow[];
  const byTask = new Map<string, ResultRow>();
  for (const r of rows) byTask.set(`${r.draw_id}|${r.agency_id}|${r.uscc}`, r);
  return [...byTask.values()].map((r) => ({
    drawId: r.draw_id,
    uscc: r.uscc,
    name: r.name ?? r.uscc,
    agencyId: r.agency_id,
    outcome: r.outcome,
    inspectedAt: r.inspected_at,
    publishedAt: r.projected_at ? new Date(r.projected_at).toISOString() : r.result_at,
    dueBy: addWorkingDays(shanghaiDate(r.inspected_at), RESULT_PUBLICATION_WORKING_DAYS),
  }));
}
