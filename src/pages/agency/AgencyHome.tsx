/** Agency home: its plans (this year and next, with status) and its inspection-item catalogue. */
import { For, Show, type JSX } from 'solid-js';
import { A } from '@solidjs/router';
import { nameOf, tx } from '../../i18n';
import { principal } from '../../client/app-state';
import { rooms } from '../../domain/rooms';
import { shanghaiThisYear } from '../../domain/time';
import { DocHeader } from '../../ui/DocHeader';
import { DocSyncChip } from '../../ui/SyncChip';
import { agencyView, planSummaryView } from '../../model';
import { useView } from '../stores/useView';
import { paths } from '../routes';
import { AgencyWarnings } from './AgencyWarnings';
import { AgencyRatings } from './AgencyRatings';
import { JointSection } from './JointSection';
import { AdminNav } from '../../ui/AdminNav';
import { t } from '../../i18n/dict-plans';

function PlanCard(p: { agencyId: string; year: number }): JSX.Element {
  const s = useView(() => rooms.plan(p.agencyId, p.year), planSummaryView);
  return (
    <article class="card plan-card" data-testid={`plan-card-${p.year}`}>
      <header class="task-head">
        <h3 class="task-title">{s()?.meta?.title ?? t('plan.title', { y: p.year })}</h3>
        <Show when={s()?.meta}>{(m) => <span class={`badge badge-${m().status}`}>{t(`plan.status.${m().status}`)}</span>}</Show>
      </header>
      <p class="muted">{t('plan.itemsCount', { n: s()?.count ?? 0 })}</p>
      <div class="row between">
        <DocSyncChip status={s.status()} />
        <A class="btn btn-primary" href={paths.agencyPlan(p.year)}>
          {t('agency.openPlan', { y: p.year })}
        </A>
      </div>
    </article>
  );
}

export default function AgencyHome(): JSX.Element {
  const me = () => principal();
  const year = shanghaiThisYear();
  const agency = useView(() => (me()?.agencyId ? rooms.agency(me()!.agencyId!) : null), agencyView);
  return (
    <section class="page">
      <AdminNav />
      <DocHeader title={agency()?.profile ? nameOf(agency()!.profile!) : t('agency.title')} status={agency.status()} />
      <h2 class="section-title">{t('agency.plans')}</h2>
      <div class="grid2">
        <Show when={me()?.agencyId}>{(id) => <For each={[year, year + 1]}>{(y) => <PlanCard agencyId={id()} year={y} />}</For>}</Show>
      </div>
      <p>
        <A class="btn btn-secondary" href={paths.agencyFollowups} data-testid="followups-open">
          {tx({ zh: '整改复查', en: 'Rectification follow-ups' })}
        </A>
      </p>
      <AgencyWarnings />
      <AgencyRatings />
      <JointSection year={year} />
      <h2 class="section-title">
        {t('agency.catalogue')} <span class="muted small">{t('agency.items', { n: agency()?.items.length ?? 0 })}</span>
      </h2>
      <div class="table-wrap">
        <table class="table stack" data-testid="catalogue">
          <thead>
            <tr>
              <th scope="col">{t('agency.code')}</th>
              <th scope="col">{t('agency.name')}</th>
              <th scope="col">{t('agency.level')}</th>
              <th scope="col">{t('agency.method')}</th>
            </tr>
          </thead>
          <tbody>
            <For
              each={agency()?.items ?? []}
              fallback={
                <tr>
                  <td colSpan={4} class="muted">
                    {agency.loaded() ? t('common.empty') : t('app.loading')}
                  </td>
                </tr>
              }
            >
              {(it) => (
                <tr>
                  <td data-label={t('agency.code')}>{it.code}</td>
                  <td data-label={t('agency.name')}>
                    <span>{nameOf(it)}</span>
                    <br />
                    <span class="muted small">{it.legalBasis}</span>
                  </td>
                  <td data-label={t('agency.level')}>{t(`level.${it.level}`)}</td>
                  <td data-label={t('agency.method')}>{t(`method.${it.defaultMethod}`)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </section>
  );
}
