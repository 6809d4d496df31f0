/** The enterprise file's search (name or USCC) over the directory, paged on the server; each match links to its file. */
import { A } from '@solidjs/router';
import { For, Show, type JSX } from 'solid-js';
import { importsApi } from '../../../client/imports-api';
import { t } from '../../../i18n/dict-file';
import { errorText } from '../../../ui/errors';
import { paths } from '../../routes';
import { usePagedSearch } from '../../stores/paged-search';

const PAGE = 20;

export function FileSearch(p: { current?: string }): JSX.Element {
  const { page, offset, setOffset, onSearch } = usePagedSearch(
    () => '',
    (k) => (k.q ? importsApi.enterprises({ q: k.q, limit: PAGE, offset: k.offset }) : Promise.resolve(null)),
  );
  const total = () => page.latest?.total ?? 0;
  return (
    <section aria-labelledby="file-search-label">
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <div class="field" style={{ flex: '1 1 260px' }}>
          <label id="file-search-label" for="file-search">
            {t('file.search')}
          </label>
          <input
            id="file-search"
            type="search"
            maxLength={100}
            autocomplete="off"
            aria-describedby="file-search-hint"
            onInput={(e) => onSearch(e.currentTarget.value)}
            data-testid="file-search"
          />
          <small id="file-search-hint" class="muted">
            {t('file.searchHint')}
          </small>
        </div>
      </form>
      <Show when={page.error}>
        <p class="error" role="alert">
          {errorText(page.error)}
        </p>
      </Show>
      <Show when={page.latest}>
        {(r) => (
          <>
            <p class="muted" aria-live="polite">
              {r().total ? t('file.results', { n: r().total }) : t('file.noResults')}
            </p>
            <ul class="file-results">
              <For each={r().items}>
                {(e) => (
                  <li>
                    <A
                      href={paths.enterpriseFile(e.uscc)}
                      data-testid="file-result"
                      data-uscc={e.uscc}
                      aria-current={p.current === e.uscc ? 'page' : undefined}
                    >
                      {e.name}
                    </A>{' '}
                    <code class="muted">{e.uscc}</code>
                    <Show when={e.status === 'deregistered'}>
                      {' '}
                      <span class="badge badge-cancelled">{t('file.deregistered')}</span>
                    </Show>
                  </li>
                )}
              </For>
            </ul>
            <Show when={total() > PAGE}>
              <nav class="row between" aria-label={t('file.search')}>
                <button type="button" class="btn" disabled={offset() === 0 || page.loading} onClick={() => setOffset(Math.max(0, offset() - PAGE))}>
                  {t('file.prev')}
                </button>
                <span class="muted">{t('file.page', { from: offset() + 1, to: Math.min(offset() + PAGE, total()) })}</span>
                <button type="button" class="btn" disabled={offset() + PAGE >= total() || page.loading} onClick={() => setOffset(offset() + PAGE)}>
                  {t('file.next')}
                </button>
              </nav>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
