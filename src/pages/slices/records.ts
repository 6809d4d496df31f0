/** Read-only slices over the other documents: tasks, agency (catalogue, staff), certificates, ledger. */
import { readTasks, tasksRoot, readAgencyItems, readStaff, agencyRoots, readAgencyProfile, readCertificates, certificatesRoot, readLedger, ledgerRoot, readPlanMeta, planRoots, planOrder } from '../../model';
import type { Agency, Certificate, InspectionItem, Inspector, PlanMeta, SignedRecord, Task } from '../../domain/schemas';
import { createYStore } from '../../client/solid-bridge';
import type { DocHandle } from '../../client/docpool';

export const tasksSlice = (h: DocHandle) =>
  createYStore<{ items: Task[] }>(h.doc, (d) => ({ items: readTasks(d).items }), (d) => [tasksRoot(d)]);

export const agencySlice = (h: DocHandle) =>
  createYStore<{ profile: Agency | null; items: InspectionItem[]; staff: Inspector[] }>(
    h.doc,
    (d) => ({ profile: readAgencyProfile(d).value, items: readAgencyItems(d).items, staff: readStaff(d).items }),
    (d) => { const r = agencyRoots(d); return [r.profile, r.items, r.staff]; },
  );

export const certificatesSlice = (h: DocHandle) =>
  createYStore<{ items: Certificate[] }>(h.doc, (d) => ({ items: readCertificates(d).items }), (d) => [certificatesRoot(d)]);

export const ledgerSlice = (h: DocHandle, uscc: string) =>
  createYStore<{ items: (SignedRecord & { id: string })[]; invalid: number }>(
    h.doc,
    (d) => { const r = readLedger(d, { uscc }); return { items: r.items.map((s) => ({ ...s, id: s.rec.id })), invalid: r.invalid.length }; },
    (d) => [ledgerRoot(d)],
  );

/** the meta of a plan and its item count (agency home) */
export const planSummarySlice = (h: DocHandle) =>
  createYStore<{ meta: PlanMeta | null; count: number }>(
    h.doc,
    (d) => ({ meta: readPlanMeta(d).meta, count: planOrder(d).length }),
    (d) => { const r = planRoots(d); return [r.meta, r.items, r.order]; },
  );
