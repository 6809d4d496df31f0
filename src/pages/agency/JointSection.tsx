/**
 * The agency home's joint-inspection and task sections: the agency's joint plans, the suggested joint
 * plans concerning it ("create joint plan from this suggestion"), a form to start one, and links to
 * the tasks pages. Joint plans are created by the server (it keeps the membership), so this needs
 * the network; the lists fall back to what was loaded last time.
 */
import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { A, useNavigate } from '@solidjs/router';
import { z } from 'zod';
import { t, tx, nameOf } from '../../i18n';
import { api, ApiError, JointSummary, JointSuggestionItem, type CreateJointRequest } from '../../sync/api';
import { cacheGet, cacheSet, principal } from '../../sync/app-state';
import type { Agency, Text } from '../../domain/schemas';
import { withToken } from '../slices/joint';
import { useDirectory } from '../slices/directory';
import { paths } from '../routes';

async function cached<T>(key: string, schema: z.ZodType<T>, load: () => Promise<T>): Promise<{ data: T | null; offline: boolean }> {
  try {
    const d = await load();
    cacheSet(key, d);
    return { data: d, offline: false };
  } catch {
    const c = schema.safeParse(cacheGet(key));
    return { data: c.success ? c.data : null, offline: true };
  }
}

const monthsText = (ms: number[]) => ms.map((m) => t('plan.month', { m })).join('、');

