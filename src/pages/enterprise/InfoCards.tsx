/**
 * What the enterprise should know before anyone knocks: its quiet-period status today (measure 10, from
 * the city's configuration) and its industry's legal-risk handbook (一业一册, measure 9; GET /api/handbooks,
 * cached for offline reading).
 */
import { For, Show, createResource, type JSX } from 'solid-js';
import { lang } from '../../i18n';
import { api } from '../../client/api';
import { Handbooks } from '../../protocol/ledger';
import { cacheGet, cacheSet } from '../../client/app-state';
import type { Enterprise, PolicyConfig } from '../../domain/schemas';
import { dayRuns, quietStatus } from './enterprise-logic';
import { t } from '../../i18n/dict-field';

export function QuietCard(p: { enterprise: Pick<Enterprise, 'quietZone'>; policy: PolicyConfig; now: Date }): JSX.Element {
  const st = () => quietStatus(p.enterprise, p.policy, p.now);
  return (
    <section class="card quiet" aria-labelledby="quiet-h" data-testid="quiet">
      <h2 id="quiet-h" class="section-title">
        {t('enterprise.quietTitle')}
      </h2>
      {(() => {
        const s = st();
        if (!s.covered)
          return (
            <p data-testid="quiet-status" data-quiet="none">
              {t('enterprise.quietNotCovered')}
            </p>
          );
        if (!s.enabled)
          return (
            <p data-testid="quiet-status" data-quiet="off">
              {t('enterprise.quietOff')}
            </p>
          );
        return (
          <>
            <p>{t('enterprise.quietCovered', { days: dayRuns(s.days, lang() === 'en' ? ', ' : '、') })}</p>
            <p class={`notice ${s.quietToday ? 'notice-ok' : 'notice-info'}`} data-testid="quiet-status" data-quiet={s.quietToday ? 'quiet' : 'open'}>
              {s.quietToday ? t('enterprise.quietToday', { date: s.today }) : t('enterprise.notQuietToday', { date: s.today })}
            </p>
          </>
        );
      })()}
    </section>
  );
}

async function loadHandbooks(industry: string): Promise<Handbooks | null> {
  try {
    const h = await api.handbooks(industry);
    cacheSet(`handbooks.${industry}`, h);
    return h;
  } catch {
    const c = Handbooks.safeParse(cacheGet(`handbooks.${industry}`));
    return c.success ? c.data : null;
  }
}

export function HandbookCard(p: { industry: string; agencyName: (id: string) => string }): JSX.Element {
  const [hb] = createResource(() => p.industry, loadHandbooks);
  return (
    <section class="card handbook" aria-labelledby="hb-h" data-testid="handbook">
      <h2 id="hb-h" class="section-title">
        {t('enterprise.handbook')}
      </h2>
      <Show when={!hb.loading} fallback={<p class="muted">{t('app.loading')}</p>}>
        <For each={hb()?.chapters ?? []} fallback={<p class="muted">{t('enterprise.handbookNone')}</p>}>
          {(c) => (
            <details class="chapter" data-testid="handbook-chapter">
              <summary>
                <strong>{c.chapter.title}</strong> <small class="muted">{t('enterprise.handbookBy', { agency: p.agencyName(c.agencyId) })}</small>
              </summary>
              <ol class="risks">
                <For each={c.chapter.risks}>
                  {(r) => (
                    <li>
                      <strong>{r.title}</strong>
                      <dl class="kv">
                        <dt>{t('enterprise.handbookBasis')}</dt>
                        <dd>{r.basis}</dd>
                        <dt>{t('enterprise.handbookAdvice')}</dt>
                        <dd>{r.advice}</dd>
                      </dl>
                    </li>
                  )}
                </For>
              </ol>
            </details>
          )}
        </For>
      </Show>
    </section>
  );
}
