/**
 * Task doc `tasks/<agencyId>/<year>` (LAYOUT.tasks): `tasks` = taskId → nested Y.Map of Task fields
 * (nested objects such as `window` and `kind` are plain JSON values of their field).
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { Task } from '../domain/schemas';
import { check, cloneJson, defined, jsonEqual, parseField, toPlain, type InvalidRecord, type Origin, type ReadResult } from './util';

export type TaskStatus = Task['status'];
export type TaskField = Exclude<keyof Task, 'id'>;

export function tasksRoot(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap('tasks') as Y.Map<Y.Map<unknown>>;
}

/** All valid tasks, sorted by window start, then id. */
export function readTasks(doc: Y.Doc): ReadResult<Task> {
  const map = tasksRoot(doc);
  const items: Task[] = [];
  const invalid: InvalidRecord[] = [];
  for (const key of Array.from(map.keys()).sort()) {
    const r = check(Task, toPlain(map.get(key)));
    if (!r.ok) {
      invalid.push({ key, error: r.error });
      continue;
    }
    if (r.value.id !== key) {
      invalid.push({ key, error: `key "${key}" does not match the task's id "${r.value.id}"` });
      continue;
    }
    items.push(r.value);
  }
  items.sort((a, b) => (a.window.from < b.window.from ? -1 : a.window.from > b.window.from ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { items, invalid };
}

export function readTask(doc: Y.Doc, id: string): Task | undefined {
  const v = tasksRoot(doc).get(id);
  if (v === undefined) return undefined;
  const r = Task.safeParse(toPlain(v));
  return r.success && r.data.id === id ? r.data : undefined;
}

/** Add a task (validated). Refuses an existing id. */
export function createTask(doc: Y.Doc, task: z.input<typeof Task>, origin?: Origin): Task {
  const parsed = Task.parse(task);
  const map = tasksRoot(doc);
  if (map.has(parsed.id)) throw new Error(`task "${parsed.id}" already exists`);
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    for (const [k, v] of Object.entries(defined(parsed))) m.set(k, cloneJson(v));
    map.set(parsed.id, m);
  }, origin);
  return parsed;
}

/** Set one field of a task, validated against that field of Task. `undefined` clears an optional field. */
export function updateTaskField<K extends TaskField>(doc: Y.Doc, id: string, field: K, value: z.input<typeof Task>[K], origin?: Origin): void {
  if ((field as string) === 'id') throw new Error('the id of a task cannot be changed');
  const v = parseField(Task.shape, field, value);
  const m = tasksRoot(doc).get(id);
  if (!(m instanceof Y.Map)) throw new Error(`task "${id}" does not exist`);
  doc.transact(() => {
    if (v === undefined) m.delete(field);
    else if (!jsonEqual(m.get(field), v)) m.set(field, cloneJson(v));
  }, origin);
}

export function setTaskStatus(doc: Y.Doc, id: string, status: TaskStatus, origin?: Origin): void {
  updateTaskField(doc, id, 'status', status, origin);
}

export function assignTask(doc: Y.Doc, id: string, inspectorIds: string[], origin?: Origin): void {
  updateTaskField(doc, id, 'inspectorIds', inspectorIds, origin);
}

export function removeTask(doc: Y.Doc, id: string, origin?: Origin): void {
  doc.transact(() => tasksRoot(doc).delete(id), origin);
}

/** Tasks assigned to an inspector, optionally only those whose window contains `date` (YYYY-MM-DD). */
export function tasksFor(tasks: readonly Task[], inspectorId: string, date?: string): Task[] {
  return tasks.filter((t) => t.inspectorIds.includes(inspectorId) && (!date || (t.window.from <= date && date <= t.window.to)));
}

/**
 * Add several tasks in one transaction (validated first, all or nothing on a validation error). Ids that
 * already exist are skipped and reported, so generating the same tasks twice does not double them.
 */
export function addTasks(doc: Y.Doc, tasks: readonly z.input<typeof Task>[], origin?: Origin): { created: Task[]; existing: string[] } {
  const parsed = tasks.map((t) => Task.parse(t));
  const map = tasksRoot(doc);
  const created: Task[] = [];
  const existing: string[] = [];
  doc.transact(() => {
    for (const t of parsed) {
      if (map.has(t.id) || created.some((c) => c.id === t.id)) {
        existing.push(t.id);
        continue;
      }
      const m = new Y.Map<unknown>();
      for (const [k, v] of Object.entries(defined(t))) m.set(k, cloneJson(v));
      map.set(t.id, m);
      created.push(t);
    }
  }, origin);
  return { created, existing };
}
