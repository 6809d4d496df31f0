/**
 * Import jobs, in memory: each holds the uploaded file (to check it again at apply, without a new upload), its
 * phase and progress, and the result. A job is kept an hour after its last change; a user runs one job at a
 * time; only its owner reads it.
 */
import { randomUUID } from 'node:crypto';
import type { ImportJob, ImportPhase, ImportResult } from '../../src/protocol/imports';
import type { Bilingual } from '../http/errors';
import type { RowIssue } from './types';

export const JOB_TTL_MS = 60 * 60 * 1000;

export interface Job {
  id: string;
  kind: string;
  ownerId: string;
  filename: string;
  sha256: string;
  bytes: Buffer;
  dryRun: boolean;
  applied: boolean;
  phase: ImportPhase;
  done: number;
  total: number;
  result?: Omit<ImportResult, 'invalidRows'>;
  /** every invalid row, in line order (errors.csv) */
  invalid: RowIssue[];
  error?: { code: string; message: Bilingual };
  touched: number;
}

export const running = (j: Job) => j.phase === 'reading' || j.phase === 'checking' || j.phase === 'applying';

export class JobStore {
  private readonly jobs = new Map<string, Job>();
  constructor(private readonly now: () => number) {}

  create(j: Omit<Job, 'id' | 'touched' | 'invalid' | 'applied' | 'done' | 'total'>): Job {
    this.sweep();
    const job: Job = { ...j, id: randomUUID(), touched: this.now(), invalid: [], applied: false, done: 0, total: 0 };
    this.jobs.set(job.id, job);
    return job;
  }

  get(id: string): Job | undefined {
    this.sweep();
    return this.jobs.get(id);
  }

  /** the user's job that is still working, if any */
  runningOf(ownerId: string): Job | undefined {
    for (const j of this.jobs.values()) if (j.ownerId === ownerId && running(j)) return j;
    return undefined;
  }

  touch(j: Job): void {
    j.touched = this.now();
  }

  /** drop jobs an hour old (never one still working) */
  sweep(): void {
    const limit = this.now() - JOB_TTL_MS;
    for (const [id, j] of this.jobs) if (j.touched < limit && !running(j)) this.jobs.delete(id);
  }
}

export function jobView(j: Job, shown: number): ImportJob {
  return {
    jobId: j.id,
    kind: j.kind,
    filename: j.filename,
    dryRun: j.dryRun,
    applied: j.applied,
    phase: j.phase,
    done: j.done,
    total: j.total,
    ...(j.result ? { result: { ...j.result, invalidRows: j.invalid.slice(0, shown) } } : {}),
    ...(j.error ? { error: j.error } : {}),
  };
}
