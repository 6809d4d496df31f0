/**
 * The import machinery: a job reads the file (table-file.ts), maps its headers to the importer's fields, asks
 * the importer for its plan (the dry run: new, changed, unchanged, invalid), and at apply checks the same file
 * again against the data as it is then and has the importer write it in one transaction with its audit entry.
 * The work runs off the request and yields to the event loop between chunks, so the server keeps answering.
 */
import { createHash } from 'node:crypto';
import type { Principal } from '../../src/domain/schemas';
import { IMPORT_INVALID_SHOWN, type ImportJob } from '../../src/protocol/imports';
import { actorOf } from '../audit/store';
import { errors, HttpError, type Bilingual } from '../http/errors';
import type { Logger } from '../log';
import { readTableFile } from './table-file';
import { JobStore, jobView, running, type Job } from './jobs';
import type { FieldRow, ImportPlan, ImportRegistry, Importer } from './types';

export interface ImportServiceDeps {
  importers: ImportRegistry;
  now: () => number;
  log: Logger;
}

/** a header as compared with the aliases: any case, no spaces, no * (a "required" mark) or bracketed note */
export const headerKey = (h: string) =>
  h
    .toLowerCase()
    .replace(/[（(][^）)]*[）)]/g, '')
    .replace(/[\s*_\-:：]/g, '');

const notFound = () => errors.notFound({ zh: '没有这个导入任务（或已过期）', en: 'No such import job (or it has expired)' });
const conflict = (code: string, text: Bilingual) => new HttpError(409, code, text);

export class ImportService {
  readonly jobs: JobStore;
  constructor(private readonly d: ImportServiceDeps) {
    this.jobs = new JobStore(d.now);
  }

  /** the importer of a kind that the principal may run (404 unknown kind, 403 not theirs) */
  importerFor(kind: string, p: Principal): Importer<unknown> {
    const i = this.d.importers.get(kind);
    if (!i) throw errors.notFound({ zh: `没有“${kind}”这种导入`, en: `No import of kind "${kind}"` });
    if (!i.mayRun(p)) throw errors.forbidden();
    return i;
  }

  /** may this principal start a job of this kind now? (checked before the upload is read, and again at start) */
  precheck(kind: string, p: Principal): Importer<unknown> {
    const importer = this.importerFor(kind, p);
    if (this.jobs.runningOf(p.userId))
      throw conflict('import_running', { zh: '您已有一个导入正在进行，请等它完成', en: 'You already have an import running; wait for it to finish' });
    return importer;
  }

  /** start a job on an uploaded file: a dry run, or (dryRun false) check and apply at once */
  start(kind: string, p: Principal, bytes: Buffer, filename: string, dryRun: boolean): Job {
    const importer = this.precheck(kind, p);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const job = this.jobs.create({ kind, ownerId: p.userId, filename, sha256, bytes, dryRun, phase: 'reading' });
    void this.run(job, importer, p, !dryRun);
    return job;
  }

  /** a job of this principal (404 for anyone else's: a job's existence is not told) */
  own(id: string, p: Principal): Job {
    const j = this.jobs.get(id);
    if (!j || j.ownerId !== p.userId) throw notFound();
    return j;
  }

  view(id: string, p: Principal): ImportJob {
    return jobView(this.own(id, p), IMPORT_INVALID_SHOWN);
  }

  /** apply a finished dry run (the same file, planned again against the data as it is now) */
  apply(id: string, p: Principal): Job {
    const j = this.own(id, p);
    const importer = this.importerFor(j.kind, p);
    if (j.applied) throw conflict('import_applied', { zh: '这个文件已经导入', en: 'This file has already been imported' });
    if (running(j) || j.phase !== 'done' || !j.result)
      throw conflict('import_not_ready', { zh: '检查尚未完成或已失败，无法导入', en: 'The check has not finished (or failed): nothing to apply' });
    if (this.jobs.runningOf(p.userId))
      throw conflict('import_running', { zh: '您已有一个导入正在进行，请等它完成', en: 'You already have an import running; wait for it to finish' });
    j.phase = 'reading';
    j.done = 0;
    j.total = 0;
    this.jobs.touch(j);
    void this.run(j, importer, p, true);
    return j;
  }

