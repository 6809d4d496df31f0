/**
 * Supervisors' filings (measure 6): the filings awaiting a decision (accept, or return with a reason the
 * agency then reads in its plan, live), the agencies with no accepted plan for a year (due 31 January),
 * and the year's filings. Data from the HTTP API (server/api/filing-routes.ts); refreshed after each
 * decision and on demand.
 */
import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { A } from '@solidjs/router';
import { nameOf } from '../../i18n';
import { api } from '../../client/api';
import { parseRoom } from '../../domain/rooms';
import { shanghaiDate, shanghaiMonth, shanghaiThisYear, now } from '../../domain/time';
import type { FilingSummary } from '../../domain/filing';
import { useDirectory } from '../stores/directory';
import { errorText } from '../../ui/errors';
import { paths } from '../routes';
import { t } from '../../i18n/dict-plans';

function planLink(f: FilingSummary): string {
  const r = parseRoom(f.room);
  if (r?.kind === 'plan') return paths.plan(r.agencyId, r.year);
  if (r?.kind === 'joint') return paths.joint(r.jointId);
  return '#';
}

function Decide(p: { f: FilingSummary; done: () => void }): JSX.Element {
  const [returning, setReturning] = createSignal(false);
  const [reason, setReason] = createSignal('');
  const [err, setErr] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const uid = `reason-${p.f.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const decide = async (decision: 'accept' | 'return') => {
    if (decision === 'return' && reason().trim().length < 2) {
      setErr(t('filings.reasonRequired'));
      return;
    }
    setBusy(true);
    setErr(null);
    try {
      await api.decideFiling(p.f.id, decision, reason().trim());
      p.done();
    } catch (e) {
      setErr(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="decide">
      <Show
        when={returning()}
        fallback={
          <div class="row wrap">
            <button type="button" class="btn btn-primary btn-small" disabled={busy()} onClick={() => decide('accept')} data-testid="filing-accept">
              {t('filings.accept')}
            </button>
            <button type="button" class="btn btn-small btn-danger" disabled={busy()} onClick={() => setReturning(true)} data-testid="filing-return">
              {t('filings.return')}
            </button>
          </div>
        }
      >
        <div class="field">
          <label for={uid}>{t('filings.reason')}</label>
          <textarea
            id={uid}
            rows="2"
            placeholder={t('filings.reasonHint')}
            value={reason()}
            onInput={(e) => setReason(e.currentTarget.value)}
            aria-invalid={err() ? 'true' : undefined}
            data-testid="filing-reason"
          />
        </div>
        <div class="row wrap">
          <button type="button" class="btn btn-danger btn-small" disabled={busy()} onClick={() => decide('return')} data-testid="filing-confirm-return">
            {t('filings.confirmReturn')}
          </button>
          <button
            type="button"
            class="btn btn-ghost btn-small"
            onClick={() => {
              setReturning(false);
              setErr(null);
            }}
          >
            {t('filings.cancel')}
          </button>
        </div>
      </Show>
      <Show when={err()}>
        <p class="error" role="alert" data-testid="filing-decide-error">
          {err()}
        </p>
      </Show>
    </div>
  );
}

function FilingCard(p: { f: FilingSummary; decide: boolean; done: () => void }): JSX.Element {
  const dir = useDirectory();
  return (
    <article class="card filing-card" data-testid="filing-row" data-room={p.f.room} data-status={p.f.status}>
      <header class="task-head">
        <h3 class="task-title">{p.f.title}</h3>
        <span class={`badge badge-${p.f.status}`}>{t(`plan.status.${p.f.status}`)}</span>
      </header>
      <dl class="kv">
        <dt>{t('filings.agency')}</dt>
        <dd>
          {dir.agencyName(p.f.agencyId)}
          {p.f.kind === 'joint' ? `（${t('filings.joint')}）` : ''}
        </dd>
        <dt>{t('filings.submittedAt')}</dt>
        <dd>
          {shanghaiDate(p.f.submittedAt)} · {t('filings.items', { n: p.f.itemCount })}
        </dd>
        <dt>{t('filing.hash')}</dt>
        <dd>
          <code title={p.f.hash}>{p.f.hash.slice(0, 12)}</code>
        </dd>
        <Show when={p.f.reason}>
          <dt>{t('filings.reason')}</dt>
          <dd data-testid="filing-row-reason">{p.f.reason}</dd>
        </Show>
      </dl>
      <div class="row between wrap">
        <A href={planLink(p.f)} class="btn btn-ghost btn-small">
          {t('filings.view')}
        </A>
        <Show when={p.decide && p.f.status === 'submitted' && p.f.latest}>
          <Decide f={p.f} done={p.done} />
        </Show>
      </div>
    </article>
  );
}

export function FilingsPanel(): JSX.Element {
  const dir = useDirectory();
  const thisYear = shanghaiThisYear();
  const [year, setYear] = createSignal(thisYear + (shanghaiMonth(now()) >= 10 ? 1 : 0));
  const [tick, setTick] = createSignal(0);
  const refresh = () => setTick((n) => n + 1);
  const [pending] = createResource(tick, async () => (await api.filings({ status: 'submitted' })).items.filter((f) => f.latest));
  const [ofYear] = createResource(
    () => [year(), tick()] as const,
    async ([y]) => (await api.filings({ year: y })).items,
  );
  const [unfiled] = createResource(
    () => [year(), tick()] as const,
    async ([y]) => api.unfiled(y),
  );
  const failed = (e: unknown) => (
    <p class="error" role="alert">
      {t('filings.loadFailed', { msg: errorText(e) })}
    </p>
  );
  return (
    <section class="filings-panel" aria-labelledby="filings-title" data-testid="filings-panel">
      <div class="row between wrap">
        <h2 id="filings-title" class="section-title">
          {t('filings.title')}
        </h2>
        <button type="button" class="btn btn-ghost btn-small" onClick={refresh} data-testid="filings-refresh">
          {t('filings.refresh')}
        </button>
      </div>
      <p class="muted small">{t('filings.lead')}</p>

      <h3 class="section-title small">{t('filings.pending', { n: pending()?.length ?? 0 })}</h3>
      <Show when={!pending.error} fallback={failed(pending.error)}>
        <div class="filing-list" data-testid="filings-pending">
          <For each={pending() ?? []} fallback={<p class="muted">{pending.loading ? t('app.loading') : t('filings.nonePending')}</p>}>
            {(f) => <FilingCard f={f} decide done={refresh} />}
          </For>
        </div>
      </Show>

      <div class="field inline year-pick">
        <label for="filings-year">{t('filings.year')}</label>
        <select id="filings-year" value={year()} onChange={(e) => setYear(Number(e.currentTarget.value))} data-testid="filings-year">
          <For each={[thisYear - 1, thisYear, thisYear + 1]}>{(y) => <option value={y}>{t('common.year', { y })}</option>}</For>
        </select>
      </div>

      <Show when={!unfiled.error} fallback={failed(unfiled.error)}>
        <Show when={unfiled()}>
          {(u) => (
            <div data-testid="filings-unfiled">
              <h3 class="section-title small">{t('filings.unfiled', { y: u().year, n: u().items.length })}</h3>
              <p class="muted small">
                {t('filings.dueLine', { date: u().due })}
                {u().overdue && u().items.length ? ` · ${t('filings.overdue')}` : ''}
              </p>
              <ul class="plain unfiled-list">
                <For each={u().items} fallback={<li class="muted">{t('filings.unfiledNone')}</li>}>
                  {(a) => (
                    <li data-testid="unfiled-agency" data-agency={a.agencyId}>
                      <A href={paths.plan(a.agencyId, u().year)}>{nameOf(a)}</A>{' '}
                      <span class={`badge ${a.latestStatus === 'none' ? 'badge-draft' : `badge-${a.latestStatus}`}`}>
                        {a.latestStatus === 'none' ? t('filings.notSubmitted') : t(`plan.status.${a.latestStatus}`)}
                      </span>
                      <span class="muted small"> · {dir.agencyName(a.officeId)}</span>
                    </li>
                  )}
                </For>
              </ul>
            </div>
          )}
        </Show>
      </Show>

      <h3 class="section-title small">{t('filings.all', { y: year() })}</h3>
      <Show when={!ofYear.error} fallback={failed(ofYear.error)}>
        <div class="filing-list" data-testid="filings-year-list">
          <For each={ofYear() ?? []} fallback={<p class="muted">{ofYear.loading ? t('app.loading') : t('common.empty')}</p>}>
            {(f) => <FilingCard f={f} decide={false} done={refresh} />}
          </For>
        </div>
      </Show>
    </section>
  );
}
