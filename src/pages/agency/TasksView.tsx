/**
 * The tasks page's view: the task generator (source, window, enterprises, inspectors, the rules each
 * task would break, confirmation) and the agency's tasks of the year. Pure rendering of its props.
 */
import { For, Show, createMemo, type JSX } from 'solid-js';
import { A } from '@solidjs/router';
import { tx, nameOf } from '../../i18n';
import { industryName } from '../../i18n/labels';
import type { Agency, Certificate, Enterprise, InspectionItem, Inspector, PlanItem, PlanMeta, PolicyConfig, Task, Text, Window } from '../../domain/schemas';
import { exemptionLabel } from '../../domain/policy-defaults';
import { VerdictList } from '../../ui/Verdicts';
import type { TaskCheck } from '../../domain/task-plan';
import type { JointItem, JointMeta, JointMember, JointTeam } from '../../model';
import type { DocStatus } from '../../client/docpool';
import type { JointSummary, TaskProblems } from '../../protocol/joints';
import { DocHeader } from '../../ui/DocHeader';
import { paths } from '../routes';
import { t } from '../../i18n/dict-plans';

export type Source = { kind: 'plan'; id: string } | { kind: 'joint'; id: string };

export interface TasksViewProps {
  year: number;
  today: string;
  currentYear: number;
  tasksStatus: DocStatus | null;
  tasksLoaded: boolean;
  tasks: Task[];
  catalogue: InspectionItem[];
  staff: Inspector[];
  certificates: Certificate[];
  planMeta: PlanMeta | null;
  planItems: PlanItem[];
  joints: JointSummary[];
  joint: { meta: JointMeta | null; items: JointItem[]; team: JointTeam[]; members: JointMember[] } | null;
  agencies: Agency[];
  policy: PolicyConfig;
  source: Source | null;
  setSource(s: Source | null): void;
  window: Window;
  setWindow(w: Window): void;
  q: string;
  setQ(q: string): void;
  candidates: Enterprise[];
  candidatesLoading: boolean;
  candidatesError: Text | null;
  picked: Enterprise[];
  pick(e: Enterprise, on: boolean): void;
  maxPick: number;
  inspectorIds: string[];
  setInspectorIds(ids: string[]): void;
  checks: { e: Enterprise; check: TaskCheck }[];
  exemption: { kind: string; reason: string };
  setExemption(x: { kind: string; reason: string }): void;
  confirmed: boolean;
  setConfirmed(v: boolean): void;
  busy: boolean;
  onSave(): void;
  result: { ok: boolean; text: Text; problems?: TaskProblems; needConfirm?: boolean; created?: string[] } | null;
}

const SHOWN = 30;

