/**
 * 执法人员 (agency admins): the agency's inspector records with their accounts and certificate numbers.
 * "Add an inspector" creates the record and its account in one step and shows the one-time password once;
 * per row: disable, enable, reset the account, and deactivate or reactivate the record (the account follows),
 * each confirmed first. Each row carries the record's id (`data-inspector-id`), which the certificate import names.
 */
import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { t } from '../../i18n/dict-accounts';
import { accountsApi } from '../../client/accounts-api';
import { errorText } from '../../ui/errors';
import { AdminNav } from '../../ui/AdminNav';
import { ConfirmBar, OneTimePasswordBox } from '../../ui/AccountParts';
import type { StaffMember } from '../../protocol/accounts';
import { ListTable } from '../../ui/ListTable';

type Action = 'disable' | 'enable' | 'reset' | 'deactivate' | 'activate';

export default function StaffPage(): JSX.Element {
  const [list, { refetch }] = createResource(() => accountsApi.staff());

  const [name, setName] = createSignal('');
  const [username, setUsername] = createSignal('');
  const [cert, setCert] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [otp, setOtp] = createSignal<{ username: string; password: string } | null>(null);

  const add = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await accountsApi.createStaff({ name: name().trim(), username: username(), certificateNumber: cert().trim() || undefined });
      setOtp({ username: r.user.username, password: r.oneTimePassword });
      setName('');
      setUsername('');
      setCert('');
      void refetch();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const [pending, setPending] = createSignal<{ id: string; action: Action } | null>(null);
  const [acting, setActing] = createSignal(false);
  const [rowError, setRowError] = createSignal<{ id: string; text: string } | null>(null);
  const act = async (m: StaffMember) => {
    const p = pending();
    if (!p) return;
    setActing(true);
    setRowError(null);
    try {
      const userId = m.account?.userId ?? '';
      if (p.action === 'disable') await accountsApi.disable(userId);
      else if (p.action === 'enable') await accountsApi.enable(userId);
      else if (p.action === 'reset') {
        const r = await accountsApi.reset(userId);
        setOtp({ username: r.user.username, password: r.oneTimePassword });
      } else await accountsApi.setStaffActive(m.inspector.id, p.action === 'activate');
      setPending(null);
      void refetch();
    } catch (err) {
      setRowError({ id: m.inspector.id, text: errorText(err) });
    } finally {
      setActing(false);
    }
  };
  const question = (m: StaffMember, a: Action) => {
    const u = m.account?.username ?? '';
    switch (a) {
      case 'disable':
        return t('accounts.confirmDisable', { u });
      case 'enable':
        return t('accounts.confirmEnable', { u });
      case 'reset':
        return t('accounts.confirmReset', { u });
      case 'deactivate':
        return t('staff.confirmDeactivate', { n: m.inspector.name });
      case 'activate':
        return t('staff.confirmActivate', { n: m.inspector.name });
    }
  };

  return (
    <section class="page">
      <AdminNav />
      <h1>{t('staff.title')}</h1>
      <p class="muted">{t('staff.lead')}</p>

      <Show when={otp()}>{(o) => <OneTimePasswordBox username={o().username} password={o().password} testid="staff-otp" onDone={() => setOtp(null)} />}</Show>

      <form class="card" onSubmit={add} data-testid="staff-create" novalidate>
        <h2 class="section-title">{t('staff.add')}</h2>
        <p class="muted small">{t('accounts.createLead')}</p>
        <div class="field">
          <label for="staff-name">{t('staff.name')}</label>
          <input id="staff-name" maxLength={60} required value={name()} onInput={(e) => setName(e.currentTarget.value)} data-testid="staff-name" />
        </div>
        <div class="field">
          <label for="staff-username">{t('staff.username')}</label>
          <input
            id="staff-username"
            autocomplete="off"
            autocapitalize="none"
            spellcheck={false}
            maxLength={32}
            required
            aria-describedby="staff-username-hint"
            value={username()}
            onInput={(e) => setUsername(e.currentTarget.value)}
            data-testid="staff-username"
          />
          <span id="staff-username-hint" class="hint">
            {t('accounts.usernameHint')}
          </span>
        </div>
        <div class="field">
          <label for="staff-cert">{t('staff.cert')}</label>
          <input id="staff-cert" maxLength={40} value={cert()} onInput={(e) => setCert(e.currentTarget.value)} data-testid="staff-cert" />
        </div>
        <Show when={error()}>
          <p class="error" role="alert" data-testid="staff-error">
            {error()}
          </p>
        </Show>
        <button type="submit" class="btn btn-primary" disabled={busy() || !name().trim() || !username().trim()} data-testid="staff-submit">
          {busy() ? t('accounts.busy') : t('staff.submit')}
        </button>
      </form>

      <Show when={list.error}>
        <p class="error" role="alert">
          {errorText(list.error)}
        </p>
      </Show>
      <p class="muted small" data-testid="staff-count">
        {t('staff.count', { n: list()?.items.length ?? 0 })}
      </p>
      <ListTable
        testid="staff-table"
        headers={[t('staff.name'), t('staff.id'), t('staff.certNo'), t('staff.account'), t('staff.record'), t('accounts.actions')]}
        items={list()?.items}
        loading={list.loading}
      >
        {(m) => (
          <tr data-testid="staff-row" data-inspector-id={m.inspector.id} data-username={m.account?.username ?? ''}>
            <td data-label={t('staff.name')}>{m.inspector.name}</td>
            <td data-label={t('staff.id')}>
              <code>{m.inspector.id}</code>
            </td>
            <td data-label={t('staff.certNo')}>{m.inspector.certificateNumber ?? '—'}</td>
            <td data-label={t('staff.account')}>
              <Show when={m.account} fallback={<span class="muted">{t('staff.noAccount')}</span>}>
                {(a) => (
                  <>
                    <code>{a().username}</code> <span class="badge">{a().disabled ? t('accounts.disabled') : t('accounts.enabled')}</span>
                    <Show when={a().mustChangePassword}>
                      {' '}
                      <span class="badge">{t('accounts.mustChange')}</span>
                    </Show>
                  </>
                )}
              </Show>
            </td>
            <td data-label={t('staff.record')}>
              <span class="badge">{m.inspector.active ? t('staff.active') : t('staff.inactive')}</span>
            </td>
            <td data-label={t('accounts.actions')}>
              <Show
                when={pending()?.id === m.inspector.id ? pending() : null}
                fallback={
                  <div class="row">
                    <Show when={m.account}>
                      {(a) => (
                        <>
                          <button
                            type="button"
                            class="btn btn-small"
                            onClick={() => setPending({ id: m.inspector.id, action: a().disabled ? 'enable' : 'disable' })}
                            data-testid={a().disabled ? 'staff-enable' : 'staff-disable'}
                          >
                            {a().disabled ? t('accounts.enable') : t('accounts.disable')}
                          </button>
                          <button
                            type="button"
                            class="btn btn-small"
                            onClick={() => setPending({ id: m.inspector.id, action: 'reset' })}
                            data-testid="staff-reset"
                          >
                            {t('accounts.reset')}
                          </button>
                        </>
                      )}
                    </Show>
                    <button
                      type="button"
                      class="btn btn-small"
                      onClick={() => setPending({ id: m.inspector.id, action: m.inspector.active ? 'deactivate' : 'activate' })}
                      data-testid={m.inspector.active ? 'staff-deactivate' : 'staff-activate'}
                    >
                      {m.inspector.active ? t('staff.deactivate') : t('staff.activate')}
                    </button>
                  </div>
                }
              >
                {(p) => <ConfirmBar question={question(m, p().action)} busy={acting()} onConfirm={() => void act(m)} onCancel={() => setPending(null)} />}
              </Show>
              <Show when={rowError()?.id === m.inspector.id}>
                <p class="error small" role="alert" data-testid="staff-row-error">
                  {rowError()?.text}
                </p>
              </Show>
            </td>
          </tr>
        )}
      </ListTable>
    </section>
  );
}
