/**
 * 执法证件管理 (supervisors): issue a certificate to an inspector record, renew, suspend, reinstate and revoke
 * one, the yearly clean-up (select expired, expiring or orphaned certificates and revoke or renew them in
 * one go) and the import from a file. Every change goes through /api/certificates (the registry doc is
 * written by the server only) and reaches phones by sync.
 */
import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { t } from '../../i18n/dict-registry';
import { registryApi, type CertificateFilter } from '../../client/registry-api';
import { api } from '../../client/api';
import { errorText } from '../../ui/errors';
import { AdminNav } from '../../ui/AdminNav';
import { ImportWizard } from '../../ui/ImportWizard';
import { useDirectory } from '../stores/directory';
import { addDays, shanghaiToday } from '../../domain/time';
import type { Certificate, CertificateStatus } from '../../domain/schemas';
import type { CleanupReason } from '../../protocol/registry';
import { ListTable } from '../../ui/ListTable';

const PAGE = 100;
const STATUSES: CertificateStatus[] = ['valid', 'suspended', 'revoked'];
type RowAction = 'renew' | 'suspend' | 'reinstate' | 'revoke';

export default function CertificatesPage(): JSX.Element {
  const dir = useDirectory();
  const today = shanghaiToday();
  const [filter, setFilter] = createSignal<CertificateFilter>({});
  const [limit, setLimit] = createSignal(PAGE);
  const [page, { refetch }] = createResource(
    () => ({ ...filter(), limit: limit() }),
    (q) => registryApi.list(q),
  );
  const [inspectors] = createResource(() => api.inspectorsOf().then((r) => r.items));
  const [q, setQ] = createSignal('');
  const [status, setStatus] = createSignal<CertificateStatus | ''>('');
  const search = (e: Event) => {
    e.preventDefault();
    setLimit(PAGE);
    setFilter({ q: q().trim() || undefined, status: status() || undefined });
  };

  return (
    <section class="page">
      <AdminNav />
      <h1>{t('registry.title')}</h1>
      <p class="muted">{t('registry.lead')}</p>
      <IssueForm inspectors={inspectors() ?? []} today={today} onIssued={() => void refetch()} />

      <form class="filters" role="search" onSubmit={search}>
        <div class="field inline">
          <label for="cert-status">{t('registry.filterStatus')}</label>
          <select id="cert-status" onChange={(e) => setStatus(e.currentTarget.value as CertificateStatus | '')} data-testid="cert-status-filter">
            <option value="">{t('common.all')}</option>
            <For each={STATUSES}>{(s) => <option value={s}>{t(`registry.status.${s}`)}</option>}</For>
          </select>
        </div>
        <div class="field inline grow">
          <label for="cert-search">{t('registry.search')}</label>
          <input
            id="cert-search"
            type="search"
            maxLength={64}
            placeholder={t('registry.searchHint')}
            onInput={(e) => setQ(e.currentTarget.value)}
            data-testid="cert-search"
          />
        </div>
        <button type="submit" class="btn" data-testid="cert-search-go">
          {t('registry.search')}
        </button>
      </form>
      <Show when={page.error}>
        <p class="error" role="alert">
          {errorText(page.error)}
        </p>
      </Show>
      <p class="muted small" data-testid="cert-total">
        {t('registry.count', { n: page()?.total ?? 0 })}
      </p>
      <ListTable
        testid="cert-table"
        headers={[t('registry.number'), t('registry.holder'), t('registry.agency'), t('registry.expiresOn'), t('registry.status'), t('registry.actions')]}
        items={page()?.items}
        loading={page.loading}
      >
        {(c) => <CertRow c={c} agency={dir.agencyName(c.agencyId)} today={today} onChanged={() => void refetch()} />}
      </ListTable>
      <Show when={(page()?.total ?? 0) > (page()?.items.length ?? 0)}>
        <button type="button" class="btn" onClick={() => setLimit(Math.min(500, limit() + PAGE))} disabled={limit() >= 500}>
          {t('registry.more')}
        </button>
      </Show>

      <Cleanup onChanged={() => void refetch()} today={today} />

      <section class="card" data-testid="cert-import">
        <ImportWizard
          kind="certificates"
          title={t('registry.importTitle')}
          hint={t('registry.importHint')}
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          onApplied={() => void refetch()}
        />
      </section>
    </section>
  );
}