  /** every invalid row of a checked job */
  invalidRows(id: string, p: Principal): Job {
    const j = this.own(id, p);
    if (!j.result) throw conflict('import_not_ready', { zh: '检查尚未完成', en: 'The check has not finished' });
    return j;
  }

  private async run(j: Job, importer: Importer<unknown>, p: Principal, apply: boolean): Promise<void> {
    const progress = (done: number, total: number) => {
      j.done = done;
      j.total = total;
    };
    try {
      const table = await readTableFile(j.bytes, j.filename);
      const { rows, present } = this.fieldRows(importer, table.columns, table.rows);
      j.phase = 'checking';
      progress(0, rows.length);
      const plan = await importer.plan(rows, present, progress);
      if (importer.keyField) {
        const keyOf = new Map(rows.map((r) => [r.line, r.fields[importer.keyField!]]));
        for (const issue of plan.invalid) issue.key ??= keyOf.get(issue.line)?.slice(0, 60) || undefined;
      }
      this.setResult(j, plan);
      if (apply) {
        j.phase = 'applying';
        progress(0, plan.rows.length);
        await new Promise<void>((r) => setImmediate(r));
        const counts = { ...j.result! };
        await importer.apply(plan, {
          principal: p,
          progress,
          audit: {
            actor: actorOf(p),
            action: `import.${j.kind}`,
            target: `import:${j.id}`,
            agencyId: importer.agencyOf?.(p),
            after: { file: j.filename, sha256: j.sha256, ...counts },
          },
        });
        j.applied = true;
        j.bytes = Buffer.alloc(0);
      }
      j.phase = 'done';
    } catch (e) {
      j.phase = 'failed';
      if (e instanceof HttpError) j.error = { code: e.code, message: e.text };
      else {
        this.d.log.error('import failed', { kind: j.kind, job: j.id, err: e });
        j.error = {
          code: 'import_failed',
          message: { zh: '导入失败，没有写入任何数据', en: 'The import failed; nothing was written' },
        };
      }
    } finally {
      this.jobs.touch(j);
    }
  }

  private setResult(j: Job, plan: ImportPlan<unknown>): void {
    const n = { new: 0, changed: 0, unchanged: 0 };
    for (const r of plan.rows) n[r.status]++;
    j.invalid = [...plan.invalid].sort((a, b) => a.line - b.line);
    j.result = { ...n, invalid: plan.invalid.length };
  }

  /** header names → the importer's fields; a file without a required column is refused whole */
  private fieldRows(importer: Importer<unknown>, columns: string[], rows: { line: number; cells: Record<string, string> }[]) {
    const aliases = new Map(Object.entries(importer.headers).map(([h, f]) => [headerKey(h), f]));
    const fieldOf = new Map<string, string>();
    const present = new Set<string>();
    for (const c of columns) {
      const f = aliases.get(headerKey(c));
      if (!f) continue;
      if (present.has(f))
        throw errors.badRequest('duplicate_column', {
          zh: `文件中有两列都表示同一项（“${c}”）`,
          en: `Two columns of the file stand for the same field ("${c}")`,
        });
      fieldOf.set(c, f);
      present.add(f);
    }
    const lacking = importer.required.filter((f) => !present.has(f));
    if (lacking.length) {
      const names = (f: string) =>
        Object.entries(importer.headers)
          .filter(([, v]) => v === f)
          .map(([h]) => h)
          .slice(0, 2)
          .join(' / ');
      throw errors.badRequest('missing_column', {
        zh: `文件缺少必需的列：${lacking.map(names).join('，')}（第一行应为表头）`,
        en: `The file lacks a required column: ${lacking.map(names).join(', ')} (the first row must be the header)`,
      });
    }
    const out: FieldRow[] = rows.map((r) => {
      const fields: Record<string, string> = {};
      for (const [c, v] of Object.entries(r.cells)) {
        const f = fieldOf.get(c);
        if (f) fields[f] = v;
      }
      return { line: r.line, fields };
    });
    return { rows: out, present };
  }
}
