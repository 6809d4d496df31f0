/**
 * Public page /public/handbooks (no sign-in): an industry's compliance handbook (一业一册, measure 9) as
 * the enforcement agencies published it (their latest published catalogue version). The industry is kept
 * in the address (?industry=).
 */
import { For, Show, createResource, type JSX } from 'solid-js';
import { useSearchParams } from '@solidjs/router';
import { t } from '../../i18n/dict-catalogue';
import { industryName } from '../../i18n/labels';
import { catalogueApi } from '../../client/catalogue-api';
import { INDUSTRY_CODES } from '../../domain/industries';
import { errorText } from '../../ui/errors';
import { PublicLinks } from '../../ui/PublicLinks';
import { useDirectory } from '../stores/directory';

export default function PublicHandbooksPage(): JSX.Element {
  const dir = useDirectory();
  const [sp, setSp] = useSearchParams<{ industry?: string }>();
  const industry = () => (sp.industry && (INDUSTRY_CODES as readonly string[]).includes(sp.industry) ? sp.industry : INDUSTRY_CODES[0]);
  const [hb] = createResource(industry, (i) => catalogueApi.handbooks(i));
  return (
    <section class="page public-handbooks">
      <PublicLinks />
      <h1 class="doc-title">{t('pubhb.title')}</h1>
      <p class="muted">{t('pubhb.lead')}</p>
      <div class="filters">
        <div class="field inline grow">
          <label for="pubhb-industry">{t('pubhb.industry')}</label>
          <select
            id="pubhb-industry"
            value={industry()}
            onChange={(e) => setSp({ industry: e.currentTarget.value }, { replace: true })}
            data-testid="public-industry"
          >
            <For each={INDUSTRY_CODES}>{(c) => <option value={c}>{industryName(c)}</option>}</For>
          </select>
        </div>
      </div>
      <Show when={hb.error}>
        <p class="error" role="alert">
          {errorText(hb.error)}
        </p>
      </Show>
      <Show when={hb() && !hb()!.chapters.length}>
        <p class="muted" data-testid="public-handbook-none">
          {t('pubhb.none')}
        </p>
      </Show>
      <For each={hb()?.chapters ?? []}>
        {(c) => (
          <article class="card" data-testid="public-handbook" aria-labelledby={`hb-${c.agencyId}`}>
            <h2 id={`hb-${c.agencyId}`} class="section-title">
              {c.chapter.title}
            </h2>
            <p class="muted small">{t('pubhb.by', { agency: dir.agencyName(c.agencyId) })}</p>
            <ol>
              <For each={c.chapter.risks}>
                {(r) => (
                  <li>
                    <strong>{r.title}</strong>
                    <Show when={r.basis}>
                      <p class="muted small">{r.basis}</p>
                    </Show>
                    <p>{r.advice}</p>
                  </li>
                )}
              </For>
            </ol>
          </article>
        )}
      </For>
    </section>
  );
}