function IssueForm(p: { inspectors: { id: string; name: string; agencyId: string }[]; today: string; onIssued: () => void }): JSX.Element {
  const [number, setNumber] = createSignal('');
  const [inspectorId, setInspectorId] = createSignal('');
  const [issuedOn, setIssuedOn] = createSignal(p.today);
  const [expiresOn, setExpiresOn] = createSignal(addDays(p.today, 5 * 365));
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal('');
  const [done, setDone] = createSignal('');
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    setDone('');
    setBusy(true);
    try {
      const c = await registryApi.issue({ number: number().trim(), inspectorId: inspectorId().trim(), issuedOn: issuedOn(), expiresOn: expiresOn() });
      setDone(t('registry.issued', { n: c.number }));
      setNumber('');
      setInspectorId('');
      p.onIssued();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={submit} data-testid="cert-issue">
      <h2>{t('registry.issueTitle')}</h2>
      <div class="filters">
        <div class="field inline">
          <label for="cert-number">{t('registry.number')}</label>
          <input
            id="cert-number"
            required
            minLength={4}
            maxLength={40}
            pattern="[A-Za-z0-9][A-Za-z0-9\-]*"
            title={t('registry.numberHint')}
            value={number()}
            onInput={(e) => setNumber(e.currentTarget.value)}
            data-testid="cert-number"
          />
        </div>
        <div class="field inline">
          <label for="cert-inspector">{t('registry.inspector')}</label>
          <input
            id="cert-inspector"
            required
            maxLength={80}
            list="cert-inspectors"
            placeholder={t('registry.inspectorPick')}
            value={inspectorId()}
            onInput={(e) => setInspectorId(e.currentTarget.value)}
            data-testid="cert-inspector"
          />
          <datalist id="cert-inspectors">
            <For each={p.inspectors}>{(i) => <option value={i.id}>{i.name}</option>}</For>
          </datalist>
        </div>
        <div class="field inline">
          <label for="cert-issued">{t('registry.issuedOn')}</label>
          <input id="cert-issued" type="date" required value={issuedOn()} onInput={(e) => setIssuedOn(e.currentTarget.value)} data-testid="cert-issued" />
        </div>
        <div class="field inline">
          <label for="cert-expires">{t('registry.expiresOn')}</label>
          <input
            id="cert-expires"
            type="date"
            required
            min={issuedOn()}
            value={expiresOn()}
            onInput={(e) => setExpiresOn(e.currentTarget.value)}
            data-testid="cert-expires"
          />
        </div>
        <button type="submit" class="btn btn-primary" disabled={busy()} data-testid="cert-submit">
          {t('registry.issue')}
        </button>
      </div>
      <Show when={error()}>
        <p class="error" role="alert" data-testid="cert-issue-error">
          {error()}
        </p>
      </Show>
      <Show when={done()}>
        <p class="ok" role="status" data-testid="cert-issued-ok">
          {done()}
        </p>
      </Show>
    </form>
  );
}

