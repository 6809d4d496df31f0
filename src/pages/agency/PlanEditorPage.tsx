/**
 * Container of the plan editor: /agency/plan/:year (the signed-in agency's plan) and
 * /plan/:agencyId/:year (anyone's plan they may read: supervisors; the county plan's city counterpart,
 * who gives its opinion item by item). Adds the filing bar (measure 6) and the opinions (measure 4).
 * The live hash of the plan is recomputed (debounced) on every change to show "changed since filing".
 */
import { Show, createEffect, createMemo, createSignal, onCleanup, type JSX } from 'solid-js';
import type * as Y from 'yjs';
import { A, useParams } from '@solidjs/router';
import { nameOf } from '../../i18n';
import { principal, useDoc } from '../../client/app-state';
import { rooms } from '../../domain/rooms';
import { access, canWrite } from '../../domain/rights';
import { canonicalJson, planContentOf, sha256Hex } from '../../domain/canonical';
import type { PlanContent } from '../../domain/schemas';
import { DocHeader } from '../../ui/DocHeader';
import { createPlanSlice, colorFor, type PlanSlice } from '../stores/plan';
import { useDirectory } from '../stores/directory';
import { PlanEditorView } from './PlanEditorView';
import { FilingBar } from './FilingBar';
import { ItemOpinions, PlanOpinions, createOpinions } from './FilingComments';
import { homeOf } from '../routes';
import { t } from '../../i18n/dict-plans';

/**
 * The plan's canonical content and its hash, recomputed off the render path: after the doc's updates
 * settle (debounced), never inside a keystroke. Validating and canonicalising 500 items costs tens of
 * milliseconds; doing it in a memo that tracks every field made each edit and the first render pay it.
 */
function useLiveHash(
  slice: () => PlanSlice | null,
  doc: () => Y.Doc | null,
  loaded: () => boolean,
): { content: () => PlanContent | null; hash: () => string | null } {
  const [content, setContent] = createSignal<PlanContent | null>(null);
  const [hash, setHash] = createSignal<string | null>(null);
  createEffect(() => {
    const s = slice();
    const d = doc();
    if (!s || !d || !loaded()) {
      setContent(null);
      setHash(null);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    let seq = 0;
    const run = () => {
      const n = ++seq;
      const m = s.plan.meta;
      let c: PlanContent | null = null;
      if (m) {
        try {
          c = planContentOf(m, s.plan.items);
        } catch {
          c = null;
        }
      }
      setContent(c);
      if (!c) {
        setHash(null);
        return;
      }
      void sha256Hex(canonicalJson(c)).then((h) => {
        if (n === seq) setHash(h);
      });
    };
    const schedule = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(run, ms);
    };
    const onUpdate = () => schedule(250);
    d.on('update', onUpdate);
    // first value once the loaded plan is on screen: a timer started earlier fired mid-load at 4× CPU
    // and put ~40 ms of hashing in front of the first render of the rows
    const frame = requestAnimationFrame(() => schedule(0));
    onCleanup(() => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      d.off('update', onUpdate);
    });
  });
  return { content, hash };
}

