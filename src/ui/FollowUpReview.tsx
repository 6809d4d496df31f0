/**
 * A rectification follow-up (整改复查) for the agency's staff: what the result ordered, the enterprise's reports
 * with their evidence, the decisions so far, and accept / not accept the newest report (a signed review record
 * in ledger/<uscc>, written on this phone first: offline too). Shown on the inspector's follow-up task and on
 * the agency's follow-up page; read-only without a reviewer.
 */
import { For, Show, createSignal, type JSX } from 'solid-js';
import type * as Y from 'yjs';
import type { LedgerRecord } from '../domain/schemas';
import { deviceKey } from '../client/trust';
import { EvidenceThumbs } from './evidence/EvidenceThumbs';
import { errorText } from './errors';
import { appendReview, followUpOf, type FollowUp } from './followup';
import { t } from '../i18n/dict-inspection';

const at = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

/** The enterprise's reports with their evidence, and the agency's decision on each (the enterprise sees them too). */
export function FollowUpReports(p: { uscc: string; fu: FollowUp }): JSX.Element {
  return (
    <For each={p.fu.reports}>
      {(rep) => (
        <article class="followup-report" data-testid="followup-report" data-report={rep.id}>
          <p class="muted">{at(rep.at)}</p>
          <p>{rep.text}</p>
          <EvidenceThumbs uscc={p.uscc} refs={rep.evidence} />
          <For each={p.fu.reviews.filter((v) => v.reportId === rep.id)}>
            {(v) => (
              <p class={v.accepted ? 'ok' : 'bad'} data-testid="followup-decision" data-accepted={String(v.accepted)}>
                {v.accepted ? t('followup.accepted') : t('followup.rejected')} · {at(v.at)}
                {v.note ? `：${v.note}` : ''}
              </p>
            )}
          </For>
        </article>
      )}
    </For>
  );
}

export interface FollowUpReviewProps {
  uscc: string;
  resultId: string;
  records: readonly LedgerRecord[];
  /** Shanghai date of today (overdue) */
  today: string;
  /** the ledger doc to write the review into; null: read only */
  ledger: Y.Doc | null;
  reviewer: { userId: string; agencyId: string } | null;
  itemName?: (id: string) => string;
  onDecided?: (accepted: boolean) => void;
}

export function FollowUpReview(p: FollowUpReviewProps): JSX.Element {
  const fu = () => followUpOf(p.records, p.resultId, p.today);
  const [note, setNote] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const item = (id: string) => p.itemName?.(id) ?? id;
  const canDecide = () => {
    const f = fu();
    return !!p.ledger && !!p.reviewer && !!f.latest && f.status !== 'accepted' && !f.reviews.some((v) => v.reportId === f.latest!.id) && !busy();
  };
  async function decide(accepted: boolean): Promise<void> {
    const f = fu();
    const r = p.reviewer;
    if (!canDecide() || !f.latest || !r || !p.ledger) return;
    if (!accepted && note().trim().length < 2) {
      setError(t('followup.note'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const key = await deviceKey(r.userId);
      await appendReview(p.ledger, {
        uscc: p.uscc,
        by: r.userId,
        agencyId: r.agencyId,
        resultId: p.resultId,
        reportId: f.latest.id,
        accepted,
        note: note(),
        key,
      });
      setNote('');
      p.onDecided?.(accepted);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="followup">
      <p
        class={`notice ${fu().status === 'accepted' ? 'notice-ok' : fu().status === 'overdue' ? 'notice-error' : 'notice-warn'}`}
        role="status"
        data-testid="followup-status"
        data-status={fu().status}
      >
        {t(`followup.status.${fu().status}`)}
      </p>
      <Show when={fu().result} fallback={<p class="muted">{t('followup.noResult')}</p>}>
        {(r) => (
          <section class="followup-order" data-testid="followup-order">
            <h4>{t('followup.order')}</h4>
            <ol>
              <For each={r().findings}>
                {(f) => (
                  <li>
                    {item(f.itemId)}：{f.description}
                  </li>
                )}
              </For>
            </ol>
            <p>
              {t('followup.by')}：<strong>{r().rectifyBy ?? '—'}</strong>
            </p>
          </section>
        )}
      </Show>
      <h4>{t('followup.reports')}</h4>
      <Show when={fu().reports.length} fallback={<p class="muted">{t('followup.noReports')}</p>}>
        <FollowUpReports uscc={p.uscc} fu={fu()} />
      </Show>
      <Show when={p.reviewer && fu().status !== 'accepted'}>
        <label class="field">
          {t('followup.note')}
          <textarea data-testid="followup-note" rows={3} maxLength={500} value={note()} onInput={(e) => setNote(e.currentTarget.value)} />
        </label>
        <div class="actions">
          <button type="button" class="btn btn-primary" data-testid="followup-accept" disabled={!canDecide()} onClick={() => void decide(true)}>
            {t('followup.accept')}
          </button>
          <button type="button" class="btn btn-secondary" data-testid="followup-reject" disabled={!canDecide()} onClick={() => void decide(false)}>
            {t('followup.reject')}
          </button>
        </div>
      </Show>
      <Show when={error()}>
        <p class="notice notice-error" role="alert">
          {error()}
        </p>
      </Show>
    </div>
  );
}
