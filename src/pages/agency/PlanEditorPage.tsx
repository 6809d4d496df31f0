/**
 * Container of the plan editor: /agency/plan/:year (the signed-in agency's plan) and
 * /plan/:agencyId/:year (anyone's plan they may read, e.g. supervisors; issue 5 adds filing here).
 */
import { Show, createMemo, type JSX } from 'solid-js';
import { A, useParams } from '@solidjs/router';
import { t } from '../../i18n';
import { principal, useDoc } from '../../sync/app-state';
import { rooms } from '../../domain/rooms';
import { access, canWrite } from '../../domain/rights';
import { DocHeader } from '../../ui/DocHeader';
import { createPlanSlice, colorFor } from '../slices/plan';
import { useDirectory } from '../slices/directory';
import { PlanEditorView } from './PlanEditorView';
import { homeOf } from '../routes';

export default function PlanEditorPage(): JSX.Element {
  const params = useParams<{ year: string; agencyId?: string }>();
  const me = () => principal();
  const agencyId = () => params.agencyId ?? me()?.agencyId ?? null;
  const year = () => Number(params.year);
  const valid = () => !!agencyId() && Number.isInteger(year()) && year() >= 2000 && year() <= 2100;
  const planDoc = useDoc(() => (valid() ? rooms.plan(agencyId()!, year()) : null));
  const agencyDoc = useDoc(() => (valid() ? rooms.agency(agencyId()!) : null));
  const dir = useDirectory();
  const readOnly = () => {
    const p = me();
    const a = agencyId();
    return !p || !a || !canWrite(access(p, { kind: 'plan', agencyId: a, year: year() }));
  };
  const slice = createMemo(() => {
    const h = planDoc.handle();
    const p = me();
    if (!h || !p) return null;
    return createPlanSlice(h, agencyDoc.handle, { name: p.name, agencyId: p.agencyId, userId: p.userId, color: colorFor(p.userId) });
  });
  const partners = () => (dir.data()?.agencies ?? []).filter((a) => a.kind === 'enforcement' && a.id !== agencyId());
  return (
    <section class="page">
      <A class="back" href={me() ? homeOf(me()!.role) : '/'}>← {t('plan.back')}</A>
      <DocHeader
        title={slice()?.plan.meta?.title ?? t('plan.title', { y: params.year })}
        status={planDoc.status()}
        readOnly={readOnly() && planDoc.status()?.access !== 'denied'}
        sub={<Show when={slice()?.plan.meta}>{(m) => <span class={`badge badge-${m().status}`} data-testid="plan-status">{t(`plan.status.${m().status}`)}</span>}</Show>}
      />
      <Show when={planDoc.loaded() && slice()} fallback={<p class="muted">{t('app.loading')}</p>}>
        <Show when={slice()!.plan.meta || slice()!.plan.items.length > 0 || planDoc.status()?.synced} fallback={<p class="muted">{t('app.loading')}</p>}>
          <Show when={slice()!.plan.meta || slice()!.plan.items.length > 0} fallback={<p class="muted">{t('plan.missing')}</p>}>
            <PlanEditorView slice={slice()!} readOnly={readOnly()} divisions={dir.data()?.divisions ?? []} partners={partners()} />
          </Show>
        </Show>
      </Show>
    </section>
  );
}