function CertRow(p: { c: Certificate; agency: string; today: string; onChanged: () => void }): JSX.Element {
  const [action, setAction] = createSignal<RowAction | null>(null);
  const [reason, setReason] = createSignal('');
  const [expiry, setExpiry] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal('');
  const open = (a: RowAction) => {
    setAction(a);
    setReason('');
    setExpiry(addDays(p.c.expiresOn > p.today ? p.c.expiresOn : p.today, 365 * 5));
    setError('');
  };
  const confirm = async () => {
    const a = action();
    if (!a) return;
    setBusy(true);
    setError('');
    try {
      if (a === 'revoke') await registryApi.revoke(p.c.number, reason().trim());
      else if (a === 'suspend') await registryApi.suspend(p.c.number, reason().trim());
      else if (a === 'renew') await registryApi.renew(p.c.number, expiry());
      else await registryApi.reinstate(p.c.number);
      setAction(null);
      p.onChanged();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const expired = () => p.c.status === 'valid' && p.c.expiresOn < p.today;
  return (
    <tr data-testid="cert-row" data-number={p.c.number} data-status={p.c.status}>
      <td data-label={t('registry.number')}>
        <code>{p.c.number}</code>
      </td>
      <td data-label={t('registry.holder')}>
        {p.c.holderName} <span class="muted small">{p.c.inspectorId}</span>
      </td>
      <td data-label={t('registry.agency')}>{p.agency}</td>
      <td data-label={t('registry.expiresOn')}>
        {p.c.expiresOn}
        <Show when={expired()}>
          {' '}
          <span class="badge badge-cert-expired">{t('cert.expired')}</span>
        </Show>
      </td>
      <td data-label={t('registry.status')}>
        <span class={`badge badge-cert-${p.c.status === 'suspended' ? 'expiring' : p.c.status}`}>{t(`registry.status.${p.c.status}`)}</span>
        <Show when={p.c.status === 'revoked' && p.c.revokedReason}>
          <div class="muted small">
            {p.c.revokedOn} {p.c.revokedReason}
          </div>
        </Show>
        <Show when={p.c.status === 'suspended' && p.c.suspendedReason}>
          <div class="muted small">
            {p.c.suspendedOn} {p.c.suspendedReason}
          </div>
        </Show>
      </td>
      <td data-label={t('registry.actions')}>
        <Show
          when={action()}
          fallback={
            <Show when={p.c.status !== 'revoked'}>
              <div class="row">
                <button type="button" class="btn btn-small" onClick={() => open('renew')} data-testid="cert-renew">
                  {t('registry.renew')}
                </button>
                <Show
                  when={p.c.status === 'suspended'}
                  fallback={
                    <button type="button" class="btn btn-small" onClick={() => open('suspend')} data-testid="cert-suspend">
                      {t('registry.suspend')}
                    </button>
                  }
                >
                  <button type="button" class="btn btn-small" onClick={() => open('reinstate')} data-testid="cert-reinstate">
                    {t('registry.reinstate')}
                  </button>
                </Show>
                <button type="button" class="btn btn-small btn-danger" onClick={() => open('revoke')} data-testid="cert-revoke">
                  {t('registry.revoke')}
                </button>
              </div>
            </Show>
          }
        >
          <div class="field">
            <Show when={action() === 'revoke' || action() === 'suspend'}>
              <label for={`cert-reason-${p.c.number}`}>{t('registry.reason')}</label>
              <input
                id={`cert-reason-${p.c.number}`}
                required
                minLength={2}
                maxLength={2000}
                placeholder={t('registry.reasonHint')}
                value={reason()}
                onInput={(e) => setReason(e.currentTarget.value)}
                data-testid="cert-reason"
              />
              <Show when={action() === 'revoke'}>
                <span class="muted small">{t('registry.revokeNote')}</span>
              </Show>
            </Show>
            <Show when={action() === 'renew'}>
              <label for={`cert-expiry-${p.c.number}`}>{t('registry.newExpiry')}</label>
              <input
                id={`cert-expiry-${p.c.number}`}
                type="date"
                required
                min={p.c.expiresOn}
                value={expiry()}
                onInput={(e) => setExpiry(e.currentTarget.value)}
                data-testid="cert-expiry"
              />
            </Show>
            <div class="row">
              <button
                type="button"
                class="btn btn-small btn-primary"
                disabled={busy() || ((action() === 'revoke' || action() === 'suspend') && reason().trim().length < 2)}
                onClick={confirm}
                data-testid="cert-confirm"
              >
                {t('registry.confirm')} {t(`registry.${action()!}`)}
              </button>
              <button type="button" class="btn btn-small" onClick={() => setAction(null)}>
                {t('registry.cancel')}
              </button>
            </div>
            <Show when={error()}>
              <p class="error" role="alert">
                {error()}
              </p>
            </Show>
          </div>
        </Show>
      </td>
    </tr>
  );
}

function Cleanup(p: { today: string; onChanged: () => void }): JSX.Element {
  const [days, setDays] = createSignal(60);
  const [asked, setAsked] = createSignal(60);
  const [view, { refetch }] = createResource(asked, (d) => registryApi.cleanup(d));
  const [picked, setPicked] = createSignal<Set<string>>(new Set());
  const [mode, setMode] = createSignal<'revoke' | 'renew'>('revoke');
  const [reason, setReason] = createSignal('');
  const [expiry, setExpiry] = createSignal(addDays(p.today, 5 * 365));
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal('');
  const [done, setDone] = createSignal('');
  const toggle = (n: string, on: boolean) => {
    const s = new Set(picked());
    if (on) s.add(n);
    else s.delete(n);
    setPicked(s);
  };
  const all = () => view()?.items.map((i) => i.certificate.number) ?? [];
  const confirm = async () => {
    setBusy(true);
    setError('');
    setDone('');
    try {
      const numbers = [...picked()];
      const r =
        mode() === 'revoke'
          ? await registryApi.confirmCleanup({ action: 'revoke', numbers, reason: reason().trim() })
          : await registryApi.confirmCleanup({ action: 'renew', numbers, expiresOn: expiry() });
      setDone(t('registry.cleanupDone', { n: r.changed.length, k: r.skipped.length }));
      setPicked(new Set<string>());
      void refetch();
      p.onChanged();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" data-testid="cert-cleanup">
      <h2>{t('registry.cleanupTitle')}</h2>
      <p class="muted">{t('registry.cleanupLead')}</p>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setPicked(new Set<string>());
          setAsked(days());
        }}
      >
        <div class="field inline">
          <label for="cleanup-days">{t('registry.withinDays')}</label>
          <input id="cleanup-days" type="number" min={0} max={3660} value={days()} onInput={(e) => setDays(Number(e.currentTarget.value) || 0)} />
        </div>
        <button type="submit" class="btn">
          {t('registry.cleanupLoad')}
        </button>
      </form>
      <Show when={view.error}>
        <p class="error" role="alert">
          {errorText(view.error)}
        </p>
      </Show>
      <p class="muted small">{t('registry.cleanupCount', { n: view()?.items.length ?? 0 })}</p>
      <div class="table-wrap">
        <table class="table stack">
          <thead>
            <tr>
              <th scope="col">
                <label class="check">
                  <input
                    type="checkbox"
                    checked={all().length > 0 && picked().size === all().length}
                    onChange={(e) => setPicked(new Set(e.currentTarget.checked ? all() : []))}
                    data-testid="cleanup-all"
                  />{' '}
                  {t('registry.selectAll')}
                </label>
              </th>
              <th scope="col">{t('registry.number')}</th>
              <th scope="col">{t('registry.holder')}</th>
              <th scope="col">{t('registry.expiresOn')}</th>
              <th scope="col">{t('registry.why')}</th>
            </tr>
          </thead>
          <tbody>
            <For each={view()?.items ?? []}>
              {(i) => (
                <tr data-testid="cleanup-row" data-number={i.certificate.number}>
                  <td data-label={t('registry.select')}>
                    <input
                      type="checkbox"
                      aria-label={`${t('registry.select')} ${i.certificate.number}`}
                      checked={picked().has(i.certificate.number)}
                      onChange={(e) => toggle(i.certificate.number, e.currentTarget.checked)}
                      data-testid="cleanup-select"
                    />
                  </td>
                  <td data-label={t('registry.number')}>
                    <code>{i.certificate.number}</code>
                  </td>
                  <td data-label={t('registry.holder')}>{i.certificate.holderName}</td>
                  <td data-label={t('registry.expiresOn')}>{i.certificate.expiresOn}</td>
                  <td data-label={t('registry.why')}>
                    <For each={i.reasons}>{(r: CleanupReason) => <span class="badge">{t(`registry.why.${r}`)}</span>}</For>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
      <fieldset class="field">
        <legend>{t('registry.cleanupAction')}</legend>
        <label class="check">
          <input type="radio" name="cleanup-mode" checked={mode() === 'revoke'} onChange={() => setMode('revoke')} data-testid="cleanup-mode-revoke" />{' '}
          {t('registry.cleanupRevoke')}
        </label>
        <Show when={mode() === 'revoke'}>
          <label for="cleanup-reason">{t('registry.reason')}</label>
          <input
            id="cleanup-reason"
            maxLength={2000}
            placeholder={t('registry.reasonHint')}
            value={reason()}
            onInput={(e) => setReason(e.currentTarget.value)}
            data-testid="cleanup-reason"
          />
        </Show>
        <label class="check">
          <input type="radio" name="cleanup-mode" checked={mode() === 'renew'} onChange={() => setMode('renew')} data-testid="cleanup-mode-renew" />{' '}
          {t('registry.cleanupRenew')}
        </label>
        <Show when={mode() === 'renew'}>
          <label for="cleanup-expiry">{t('registry.newExpiry')}</label>
          <input
            id="cleanup-expiry"
            type="date"
            min={p.today}
            value={expiry()}
            onInput={(e) => setExpiry(e.currentTarget.value)}
            data-testid="cleanup-expiry"
          />
        </Show>
      </fieldset>
      <button
        type="button"
        class="btn btn-primary"
        disabled={busy() || picked().size === 0 || (mode() === 'revoke' && reason().trim().length < 2)}
        onClick={confirm}
        data-testid="cleanup-confirm"
      >
        {t('registry.cleanupConfirm', { n: picked().size })}
      </button>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={done()}>
        <p class="ok" role="status" data-testid="cleanup-done">
          {done()}
        </p>
      </Show>
    </section>
  );
}
