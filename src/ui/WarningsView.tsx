/** Markup of the supervisors' warnings (WarningsPage, WarningsSummary, the agency's own list): badges, counts, cards. */
import { For, Show, createSignal, type JSX } from 'solid-js';
import { t, tx } from '../i18n';
import { WarningKind, type Warning } from '../domain/schemas';
import type { z } from 'zod';

type W = z.infer<typeof Warning>;
export type WarningKindT = W['kind'];
export type HandlingStatus = 'open' | 'acknowledged' | 'resolved' | 'dismissed';
export interface HandlingLike {
  status: HandlingStatus;
  at?: string;
  note?: string;
}

export const KINDS: readonly WarningKindT[] = WarningKind.options;

/** Severity first (block, warn, info), then newest first. */
const SEV: Record<W['severity'], number> = { block: 0, warn: 1, info: 2 };
export function bySeverityThenTime(a: W, b: W): number {
  return SEV[a.severity] - SEV[b.severity] || Date.parse(b.at) - Date.parse(a.at) || (a.id < b.id ? -1 : 1);
}

export const fmtTime = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString('zh-CN', {
        timeZone: 'Asia/Shanghai',
        hour12: false,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      });
};

/** the Shanghai day only (what an agency reads of a complaint: the server sends its day, not the hour) */
export const fmtDay = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
};

export function countByKind(ws: readonly Pick<W, 'kind'>[]): Partial<Record<WarningKindT, number>> {
  const out: Partial<Record<WarningKindT, number>> = {};
  for (const w of ws) out[w.kind] = (out[w.kind] ?? 0) + 1;
  return out;
}

export function SeverityBadge(p: { severity: W['severity'] }): JSX.Element {
  return (
    <span class={`badge badge-sev-${p.severity}`} data-testid="warning-severity">
      {t(`warn.sev.${p.severity}`)}
    </span>
  );
}

export function StatusBadge(p: { status: HandlingStatus }): JSX.Element {
  return (
    <span class={`badge badge-st-${p.status}`} data-testid="warning-status">
      {t(`warn.st.${p.status}`)}
    </span>
  );
}

/** Counts per kind; a kind with warnings is a button that filters (when `onPick` is given). */
export function KindCounts(p: { counts: Partial<Record<WarningKindT, number>>; active?: string; onPick?: (k: WarningKindT | 'all') => void }): JSX.Element {
  const kinds = () => KINDS.filter((k) => (p.counts[k] ?? 0) > 0);
  return (
    <section aria-label={t('warn.counts')}>
      <ul class="warn-counts" data-testid="warning-counts">
        <For each={kinds()} fallback={<li class="muted">{t('warn.none')}</li>}>
          {(k) => (
            <li>
              <Show
                when={p.onPick}
                fallback={
                  <span class="warn-count" data-kind={k}>
                    {t(`warn.kind.${k}`)} <strong>{p.counts[k]}</strong>
                  </span>
                }
              >
                <button
                  type="button"
                  class="warn-count"
                  classList={{ active: p.active === k }}
                  aria-pressed={p.active === k}
                  data-kind={k}
                  onClick={() => p.onPick!(p.active === k ? 'all' : k)}
                >
                  {t(`warn.kind.${k}`)} <strong>{p.counts[k]}</strong>
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}

/**
 * One warning: severity, kind, handling status, the plain-words message, who/where/when; `children` = actions.
 * `dayOnly`: show dates without the hour (an agency's complaint warnings carry the day only).
 */
export function WarningCard(p: { w: W; handling?: HandlingLike | null; agencyName?: string; dayOnly?: boolean; children?: JSX.Element }): JSX.Element {
  const status = (): HandlingStatus => p.handling?.status ?? 'open';
  const when = (iso: string) => (p.dayOnly ? fmtDay(iso) : fmtTime(iso));
  return (
    <li
      class={`card warn-card warn-${p.w.severity}`}
      data-testid="warning"
      data-kind={p.w.kind}
      data-severity={p.w.severity}
      data-status={status()}
      data-id={p.w.id}
    >
      <header class="row between">
        <span class="row">
          <SeverityBadge severity={p.w.severity} />
          <strong class="warn-kind">{t(`warn.kind.${p.w.kind}`)}</strong>
        </span>
        <StatusBadge status={status()} />
      </header>
      <p class="warn-msg" data-testid="warning-message">
        {tx(p.w.message)}
      </p>
      <dl class="warn-meta small">
        <Show when={p.w.agencyId}>
          <div>
            <dt>{t('warn.agency')}</dt>
            <dd>{p.agencyName || p.w.agencyId}</dd>
          </div>
        </Show>
        <Show when={p.w.uscc}>
          <div>
            <dt>{t('warn.enterprise')}</dt>
            <dd>
              <code>{p.w.uscc}</code>
            </dd>
          </div>
        </Show>
        <div>
          <dt>{p.dayOnly ? t('warn.dayOnly') : t('warn.at')}</dt>
          <dd>{when(p.w.at)}</dd>
        </div>
      </dl>
      <Show when={p.handling && p.handling.status !== 'open'}>
        <p class="muted small" data-testid="warning-handled">
          {t('warn.handled', { status: t(`warn.st.${status()}`), at: p.handling?.at ? when(p.handling.at) : '' })}
          <Show when={p.handling?.note}>{(n) => <> · {n()}</>}</Show>
        </p>
      </Show>
      {p.children}
    </li>
  );
}

/** The supervisor's handling of one warning: a note and acknowledge / resolved / dismiss. */
export function HandleForm(p: {
  id: string;
  current?: HandlingLike | null;
  disabled?: boolean;
  onSave: (status: HandlingStatus, note: string) => void;
}): JSX.Element {
  const [note, setNote] = createSignal(p.current?.note ?? '');
  const noteId = `warn-note-${p.id}`;
  return (
    <details class="warn-handle">
      <summary>{t('warn.handle')}</summary>
      <div class="field">
        <label for={noteId}>{t('warn.note')}</label>
        <textarea
          id={noteId}
          rows="2"
          placeholder={t('warn.noteHint')}
          value={note()}
          onInput={(e) => setNote(e.currentTarget.value)}
          data-testid="warning-note"
        />
      </div>
      <div class="row">
        <button
          type="button"
          class="btn btn-primary btn-small"
          disabled={p.disabled}
          data-testid="warning-ack"
          onClick={() => p.onSave('acknowledged', note())}
        >
          {t('warn.ack')}
        </button>
        <button type="button" class="btn btn-small" disabled={p.disabled} data-testid="warning-resolve" onClick={() => p.onSave('resolved', note())}>
          {t('warn.resolve')}
        </button>
        <button type="button" class="btn btn-ghost btn-small" disabled={p.disabled} data-testid="warning-dismiss" onClick={() => p.onSave('dismissed', note())}>
          {t('warn.dismiss')}
        </button>
      </div>
    </details>
  );
}
