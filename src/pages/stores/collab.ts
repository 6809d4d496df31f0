/**
 * What every co-edited document page shares (plan, joint plan): presence over y-protocols awareness (who is
 * here, which field each is editing; peers' states validated, they come from other browsers) and a
 * per-user undo/redo (Y.UndoManager on this editor's own origin) with Ctrl/⌘+Z, Ctrl+Y, Ctrl+Shift+Z.
 * Both clean up with the owning reactive scope.
 */
import * as Y from 'yjs';
import { PresenceState } from '../../protocol/presence';
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import type { DocHandle } from '../../client/docpool';

export interface PresenceUser {
  name: string;
  agencyId?: string;
  color: string;
  userId?: string;
}
export interface PresenceFocus {
  itemId: string;
  field: string;
}
export interface Peer {
  clientId: number;
  user: PresenceUser;
  focus: PresenceFocus | null;
  self: boolean;
}

const COLORS = ['#1565c0', '#2e7d32', '#ad1457', '#6a1b9a', '#e65100', '#00695c', '#4527a0', '#c62828'];
export function colorFor(id: string): string {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return COLORS[h % COLORS.length];
}

/** What every co-edited document slice offers its page (plan, joint plan), besides its own edits. */
export interface CoEditSlice {
  peers: Accessor<Peer[]>;
  /** validation errors by `<itemId>:<field>` */
  errors: Record<string, string | undefined>;
  canUndo: Accessor<boolean>;
  canRedo: Accessor<boolean>;
  undo(): void;
  redo(): void;
  focus(itemId: string, field: string): void;
  blur(): void;
}

export interface Presence {
  peers: Accessor<Peer[]>;
  setFocus(focus: PresenceFocus | null): void;
  /** announce editing this field (no awareness message when it is already the focus) */
  focusOn(itemId: string, field: string): void;
}

export function createPresence(h: DocHandle, me: PresenceUser): Presence {
  const aw = h.awareness;
  // setLocalStateField does nothing on a null state (a released doc): set the whole state
  const setFocus = (focus: PresenceFocus | null) => aw.setLocalState({ ...(aw.getLocalState() ?? {}), user: me, focus });
  setFocus(null);
  const [peers, setPeers] = createSignal<Peer[]>([]);
  const readPeers = () => {
    const out: Peer[] = [];
    aw.getStates().forEach((raw, clientId) => {
      const r = PresenceState.safeParse(raw);
      if (r.success) out.push({ clientId, user: r.data.user, focus: r.data.focus ?? null, self: clientId === h.doc.clientID });
    });
    out.sort((a, b) => (a.self ? -1 : b.self ? 1 : a.clientId - b.clientId));
    setPeers(out);
  };
  aw.on('change', readPeers);
  readPeers();
  onCleanup(() => {
    aw.off('change', readPeers);
    if (aw.getLocalState()) setFocus(null);
  });
  const focusOn = (itemId: string, field: string) => {
    const f = aw.getLocalState()?.focus as PresenceFocus | null | undefined;
    if (f?.itemId !== itemId || f?.field !== field) setFocus({ itemId, field });
  };
  return { peers, setFocus, focusOn };
}

/** Undo/redo state signals and keyboard shortcuts for `um`; destroys it with the owning scope. */
export function createUndo(um: Y.UndoManager): { canUndo: Accessor<boolean>; canRedo: Accessor<boolean> } {
  const [canUndo, setCanUndo] = createSignal(false);
  const [canRedo, setCanRedo] = createSignal(false);
  const sync = () => {
    setCanUndo(um.undoStack.length > 0);
    setCanRedo(um.redoStack.length > 0);
  };
  um.on('stack-item-added', sync);
  um.on('stack-item-popped', sync);
  um.on('stack-cleared', sync);
  const onKey = (e: KeyboardEvent) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
    // a text box marked data-native-undo (a comment being written) keeps the browser's own undo
    if ((e.target as HTMLElement | null)?.closest?.('[data-native-undo]')) return;
    const k = e.key.toLowerCase();
    if (k === 'z' && !e.shiftKey) {
      e.preventDefault();
      um.undo();
    } else if ((k === 'z' && e.shiftKey) || k === 'y') {
      e.preventDefault();
      um.redo();
    }
  };
  window.addEventListener('keydown', onKey);
  onCleanup(() => {
    window.removeEventListener('keydown', onKey);
    um.destroy();
  });
  return { canUndo, canRedo };
}