export function TasksView(p: TasksViewProps): JSX.Element {
  const itemName = (id: string) => {
    const it = p.catalogue.find((x) => x.id === id);
    return it ? `${it.code} ${nameOf(it)}` : id;
  };
  const agencyName = (id: string) => {
    const a = p.agencies.find((x) => x.id === id);
    return a ? nameOf(a) : id;
  };
  const staffName = (id: string) => p.staff.find((x) => x.id === id)?.name ?? id;
  const certOk = (i: Inspector) => {
    const c = p.certificates.find((x) => x.inspectorId === i.id && (!i.certificateNumber || x.number === i.certificateNumber));
    return !!c && c.status === 'valid' && c.expiresOn >= p.window.to && c.issuedOn <= p.window.from;
  };
  const isPlan = () => p.source?.kind === 'plan';
  const isJoint = () => p.source?.kind === 'joint';
  const sourceValue = () => (p.source ? `${p.source.kind}:${p.source.id}` : '');
  const onSource = (v: string) => {
    const i = v.indexOf(':');
    p.setSource(i < 0 ? null : { kind: v.slice(0, i) as Source['kind'], id: v.slice(i + 1) });
  };
  const pickedSet = createMemo(() => new Set(p.picked.map((e) => e.uscc)));
  const blocking = () => p.checks.filter((c) => c.check.blocking.length > 0);
  const toConfirm = () => p.checks.some((c) => c.check.toConfirm.length > 0);
  const exemptable = () => p.checks.some((c) => c.check.blocking.some((v) => v.exemptBy?.length) || c.check.lifted.length > 0);
  const canSave = () => {
    if (p.busy || !p.picked.length) return false;
    if (isJoint()) return !(p.result?.needConfirm && !p.confirmed);
    return isPlan() && p.inspectorIds.length >= 2 && blocking().length === 0 && (!toConfirm() || p.confirmed);
  };
  const toggle = (list: string[], v: string) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
  const sortedTasks = createMemo(() =>
    [...p.tasks].sort((a, b) => (a.window.from < b.window.from ? 1 : a.window.from > b.window.from ? -1 : a.id < b.id ? -1 : 1)),
  );

  return (
    <section class="page">
      <A class="back" href={paths.agency}>
        ← {t('plan.back')}
      </A>
      <DocHeader title={t('tasks.title', { y: p.year })} status={p.tasksStatus} />
      <div class="row">
        <For each={[p.currentYear, p.currentYear + 1].filter((y) => y !== p.year)}>
          {(y) => <A href={paths.agencyTasks(y)}>{t('tasks.otherYear', { y })}</A>}
        </For>
      </div>

      <section class="card" aria-labelledby="gen-title" data-testid="task-generator">
        <h2 id="gen-title" class="section-title">
          {t('tasks.generate')}
        </h2>
        <div class="field">
          <label for="task-source">{t('tasks.source')}</label>
          <select id="task-source" value={sourceValue()} onChange={(e) => onSource(e.currentTarget.value)} data-testid="task-source">
            <option value="">—</option>
            <optgroup label={t('tasks.fromPlan')}>
              <For each={p.planItems}>
                {(pi) => (
                  <option value={`plan:${pi.id}`}>
                    {itemName(pi.itemId)}（{pi.months.map((m) => t('plan.month', { m })).join('、')}）
                  </option>
                )}
              </For>
            </optgroup>
            <optgroup label={t('tasks.fromJoint')}>
              <For each={p.joints}>{(j) => <option value={`joint:${j.id}`}>{j.title}</option>}</For>
            </optgroup>
          </select>
          <Show when={p.planMeta}>
            {(m) => (
              <p class="hint">
                {t('tasks.planStatus')}：
                <span class={`badge badge-${m().status}`} data-testid="task-plan-status">
                  {t(`plan.status.${m().status}`)}
                </span>
              </p>
            )}
          </Show>
        </div>

        <Show when={isJoint() && p.joint}>
          <div class="subgroup" data-testid="joint-summary">
            <p>
              <strong>{p.joint!.meta?.title}</strong>{' '}
              <span class={`badge badge-${p.joint!.meta?.status ?? 'draft'}`}>{t(`plan.status.${p.joint!.meta?.status ?? 'draft'}`)}</span>
            </p>
            <ul class="member-list">
              <For each={[...new Set(p.joint!.items.map((i) => i.agencyId))]}>
                {(a) => (
                  <li>
                    {agencyName(a)}：{p.joint!.items.filter((i) => i.agencyId === a).length} {t('tasks.items')}；{t('tasks.team')}：
                    {p.joint!.team.find((x) => x.agencyId === a)?.inspectorIds.length ?? 0}
                  </li>
                )}
              </For>
            </ul>
            <p class="hint">{t('tasks.jointHint')}</p>
            <Show when={p.joint!.meta}>{(m) => <A href={paths.joint(m().id)}>{t('tasks.openJoint')}</A>}</Show>
          </div>
        </Show>

        <Show when={p.source}>
          <fieldset class="field">
            <legend>{t('tasks.window')}</legend>
            <div class="grid2">
              <div class="field inline">
                <label for="task-from">{t('joint.from')}</label>
                <input
                  id="task-from"
                  type="date"
                  value={p.window.from}
                  onChange={(e) => p.setWindow({ ...p.window, from: e.currentTarget.value })}
                  data-testid="task-from"
                />
              </div>
              <div class="field inline">
                <label for="task-to">{t('joint.to')}</label>
                <input
                  id="task-to"
                  type="date"
                  value={p.window.to}
                  onChange={(e) => p.setWindow({ ...p.window, to: e.currentTarget.value })}
                  data-testid="task-to"
                />
              </div>
            </div>
          </fieldset>

          <fieldset class="field" data-testid="task-enterprises">
            <legend>
              {t('tasks.enterprises')}{' '}
              <span class="muted small" data-testid="picked-count">
                {t('tasks.picked', { n: p.picked.length, m: p.maxPick })}
              </span>
            </legend>
            <div class="field">
              <label for="ent-search">{t('tasks.search')}</label>
              <input
                id="ent-search"
                type="search"
                value={p.q}
                onChange={(e) => p.setQ(e.currentTarget.value)}
                placeholder={t('tasks.searchHint')}
                data-testid="ent-search"
              />
            </div>
            <Show when={p.candidatesError}>
              {(e) => (
                <p class="error" role="alert">
                  {tx(e())}
                </p>
              )}
            </Show>
            <p class="muted small">{p.candidatesLoading ? t('app.loading') : t('tasks.matches', { n: p.candidates.length })}</p>
            <div class="checks checks-col ent-list">
              <For each={[...p.picked, ...p.candidates.filter((e) => !pickedSet().has(e.uscc)).slice(0, SHOWN)]}>
                {(e) => (
                  <label class="check" data-testid="ent-option" data-uscc={e.uscc}>
                    <input
                      type="checkbox"
                      checked={pickedSet().has(e.uscc)}
                      disabled={!pickedSet().has(e.uscc) && p.picked.length >= p.maxPick}
                      onChange={(ev) => p.pick(e, ev.currentTarget.checked)}
                    />
                    <span>
                      {e.name}{' '}
                      <span class="muted small">
                        {industryName(e.industry)} · {t(`risk.${e.riskLevel}`)}
                        {e.quietZone ? ` · ${t('tasks.quietZone')}` : ''}
                      </span>
                    </span>
                  </label>
                )}
              </For>
            </div>
          </fieldset>

          <Show when={isPlan()}>
            <fieldset class="field" data-testid="task-inspectors">
              <legend>{t('tasks.inspectors')}</legend>
              <p class="hint">{t('tasks.inspectorsHint')}</p>
              <div class="checks checks-col">
                <For each={p.staff}>
                  {(i) => (
                    <label class="check">
                      <input
                        type="checkbox"
                        checked={p.inspectorIds.includes(i.id)}
                        data-inspector={i.id}
                        data-testid="insp-pick"
                        onChange={() => p.setInspectorIds(toggle(p.inspectorIds, i.id))}
                      />
                      {i.name}{' '}
                      <span class={`badge ${certOk(i) ? 'badge-cert-valid' : 'badge-cert-revoked'}`}>{certOk(i) ? t('joint.certOk') : t('joint.certBad')}</span>
                    </label>
                  )}
                </For>
              </div>
            </fieldset>

            <Show when={p.checks.length > 0}>
              <div class="field" data-testid="task-checks">
                <h3 class="sublabel">{t('tasks.checks')}</h3>
                <For each={p.checks}>
                  {(c) => (
                    <div class="task-check" data-testid="task-check" data-uscc={c.e.uscc} data-level={c.check.level}>
                      <p>
                        <strong>{c.e.name}</strong>{' '}
                        <Show when={c.check.blocking.length}>
                          <button type="button" class="btn btn-ghost btn-small" onClick={() => p.pick(c.e, false)} data-testid="drop-blocked">
                            {t('tasks.drop')}
                          </button>
                        </Show>
                      </p>
                      <Show when={c.check.verdicts.some((v) => v.verdict !== 'ok')} fallback={<p class="ok small">{t('tasks.allOk')}</p>}>
                        <VerdictList
                          verdicts={c.check.verdicts.filter((v) => v.verdict !== 'ok')}
                          lifted={new Set(c.check.lifted.map((l) => l.verdict.code))}
                        />
                      </Show>
                    </div>
                  )}
                </For>
              </div>
            </Show>
            <Show when={exemptable()}>
              <fieldset class="field" data-testid="task-exemption">
                <legend>{t('tasks.exemption')}</legend>
                <div class="grid2">
                  <div class="field">
                    <label for="ex-kind">{t('tasks.exemptionKind')}</label>
                    <select id="ex-kind" value={p.exemption.kind} onChange={(e) => p.setExemption({ ...p.exemption, kind: e.currentTarget.value })}>
                      <option value="">—</option>
                      <For each={p.policy.quietPeriod.exceptionKinds}>{(k) => <option value={k}>{tx(exemptionLabel(k))}</option>}</For>
                    </select>
                  </div>
                  <div class="field">
                    <label for="ex-reason">{t('tasks.exemptionReason')}</label>
                    <input
                      id="ex-reason"
                      type="text"
                      value={p.exemption.reason}
                      onInput={(e) => p.setExemption({ ...p.exemption, reason: e.currentTarget.value })}
                    />
                  </div>
                </div>
              </fieldset>
            </Show>
          </Show>

          <Show when={(isPlan() && toConfirm()) || (isJoint() && p.result?.needConfirm)}>
            <label class="check" data-testid="task-confirm-label">
              <input type="checkbox" checked={p.confirmed} onChange={(e) => p.setConfirmed(e.currentTarget.checked)} data-testid="task-confirm" />{' '}
              {t('tasks.confirm')}
            </label>
          </Show>
          <Show when={isPlan() && blocking().length > 0}>
            <p class="error" role="alert" data-testid="task-blocked">
              {t('tasks.blocked', { n: blocking().length })}
            </p>
          </Show>
          <Show when={isPlan() && p.inspectorIds.length < 2 && p.picked.length > 0}>
            <p class="hint">{t('tasks.needTwo')}</p>
          </Show>
          <button type="button" class="btn btn-primary" disabled={!canSave()} onClick={() => p.onSave()} data-testid="task-generate">
            {p.busy ? t('app.loading') : t('tasks.generateButton', { n: p.picked.length })}
          </button>
        </Show>

        <Show when={p.result}>
          {(r) => (
            <div class={`notice ${r().ok ? 'notice-ok' : 'notice-error'}`} role={r().ok ? 'status' : 'alert'} data-testid="task-result">
              <p>{tx(r().text)}</p>
              <Show when={r().problems?.length}>
                <For each={r().problems}>
                  {(pr) => (
                    <div class="task-check" data-testid="task-problem" data-uscc={pr.uscc} data-agency={pr.agencyId}>
                      <p>
                        <strong>{pr.enterpriseName}</strong> · {agencyName(pr.agencyId)}
                      </p>
                      <VerdictList verdicts={pr.verdicts} />
                    </div>
                  )}
                </For>
              </Show>
            </div>
          )}
        </Show>
      </section>

      <h2 class="section-title">
        {t('tasks.list')} <span class="muted small">{t('tasks.count', { n: p.tasks.length })}</span>
      </h2>
      <div class="table-wrap">
        <table class="table stack" data-testid="tasks-table">
          <thead>
            <tr>
              <th scope="col">{t('tasks.enterprise')}</th>
              <th scope="col">{t('tasks.window')}</th>
              <th scope="col">{t('tasks.itemsCol')}</th>
              <th scope="col">{t('tasks.team')}</th>
              <th scope="col">{t('common.status')}</th>
            </tr>
          </thead>
          <tbody>
            <For
              each={sortedTasks()}
              fallback={
                <tr>
                  <td colSpan={5} class="muted">
                    {p.tasksLoaded ? t('common.empty') : t('app.loading')}
                  </td>
                </tr>
              }
            >
              {(task) => (
                <tr data-testid="task-row" data-task-id={task.id}>
                  <td data-label={t('tasks.enterprise')}>
                    {task.enterpriseName}
                    <Show when={task.jointId}>
                      {' '}
                      <span class="badge">{t('tasks.joint')}</span>
                    </Show>
                    <Show when={task.kind.type === 'triggered'}>
                      {' '}
                      <span class="badge badge-submitted">{t('inspector.kind.triggered')}</span>
                    </Show>
                  </td>
                  <td data-label={t('tasks.window')}>{task.window.from === task.window.to ? task.window.from : `${task.window.from} – ${task.window.to}`}</td>
                  <td data-label={t('tasks.itemsCol')}>{task.itemIds.map(itemName).join('、')}</td>
                  <td data-label={t('tasks.team')}>{task.inspectorIds.map(staffName).join('、')}</td>
                  <td data-label={t('common.status')}>
                    <span class={`badge badge-${task.status}`}>{t(`task.status.${task.status}`)}</span>
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
