/**
 * 企业名录 (supervisors): the enterprise directory, paged and searched on the server (a city holds about
 * 100,000), with the 注销 badge and filter; and the import of the market regulator's register (ui/ImportWizard).
 */
import { A } from '@solidjs/router';
import { createSignal, For, Show, type JSX } from 'solid-js';
import { AdminNav } from '../../ui/AdminNav';
import { ImportWizard } from '../../ui/ImportWizard';
import { errorText } from '../../ui/errors';
import { lang } from '../../i18n';
import { t } from '../../i18n/dict-imports';
import { t as tFile } from '../../i18n/dict-file';
import { paths } from '../routes';
import { importsApi } from '../../client/imports-api';
import { useDirectory } from '../stores/directory';
import { INDUSTRIES, type IndustryCode } from '../../domain/industries';
import { usePagedSearch } from '../stores/paged-search';

const PAGE = 50;
type Status = '' | 'active' | 'deregistered';

export default function EnterprisesPage(): JSX.Element {
  const dir = useDirectory();
  const [status, setStatus] = createSignal<Status>('');
  const { page, refetch, offset, setOffset, onSearch, restart } = usePagedSearch(status, (k) =>
    importsApi.enterprises({ q: k.q || undefined, status: k.filters || undefined, limit: PAGE, offset: k.offset }),
  );
  const industry = (code: string) => {
    const i = INDUSTRIES[code as IndustryCode];
    return i ? (lang() === 'en' ? i.en : i.zh) : code;
  };
  const total = () => page.latest?.total ?? 0;

  return (
    <section class="page">
      <AdminNav />
      <h1>{t('enterprises.title')}</h1>

      <ImportWizard kind="enterprises" title={t('enterprises.importTitle')} hint={t('enterprises.importHint')} onApplied={() => void refetch()} />

      <h2>{t('enterprises.listTitle')}</h2>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="enterprise-search">{t('enterprises.search')}</label>
          <input
            id="enterprise-search"
            type="search"
            maxLength={100}
            autocomplete="off"
            onInput={(e) => onSearch(e.currentTarget.value)}
            data-testid="enterprise-search"
          />
        </div>
        <div class="field">
          <label for="enterprise-status">{t('enterprises.status')}</label>
          <select
            id="enterprise-status"
            value={status()}
            onChange={(e) => {
              restart();
              setStatus(e.currentTarget.value as Status);
            }}
            data-testid="enterprise-status"
          >
            <option value="">{t('enterprises.statusAll')}</option>
            <option value="active">{t('enterprises.statusActive')}</option>
            <option value="deregistered">{t('enterprises.statusDeregistered')}</option>
          </select>
        </div>
      </form>

      <Show when={page.error}>
        <p class="error" role="alert">
          {errorText(page.error)}
        </p>
      </Show>
      <p class="muted" aria-live="polite" data-testid="enterprise-total">
        {page.loading && !page.latest ? t('enterprises.loading') : t('enterprises.total', { n: total() })}
      </p>
      <div class="table-wrap">
        <table class="table stack">
          <thead>
            <tr>
              <th scope="col">{t('enterprises.name')}</th>
              <th scope="col">{t('enterprises.uscc')}</th>
              <th scope="col">{t('enterprises.division')}</th>
              <th scope="col">{t('enterprises.industry')}</th>
              <th scope="col">{t('enterprises.risk')}</th>
            </tr>
          </thead>
          <tbody>
            <For
              each={page.latest?.items ?? []}
              fallback={
                <Show when={!page.loading}>
                  {
                    <tr>
                      <td colSpan={5}>{t('enterprises.none')}</td>
                    </tr>
                  }
                </Show>
              }
            >
              {(e) => (
                <tr data-testid="enterprise-row" data-uscc={e.uscc}>
                  <td data-label={t('enterprises.name')}>
                    {e.name}{' '}
                    <Show when={e.status === 'deregistered'}>
                      <span class="badge badge-cancelled" data-testid="enterprise-deregistered">
                        {t('enterprises.statusDeregistered')}
                      </span>
                    </Show>
                    <br />
                    <A href={paths.enterpriseFile(e.uscc)} data-testid="enterprise-file-link">
                      {tFile('file.open')}
                    </A>
                  </td>
                  <td data-label={t('enterprises.uscc')}>
                    <code>{e.uscc}</code>
                  </td>
                  <td data-label={t('enterprises.division')}>{dir.divisionName(e.township ?? e.division) || e.division}</td>
                  <td data-label={t('enterprises.industry')}>{industry(e.industry)}</td>
                  <td data-label={t('enterprises.risk')}>{t(`enterprises.risk.${e.riskLevel}`)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
      <nav class="row between" aria-label={t('enterprises.title')}>
        <button type="button" class="btn" disabled={offset() === 0 || page.loading} onClick={() => setOffset(Math.max(0, offset() - PAGE))}>
          {t('enterprises.prev')}
        </button>
        <span class="muted">{total() ? t('enterprises.page', { from: offset() + 1, to: Math.min(offset() + PAGE, total()) }) : ''}</span>
        <button type="button" class="btn" disabled={offset() + PAGE >= total() || page.loading} onClick={() => setOffset(offset() + PAGE)}>
          {t('enterprises.next')}
        </button>
      </nav>
    </section>
  );
}
