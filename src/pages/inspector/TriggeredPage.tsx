/**
 * Start a triggered inspection (measure 3, DESIGN §6 step 1): the trigger (complaint, referral, data
 * monitoring, enterprise request) and its reference, the enterprise (directory search, GET
 * /api/enterprises), the items; a task of its own goes into tasks/<agencyId>/<year> (so the check-in,
 * the precheck with the cap's exemption by trigger, and the entry record all carry the trigger), then
 * the check-in flow opens. The enterprise's profile is cached so the check-in works offline from here.
 */
import { For, Show, createSignal, type JSX } from 'solid-js';
import { A, useNavigate } from '@solidjs/router';
import { nameOf } from '../../i18n';
import { cacheSet, principal, useDoc } from '../../client/app-state';
import { api } from '../../client/api';
import { errorText } from '../../ui/errors';
import { rooms } from '../../domain/rooms';
import { shanghaiDate, shanghaiYear, now } from '../../domain/time';
import { ALL_TRIGGER_KINDS } from '../../domain/policy-defaults';
import type { Enterprise, TriggerKind } from '../../domain/schemas';
import { createTask, catalogueView } from '../../model';
import { useView } from '../stores/useView';
import { usePolicy } from '../stores/policy';
import { industryName } from '../../i18n/labels';
import { DocHeader } from '../../ui/DocHeader';
import { paths } from '../routes';
import { itemsFor, triggeredTask } from './checkin-logic';
import { t } from '../../i18n/dict-field';

