/**
 * The tasks a drawn draw makes: one per pick and team agency, in that agency's `tasks/<agencyId>/<year>`
 * room, each re-checked with the rules any task obeys (cap, quiet period, certificates, plan filed). A task
 * that a rule blocks is not made; the reason is kept (draw_tasks.skipped_json). Warnings do not stop it.
 */
import { createHash } from 'node:crypto';
import type { Certificate, Inspector, LedgerRecord, Method, PlanMeta, PolicyConfig, Task, Text } from '../../src/domain/schemas';
import { checkTask } from '../../src/domain/task-plan';
import { rooms } from '../../src/domain/rooms';
import { addTasks, ledgerRecords, readTasks } from '../../src/model';
import type { CodeInspector } from '../../src/domain/codes';
import type { RoomPort } from '../sync/port';

export interface TeamSource {
  agencyId: string;
  /** catalogue items the agency's task carries */
  itemIds: string[];
  /** months the source plans for this agency (a window outside them warns) */
  months: number[];
  cap: number;
  catalogueVersion?: number;
}

export interface MakeTasksInput {
  drawId: string;
  year: number;
  window: { from: string; to: string };
  method: Method;
  planItemId?: string;
  jointId?: string;
  plan: { meta: Pick<PlanMeta, 'year' | 'status' | 'filedHash'>; joint?: boolean } | null;
  teams: readonly TeamSource[];
  picks: readonly { uscc: string; name: string; teams: Record<string, string[]> }[];
  enterprise: (uscc: string) => { uscc: string; quietZone: boolean; division?: string; township?: string } | undefined;
  inspectors: ReadonlyMap<string, Inspector>;
  certificates: readonly Certificate[];
  policy: PolicyConfig;
  createdAt: string;
  signCheckCode?: (task: Task, inspectors: CodeInspector[]) => Promise<string>;
}

export type TaskOutcome = { agencyId: string; uscc: string } & ({ taskId: string } | { skipped: Text });

/** `<agencyId>.r<year>-<10 hex of the draw and the enterprise>`: the same draw never makes a task twice */
export const drawTaskId = (agencyId: string, year: number, drawId: string, uscc: string) =>
  `${agencyId}.r${year}-${createHash('sha256').update(`${drawId}|${uscc}`).digest('hex').slice(0, 10)}`;

export async function makeDrawTasks(port: RoomPort, i: MakeTasksInput): Promise<TaskOutcome[]> {
  const out: TaskOutcome[] = [];
  const ledgers = new Map<string, LedgerRecord[]>();
  for (const p of i.picks) ledgers.set(p.uscc, await port.read(rooms.ledger(p.uscc), (doc) => ledgerRecords(doc, { uscc: p.uscc }).items));
  for (const team of i.teams) {
    const existing: Task[] = await port.read(rooms.tasks(team.agencyId, i.year), (doc) => readTasks(doc).items);
    const made: Task[] = [];
    for (const pick of i.picks) {
      const ids = pick.teams[team.agencyId] ?? [];
      const task: Task = {
        id: drawTaskId(team.agencyId, i.year, i.drawId, pick.uscc),
        agencyId: team.agencyId,
        year: i.year,
        uscc: pick.uscc,
        enterpriseName: pick.name,
        itemIds: team.itemIds,
        window: { ...i.window },
        inspectorIds: ids,
        kind: { type: 'planned', planned: 'routine' },
        method: i.method,
        ...(i.planItemId ? { planItemId: i.planItemId } : {}),
        ...(i.jointId ? { jointId: i.jointId } : {}),
        drawId: i.drawId,
        ...(team.catalogueVersion ? { catalogueVersion: team.catalogueVersion } : {}),
        status: 'assigned',
        createdAt: i.createdAt,
      };
      const e = i.enterprise(pick.uscc);
      const check = e
        ? checkTask({
            policy: i.policy,
            agencyId: team.agencyId,
            task,
            enterprise: e,
            plan: i.plan,
            months: team.months,
            team: ids.map((id) => {
              const x = i.inspectors.get(id);
              const cert =
                i.certificates.find((c) => c.inspectorId === id && c.number === x?.certificateNumber) ?? i.certificates.find((c) => c.inspectorId === id);
              return { inspectorId: id, name: x?.name, certificate: cert ?? null };
            }),
            ledger: ledgers.get(pick.uscc) ?? [],
            tasks: [...existing, ...made],
            cap: team.cap,
          })
        : null;
      if (!check || check.blocking.length) {
        const why = check?.blocking ?? [];
        out.push({
          agencyId: team.agencyId,
          uscc: pick.uscc,
          skipped: why.length
            ? { zh: why.map((v) => v.message.zh).join('；'), en: why.map((v) => v.message.en).join('; ') }
            : { zh: '企业已不在名录中', en: 'The enterprise is no longer in the directory' },
        });
        continue;
      }
      if (i.signCheckCode) {
        const signers = ids.flatMap((id) => {
          const x = i.inspectors.get(id);
          return x?.certificateNumber ? [{ id: x.id, name: x.name.slice(0, 40), cert: x.certificateNumber }] : [];
        });
        if (signers.length) task.checkCode = await i.signCheckCode(task, signers.slice(0, 10));
      }
      made.push(task);
      out.push({ agencyId: team.agencyId, uscc: pick.uscc, taskId: task.id });
    }
    if (made.length) await port.change(rooms.tasks(team.agencyId, i.year), (doc) => void addTasks(doc, made, 'server'));
  }
  return out;
}