export function JointSection(p: { year: number }): JSX.Element {
  const me = () => principal();
  const dir = useDirectory();
  const navigate = useNavigate();
  const agencies = (): Agency[] => dir.data()?.agencies ?? [];
  const agencyName = (id: string) => { const a = agencies().find((x) => x.id === id); return a ? nameOf(a) : id; };
  const [joints, { refetch }] = createResource(() => cached('joints', z.array(JointSummary), async () => (await withToken((tk) => api.joints(undefined, tk))).items));
  const [sYear, setSYear] = createSignal(p.year + 1);
  const [suggestions] = createResource(sYear, (y) => cached(`joint-suggestions.${y}`, z.array(JointSuggestionItem), async () => (await withToken((tk) => api.jointSuggestions(y, tk))).items));
  const [msg, setMsg] = createSignal<Text | null>(null);
  const [busy, setBusy] = createSignal(false);

  const create = async (body: CreateJointRequest) => {
    setBusy(true);
    setMsg(null);
    try {
      const j = await withToken((tk) => api.createJoint(body, tk));
      void refetch();
      navigate(paths.joint(j.id));
    } catch (e) {
      setMsg(e instanceof ApiError ? e.text : { zh: String(e), en: String(e) });
    } finally { setBusy(false); }
  };
  const fromSuggestion = (s: JointSuggestionItem) => {
    const mine = me()?.agencyId ?? '';
    void create({
      title: t('joint.suggestedTitle', { y: sYear(), names: s.agencies.map(agencyName).join('、') }),
      year: sYear(),
      memberAgencyIds: s.agencies.filter((a) => a !== mine),
      months: s.months,
      planItems: Object.entries(s.planItemIds).flatMap(([agencyId, ids]) => ids.map((planItemId) => ({ agencyId, planItemId }))),
    });
  };

  // the new-joint form
  const [title, setTitle] = createSignal('');
  const [year, setYear] = createSignal(p.year + 1);
  const [members, setMembers] = createSignal<string[]>([]);
  const [formError, setFormError] = createSignal<string | null>(null);
  const partners = () => agencies().filter((a) => a.kind === 'enforcement' && a.id !== me()?.agencyId);
  const submit = (e: Event) => {
    e.preventDefault();
    if (!title().trim()) { setFormError(t('joint.needTitle')); return; }
    if (!members().length) { setFormError(t('joint.needMember')); return; }
    setFormError(null);
    void create({ title: title().trim(), year: year(), memberAgencyIds: members() });
  };

  return (
    <>
      <h2 class="section-title">{t('joint.section')}</h2>
      <Show when={msg()}>{(m) => <p class="notice notice-error" role="alert" data-testid="joint-error">{tx(m())}</p>}</Show>
      <Show when={joints()?.offline}><p class="muted small">{t('joint.offlineList')}</p></Show>
      <div class="grid2" data-testid="joint-list">
        <For each={joints()?.data ?? []} fallback={<p class="muted">{joints.loading ? t('app.loading') : t('joint.none')}</p>}>{(j) => (
          <article class="card" data-testid="joint-card" data-joint-id={j.id}>
            <header class="task-head">
              <h3 class="task-title">{j.title}</h3>
              <span class={`badge badge-${j.status}`}>{t(`plan.status.${j.status as 'draft'}`)}</span>
            </header>
            <p class="muted small">{t('common.year', { y: j.year })} · {t('joint.membersN', { n: j.memberAgencyIds.length })}{j.leadAgencyId === me()?.agencyId ? ` · ${t('joint.lead')}` : ` · ${t('joint.leadIs', { name: agencyName(j.leadAgencyId) })}`}</p>
            <A class="btn btn-primary" href={paths.joint(j.id)} data-testid="joint-open">{t('joint.open')}</A>
          </article>
        )}</For>
      </div>

      <section class="card" aria-labelledby="sugg-title" data-testid="joint-suggestions">
        <div class="row between">
          <h3 id="sugg-title" class="sublabel">{t('joint.suggestions')}</h3>
          <label class="row small">{t('joint.planYear')}
            <select value={sYear()} onChange={(e) => setSYear(Number(e.currentTarget.value))} data-testid="sugg-year">
              <For each={[p.year, p.year + 1]}>{(y) => <option value={y}>{y}</option>}</For>
            </select>
          </label>
        </div>
        <p class="hint">{t('joint.suggestionsHint')}</p>
        <ul class="suggestions">
          <For each={(suggestions()?.data ?? []).slice(0, 8)} fallback={<li class="muted">{suggestions.loading ? t('app.loading') : t('joint.noSuggestions')}</li>}>{(s) => (
            <li class="suggestion" data-testid="suggestion">
              <p><strong>{s.agencies.map(agencyName).join(' + ')}</strong></p>
              <p class="muted small">{t('joint.suggestionLine', { months: monthsText(s.months), n: s.enterpriseCount, k: Object.values(s.planItemIds).flat().length })}</p>
              <Show when={s.existingJointIds.length === 0} fallback={<A href={paths.joint(s.existingJointIds[0])} data-testid="suggestion-existing">{t('joint.alreadyCreated')}</A>}>
                <button type="button" class="btn" disabled={busy()} onClick={() => fromSuggestion(s)} data-testid="suggestion-create">{t('joint.fromSuggestion')}</button>
              </Show>
            </li>
          )}</For>
        </ul>
      </section>

      <details class="card" data-testid="joint-new">
        <summary>{t('joint.new')}</summary>
        <form onSubmit={submit} novalidate>
          <div class="field"><label for="jn-title">{t('joint.titleLabel')}</label>
            <input id="jn-title" type="text" value={title()} onInput={(e) => setTitle(e.currentTarget.value)} data-testid="jn-title" /></div>
          <div class="field"><label for="jn-year">{t('joint.planYear')}</label>
            <select id="jn-year" value={year()} onChange={(e) => setYear(Number(e.currentTarget.value))} data-testid="jn-year">
              <For each={[p.year, p.year + 1]}>{(y) => <option value={y}>{y}</option>}</For>
            </select></div>
          <fieldset class="field"><legend>{t('joint.pickMembers')}</legend>
            <div class="checks checks-col">
              <For each={partners()}>{(a) => (
                <label class="check"><input type="checkbox" checked={members().includes(a.id)} data-agency={a.id} data-testid="jn-member"
                  onChange={() => setMembers((xs) => (xs.includes(a.id) ? xs.filter((x) => x !== a.id) : [...xs, a.id]))} /> {nameOf(a)}</label>
              )}</For>
            </div>
          </fieldset>
          <Show when={formError()}><p class="error" role="alert" data-testid="field-error">{formError()}</p></Show>
          <button type="submit" class="btn btn-primary" disabled={busy()} data-testid="jn-create">{t('joint.create')}</button>
        </form>
      </details>

      <h2 class="section-title">{t('tasks.section')}</h2>
      <div class="row" data-testid="tasks-links">
        <For each={[p.year, p.year + 1]}>{(y) => <A class="btn" href={paths.agencyTasks(y)} data-testid={`tasks-link-${y}`}>{t('tasks.open', { y })}</A>}</For>
      </div>
    </>
  );
}
