/**
 * What an importer is: the generic machinery (jobs.ts: upload, dry run, progress, apply, errors.csv) runs any
 * `Importer` registered by its `kind`; an importer knows only its own rows.
 *
 * To write one (see enterprises.ts):
 *   - `headers`: every header a file may use (Chinese and English, any case) → the field it fills;
 *     `required`: the fields a file must have a column for (a file without one is refused whole).
 *   - `plan(rows)`: each row → new / changed / unchanged (with its key and value) or invalid (line, column and a
 *     bilingual reason). Read only; called for the dry run and again at apply (the data may have changed since).
 *   - `apply(plan, ctx)`: write every new and changed row **in one transaction** together with
 *     `audit.record(ctx.audit)` (the entry the machinery prepared: `import.<kind>`, counts, file name, SHA-256),
 *     so that nothing is half-imported. Throw to refuse: nothing is written.
 */
import type { Principal } from '../../src/domain/schemas';
import type { Bilingual } from '../http/errors';
import type { AuditInput } from '../audit/store';
import type { TableRow } from './table-file';

export type { TableRow };

/** an invalid row: where and why */
export interface RowIssue {
  line: number;
  /** the field (and so the column) at fault, when one is */
  column?: string;
  /** what the row is matched on as the file writes it (a USCC, a certificate number), so a user finds the row */
  key?: string;
  reason: Bilingual;
}

export interface PlannedRow<T> {
  line: number;
  status: 'new' | 'changed' | 'unchanged';
  /** what the row is matched on (a USCC, a certificate number) */
  key: string;
  value: T;
}

export interface ImportPlan<T> {
  rows: PlannedRow<T>[];
  invalid: RowIssue[];
}

/** (done, total) of the current phase; the machinery shows it to the user */
export type Progress = (done: number, total: number) => void;

export interface ApplyContext {
  principal: Principal;
  /** record it inside the transaction that applies the rows */
  audit: AuditInput;
  progress: Progress;
}

/** rows as the importer reads them: cells keyed by field (the header aliases resolved) */
export interface FieldRow {
  line: number;
  fields: Record<string, string>;
}

export interface Importer<T> {
  /** the URL's kind: /api/imports/<kind> */
  kind: string;
  /** who may run it (others get 403) */
  mayRun(p: Principal): boolean;
  /** header name (any case; Chinese and English) → field */
  headers: Record<string, string>;
  /** fields a file must have a column for */
  required: readonly string[];
  /** the field rows are matched on (shown beside each invalid row) */
  keyField?: string;
  /** the agency the audit entry concerns, if any */
  agencyOf?(p: Principal): string | undefined;
  /** `present`: the fields the file has a column for (an absent column keeps the stored value) */
  plan(rows: FieldRow[], present: ReadonlySet<string>, progress: Progress): Promise<ImportPlan<T>>;
  apply(plan: ImportPlan<T>, ctx: ApplyContext): Promise<void> | void;
}

/** importers by kind */
export class ImportRegistry {
  private readonly byKind = new Map<string, Importer<unknown>>();
  register<T>(i: Importer<T>): void {
    if (this.byKind.has(i.kind)) throw new Error(`importer ${i.kind} registered twice`);
    this.byKind.set(i.kind, i as Importer<unknown>);
  }
  get(kind: string): Importer<unknown> | undefined {
    return this.byKind.get(kind);
  }
}
