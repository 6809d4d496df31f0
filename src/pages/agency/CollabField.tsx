/**
 * A labelled field of a co-edited document (plan, joint plan): shows who else is editing it (presence,
 * from the slice's peers), announces this user's focus while inside it, and shows its validation error.
 */
import { Show, type JSX } from 'solid-js';
import type { CoEditSlice } from '../stores/collab';
import { t } from '../../i18n/dict-plans';

type CollabSlice = Pick<CoEditSlice, 'peers' | 'focus' | 'blur'>;

export function CollabField(p: {
  slice: CollabSlice;
  itemId: string;
  field: string;
  label: string;
  for?: string;
  group?: boolean;
  hint?: string;
  error?: string;
  children: JSX.Element;
}): JSX.Element {
  const errId = `${p.itemId}-${p.field}-err`.replace(/[^A-Za-z0-9_-]/g, '_');
  const here = () => p.slice.peers().filter((x) => !x.self && x.focus?.itemId === p.itemId && x.focus.field === p.field);
  const body = (
    <>
      <div class="field-head">
        {p.group ? <legend>{p.label}</legend> : <label for={p.for}>{p.label}</label>}
        <Show when={here().length > 0}>
          <span class="field-presence" data-testid="field-presence" style={{ 'border-color': here()[0].user.color, color: here()[0].user.color }}>
            {here()
              .map((x) => t('plan.editing', { name: x.user.name }))
              .join('；')}
          </span>
        </Show>
      </div>
      {p.children}
      <Show when={p.hint}>
        <p class="hint">{p.hint}</p>
      </Show>
      <Show when={p.error}>
        <p class="error" id={errId} role="alert" data-testid="field-error">
          {p.error}
        </p>
      </Show>
    </>
  );
  const focus = () => p.slice.focus(p.itemId, p.field);
  const blur = (e: FocusEvent) => {
    const to = e.relatedTarget as Node | null;
    if (to && (e.currentTarget as HTMLElement).contains(to)) return;
    p.slice.blur();
  };
  const classes = () => ({ 'field-remote': here().length > 0, 'field-invalid': !!p.error });
  return p.group ? (
    <fieldset class="field" classList={classes()} data-field={p.field} onFocusIn={focus} onFocusOut={blur}>
      {body}
    </fieldset>
  ) : (
    <div class="field" classList={classes()} data-field={p.field} onFocusIn={focus} onFocusOut={blur}>
      {body}
    </div>
  );
}

/** This user's own undo/redo (Ctrl/⌘+Z, Ctrl+Y work too: stores/collab.ts) */
export function UndoButtons(p: { slice: Pick<CoEditSlice, 'canUndo' | 'canRedo' | 'undo' | 'redo'> }): JSX.Element {
  return (
    <div class="row">
      <button type="button" class="btn" disabled={!p.slice.canUndo()} onClick={() => p.slice.undo()} title={t('plan.undoHint')} data-testid="undo">
        ↶ {t('plan.undo')}
      </button>
      <button type="button" class="btn" disabled={!p.slice.canRedo()} onClick={() => p.slice.redo()} title={t('plan.redoHint')} data-testid="redo">
        ↷ {t('plan.redo')}
      </button>
    </div>
  );
}
