/**
 * The photos and files taken during an inspection: kept on the phone at once by EvidenceCapture, listed here
 * until check-out puts them into the result record. The list is remembered per entry (localStorage) so a
 * reload in the middle of the inspection keeps it.
 */
import { createEffect, createSignal, type Accessor } from 'solid-js';
import { EvidenceRef } from '../../../domain/schemas';
import { EVIDENCE_PER_RECORD } from '../../../domain/evidence';

const keyOf = (entryId: string) => `eicp.evidence.${entryId}`;

function load(entryId: string): EvidenceRef[] {
  try {
    const raw = JSON.parse(localStorage.getItem(keyOf(entryId)) ?? '[]');
    const r = EvidenceRef.array().max(EVIDENCE_PER_RECORD).safeParse(raw);
    return r.success ? r.data : [];
  } catch {
    return [];
  }
}

export function createEvidence(entryId: Accessor<string | null>) {
  const [refs, setRefs] = createSignal<EvidenceRef[]>([]);
  createEffect(() => {
    const id = entryId();
    setRefs(id ? load(id) : []);
  });
  const save = (list: EvidenceRef[]) => {
    setRefs(list);
    const id = entryId();
    try {
      if (id) localStorage.setItem(keyOf(id), JSON.stringify(list));
    } catch {
      /* quota: kept for this view only */
    }
  };
  return {
    refs,
    full: () => refs().length >= EVIDENCE_PER_RECORD,
    add: (ref: EvidenceRef) => {
      if (refs().some((r) => r.sha256 === ref.sha256) || refs().length >= EVIDENCE_PER_RECORD) return;
      save([...refs(), ref]);
    },
    remove: (sha256: string) => save(refs().filter((r) => r.sha256 !== sha256)),
    /** after check-out: the refs live in the result record */
    clear: () => {
      const id = entryId();
      try {
        if (id) localStorage.removeItem(keyOf(id));
      } catch {
        /* nothing kept */
      }
    },
  };
}
export type EvidenceState = ReturnType<typeof createEvidence>;
