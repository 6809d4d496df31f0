/**
 * The agency home's joint-inspection and task sections: invitations to joint plans (the agency joins
 * only when its admin accepts), the agency's joint plans, the suggested joint plans concerning it
 * ("create joint plan from this suggestion"), a form to start one, and links to the tasks pages. Joint plans are created by the server (it keeps the membership), so this needs
 * the network; the lists fall back to what was loaded last time.
 */
import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { A, useNavigate } from '@solidjs/router';
import { z } from 'zod';
import { tx, nameOf } from '../../i18n';
import { api } from '../../client/api';
import { errorMessage } from '../../ui/errors';
import { JointSummary, JointSuggestionItem, type CreateJointRequest } from '../../protocol/joints';
import { cacheGet, cacheSet, principal } from '../../client/app-state';
import type { Agency, Text } from '../../domain/schemas';
import { useDirectory } from '../stores/directory';
import { paths } from '../routes';
import { t } from '../../i18n/dict-plans';

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
  const agencyName = (id: string) => {
    const a = agencies().find((x) => x.id === id);
    return a ? nameOf(a) : id;
  };
  const [joints, { refetch }] = createResource(() => cached('joints', z.array(JointSummary), async () => (await api.joints()).items));
  // suggestions come from filed plans: this year's by default (next year's appear once they are filed)
  const [sYear, setSYear] = createSignal(p.year);
  const [suggestions] = createResource(sYear, (y) =>
    cached(`joint-suggestions.${y}`, z.array(JointSuggestionItem), async () => (await api.jointSuggestions(y)).items),
  );
  const [msg, setMsg] = createSignal<Text | null>(null);
  const [busy, setBusy] = createSignal(false);
  // invitations: online only (an answer needs the server anyway)
  const [invitations, inv] = createResource(() =>
    api
      .jointInvitations()
      .then((r) => r.items.filter((x) => x.status === 'invited'))
      .catch(() => []),
  );
  const answer = async (jointId: string, accept: boolean) => {
    setBusy(true);
    setMsg(null);
    try {
      await (accept ? api.acceptJoint(jointId) : api.declineJoint(jointId));
      void inv.refetch();
      void refetch();
      if (accept) navigate(paths.joint(jointId));
    } catch (e) {
      setMsg(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const create = async (body: CreateJointRequest) => {
    setBusy(true);
    setMsg(null);
    try {
      const j = await api.createJoint(body);
      void refetch();
      navigate(paths.joint(j.id));
    } catch (e) {
      setMsg(errorMessage(e));
    } finally {
      setBusy(false);
    }
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
    if (!title().trim()) {
      setFormError(t('joint.needTitle'));
      return;
    }
    if (!members().length) {
      setFormError(t('joint.needMember'));
      return;
    }
    setFormError(null);
    void create({ title: title().trim(), year: year(), memberAgencyIds: members() });
  };

  return (
    <>
      <h2 class="section-title">{t('joint.section')}</h2>
      <Show when={msg()}>
        {(m) => (
          <p class="notice notice-error" role="alert" data-testid="joint-error">
            {tx(m())}
          </p>
        )}
      </Show>
      <Show when={(invitations() ?? []).length > 0}>
        <section class="card" aria-labelledby="inv-title" data-testid="joint-invitations">
          <h3 id="inv-title" class="sublabel">
            {tx({ zh: '联合检查邀请', en: 'Invitations to joint plans' })}
          </h3>
          <p class="hint">
            {tx({
              zh: '接受后本部门才成为成员：可以编辑计划，牵头部门才能为本部门生成联合检查任务。',
              en: 'Your agency becomes a member only when you accept: then it edits the plan, and the lead can generate joint tasks for it.',
            })}
          </p>
          <ul class="suggestions">
            <For each={invitations() ?? []}>
              {(x) => (
                <li class="suggestion" data-testid="joint-invitation" data-joint-id={x.jointId}>
                  <p>
                    <strong>{x.title}</strong>
                  </p>
                  <p class="muted small">
                    {t('common.year', { y: x.year })} · {t('joint.leadIs', { name: agencyName(x.leadAgencyId) })}
                    {x.planItemIds.length
                      ? ` · ${tx({ zh: `拟纳入本部门已备案计划的 ${x.planItemIds.length} 个事项`, en: `${x.planItemIds.length} item(s) of your filed plan proposed` })}`
                      : ''}
                  </p>
                  <div class="row">
                    <button
                      type="button"
                      class="btn btn-primary"
                      disabled={busy()}
                      onClick={() => void answer(x.jointId, true)}
                      data-testid="invitation-accept"
                    >
                      {tx({ zh: '接受并参加', en: 'Accept and join' })}
                    </button>
                    <button type="button" class="btn" disabled={busy()} onClick={() => void answer(x.jointId, false)} data-testid="invitation-decline">
                      {tx({ zh: '谢绝', en: 'Decline' })}
                    </button>
                  </div>
                </li>
              )}
            </For>
          </ul>
        </section>
      </Show>
      <Show when={joints()?.offline}>
        <p class="muted small">{t('joint.offlineList')}</p>
      </Show>
      <div class="grid2" data-testid="joint-list">
        <For each={joints()?.data ?? []} fallback={<p class="muted">{joints.loading ? t('app.loading') : t('joint.none')}</p>}>
          {(j) => (
            <article class="card" data-testid="joint-card" data-joint-id={j.id}>
              <header class="task-head">
                <h3 class="task-title">{j.title}</h3>
                <span class={`badge badge-${j.status}`}>{t(`plan.status.${j.status as 'draft'}`)}</span>
              </header>
              <p class="muted small">
                {t('common.year', { y: j.year })} · {t('joint.membersN', { n: j.memberAgencyIds.length })}
                {j.leadAgencyId === me()?.agencyId ? ` · ${t('joint.lead')}` : ` · ${t('joint.leadIs', { name: agencyName(j.leadAgencyId) })}`}
              </p>
              <A class="btn btn-primary" href={paths.joint(j.id)} data-testid="joint-open">
                {t('joint.open')}
              </A>
            </article>
          )}
        </For>
      </div>

      <section class="card" aria-labelledby="sugg-title" data-testid="joint-suggestions">
        <div class="row between">
          <h3 id="sugg-title" class="sublabel">
            {t('joint.suggestions')}
          </h3>
          <label class="row small">
            {t('joint.planYear')}
            <select value={sYear()} onChange={(e) => setSYear(Number(e.currentTarget.value))} data-testid="sugg-year">
              <For each={[p.year, p.year + 1]}>{(y) => <option value={y}>{y}</option>}</For>
            </select>
          </label>
        </div>
        <p class="hint">{t('joint.suggestionsHint')}</p>
        <ul class="suggestions">
          <For
            each={(suggestions()?.data ?? []).slice(0, 8)}
            fallback={<li class="muted">{suggestions.loading ? t('app.loading') : t('joint.noSuggestions')}</li>}
          >
            {(s) => (
              <li class="suggestion" data-testid="suggestion" data-agencies={s.agencies.join(' ')}>
                <p>
                  <strong>{s.agencies.map(agencyName).join(' + ')}</strong>
                </p>
                <p class="muted small">
                  {t('joint.suggestionLine', { months: monthsText(s.months), n: s.enterpriseCount, k: Object.values(s.planItemIds).flat().length })}
                </p>
                <Show
                  when={s.existingJointIds.length === 0}
                  fallback={
                    <A href={paths.joint(s.existingJointIds[0])} data-testid="suggestion-existing">
                      {t('joint.alreadyCreated')}
                    </A>
                  }
                >
                  <button type="button" class="btn" disabled={busy()} onClick={() => fromSuggestion(s)} data-testid="suggestion-create">
                    {t('joint.fromSuggestion')}
                  </button>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </section>

      <details class="card" data-testid="joint-new">
        <summary>{t('joint.new')}</summary>
        <form onSubmit={submit} novalidate>
          <div class="field">
            <label for="jn-title">{t('joint.titleLabel')}</label>
            <input id="jn-title" type="text" value={title()} onInput={(e) => setTitle(e.currentTarget.value)} data-testid="jn-title" />
          </div>
          <div class="field">
            <label for="jn-year">{t('joint.planYear')}</label>
            <select id="jn-year" value={year()} onChange={(e) => setYear(Number(e.currentTarget.value))} data-testid="jn-year">
              <For each={[p.year, p.year + 1]}>{(y) => <option value={y}>{y}</option>}</For>
            </select>
          </div>
          <fieldset class="field">
            <legend>{t('joint.pickMembers')}</legend>
            <div class="checks checks-col">
              <For each={partners()}>
                {(a) => (
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={members().includes(a.id)}
                      data-agency={a.id}
                      data-testid="jn-member"
                      onChange={() => setMembers((xs) => (xs.includes(a.id) ? xs.filter((x) => x !== a.id) : [...xs, a.id]))}
                    />{' '}
                    {nameOf(a)}
                  </label>
                )}
              </For>
            </div>
          </fieldset>
          <Show when={formError()}>
            <p class="error" role="alert" data-testid="field-error">
              {formError()}
            </p>
          </Show>
          <button type="submit" class="btn btn-primary" disabled={busy()} data-testid="jn-create">
            {t('joint.create')}
          </button>
        </form>
      </details>

      <h2 class="section-title">{t('tasks.section')}</h2>
      <div class="row" data-testid="tasks-links">
        <For each={[p.year, p.year + 1]}>
          {(y) => (
            <A class="btn" href={paths.agencyTasks(y)} data-testid={`tasks-link-${y}`}>
              {t('tasks.open', { y })}
            </A>
          )}
        </For>
      </div>
    </>
  );
}
