/**
 * Public page /public/plans (no sign-in, 一公开): every agency's published annual plan of a year, as
 * filed (the content comes from the filed snapshot, not the live document), searchable by agency and
 * item names, in Chinese and English. The year and the search are kept in the address.
 */
import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { useSearchParams } from '@solidjs/router';
import { lang, nameOf } from '../../i18n';
import { api } from '../../client/api';
import { principal } from '../../client/app-state';
import { shanghaiDate, shanghaiThisYear } from '../../domain/time';
import type { JointContentItem, PlanItem, Targets } from '../../domain/schemas';
import type { ItemLabels, PublicPlan } from '../../domain/filing';
import { industryName } from '../../i18n/labels';
import { errorText } from '../../ui/errors';
import { useDirectory } from '../stores/directory';
import { PublicLinks } from '../../ui/PublicLinks';
import { paths } from '../routes';
import { t } from '../../i18n/dict-plans';

function targetsText(tg: Targets, divisionName: (c: string) => string): string {
  const parts: string[] = [];
  if (tg.industries.length) parts.push(tg.industries.map(industryName).join('、'));
  if (tg.divisions.length) parts.push(tg.divisions.map(divisionName).join('、'));
  if (tg.riskLevels.length) parts.push(`${t('plan.riskLevels')}：${tg.riskLevels.map((r) => t(`risk.${r}`)).join('、')}`);
  if (tg.samplingRatio !== undefined) parts.push(t('pubplans.sampling', { p: Math.round(tg.samplingRatio * 1000) / 10 }));
  return parts.length ? parts.join('；') : t('pubplans.allTargets');
}

const label = (labels: ItemLabels, id: string) => {
  const l = labels[id];
  return l ? `${l.code} ${nameOf(l)}` : id;
};
const months = (ms: number[]) => ms.map((m) => t('plan.month', { m })).join('、');

function PlanCard(p: { plan: PublicPlan }): JSX.Element {
  const dir = useDirectory();
  const c = p.plan.content;
  const isPlan = 'capPerEnterprise' in c.meta;
  const agency = () => nameOf({ name: p.plan.agencyName, nameEn: p.plan.agencyNameEn });
  return (
    <article class="card public-plan" data-testid="public-plan" data-room={p.plan.room} aria-labelledby={`pp-${p.plan.filingId}`}>
      <header>
        <h2 id={`pp-${p.plan.filingId}`} class="section-title">
          {lang() === 'en' && isPlan ? `${p.plan.agencyNameEn}: ${t('plan.title', { y: p.plan.year })}` : p.plan.title}
        </h2>
        <Show when={lang() === 'en' && isPlan}>
          <p class="small" lang="zh-CN">
            {p.plan.title}
          </p>
        </Show>
        <p class="muted small">
          {isPlan ? agency() : t('pubplans.joint', { agency: agency() })}
          <Show when={p.plan.filedAt}>{(d) => <> · {t('pubplans.filedAt', { date: shanghaiDate(d()) })}</>}</Show>
          {' · '}
          {t('pubplans.publishedAt', { date: shanghaiDate(p.plan.publishedAt) })}
        </p>
        <Show when={'capPerEnterprise' in c.meta && c.meta}>
          {(m) => <p data-testid="public-cap">{t('pubplans.cap', { n: (m() as { capPerEnterprise: number }).capPerEnterprise })}</p>}
        </Show>
      </header>
      <div class="table-wrap">
        <table class="table stack">
          <thead>
            <tr>
              <th scope="col">{t('pubplans.item')}</th>
              <th scope="col">{isPlan ? t('plan.method') : t('pubplans.who')}</th>
              <th scope="col">{t('pubplans.targets')}</th>
              <th scope="col">{t('plan.months')}</th>
              <Show when={isPlan}>
                <th scope="col">{t('plan.cap')}</th>
              </Show>
            </tr>
          </thead>
          <tbody>
            <For each={c.items as (PlanItem | JointContentItem)[]}>
              {(it) => (
                <tr data-testid="public-item">
                  <td data-label={t('pubplans.item')}>{label(p.plan.labels, it.itemId)}</td>
                  <td data-label={isPlan ? t('plan.method') : t('pubplans.who')}>
                    {'method' in it ? t(`method.${it.method}`) : it.who || dir.agencyName(it.agencyId)}
                  </td>
                  <td data-label={t('pubplans.targets')}>{targetsText(it.targets, dir.divisionName)}</td>
                  <td data-label={t('plan.months')}>{months(it.months)}</td>
                  <Show when={'cap' in it}>
                    <td data-label={t('plan.cap')}>{(it as PlanItem).cap}</td>
                  </Show>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
      <p class="muted small">
        {t('filing.hash')}：
        <code class="hash" title={p.plan.hash}>
          {p.plan.hash.slice(0, 16)}…
        </code>
      </p>
    </article>
  );
}

export default function PublicPlansPage(): JSX.Element {
  const [sp, setSp] = useSearchParams<{ year?: string; q?: string }>();
  const thisYear = shanghaiThisYear();
  const year = () => {
    const y = Number(sp.year);
    return Number.isInteger(y) && y >= 2000 && y <= 2100 ? y : thisYear;
  };
  const [q, setQ] = createSignal(sp.q ?? '');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onSearch = (v: string) => {
    setQ(v);
    clearTimeout(timer);
    timer = setTimeout(() => setSp({ q: v || undefined }, { replace: true }), 300);
  };
  const [plans] = createResource(
    () => [year(), sp.q ?? ''] as const,
    ([y, s]) => api.publicPlans(y, s),
  );
  return (
    <section class="page public-plans">
      <PublicLinks />
      <h1 class="doc-title">{t('pubplans.title')}</h1>
      <p class="muted">{t('pubplans.lead')}</p>
      <Show when={!principal()}>
        <p>
          <a href={paths.login}>{t('pubplans.signIn')}</a>
        </p>
      </Show>
      <div class="filters" role="search">
        <div class="field inline">
          <label for="pp-year">{t('pubplans.year')}</label>
          <select id="pp-year" value={year()} onChange={(e) => setSp({ year: e.currentTarget.value }, { replace: true })} data-testid="pp-year">
            <For each={[...new Set([thisYear - 1, thisYear, thisYear + 1, year()])].sort()}>{(y) => <option value={y}>{t('common.year', { y })}</option>}</For>
          </select>
        </div>
        <div class="field inline grow">
          <label for="pp-q">{t('common.search')}</label>
          <input
            id="pp-q"
            type="search"
            placeholder={t('pubplans.search')}
            value={q()}
            onInput={(e) => onSearch(e.currentTarget.value)}
            data-testid="pp-search"
          />
        </div>
      </div>
      <Show
        when={!plans.error}
        fallback={
          <p class="error" role="alert">
            {t('pubplans.error', { msg: errorText(plans.error) })}
          </p>
        }
      >
        <p class="muted small" data-testid="pp-count" aria-live="polite">
          {plans.loading && !plans.latest ? t('app.loading') : t('pubplans.count', { n: plans.latest?.items.length ?? 0 })}
        </p>
        <For
          each={plans.latest?.items ?? []}
          fallback={
            <Show when={!plans.loading}>
              <p class="muted" data-testid="pp-none">
                {t('pubplans.none')}
              </p>
            </Show>
          }
        >
          {(plan) => <PlanCard plan={plan} />}
        </For>
      </Show>
    </section>
  );
}
