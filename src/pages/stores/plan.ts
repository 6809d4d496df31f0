/**
 * The plan slice: a co-edited annual plan (`plan/<agencyId>/<year>`) as a fine-grained store, the
 * agency's catalogue to pick items from, writes through src/model with this editor's own origin
 * (so each user has their own undo/redo), inline validation errors per field, and presence
 * (y-protocols awareness: who is here and which field each is editing).
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { createMemo, onCleanup, type Accessor } from 'solid-js';
import { createStore } from 'solid-js/store';
import {
  createPlanReader,
  planView,
  planUndoScope,
  createPlanItem,
  updatePlanItemField,
  updatePlanItemTarget,
  removePlanItem,
  catalogueView,
  type PlanView,
  type PlanItemField,
  type TargetsField,
} from '../../model';
import type { InspectionItem, PlanItem } from '../../domain/schemas';
import { createYStore } from '../../client/solid-bridge';
import type { DocHandle } from '../../client/docpool';
import { errorText } from '../../ui/errors';
import { createPresence, createUndo, type CoEditSlice, type PresenceUser } from './collab';

export { colorFor, type Peer, type PresenceFocus, type PresenceUser } from './collab';

export type FieldKey = `${string}:${string}`;

export interface PlanSlice extends CoEditSlice {
  plan: PlanView;
  catalogue: { items: InspectionItem[] };
  addItem(catalogueItemId: string): string | null;
  removeItem(id: string): void;
  setField<K extends PlanItemField>(id: string, field: K, value: unknown): boolean;
  setTarget(id: string, field: TargetsField, value: unknown): boolean;
  clearError(id: string, field: string): void;
}

export function createPlanSlice(plan: DocHandle, agency: Accessor<DocHandle | null>, me: PresenceUser): PlanSlice {
  const origin = { editor: me.userId ?? me.name }; // this editor's own transaction origin
  // items are validated once and then only when they change (cached by their Y.Map): a remote edit of
  // one field revalidates one item, and the store skips the unchanged items by identity
  const reader = createPlanReader(plan.doc);
  onCleanup(() => reader.dispose());
  const store = createYStore(plan.doc, reader.read, planView.roots);
  const cat = createMemo(() => {
    const a = agency();
    return a ? createYStore(a.doc, catalogueView.read, catalogueView.roots) : { items: [] as InspectionItem[] };
  });
  const catalogue = {
    get items(): InspectionItem[] {
      return cat().items;
    },
  };

  const um = new Y.UndoManager(planUndoScope(plan.doc), { trackedOrigins: new Set([origin]), captureTimeout: 400 });
  const { canUndo, canRedo } = createUndo(um);

  const [errors, setErrors] = createStore<Record<string, string | undefined>>({});
  const fail = (id: string, field: string, e: unknown) => {
    setErrors(`${id}:${field}`, errorText(e));
    return false;
  };

  const { peers, setFocus, focusOn } = createPresence(plan, me);

  const newId = () => {
    const a = store.meta?.agencyId ?? 'plan';
    const y = store.meta?.year ?? 0;
    const rnd = Math.random().toString(36).slice(2, 8);
    return `${a}.p${y}-${Date.now().toString(36)}${rnd}`;
  };

  return {
    plan: store,
    catalogue,
    peers,
    errors,
    canUndo,
    canRedo,
    undo: () => um.undo(),
    redo: () => um.redo(),
    addItem(catalogueItemId) {
      const it = catalogue.items.find((x) => x.id === catalogueItemId);
      if (!it) {
        setErrors('new:item', 'pick');
        return null;
      }
      const item: z.input<typeof import('../../domain/schemas').PlanItem> = {
        id: newId(),
        itemId: it.id,
        method: it.defaultMethod,
        targets: { industries: [...it.industries], divisions: [], riskLevels: [] },
        months: [1],
        cap: store.meta?.capPerEnterprise ?? 1,
        jointPartners: [],
        notes: '',
      };
      try {
        um.stopCapturing();
        createPlanItem(plan.doc, item, origin);
        setErrors('new:item', undefined);
        return item.id;
      } catch (e) {
        fail('new', 'item', e);
        return null;
      }
    },
    removeItem(id) {
      um.stopCapturing();
      removePlanItem(plan.doc, id, origin);
    },
    setField(id, field, value) {
      try {
        updatePlanItemField(plan.doc, id, field, value as PlanItem[typeof field], origin);
        setErrors(`${id}:${field}`, undefined);
        return true;
      } catch (e) {
        return fail(id, field, e);
      }
    },
    setTarget(id, field, value) {
      try {
        updatePlanItemTarget(plan.doc, id, field, value as never, origin);
        setErrors(`${id}:targets.${field}`, undefined);
        return true;
      } catch (e) {
        return fail(id, `targets.${field}`, e);
      }
    },
    focus: focusOn,
    blur() {
      setFocus(null);
    },
    clearError(id, field) {
      setErrors(`${id}:${field}`, undefined);
    },
  };
}
