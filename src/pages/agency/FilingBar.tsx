/**
 * The filing bar of an annual plan (measures 4 and 6): status, the due date (end of January of the
 * plan year) with a countdown, "submit for filing" with the server's problems inline, the "changed since
 * filing — re-file" banner whenever the live hash differs from the filed one, the return reason, publish
 * (一公开) when filed and unchanged, and the item-by-item comparison with the filed snapshot.
 * The status itself is written by the server into the doc, so this bar follows it live.
 */
import { For, Show, createEffect, createResource, createSignal, on, type JSX } from 'solid-js';
import { tx, nameOf } from '../../i18n';
import { api, ApiError } from '../../client/api';
import { FilingProblems, daysToDue, diffContent, planDueDate, type ContentDiff, type FilingFull, type FilingProblem } from '../../domain/filing';
import { shanghaiDate, shanghaiToday } from '../../domain/time';
import type { Agency, InspectionItem, PlanContent, PlanMeta } from '../../domain/schemas';
import { industryName } from '../../i18n/labels';
import { paths } from '../routes';
import { errorText } from '../../ui/errors';
import { t } from '../../i18n/dict-plans';

export interface FilingBarProps {
  room: string;
  meta: PlanMeta;
  /** hash of the plan as it is now; null while computing or when the plan is not valid */
  liveHash: string | null;
  /** the plan content now (canonical), for the comparison */
  liveContent: () => PlanContent | null;
  /** the signed-in user is the plan's own agency (may submit and publish) */
  isOwner: boolean;
  catalogue: readonly InspectionItem[];
  agencies: readonly Agency[];
  /** may read the filed snapshots (agencies and supervisors) */
  canCompare: boolean;
}

const FIELD_KEYS: Record<string, Parameters<typeof t>[0]> = {
  method: 'plan.method',
  cap: 'plan.cap',
  months: 'plan.months',
  notes: 'plan.notes',
  jointPartners: 'plan.joint',
  'targets.industries': 'plan.industries',
  'targets.divisions': 'plan.divisions',
  'targets.riskLevels': 'plan.riskLevels',
  'targets.samplingRatio': 'plan.sampling',
  itemId: 'filing.field.itemId',
  title: 'filing.field.title',
  capPerEnterprise: 'filing.field.capPerEnterprise',
};

/** the problems a 422 from POST /api/filings carries */
export function problemsOf(e: unknown): FilingProblem[] | null {
  if (!(e instanceof ApiError) || e.code !== 'plan_invalid') return null;
  const r = FilingProblems.safeParse(e.details);
  return r.success ? r.data.problems : null;
}

export function ProblemList(p: { problems: readonly FilingProblem[]; testid: string; kind: 'error' | 'warning' }): JSX.Element {
  return (
    <div class={`notice ${p.kind === 'error' ? 'notice-error' : 'notice-warn'}`} role={p.kind === 'error' ? 'alert' : 'status'} data-testid={p.testid}>
      {p.kind === 'error' ? t('filing.problems') : t('filing.warnings')}
      <ul class="problem-list">
        <For each={p.problems}>
          {(x) => (
            <li data-code={x.code} data-item={x.itemId ?? ''}>
              {tx(x.message)}
            </li>
          )}
        </For>
      </ul>
    </div>
  );
}