export default function PlanEditorPage(): JSX.Element {
  const params = useParams<{ year: string; agencyId?: string }>();
  const me = () => principal();
  const agencyId = () => params.agencyId ?? me()?.agencyId ?? null;
  const year = () => Number(params.year);
  const valid = () => !!agencyId() && Number.isInteger(year()) && year() >= 2000 && year() <= 2100;
  const room = () => (valid() ? rooms.plan(agencyId()!, year()) : null);
  const planDoc = useDoc(room);
  const agencyDoc = useDoc(() => (valid() ? rooms.agency(agencyId()!) : null));
  const dir = useDirectory();
  const owner = () => {
    const p = me();
    return !!p && p.role === 'agency' && p.agencyId === agencyId();
  };
  const planAgency = () => (dir.data()?.agencies ?? []).find((a) => a.id === agencyId());
  /** the city agency asked for its opinion on this (county) plan */
  const counterpartId = () => planAgency()?.cityCounterpartId;
  const isCounterpart = () => {
    const p = me();
    return !!p && p.role === 'agency' && !!p.agencyId && p.agencyId === counterpartId();
  };
  const writable = () => {
    const p = me();
    const a = agencyId();
    return !!p && !!a && canWrite(access(p, { kind: 'plan', agencyId: a, year: year() }, { cityCounterpartId: counterpartId() }));
  };
  // the counterpart may write (comments only): the plan's fields stay read-only for it
  const readOnly = () => !writable() || !owner();
  const slice = createMemo(() => {
    const h = planDoc.handle();
    const p = me();
    if (!h || !p) return null;
    return createPlanSlice(h, agencyDoc.handle, { name: p.name, agencyId: p.agencyId, userId: p.userId, color: colorFor(p.userId) });
  });
  const live = useLiveHash(
    slice,
    () => planDoc.handle()?.doc ?? null,
    () => planDoc.loaded(),
  );
  const opinions = createMemo(() => {
    const h = planDoc.handle();
    const p = me();
    const s = slice();
    if (!h || !p || !s) return null;
    return createOpinions({
      doc: h.doc,
      comments: () => s.plan.comments,
      me: { userId: p.userId, agencyId: p.agencyId },
      canComment: isCounterpart() && writable(),
      canResolve: owner(),
      agencyName: (id) => dir.agencyName(id),
    });
  });
  const showOpinions = () => !!counterpartId() || (slice()?.plan.comments.length ?? 0) > 0;
  const partners = () => (dir.data()?.agencies ?? []).filter((a) => a.kind === 'enforcement' && a.id !== agencyId());
  return (
    <section class="page">
      <A class="back" href={me() ? homeOf(me()!.role) : '/'}>
        ← {t('plan.back')}
      </A>
      <DocHeader
        title={slice()?.plan.meta?.title ?? t('plan.title', { y: params.year })}
        status={planDoc.status()}
        readOnly={readOnly() && !isCounterpart() && planDoc.status()?.access !== 'denied'}
        sub={
          <Show when={slice()?.plan.meta}>
            {(m) => (
              <p class="row wrap">
                <span class={`badge badge-${m().status}`} data-testid="plan-status">
                  {t(`plan.status.${m().status}`)}
                </span>
                <Show when={planAgency()}>{(a) => <span class="muted small">{nameOf(a())}</span>}</Show>
              </p>
            )}
          </Show>
        }
      />
      <Show when={planDoc.loaded() && slice()} fallback={<p class="muted">{t('app.loading')}</p>}>
        <Show when={slice()!.plan.meta || slice()!.plan.items.length > 0 || planDoc.status()?.synced} fallback={<p class="muted">{t('app.loading')}</p>}>
          <Show when={slice()!.plan.meta || slice()!.plan.items.length > 0} fallback={<p class="muted">{t('plan.missing')}</p>}>
            <Show when={slice()!.plan.meta}>
              {(m) => (
                <FilingBar
                  room={room()!}
                  meta={m()}
                  liveHash={live.hash()}
                  liveContent={live.content}
                  isOwner={owner() && writable()}
                  catalogue={slice()!.catalogue.items}
                  agencies={dir.data()?.agencies ?? []}
                  canCompare={me()?.role === 'supervisor' || owner()}
                />
              )}
            </Show>
            <Show when={showOpinions() && opinions()}>{(o) => <PlanOpinions ctx={o()} counterpartId={counterpartId()} />}</Show>
            <PlanEditorView
              slice={slice()!}
              readOnly={readOnly()}
              divisions={dir.data()?.divisions ?? []}
              partners={partners()}
              itemExtra={showOpinions() && opinions() ? (item) => <ItemOpinions ctx={opinions()!} itemId={item.id} /> : undefined}
            />
          </Show>
        </Show>
      </Show>
    </section>
  );
}
