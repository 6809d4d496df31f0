/**
 * An agency's rectification follow-ups (整改复查): the results that ordered rectification (GET /api/followups),
 * each opened on its enterprise's ledger with the reports and the review (the same component as the
 * inspector's follow-up task). Overdue ones are warned to supervisors by the server.
 */
import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { principal } from '../../client/app-state';
import { followUpsApi } from '../../client/followups-api';
import { rooms } from '../../domain/rooms';
import { shanghaiToday } from '../../domain/time';
import type { FollowUpRow } from '../../protocol/evidence';
import { agencyView, ledgerRecordsView } from '../../model';
import { AdminNav } from '../../ui/AdminNav';
import { DocHeader } from '../../ui/DocHeader';
import { FollowUpReview } from '../../ui/FollowUpReview';
import { errorText } from '../../ui/errors';
import { nameOf } from '../../i18n';
import { useView } from '../stores/useView';
import { t } from '../../i18n/dict-inspection';

function FollowUpItem(p: { row: FollowUpRow; itemName: (id: string) => string }): JSX.Element {
  const [open, setOpen] = createSignal(false);
  const ledger = useView(
    () => (open() ? rooms.ledger(p.row.uscc) : null),
    () => ledgerRecordsView(p.row.uscc),
  );
  const reviewer = () => {
    const pr = principal();
    return pr?.agencyId ? { userId: pr.userId, agencyId: pr.agencyId } : null;
  };
  return (
    <li class="card" data-testid="followup-row" data-status={p.row.status} data-result={p.row.resultId}>
      <header class="task-head">
        <h3 class="task-title">{p.row.enterpriseName}</h3>
        <span class={`badge badge-${p.row.status}`}>{t(`followup.status.${p.row.status}`)}</span>
      </header>
      <p class="muted">
        {t('followup.by')} {p.row.rectifyBy}
      </p>
      <button type="button" class="btn btn-secondary" data-testid="followup-row-open" onClick={() => setOpen(!open())}>
        {t('followup.open')}
      </button>
      <Show when={open()}>
        <DocHeader title={p.row.enterpriseName} status={ledger.status()} />
        <section class="followup-card" data-testid="followup-card">
          <FollowUpReview
            uscc={p.row.uscc}
            resultId={p.row.resultId}
            records={ledger()?.items ?? []}
            today={shanghaiToday()}
            ledger={ledger.handle()?.doc ?? null}
            reviewer={reviewer()}
            itemName={p.itemName}
          />
        </section>
      </Show>
    </li>
  );
}

export default function FollowUpsPage(): JSX.Element {
  const me = () => principal();
  const [status, setStatus] = createSignal<'pending' | 'all'>('pending');
  const [rows] = createResource(status, async (s) => {
    try {
      return { page: await followUpsApi.list({ status: s, limit: 200 }), error: null };
    } catch (e) {
      return { page: null, error: errorText(e) };
    }
  });
  const agency = useView(() => (me()?.agencyId ? rooms.agency(me()!.agencyId!) : null), agencyView);
  const itemName = (id: string) => {
    const it = agency()?.items.find((x) => x.id === id);
    return it ? nameOf(it) : id;
  };
  return (
    <section class="page">
      <AdminNav />
      <h1 class="doc-title">{t('followup.page')}</h1>
      <p class="muted">{t('followup.pageLead')}</p>
      <label class="field inline">
        {t('followup.filter')}
        <select data-testid="followup-filter" value={status()} onChange={(e) => setStatus(e.currentTarget.value as 'pending' | 'all')}>
          <option value="pending">{t('followup.filter.pending')}</option>
          <option value="all">{t('followup.filter.all')}</option>
        </select>
      </label>
      <Show when={rows()?.error}>
        <p class="notice notice-error" role="alert">
          {rows()?.error}
        </p>
      </Show>
      <ul class="records" data-testid="followups">
        <For each={rows()?.page?.items ?? []} fallback={<li class="muted">{rows.loading ? t('app.loading') : t('followup.none')}</li>}>
          {(row) => <FollowUpItem row={row} itemName={itemName} />}
        </For>
      </ul>
    </section>
  );
}
