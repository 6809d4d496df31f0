/**
 * 全市政策 (supervisors): the policy in force today, the changes scheduled and the day each takes effect, and
 * an editor for a whole new policy from a date (today or later): the annual cap, the quiet period (days,
 * exception kinds, zones), exempt triggers, the conduct rules' wording (add, edit, remove; Chinese and
 * English), the hotline, the plan filing due date, draw defaults and advance-notice days. Saved through
 * POST /api/policy (the config doc is written by the server only); the server checks the whole policy and
 * answers per-field errors, shown here.
 */
import { For, Show, createEffect, createResource, createSignal, untrack, type JSX } from 'solid-js';
import { createStore, produce, reconcile } from 'solid-js/store';
import { tx } from '../../i18n';
import { t } from '../../i18n/dict-registry';
import { policyApi } from '../../client/policy-api';
import { errorText } from '../../ui/errors';
import { AdminNav } from '../../ui/AdminNav';
import { addDays, shanghaiToday } from '../../domain/time';
import { ALL_QUIET_EXCEPTION_KINDS, ALL_TRIGGER_KINDS, QUIET_EXCEPTION_LABELS, TRIGGER_LABELS, defaultPolicy } from '../../domain/policy-defaults';
import type { ConductRule, PolicyConfig, QuietExceptionKind, TriggerKind } from '../../domain/schemas';
import type { ScheduledChange } from '../../protocol/policy';

const copy = (p: PolicyConfig): PolicyConfig => JSON.parse(JSON.stringify(p)) as PolicyConfig;
/** "1, 2,3" → [1, 2, 3] (what does not read as a number is kept as NaN: the server names the field) */
const numbers = (s: string) =>
  s
    .split(/[,，\s]+/)
    .filter(Boolean)
    .map(Number);
const words = (s: string) => s.split(/[,，\s]+/).filter(Boolean);

/** the per-field messages of an error answer (`details: [{path, message}]`), if any */
function fieldErrors(err: unknown): string[] {
  const d = (err as { details?: unknown })?.details;
  if (!Array.isArray(d)) return [];
  return d.slice(0, 20).map((x: { path?: unknown; message?: unknown }) => `${String(x.path ?? '').replace(/^policy\./, '')}: ${String(x.message ?? '')}`);
}

