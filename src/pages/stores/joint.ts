/**
 * The joint-plan slice: a co-edited `joint/<id>` doc as a fine-grained store, writes through src/model
 * with this editor's own origin (each user undoes only their own changes), inline errors per field,
 * and presence (y-protocols awareness: who is here and which field each is editing), in the pattern
 * of the plan slice.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import type { Accessor } from 'solid-js';
import { createStore } from 'solid-js/store';
import {
  jointView,
  jointUndoScope,
  setJointMeta,
  setJointWindow,
  setJointTarget,
  setJointTeam,
  createJointItem,
  updateJointItemField,
  removeJointItem,
  addJointComment,
  JointItem,
  catalogueView,
  type JointView,
} from '../../model';
import { rooms } from '../../domain/rooms';
import type { InspectionItem, Targets } from '../../domain/schemas';
import { createYStore } from '../../client/solid-bridge';
import { useViews } from '../stores/useView';
import type { DocHandle } from '../../client/docpool';
import { errorText } from '../../ui/errors';
import { createPresence, createUndo, type CoEditSlice, type PresenceUser } from './collab';
import { nowIso, now } from '../../domain/time';

export type TargetField = 'industries' | 'divisions' | 'riskLevels';

export interface JointSlice extends CoEditSlice {
  joint: JointView;
  setTitle(title: string): boolean;
  setWindow(field: 'from' | 'to', value: string): boolean;
  setTarget(field: TargetField, value: string[]): boolean;
  /** add an item of my agency's catalogue (targets: the shared ones, months: those of the window) */
  addItem(item: InspectionItem): string | null;
  setItemField(id: string, field: 'months' | 'who', value: unknown): boolean;
  removeItem(id: string): void;
  setTeam(inspectorIds: string[]): boolean;
  comment(text: string): boolean;
}

const rnd = () => Math.random().toString(36).slice(2, 8);

export function createJointSlice(h: DocHandle, me: PresenceUser & { userId: string; agencyId: string }): JointSlice {
  const origin = { editor: me.userId };
  const store = createYStore(h.doc, jointView.read, jointView.roots);
  // comments are a thread, not an edit: they are not undone
  const um = new Y.UndoManager(jointUndoScope(h.doc), { trackedOrigins: new Set([origin]), captureTimeout: 400 });
  const { canUndo, canRedo } = createUndo(um);

  const [errors, setErrors] = createStore<Record<string, string | undefined>>({});
  const attempt = (key: string, fn: () => void): boolean => {
    try {
      fn();
      setErrors(key, undefined);
      return true;
    } catch (e) {
      setErrors(key, errorText(e));
      return false;
    }
  };

  const { peers, setFocus, focusOn } = createPresence(h, me);

  return {
    joint: store,
    peers,
    errors,
    canUndo,
    canRedo,
    undo: () => um.undo(),
    redo: () => um.redo(),
    setTitle: (title) => attempt('meta:title', () => setJointMeta(h.doc, { title }, origin)),
    // discrete choices (dates, checkboxes, month buttons) are one undo step each; typing is merged
    setWindow: (field, value) => {
      um.stopCapturing();
      return attempt('meta:window', () => setJointWindow(h.doc, field, value, origin));
    },
    setTarget: (field, value) => {
      um.stopCapturing();
      return attempt('meta:targets', () => setJointTarget(h.doc, field, value as Targets[typeof field], origin));
    },
    addItem(item) {
      const w = store.meta?.window;
      const months: number[] = [];
      if (w) for (let m = +w.from.slice(5, 7); m <= +w.to.slice(5, 7) && w.from.slice(0, 4) === w.to.slice(0, 4); m++) months.push(m);
      const t = store.meta?.targets;
      const rec: z.input<typeof JointItem> = {
        id: `${me.agencyId}.ji-${Date.now().toString(36)}${rnd()}`,
        agencyId: me.agencyId,
        itemId: item.id,
        targets: {
          industries: t?.industries.length ? [...t.industries] : [...item.industries],
          divisions: [...(t?.divisions ?? [])],
          riskLevels: [...(t?.riskLevels ?? [])],
        },
        months: months.length ? months : [1],
        who: '',
      };
      um.stopCapturing();
      return attempt('new:item', () => createJointItem(h.doc, rec, origin)) ? rec.id : null;
    },
    setItemField: (id, field, value) => {
      if (field === 'months') um.stopCapturing();
      return attempt(`${id}:${field}`, () => updateJointItemField(h.doc, id, field, value as never, origin));
    },
    removeItem(id) {
      um.stopCapturing();
      removeJointItem(h.doc, id, origin);
    },
    setTeam: (ids) => {
      um.stopCapturing();
      return attempt('team', () => setJointTeam(h.doc, me.agencyId, ids, origin));
    },
    comment: (text) =>
      attempt('comment', () =>
        addJointComment(
          h.doc,
          {
            id: `c-${Date.now().toString(36)}${rnd()}`,
            by: me.userId,
            agencyId: me.agencyId,
            at: nowIso(),
            text: text.trim(),
          },
          origin,
        ),
      ),
    focus: focusOn,
    blur() {
      setFocus(null);
    },
  };
}

/** The catalogues of several agencies (each member picks items from its own; everyone reads the names). */
export function useCatalogues(agencyIds: Accessor<string[]>): Accessor<Map<string, InspectionItem[]>> {
  const byRoom = useViews(() => agencyIds().map(rooms.agency), catalogueView);
  return () => new Map([...byRoom()].map(([room, c]) => [room.slice('agency/'.length), c.items]));
}