export function FilingBar(p: FilingBarProps): JSX.Element {
  const today = shanghaiToday();
  const due = () => planDueDate(p.meta.year);
  const days = () => daysToDue(today, p.meta.year);
  const filedOrLater = () => p.meta.status === 'filed' || p.meta.status === 'published';
  const changed = () => !!p.meta.filedHash && !!p.liveHash && p.liveHash !== p.meta.filedHash;
  const [busy, setBusy] = createSignal(false);
  const [errors, setErrors] = createSignal<FilingProblem[]>([]);
  const [warnings, setWarnings] = createSignal<FilingProblem[]>([]);
  const [message, setMessage] = createSignal<string | null>(null);
  // the hash of the pending submission: a pending plan edited since can be submitted again
  const [pending] = createResource(
    () => (p.isOwner && p.meta.status === 'submitted' ? p.meta.filingId : undefined),
    async (id) => {
      try {
        return (await api.filings({ room: p.room })).items.find((f) => f.id === id)?.hash ?? null;
      } catch {
        return null;
      }
    },
  );
  const [submittedHash, setSubmittedHash] = createSignal<string | null>(null);
  const pendingHash = () => submittedHash() ?? pending() ?? null;
  const canSubmit = () =>
    p.isOwner &&
    (p.meta.status === 'draft' ||
      p.meta.status === 'returned' ||
      changed() ||
      (p.meta.status === 'submitted' && !!p.liveHash && !!pendingHash() && p.liveHash !== pendingHash()));
  // what the last submission said stays until the office decides (a new status other than 'submitted')
  createEffect(
    on(
      () => p.meta.status,
      (st) => {
        if (st !== 'submitted') {
          setErrors([]);
          setWarnings([]);
          setMessage(null);
        }
      },
      { defer: true },
    ),
  );
  const canPublish = () => p.isOwner && p.meta.status === 'filed' && !changed() && !!p.liveHash;

  const submit = async () => {
    setBusy(true);
    setMessage(null);
    setErrors([]);
    setWarnings([]);
    try {
      const r = await api.submitFiling(p.room);
      setSubmittedHash(r.filing.hash);
      setWarnings(r.warnings);
    } catch (e) {
      const probs = problemsOf(e);
      if (probs) {
        setErrors(probs.filter((x) => x.severity === 'error'));
        setWarnings(probs.filter((x) => x.severity === 'warning'));
      } else setMessage(t('filing.failed', { msg: errorText(e) }));
    } finally {
      setBusy(false);
    }
  };
  const publish = async () => {
    setBusy(true);
    setMessage(null);
    try {
      await api.publishPlan(p.room);
    } catch (e) {
      setMessage(t('filing.failed', { msg: errorText(e) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card filing-bar" aria-labelledby="filing-bar-title" data-testid="filing-bar" data-status={p.meta.status}>
      <div class="row between wrap">
        <h2 id="filing-bar-title" class="section-title">
          {t('filing.bar')}{' '}
          <span class={`badge badge-${p.meta.status}`} data-testid="filing-status">
            {t(`plan.status.${p.meta.status}`)}
          </span>
        </h2>
        <p class="muted small" data-testid="filing-due">
          {t('filing.due', { date: due() })}
          <Show when={!filedOrLater()}>
            {' · '}
            <span classList={{ error: days() < 0 }} data-testid="filing-countdown">
              {days() > 0 ? t('filing.daysLeft', { n: days() }) : days() === 0 ? t('filing.dueToday') : t('filing.overdue', { n: -days() })}
            </span>
          </Show>
        </p>
      </div>

      <Show when={changed()}>
        <div class="notice notice-warn" role="status" data-testid="filing-changed">
          {t('filing.changed')}
        </div>
      </Show>
      <Show when={p.meta.status === 'returned'}>
        <div class="notice notice-error" role="status" data-testid="filing-returned">
          <strong>{t('filing.returned')}</strong>
          <Show when={p.meta.returnReason}>
            {(r) => (
              <p class="notice-text" data-testid="return-reason">
                {t('filing.returnedReason', { reason: r() })}
              </p>
            )}
          </Show>
        </div>
      </Show>
      <Show when={p.meta.status === 'submitted' && !changed()}>
        <p class="muted" data-testid="filing-submitted">
          {t('filing.submittedNote')}
        </p>
      </Show>
      <Show when={p.meta.status === 'published' && !changed()}>
        <p class="muted">
          {t('filing.publishedNote')} <a href={`${paths.publicPlans}?year=${p.meta.year}`}>{t('filing.publicLink')}</a>
        </p>
      </Show>

      <Show when={errors().length > 0}>
        <ProblemList problems={errors()} kind="error" testid="filing-problems" />
      </Show>
      <Show when={warnings().length > 0}>
        <ProblemList problems={warnings()} kind="warning" testid="filing-warnings" />
      </Show>
      <Show when={message()}>
        <p class="error" role="alert" data-testid="filing-error">
          {message()}
        </p>
      </Show>

      <div class="row wrap">
        <Show when={canSubmit()}>
          <button type="button" class="btn btn-primary" disabled={busy()} onClick={submit} data-testid="filing-submit">
            {busy() ? t('filing.submitting') : p.meta.filedHash || p.meta.status === 'returned' ? t('filing.resubmit') : t('filing.submit')}
          </button>
        </Show>
        <Show when={canPublish()}>
          <button type="button" class="btn btn-primary" disabled={busy()} onClick={publish} data-testid="filing-publish">
            {busy() ? t('filing.publishing') : t('filing.publish')}
          </button>
        </Show>
      </div>
      <Show when={p.canCompare && (p.meta.filedHash || p.meta.filingId)}>
        <FilingDiff
          room={p.room}
          filedHash={p.meta.filedHash}
          liveContent={p.liveContent}
          liveHash={p.liveHash}
          catalogue={p.catalogue}
          agencies={p.agencies}
        />
      </Show>
    </section>
  );
}

function formatValue(field: string, v: unknown, agencies: readonly Agency[], catalogue: readonly InspectionItem[], labels: FilingFull['labels']): string {
  if (v === undefined || v === null) return '—';
  const list = (xs: unknown[], f: (x: unknown) => string) => (xs.length ? xs.map(f).join('、') : t('common.none'));
  switch (field) {
    case 'method':
      return t(`method.${String(v)}` as Parameters<typeof t>[0]);
    case 'months':
      return list(v as unknown[], (m) => t('plan.month', { m: String(m) }));
    case 'targets.riskLevels':
      return list(v as unknown[], (r) => t(`risk.${String(r)}` as Parameters<typeof t>[0]));
    case 'targets.industries':
      return list(v as unknown[], (x) => industryName(String(x)));
    case 'targets.samplingRatio':
      return `${Math.round(Number(v) * 1000) / 10}%`;
    case 'jointPartners':
      return list(v as unknown[], (a) => nameOf(agencies.find((x) => x.id === a) ?? { name: String(a) }));
    case 'itemId':
      return itemName(String(v), catalogue, labels);
    default:
      return Array.isArray(v) ? list(v, String) : String(v);
  }
}

function itemName(itemId: string, catalogue: readonly InspectionItem[], labels: FilingFull['labels']): string {
  const c = catalogue.find((x) => x.id === itemId);
  if (c) return `${c.code} ${nameOf(c)}`;
  const l = labels[itemId];
  return l ? `${l.code} ${nameOf(l)}` : itemId;
}

/** item-by-item comparison of the filed snapshot (the one whose hash is the plan's filedHash) with now */
function FilingDiff(p: {
  room: string;
  filedHash?: string;
  liveContent: () => PlanContent | null;
  liveHash: string | null;
  catalogue: readonly InspectionItem[];
  agencies: readonly Agency[];
}): JSX.Element {
  const [open, setOpen] = createSignal(false);
  const [snap, setSnap] = createSignal<FilingFull | null | undefined>(undefined);
  const [err, setErr] = createSignal<string | null>(null);
  const load = async () => {
    setErr(null);
    try {
      const list = await api.filings({ room: p.room });
      const pick = list.items.find((f) => f.status === 'filed' && f.hash === p.filedHash) ?? list.items.find((f) => f.status === 'filed') ?? list.items[0];
      setSnap(pick ? await api.filing(pick.id) : null);
    } catch (e) {
      setErr(errorText(e));
    }
  };
  const toggle = () => {
    const o = !open();
    setOpen(o);
    if (o && snap() === undefined) void load();
  };
  const diff = (): ContentDiff | null => {
    const s = snap();
    const now = p.liveContent();
    return s && now && 'capPerEnterprise' in s.content.meta ? diffContent(s.content, now) : null;
  };
  const fmt = (field: string, v: unknown) => formatValue(field, v, p.agencies, p.catalogue, snap()?.labels ?? {});
  return (
    <div class="filing-diff">
      <button type="button" class="btn btn-ghost btn-small" aria-expanded={open() ? 'true' : 'false'} onClick={toggle} data-testid="filing-diff-toggle">
        {open() ? t('filing.diffHide') : t('filing.diff')}
      </button>
      <Show when={open()}>
        <div data-testid="filing-diff">
          <Show when={err()}>
            <p class="error" role="alert">
              {t('filings.loadFailed', { msg: err()! })}
            </p>
          </Show>
          <Show
            when={snap() !== undefined}
            fallback={
              <Show when={!err()}>
                <p class="muted">{t('filing.diffLoading')}</p>
              </Show>
            }
          >
            <Show when={snap()} fallback={<p class="muted">{t('filing.diffNone')}</p>}>
              {(s) => (
                <>
                  <p class="muted small">
                    {t('filing.diffOf', { date: shanghaiDate(s().decidedAt ?? s().submittedAt) })} ·{' '}
                    <span title={s().hash}>
                      {t('filing.hash')} <code>{s().hash.slice(0, 12)}</code>
                    </span>
                  </p>
                  <Show when={diff()} fallback={<p class="muted">{t('app.loading')}</p>}>
                    {(d) => (
                      <Show
                        when={!d().same}
                        fallback={
                          <p class="notice notice-ok" data-testid="diff-same">
                            {t('filing.diffSame')}
                          </p>
                        }
                      >
                        <ul class="diff-list">
                          <Show when={d().meta.length > 0}>
                            <li class="diff-item diff-changed" data-testid="diff-item" data-change="meta">
                              <strong>{t('filing.diff.meta')}</strong>
                              <FieldChanges changes={d().meta} fmt={fmt} />
                            </li>
                          </Show>
                          <For each={d().items}>
                            {(it) => (
                              <li class={`diff-item diff-${it.change}`} data-testid="diff-item" data-change={it.change} data-item-id={it.id}>
                                <span class={`badge badge-diff-${it.change}`}>{t(`filing.diff.${it.change}`)}</span>{' '}
                                <strong>{itemName(it.itemId, p.catalogue, s().labels)}</strong>
                                <Show when={it.change === 'changed'}>
                                  <FieldChanges changes={it.fields} fmt={fmt} />
                                </Show>
                              </li>
                            )}
                          </For>
                        </ul>
                      </Show>
                    )}
                  </Show>
                </>
              )}
            </Show>
          </Show>
        </div>
      </Show>
    </div>
  );
}

function FieldChanges(p: { changes: { field: string; before: unknown; after: unknown }[]; fmt: (f: string, v: unknown) => string }): JSX.Element {
  return (
    <dl class="diff-fields">
      <For each={p.changes}>
        {(c) => (
          <div class="diff-field" data-field={c.field}>
            <dt>{FIELD_KEYS[c.field] ? t(FIELD_KEYS[c.field]) : c.field}</dt>
            <dd>
              <span class="diff-before">
                <span class="visually-hidden">{t('filing.diff.before')}：</span>
                <del>{p.fmt(c.field, c.before)}</del>
              </span>
              {' → '}
              <span class="diff-after">
                <span class="visually-hidden">{t('filing.diff.after')}：</span>
                <ins>{p.fmt(c.field, c.after)}</ins>
              </span>
            </dd>
          </div>
        )}
      </For>
    </dl>
  );
}
