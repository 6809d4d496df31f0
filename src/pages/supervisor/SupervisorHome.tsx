/** Supervisor home: the certificate registry (registry/certificates) at a glance, with a status filter and search; changes are made on the certificates page. */
import { For, createMemo, createSignal, type JSX } from 'solid-js';
import { t } from '../../i18n/dict-registry';
import { rooms } from '../../domain/rooms';
import { shanghaiToday, addDays } from '../../domain/time';
import type { Certificate } from '../../domain/schemas';
import { DocHeader } from '../../ui/DocHeader';
import { certificatesView } from '../../model';
import { useView } from '../stores/useView';
import { useDirectory } from '../stores/directory';
import { WarningsSummary } from './WarningsSummary';
import { RatingsOverview } from './RatingsOverview';
import { FilingsPanel } from './FilingsPanel';
import { AdminNav } from '../../ui/AdminNav';
import { A } from '@solidjs/router';
import { paths } from '../routes';

export type CertState = 'valid' | 'expiring' | 'expired' | 'suspended' | 'revoked';
/** days before expiry from which a valid certificate shows as expiring (time to renew it, measure 2) */
export const EXPIRING_DAYS = 30;
export function certState(c: Certificate, today: string): CertState {
  if (c.status === 'revoked') return 'revoked';
  if (c.status === 'suspended') return 'suspended';
  if (c.expiresOn < today) return 'expired';
  return c.expiresOn <= addDays(today, EXPIRING_DAYS) ? 'expiring' : 'valid';
}

export default function SupervisorHome(): JSX.Element {
  const certs = useView(() => rooms.registry(), certificatesView);
  const dir = useDirectory();
  const today = shanghaiToday();
  const [filter, setFilter] = createSignal<'all' | CertState>('all');
  const [q, setQ] = createSignal('');
  const rows = createMemo(() => {
    const f = filter();
    const needle = q().trim().toLowerCase();
    return (certs()?.items ?? []).filter(
      (c) =>
        (f === 'all' || certState(c, today) === f) &&
        (!needle ||
          c.number.toLowerCase().includes(needle) ||
          c.holderName.toLowerCase().includes(needle) ||
          dir.agencyName(c.agencyId).toLowerCase().includes(needle)),
    );
  });
  return (
    <section class="page">
      <AdminNav />
      <WarningsSummary />
      <FilingsPanel />
      <RatingsOverview />
      <DocHeader
        title={t('supervisor.title')}
        status={certs.status()}
        sub={
          <p class="muted">
            {t('registry.homeLead')}{' '}
            <A href={paths.adminCertificates} data-testid="home-certificates">
              {t('registry.title')}
            </A>
          </p>
        }
      />
      <div class="filters" role="search">
        <div class="field inline">
          <label for="cert-filter">{t('common.filter')}</label>
          <select id="cert-filter" value={filter()} onChange={(e) => setFilter(e.currentTarget.value as 'all' | CertState)} data-testid="cert-filter">
            <option value="all">{t('common.all')}</option>
            <option value="valid">{t('cert.valid')}</option>
            <option value="expiring">{t('cert.expiring')}</option>
            <option value="expired">{t('cert.expired')}</option>
            <option value="suspended">{t('cert.suspended')}</option>
            <option value="revoked">{t('cert.revoked')}</option>
          </select>
        </div>
        <div class="field inline grow">
          <label for="cert-q">{t('common.search')}</label>
          <input id="cert-q" type="search" placeholder={t('supervisor.searchHint')} value={q()} onInput={(e) => setQ(e.currentTarget.value)} />
        </div>
      </div>
      <p class="muted small" data-testid="cert-count">
        {t('supervisor.count', { n: certs()?.items.length ?? 0, k: rows().length })}
      </p>
      <div class="table-wrap">
        <table class="table stack certs" data-testid="certificates">
          <thead>
            <tr>
              <th scope="col">{t('supervisor.number')}</th>
              <th scope="col">{t('supervisor.holder')}</th>
              <th scope="col">{t('supervisor.agency')}</th>
              <th scope="col">{t('supervisor.expires')}</th>
              <th scope="col">{t('common.status')}</th>
            </tr>
          </thead>
          <tbody>
            <For
              each={rows()}
              fallback={
                <tr>
                  <td colSpan={5} class="muted">
                    {certs.loaded() ? t('common.empty') : t('app.loading')}
                  </td>
                </tr>
              }
            >
              {(c) => (
                <tr data-testid="cert-row" data-state={certState(c, today)}>
                  <td data-label={t('supervisor.number')}>
                    <code>{c.number}</code>
                  </td>
                  <td data-label={t('supervisor.holder')}>{c.holderName}</td>
                  <td data-label={t('supervisor.agency')}>{dir.agencyName(c.agencyId)}</td>
                  <td data-label={t('supervisor.expires')}>{c.expiresOn}</td>
                  <td data-label={t('common.status')}>
                    <span class={`badge badge-cert-${certState(c, today)}`}>{t(`cert.${certState(c, today)}`)}</span>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </section>
  );
}
