/**
 * One view per document kind: what a page reads of a doc (`read`, typed and validated) and the root types
 * whose changes can change that reading (`roots`, observed deeply by the page's hook). Pages open a view
 * with `useView(room, view)` (src/pages/stores/useView.ts) and never name a Yjs root themselves.
 * Records in arrays carry an `id` so the page's store can reconcile them by key. Pure: no I/O, no DOM.
 */
import type * as Y from 'yjs';
import type {
  Agency,
  Certificate,
  InspectionItem,
  Inspector,
  LedgerRecord,
  PlanItem,
  PlanMeta,
  PolicyConfig,
  SignedRecord,
  Task,
  FeedbackRecord,
} from '../domain/schemas';
import { readAgency, readAgencyItems, readAgencyProfile, readStaff, agencyRoots, type AgencyView } from './agency';
import { readPolicy, readPolicySchedule, policyRoot, scheduleRoot, type ScheduledPolicy } from './config';
import { readFeedback, feedbackRoot } from './feedback';
import { readJoint, jointRoots, type JointView } from './joint';
import { ledgerRecords, ledgerRoot, readLedger } from './ledger';
import { planOrder, planRoots, readPlan, readPlanItems, readPlanMeta, type PlanView } from './plan';
import { readCertificates, certificatesRoot } from './registry';
import { readHandling, readWarnings, supervisionRoots, type WarningHandlingT, type WarningT } from './supervision';
import { readTask, readTasks, tasksRoot } from './tasks';

/** What a view's reader observes of a root type (Y.Map, Y.Array, …): its deep changes. */
export interface ObservedRoot {
  observeDeep(f: () => void): void;
  unobserveDeep(f: () => void): void;
}

/** A typed reading of one kind of document and the roots it depends on. */
export interface DocView<T extends object> {
  read(doc: Y.Doc): T;
  roots(doc: Y.Doc): ObservedRoot[];
}

const view = <T extends object>(read: (doc: Y.Doc) => T, roots: (doc: Y.Doc) => ObservedRoot[]): DocView<T> => ({ read, roots });

// ---------- config/city ----------

/** The city's base policy (`null` while missing or invalid) and its scheduled changes: `policyAt(policy, schedule, date)` gives a day's. */
export const policyView = view<{ policy: PolicyConfig | null; schedule: ScheduledPolicy[] }>(
  (d) => ({ policy: readPolicy(d).policy, schedule: readPolicySchedule(d).items }),
  (d) => [policyRoot(d), scheduleRoot(d)],
);

// ---------- tasks/<agencyId> ----------

export const tasksView = view<{ items: Task[] }>(
  (d) => ({ items: readTasks(d).items }),
  (d) => [tasksRoot(d)],
);

/** One task (`null` when absent or invalid) and all of them (an inspector's check-in). */
export const taskView = (taskId: string) =>
  view<{ task: Task | null; all: Task[] }>(
    (d) => ({ task: readTask(d, taskId) ?? null, all: readTasks(d).items }),
    (d) => [tasksRoot(d)],
  );

// ---------- agency/<agencyId> ----------

/** Profile, catalogue and staff (homes, task lists). */
export const agencyView = view<{ profile: Agency | null; items: InspectionItem[]; staff: Inspector[] }>(
  (d) => ({ profile: readAgencyProfile(d).value, items: readAgencyItems(d).items, staff: readStaff(d).items }),
  (d) => {
    const r = agencyRoots(d);
    return [r.profile, r.items, r.staff];
  },
);

/** Everything of an agency: also its flexible-enforcement lists and handbooks (the check-in needs them). */
export const agencyFullView = view<AgencyView>(readAgency, (d) => Object.values(agencyRoots(d)));

/** The catalogue of inspection items only. */
export const catalogueView = view<{ items: InspectionItem[] }>(
  (d) => ({ items: readAgencyItems(d).items }),
  (d) => [agencyRoots(d).items],
);

// ---------- registry/certificates ----------

export const certificatesView = view<{ items: Certificate[] }>(
  (d) => ({ items: readCertificates(d).items }),
  (d) => [certificatesRoot(d)],
);

// ---------- ledger/<uscc> ----------

/** Signed records about one enterprise (keyed by the record's id), and how many were skipped as invalid. */
export const ledgerView = (uscc: string) =>
  view<{ items: (SignedRecord & { id: string })[]; invalid: number }>(
    (d) => {
      const r = readLedger(d, { uscc });
      return { items: r.items.map((s) => ({ ...s, id: s.rec.id })), invalid: r.invalid.length };
    },
    (d) => [ledgerRoot(d)],
  );

/** The records only (without signatures), sorted by time. */
export const ledgerRecordsView = (uscc?: string) =>
  view<{ items: LedgerRecord[] }>(
    (d) => ({ items: ledgerRecords(d, { uscc }).items }),
    (d) => [ledgerRoot(d)],
  );

// ---------- feedback/<uscc> ----------

export const feedbackView = (uscc: string) =>
  view<{ items: FeedbackRecord[] }>(
    (d) => ({ items: readFeedback(d, { uscc }).items }),
    (d) => [feedbackRoot(d)],
  );

// ---------- plan/<agencyId>/<year> ----------

/** The whole plan: meta, items in display order, comments. */
export const planView = view<PlanView>(readPlan, (d) => {
  const r = planRoots(d);
  return [r.meta, r.items, r.order, r.comments];
});

/** The meta of a plan and its item count (agency home). */
export const planSummaryView = view<{ meta: PlanMeta | null; count: number }>(
  (d) => ({ meta: readPlanMeta(d).meta, count: planOrder(d).length }),
  (d) => {
    const r = planRoots(d);
    return [r.meta, r.items, r.order];
  },
);

// ---------- joint/<id> ----------

export const jointView = view<JointView>(readJoint, (d) => Object.values(jointRoots(d)));

// ---------- supervision/<year> ----------

/** The warnings and their handling (handling keyed by `id` = its warning's id, for the store's reconcile). */
export const supervisionView = view<{ warnings: WarningT[]; handling: (WarningHandlingT & { id: string })[] }>(
  (d) => ({ warnings: readWarnings(d).items, handling: readHandling(d).items.map((x) => ({ ...x, id: x.warningId })) }),
  (d) => {
    const r = supervisionRoots(d);
    return [r.warnings, r.handling];
  },
);

// ---------- what one editor's undo covers ----------

/** The roots an editor's undo tracks in a plan (comments are a thread, not an edit: not undone). */
export const planUndoScope = (d: Y.Doc): [Y.Map<unknown>, Y.Map<Y.Map<unknown>>, Y.Array<string>] => {
  const r = planRoots(d);
  return [r.meta, r.items, r.order];
};

/** The roots an editor's undo tracks in a joint plan (comments and the members list are not undone). */
export const jointUndoScope = (d: Y.Doc): [Y.Map<unknown>, Y.Map<Y.Map<unknown>>, Y.Map<unknown>] => {
  const r = jointRoots(d);
  return [r.meta, r.items, r.team];
};

/** The meta and the items (sorted by id) of a plan: what the check-in's precheck needs. */
export const planItemsView = view<{ meta: PlanMeta | null; items: PlanItem[] }>(
  (d) => ({ meta: readPlanMeta(d).meta, items: readPlanItems(d).items }),
  (d) => {
    const r = planRoots(d);
    return [r.meta, r.items];
  },
);