export default function TriggeredPage(): JSX.Element {
  const navigate = useNavigate();
  const me = () => principal();
  const at = now();
  const today = shanghaiDate(at);
  const year = shanghaiYear(at);
  const agencyId = () => me()?.agencyId ?? null;
  const tasksDoc = useDoc(() => (agencyId() ? rooms.tasks(agencyId()!, year) : null));
  const catalogue = useView(() => (agencyId() ? rooms.agency(agencyId()!) : null), catalogueView);
  const policy = usePolicy(me);
  const exempt = () => policy().exemptTriggers;

  const [kind, setKind] = createSignal<TriggerKind | ''>('');
  const [ref, setRef] = createSignal('');
  const [q, setQ] = createSignal('');
  const [results, setResults] = createSignal<Enterprise[] | null>(null);
  const [searching, setSearching] = createSignal(false);
  const [chosen, setChosen] = createSignal<Enterprise | null>(null);
  const [itemIds, setItemIds] = createSignal<string[]>([]);
  const [msg, setMsg] = createSignal<string | null>(null);

  const fitting = () => itemsFor(catalogue()?.items ?? [], chosen()?.industry);
  const ready = () => !!kind() && ref().trim().length > 0 && !!chosen() && itemIds().length > 0 && !!tasksDoc.handle();

  async function search(e: Event): Promise<void> {
    e.preventDefault();
    if (!q().trim()) return;
    setSearching(true);
    setMsg(null);
    try {
      const r = await api.enterprises({ q: q().trim(), limit: 20 });
      setResults(r.items);
    } catch (err) {
      setResults(null);
      setMsg(errorText(err));
    } finally {
      setSearching(false);
    }
  }

  function choose(e: Enterprise): void {
    setChosen(e);
    // preselect the only fitting item; otherwise let the inspector pick
    const fit = itemsFor(catalogue()?.items ?? [], e.industry);
    setItemIds(fit.length === 1 ? [fit[0].id] : []);
  }

  function create(): void {
    const pr = me();
    const h = tasksDoc.handle();
    const e = chosen();
    const k = kind();
    if (!pr?.agencyId || !pr.inspectorId || !h || !e || !k) {
      setMsg(t('triggered.needAll'));
      return;
    }
    try {
      const task = triggeredTask({
        agencyId: pr.agencyId,
        inspectorId: pr.inspectorId,
        trigger: { kind: k, ref: ref() },
        enterprise: e,
        itemIds: itemIds(),
        today,
      });
      createTask(h.doc, task);
      cacheSet(`enterprise.${e.uscc}`, e);
      navigate(paths.checkin(task.id));
    } catch {
      setMsg(t('triggered.needAll'));
    }
  }

  return (
    <section class="page checkin triggered">
      <A href={paths.inspector} class="btn btn-link">
        {t('triggered.back')}
      </A>
      <DocHeader title={t('triggered.title')} status={tasksDoc.status()} />

      <section class="card" aria-labelledby="tk-h">
        <h2 id="tk-h" class="section-title">
          {t('triggered.kind')}
        </h2>
        <fieldset class="field">
          <legend class="visually-hidden">{t('triggered.kind')}</legend>
          <For each={ALL_TRIGGER_KINDS}>
            {(k) => (
              <label class="check">
                <input type="radio" name="trigger-kind" data-testid={`trigger-${k}`} checked={kind() === k} onChange={() => setKind(k)} /> {t(`trigger.${k}`)}
              </label>
            )}
          </For>
        </fieldset>
        <label class="field">
          {t('triggered.ref')}
          <input data-testid="trigger-ref" value={ref()} maxLength={100} onInput={(e) => setRef(e.currentTarget.value)} />
        </label>
        <Show when={kind() || null}>
          {(k) => {
            const label = () => t(`trigger.${k() as TriggerKind}`);
            return (
              <p class={`notice ${exempt().includes(k() as TriggerKind) ? 'notice-info' : 'notice-warn'}`} data-testid="trigger-note">
                {exempt().includes(k() as TriggerKind) ? t('triggered.exemptNote', { kind: label() }) : t('triggered.notExempt', { kind: label() })}
              </p>
            );
          }}
        </Show>
      </section>

      <section class="card" aria-labelledby="te-h">
        <h2 id="te-h" class="section-title">
          {t('triggered.enterprise')}
        </h2>
        <Show
          when={chosen()}
          fallback={
            <>
              <form class="row" role="search" onSubmit={(e) => void search(e)}>
                <label class="field grow">
                  {t('triggered.search')}
                  <input type="search" data-testid="ent-search" value={q()} onInput={(e) => setQ(e.currentTarget.value)} />
                </label>
                <button class="btn btn-secondary" type="submit" data-testid="ent-search-go" disabled={searching() || !q().trim()}>
                  {searching() ? t('triggered.searching') : t('triggered.searchBtn')}
                </button>
              </form>
              <Show when={results()}>
                {(rs) => (
                  <ul class="results" data-testid="ent-results" aria-label={t('triggered.results')}>
                    <For each={rs()} fallback={<li class="muted">{t('triggered.noResults')}</li>}>
                      {(e) => (
                        <li>
                          <button class="btn btn-link result" data-testid="ent-result" onClick={() => choose(e)}>
                            <strong>{e.name}</strong>
                            <br />
                            <small class="muted">
                              {e.uscc} · {industryName(e.industry)}
                            </small>
                          </button>
                        </li>
                      )}
                    </For>
                  </ul>
                )}
              </Show>
            </>
          }
        >
          {(e) => (
            <div data-testid="ent-chosen">
              <p>
                <strong>{t('triggered.selected', { name: e().name })}</strong>
              </p>
              <dl class="kv">
                <dt>{t('enterprise.uscc')}</dt>
                <dd>
                  <code>{e().uscc}</code>
                </dd>
                <dt>{t('enterprise.address')}</dt>
                <dd>{e().address}</dd>
                <dt>{t('enterprise.industry')}</dt>
                <dd>{industryName(e().industry)}</dd>
              </dl>
              <button
                class="btn btn-link"
                onClick={() => {
                  setChosen(null);
                  setItemIds([]);
                }}
              >
                {t('triggered.change')}
              </button>
            </div>
          )}
        </Show>
      </section>

      <Show when={chosen()}>
        <section class="card" aria-labelledby="ti-h">
          <h2 id="ti-h" class="section-title">
            {t('triggered.items')}
          </h2>
          <p class="muted">{t('triggered.itemsHint')}</p>
          <For each={fitting()} fallback={<p class="muted">{t('triggered.noItems')}</p>}>
            {(it) => (
              <label class="check">
                <input
                  type="checkbox"
                  data-testid="trigger-item"
                  value={it.id}
                  checked={itemIds().includes(it.id)}
                  onChange={(e) => setItemIds(e.currentTarget.checked ? [...itemIds(), it.id] : itemIds().filter((x) => x !== it.id))}
                />
                {nameOf(it)}
              </label>
            )}
          </For>
        </section>
      </Show>

      <Show when={msg()}>
        <p class="notice notice-error" role="alert" data-testid="triggered-error">
          {msg()}
        </p>
      </Show>
      <button class="btn btn-primary btn-wide" data-testid="triggered-create" disabled={!ready()} onClick={create}>
        {t('triggered.create')}
      </button>
    </section>
  );
}