export default function PolicyPage(): JSX.Element {
  const [state, { mutate }] = createResource(() => policyApi.state());
  const today = () => state()?.today ?? shanghaiToday();
  const [draft, setDraft] = createStore<PolicyConfig>(defaultPolicy());
  const [loaded, setLoaded] = createSignal(false);
  const [effective, setEffective] = createSignal(addDays(shanghaiToday(), 1));
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal('');
  const [fields, setFields] = createSignal<string[]>([]);
  const [saved, setSaved] = createSignal('');

  /** start the editor from a policy (today's, or a scheduled one) */
  const editFrom = (p: PolicyConfig, from?: string) => {
    setDraft(reconcile(copy(p)));
    if (from) setEffective(from);
    setLoaded(true);
  };
  // the editor starts from the policy in force today, once it is known
  createEffect(() => {
    const s = state();
    if (s && !untrack(loaded)) editFrom(s.current);
  });

  const save = async (e: Event) => {
    e.preventDefault();
    setError('');
    setFields([]);
    setSaved('');
    if (effective() < today()) {
      setError(t('policy.pastDate'));
      return;
    }
    setBusy(true);
    try {
      const s = await policyApi.schedule(effective(), copy(draft));
      mutate(s);
      setSaved(t('policy.saved', { d: effective() }));
    } catch (err) {
      setError(errorText(err));
      setFields(fieldErrors(err));
    } finally {
      setBusy(false);
    }
  };
  const withdraw = async (c: ScheduledChange) => {
    setError('');
    try {
      mutate(await policyApi.withdraw(c.effectiveFrom));
    } catch (err) {
      setError(errorText(err));
    }
  };

  const toggle = <T extends string>(list: readonly T[], v: T, on: boolean): T[] => (on ? [...new Set([...list, v])] : list.filter((x) => x !== v));
  const nextCode = (group: ConductRule['group']) => {
    const prefix = group === 'five_prohibitions' ? 'F' : 'E';
    let n = 1;
    while (draft.conductRules.some((r) => r.code === `${prefix}${n}`)) n++;
    return `${prefix}${n}`;
  };

  return (
    <section class="page">
      <AdminNav />
      <h1>{t('policy.title')}</h1>
      <p class="muted">{t('policy.lead')}</p>
      <Show when={state.error}>
        <p class="error" role="alert">
          {errorText(state.error)}
        </p>
      </Show>

      <Show when={state()}>
        {(s) => (
          <section class="card" data-testid="policy-current">
            <h2>{t('policy.current')}</h2>
            <p class="muted small">{s().currentFrom ? t('policy.currentSince', { d: s().currentFrom! }) : t('policy.currentBase')}</p>
            <PolicySummary p={s().current} />
            <h2>{t('policy.scheduled')}</h2>
            <Show when={s().scheduled.length} fallback={<p class="muted">{t('policy.noneScheduled')}</p>}>
              <ul class="list">
                <For each={s().scheduled}>
                  {(c) => (
                    <li data-testid="policy-change" data-effective={c.effectiveFrom}>
                      <div class="row between">
                        <strong>
                          {t('policy.effective')} {c.effectiveFrom}
                        </strong>
                        <div class="row">
                          <button type="button" class="btn btn-small" onClick={() => editFrom(c.policy, c.effectiveFrom)} data-testid="policy-change-edit">
                            {t('policy.editFrom')}
                          </button>
                          <button type="button" class="btn btn-small btn-danger" onClick={() => withdraw(c)} data-testid="policy-withdraw">
                            {t('policy.withdraw')}
                          </button>
                        </div>
                      </div>
                      <PolicySummary p={c.policy} />
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </section>
        )}
      </Show>

      <Show when={loaded()}>
        <form class="card" onSubmit={save} data-testid="policy-form">
          <h2>{t('policy.edit')}</h2>
          <div class="field">
            <label for="policy-effective">{t('policy.effective')}</label>
            <input
              id="policy-effective"
              type="date"
              required
              min={today()}
              value={effective()}
              onInput={(e) => setEffective(e.currentTarget.value)}
              data-testid="policy-effective"
            />
          </div>
          <div class="filters">
            <div class="field inline">
              <label for="policy-cap">{t('policy.cap')}</label>
              <input
                id="policy-cap"
                type="number"
                min={1}
                max={100}
                required
                value={draft.capPerEnterpriseDefault}
                onInput={(e) => setDraft('capPerEnterpriseDefault', Number(e.currentTarget.value))}
                data-testid="policy-cap"
              />
            </div>
            <div class="field inline">
              <label for="policy-hotline">{t('policy.hotline')}</label>
              <input
                id="policy-hotline"
                required
                maxLength={50}
                value={draft.hotline}
                onInput={(e) => setDraft('hotline', e.currentTarget.value)}
                data-testid="policy-hotline"
              />
            </div>
            <div class="field inline">
              <label for="policy-due">{t('policy.planDue')}</label>
              <input
                id="policy-due"
                required
                pattern="\d{2}-\d{2}"
                maxLength={5}
                value={draft.planDue}
                onInput={(e) => setDraft('planDue', e.currentTarget.value)}
                data-testid="policy-due"
              />
            </div>
            <div class="field inline">
              <label for="policy-announce">{t('policy.announce')}</label>
              <input
                id="policy-announce"
                type="number"
                min={0}
                max={60}
                value={draft.announceWorkingDaysAhead ?? ''}
                onInput={(e) => setDraft('announceWorkingDaysAhead', e.currentTarget.value === '' ? null : Number(e.currentTarget.value))}
                data-testid="policy-announce"
              />
            </div>
          </div>

          <fieldset class="field">
            <legend>{t('policy.quietEnabled')}</legend>
            <label class="check">
              <input
                type="checkbox"
                checked={draft.quietPeriod.enabled}
                onChange={(e) => setDraft('quietPeriod', 'enabled', e.currentTarget.checked)}
                data-testid="policy-quiet-enabled"
              />{' '}
              {t('policy.quietEnabled')}
            </label>
            <label for="policy-quiet-n">{t('policy.daysPerMonth')}</label>
            <input
              id="policy-quiet-n"
              type="number"
              min={0}
              max={31}
              value={draft.quietPeriod.daysPerMonth}
              onInput={(e) => setDraft('quietPeriod', 'daysPerMonth', Number(e.currentTarget.value))}
              data-testid="policy-quiet-n"
            />
            <label for="policy-quiet-days">{t('policy.quietDays')}</label>
            <input
              id="policy-quiet-days"
              maxLength={200}
              value={draft.quietPeriod.quietDays.join(', ')}
              onChange={(e) => setDraft('quietPeriod', 'quietDays', numbers(e.currentTarget.value))}
              data-testid="policy-quiet-days"
            />
            <label for="policy-zones">{t('policy.zones')}</label>
            <input
              id="policy-zones"
              maxLength={4000}
              value={(draft.quietPeriod.zones ?? []).join(', ')}
              onChange={(e) => setDraft('quietPeriod', 'zones', words(e.currentTarget.value))}
              data-testid="policy-zones"
            />
            <span>{t('policy.exceptionKinds')}</span>
            <For each={ALL_QUIET_EXCEPTION_KINDS}>
              {(k: QuietExceptionKind) => (
                <label class="check">
                  <input
                    type="checkbox"
                    checked={draft.quietPeriod.exceptionKinds.includes(k)}
                    onChange={(e) => setDraft('quietPeriod', 'exceptionKinds', toggle(draft.quietPeriod.exceptionKinds, k, e.currentTarget.checked))}
                  />{' '}
                  {tx(QUIET_EXCEPTION_LABELS[k])}
                </label>
              )}
            </For>
          </fieldset>

          <fieldset class="field">
            <legend>{t('policy.exemptTriggers')}</legend>
            <For each={ALL_TRIGGER_KINDS}>
              {(k: TriggerKind) => (
                <label class="check">
                  <input
                    type="checkbox"
                    checked={draft.exemptTriggers.includes(k)}
                    onChange={(e) => setDraft('exemptTriggers', toggle(draft.exemptTriggers, k, e.currentTarget.checked))}
                  />{' '}
                  {tx(TRIGGER_LABELS[k])}
                </label>
              )}
            </For>
          </fieldset>

          <div class="filters">
            <div class="field inline">
              <label for="policy-draw-ratio">{t('policy.drawRatio')}</label>
              <input
                id="policy-draw-ratio"
                type="number"
                step="0.01"
                min={0}
                max={1}
                value={draft.draw.minRatio}
                onInput={(e) => setDraft('draw', 'minRatio', Number(e.currentTarget.value))}
              />
            </div>
            <div class="field inline">
              <label for="policy-draw-n">{t('policy.drawInspectors')}</label>
              <input
                id="policy-draw-n"
                type="number"
                min={1}
                max={20}
                value={draft.draw.minInspectors}
                onInput={(e) => setDraft('draw', 'minInspectors', Number(e.currentTarget.value))}
              />
            </div>
            <label class="check">
              <input
                type="checkbox"
                checked={draft.draw.recuseLastInspector}
                onChange={(e) => setDraft('draw', 'recuseLastInspector', e.currentTarget.checked)}
              />{' '}
              {t('policy.drawRecuse')}
            </label>
          </div>
          <fieldset class="field">
            <legend>{t('policy.drawClasses')}</legend>
            <p class="muted">{t('policy.drawClassesLead')}</p>
            <div class="filters">
              <For each={['A', 'B', 'C', 'D'] as const}>
                {(c) => (
                  <div class="field inline">
                    <label for={`policy-draw-class-${c}`}>{t('policy.drawClass', { c })}</label>
                    <input
                      id={`policy-draw-class-${c}`}
                      data-testid={`policy-draw-class-${c}`}
                      type="number"
                      step="0.1"
                      min={0}
                      max={100}
                      value={draft.draw.classRatios[c] / 100}
                      onInput={(e) => setDraft('draw', 'classRatios', c, Math.round(Number(e.currentTarget.value) * 100))}
                    />
                  </div>
                )}
              </For>
              <div class="field inline">
                <label for="policy-draw-reveal">{t('policy.drawRevealDays')}</label>
                <input
                  id="policy-draw-reveal"
                  type="number"
                  min={1}
                  max={20}
                  value={draft.draw.revealWorkingDays}
                  onInput={(e) => setDraft('draw', 'revealWorkingDays', Number(e.currentTarget.value))}
                />
              </div>
            </div>
          </fieldset>

          <fieldset class="field">
            <legend>{t('policy.rules')}</legend>
            <For each={draft.conductRules}>
              {(r, i) => (
                <div class="card" data-testid="policy-rule" data-code={r.code}>
                  <div class="filters">
                    <div class="field inline">
                      <label for={`rule-code-${i()}`}>{t('policy.ruleCode')}</label>
                      <input
                        id={`rule-code-${i()}`}
                        required
                        maxLength={50}
                        size={5}
                        value={r.code}
                        onInput={(e) => setDraft('conductRules', i(), 'code', e.currentTarget.value)}
                      />
                    </div>
                    <div class="field inline">
                      <label for={`rule-group-${i()}`}>{t('policy.ruleGroup')}</label>
                      <select
                        id={`rule-group-${i()}`}
                        value={r.group}
                        onChange={(e) => setDraft('conductRules', i(), 'group', e.currentTarget.value as ConductRule['group'])}
                      >
                        <option value="five_prohibitions">{t('policy.ruleGroup.five_prohibitions')}</option>
                        <option value="eight_musts_not">{t('policy.ruleGroup.eight_musts_not')}</option>
                      </select>
                    </div>
                    <button
                      type="button"
                      class="btn btn-small btn-danger"
                      onClick={() => setDraft('conductRules', (rs) => rs.filter((_, j) => j !== i()))}
                      data-testid="policy-rule-remove"
                    >
                      {t('policy.ruleRemove')}
                    </button>
                  </div>
                  <label for={`rule-zh-${i()}`}>{t('policy.ruleZh')}</label>
                  <textarea
                    id={`rule-zh-${i()}`}
                    required
                    rows={2}
                    maxLength={8000}
                    value={r.text.zh}
                    onInput={(e) => setDraft('conductRules', i(), 'text', 'zh', e.currentTarget.value)}
                    data-testid="policy-rule-text"
                  />
                  <label for={`rule-en-${i()}`}>{t('policy.ruleEn')}</label>
                  <textarea
                    id={`rule-en-${i()}`}
                    rows={2}
                    maxLength={8000}
                    value={r.text.en}
                    onInput={(e) => setDraft('conductRules', i(), 'text', 'en', e.currentTarget.value)}
                    data-testid="policy-rule-text-en"
                  />
                </div>
              )}
            </For>
            <button
              type="button"
              class="btn"
              onClick={() =>
                setDraft(
                  produce((d) => {
                    d.conductRules.push({ code: nextCode('eight_musts_not'), group: 'eight_musts_not', text: { zh: '', en: '' } });
                  }),
                )
              }
              data-testid="policy-rule-add"
            >
              {t('policy.ruleAdd')}
            </button>
          </fieldset>

          <button type="submit" class="btn btn-primary" disabled={busy()} data-testid="policy-save">
            {t('policy.save')}
          </button>
          <Show when={error()}>
            <div class="error" role="alert" data-testid="policy-error">
              <p>{error()}</p>
              <Show when={fields().length}>
                <p>{t('policy.fieldErrors')}</p>
                <ul>
                  <For each={fields()}>{(f) => <li>{f}</li>}</For>
                </ul>
              </Show>
            </div>
          </Show>
          <Show when={saved()}>
            <p class="ok" role="status" data-testid="policy-saved">
              {saved()}
            </p>
          </Show>
        </form>
      </Show>
    </section>
  );
}

/** the main figures of a policy, and its conduct rules */
function PolicySummary(p: { p: PolicyConfig }): JSX.Element {
  return (
    <div class="small">
      <p>
        {t('policy.cap')}: <strong>{p.p.capPerEnterpriseDefault}</strong> · {t('policy.hotline')}: <strong>{p.p.hotline}</strong> · {t('policy.planDue')}:{' '}
        <strong>{p.p.planDue}</strong>
      </p>
      <p>
        {t('policy.quietDays')}: {p.p.quietPeriod.enabled ? p.p.quietPeriod.quietDays.join(', ') : '—'}
      </p>
      <details>
        <summary>{t('policy.rules')}</summary>
        <ol>
          <For each={p.p.conductRules}>
            {(r) => (
              <li data-code={r.code}>
                {r.code} {tx(r.text)}
              </li>
            )}
          </For>
        </ol>
      </details>
    </div>
  );
}
