/**
 * The city agency's opinion on a county plan (measure 4: 县级计划征询市级主管部门意见), item by item, in
 * the plan doc's `comments` (src/model/plan.ts). The city counterpart writes (the server lets it write
 * comments of its own agency only, server/sync/plan-guard.ts); the county sees them live and marks each
 * one resolved. Comments are outside the editors' undo scope.
 */
import { For, Show, createMemo, createSignal, type JSX } from 'solid-js';
import type * as Y from 'yjs';
import { errorText } from '../../ui/errors';
import { addComment, resolveComment, type PlanComment } from '../../model/plan';
import { shanghaiDate, nowIso } from '../../domain/time';
import { t } from '../../i18n/dict-plans';

export interface Opinions {
  comments: () => readonly PlanComment[];
  /** the signed-in user is the plan's city counterpart */
  canComment: boolean;
  /** the signed-in user is the plan's own agency */
  canResolve: boolean;
  agencyName: (id: string) => string;
  add(text: string, planItemId?: string): string | null;
  setResolved(id: string, resolved: boolean): void;
}

/** the opinions API over a plan doc for one signed-in user */
export function createOpinions(o: {
  doc: Y.Doc;
  comments: () => readonly PlanComment[];
  me: { userId: string; agencyId?: string };
  canComment: boolean;
  canResolve: boolean;
  agencyName: (id: string) => string;
}): Opinions {
  const origin = { opinions: o.me.userId };
  return {
    comments: o.comments,
    canComment: o.canComment,
    canResolve: o.canResolve,
    agencyName: o.agencyName,
    add(text, planItemId) {
      const body = text.trim();
      if (!body) return t('opinion.empty');
      try {
        const id = `op-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
        addComment(o.doc, { id, planItemId, by: o.me.userId, byAgencyId: o.me.agencyId ?? '', at: nowIso(), text: body }, origin);
        return null;
      } catch (e) {
        return errorText(e);
      }
    },
    setResolved(id, resolved) {
      resolveComment(o.doc, id, resolved, origin);
    },
  };
}

function OpinionList(p: { ctx: Opinions; items: readonly PlanComment[] }): JSX.Element {
  return (
    <ul class="opinions">
      <For each={p.items}>
        {(c) => (
          <li class="opinion" classList={{ 'opinion-resolved': !!c.resolved }} data-testid="opinion" data-resolved={c.resolved ? '1' : '0'} data-id={c.id}>
            <div class="opinion-head">
              <strong>{p.ctx.agencyName(c.byAgencyId)}</strong>
              <span class="muted small">{shanghaiDate(c.at)}</span>
              <span class={`badge ${c.resolved ? 'badge-st-resolved' : 'badge-st-open'}`}>{c.resolved ? t('opinion.resolved') : t('opinion.open')}</span>
            </div>
            <p class="opinion-text" data-testid="opinion-text">
              {c.text}
            </p>
            <Show when={p.ctx.canResolve}>
              <button type="button" class="btn btn-small" onClick={() => p.ctx.setResolved(c.id, !c.resolved)} data-testid="opinion-resolve">
                {c.resolved ? t('opinion.reopen') : t('opinion.resolve')}
              </button>
            </Show>
          </li>
        )}
      </For>
    </ul>
  );
}

function OpinionForm(p: { ctx: Opinions; planItemId?: string; label: string; uid: string }): JSX.Element {
  const [text, setText] = createSignal('');
  const [err, setErr] = createSignal<string | null>(null);
  const send = () => {
    const e = p.ctx.add(text(), p.planItemId);
    setErr(e);
    if (!e) setText('');
  };
  return (
    <div class="field opinion-form">
      <label for={p.uid}>{p.label}</label>
      <textarea
        id={p.uid}
        rows="2"
        value={text()}
        onInput={(e) => setText(e.currentTarget.value)}
        data-testid="opinion-input"
        aria-invalid={err() ? 'true' : undefined}
        aria-describedby={err() ? `${p.uid}-err` : undefined}
      />
      <Show when={err()}>
        <p class="error" id={`${p.uid}-err`} role="alert">
          {err()}
        </p>
      </Show>
      <button type="button" class="btn btn-small" onClick={send} data-testid="opinion-send">
        {t('opinion.send')}
      </button>
    </div>
  );
}

/** the opinions on one plan item, and (for the city counterpart) a form to add one */
export function ItemOpinions(p: { ctx: Opinions; itemId: string }): JSX.Element {
  const mine = createMemo(() => p.ctx.comments().filter((c) => c.planItemId === p.itemId));
  const uid = `op-${p.itemId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return (
    <Show when={mine().length > 0 || p.ctx.canComment}>
      <div class="item-opinions" data-testid="item-opinions">
        <OpinionList ctx={p.ctx} items={mine()} />
        <Show when={p.ctx.canComment}>
          <OpinionForm ctx={p.ctx} planItemId={p.itemId} label={t('opinion.text')} uid={uid} />
        </Show>
      </div>
    </Show>
  );
}

/** the header of the opinions: who is asked, counts, opinions on the whole plan */
export function PlanOpinions(p: { ctx: Opinions; counterpartId?: string }): JSX.Element {
  const all = () => p.ctx.comments();
  const general = createMemo(() => all().filter((c) => !c.planItemId));
  const open = () => all().filter((c) => !c.resolved).length;
  return (
    <section class="card plan-opinions" aria-labelledby="opinions-title" data-testid="plan-opinions">
      <h2 id="opinions-title" class="section-title">
        {t('opinion.title', { n: all().length })}
      </h2>
      <Show when={p.counterpartId}>{(id) => <p class="muted small">{t('opinion.lead', { agency: p.ctx.agencyName(id()) })}</p>}</Show>
      <Show when={p.ctx.canComment}>
        <p class="notice notice-info" data-testid="opinion-can-comment">
          {t('opinion.canComment')}
        </p>
      </Show>
      <p class="muted small" data-testid="opinion-count">
        {all().length ? t('opinion.count', { n: all().length, k: open() }) : t('opinion.none')}
      </p>
      <OpinionList ctx={p.ctx} items={general()} />
      <Show when={p.ctx.canComment}>
        <OpinionForm ctx={p.ctx} label={t('opinion.general')} uid="op-general" />
      </Show>
    </section>
  );
}
