/**
 * 账户管理 (supervisors, the platform's administrators): every account, searched and paged on the server;
 * a new account (role, user name, name, and what the role binds to) whose one-time password is shown once;
 * per row disable, enable, reset and change of binding, each confirmed first. Below, the enterprises'
 * activation codes (一企一码): one at a time, or every enterprise without an account as a CSV for the letters.
 * Last, the city's divisions and agencies (OrganisationSection).
 */
import { For, Show, createSignal, type JSX } from 'solid-js';
import { featureT } from '../../i18n/feature';
import * as accountsStrings from '../../i18n/dict-accounts';
import * as auditStrings from '../../i18n/dict-audit';
import { accountsApi } from '../../client/accounts-api';
import { errorText } from '../../ui/errors';
import { AdminNav } from '../../ui/AdminNav';
import { ConfirmBar, OneTimePasswordBox } from '../../ui/AccountParts';
import { useDirectory } from '../stores/directory';
import { OrganisationSection } from './OrganisationSection';
import type { Role } from '../../domain/schemas';
import type { ActivationIssued, UserSummary } from '../../protocol/accounts';
import { usePagedSearch } from '../stores/paged-search';
import { ListTable } from '../../ui/ListTable';

const t = featureT(accountsStrings, auditStrings);

const PAGE = 50;
const ROLES: Role[] = ['supervisor', 'agency', 'inspector', 'enterprise'];

/** what a role binds to, as the form and the rebind ask for it */
function BindingFields(p: {
  prefix: string;
  role: Role;
  agencyId: string;
  inspectorId: string;
  uscc: string;
  set: (k: 'agencyId' | 'inspectorId' | 'uscc', v: string) => void;
}): JSX.Element {
  const dir = useDirectory();
  const agencies = () => (dir.data()?.agencies ?? []).filter((a) => (p.role === 'supervisor' ? a.kind === 'justice' : a.kind === 'enforcement'));
  return (
    <>
      <Show when={p.role === 'supervisor' || p.role === 'agency'}>
        <div class="field">
          <label for={`${p.prefix}-agency`}>{t('accounts.agency')}</label>
          <select id={`${p.prefix}-agency`} value={p.agencyId} onChange={(e) => p.set('agencyId', e.currentTarget.value)} data-testid={`${p.prefix}-agency`}>
            <option value="">{t('accounts.choose')}</option>
            <For each={agencies()}>{(a) => <option value={a.id}>{dir.agencyName(a.id)}</option>}</For>
          </select>
        </div>
      </Show>
      <Show when={p.role === 'inspector'}>
        <div class="field">
          <label for={`${p.prefix}-inspector`}>{t('accounts.inspector')}</label>
          <input
            id={`${p.prefix}-inspector`}
            maxLength={80}
            autocapitalize="none"
            value={p.inspectorId}
            onInput={(e) => p.set('inspectorId', e.currentTarget.value.trim())}
            data-testid={`${p.prefix}-inspector`}
          />
        </div>
      </Show>
      <Show when={p.role === 'enterprise'}>
        <div class="field">
          <label for={`${p.prefix}-uscc`}>{t('accounts.uscc')}</label>
          <input
            id={`${p.prefix}-uscc`}
            maxLength={18}
            autocapitalize="characters"
            value={p.uscc}
            onInput={(e) => p.set('uscc', e.currentTarget.value.trim())}
            data-testid={`${p.prefix}-uscc`}
          />
        </div>
      </Show>
    </>
  );
}

const bindingOf = (role: Role, b: { agencyId: string; inspectorId: string; uscc: string }) => ({
  ...(role === 'supervisor' || role === 'agency' ? { agencyId: b.agencyId || undefined } : {}),
  ...(role === 'inspector' ? { inspectorId: b.inspectorId || undefined } : {}),
  ...(role === 'enterprise' ? { uscc: b.uscc || undefined } : {}),
});

export default function AccountsPage(): JSX.Element {
  const dir = useDirectory();
  const [roleFilter, setRoleFilter] = createSignal<Role | ''>('');
  const { page, refetch, offset, setOffset, onSearch, restart } = usePagedSearch(roleFilter, (k) =>
    accountsApi.list({ q: k.q || undefined, role: k.filters || undefined, limit: PAGE, offset: k.offset }),
  );

  // ---------- the create form ----------
  const [role, setRole] = createSignal<Role>('agency');
  const [username, setUsername] = createSignal('');
  const [name, setName] = createSignal('');
  const [binding, setBinding] = createSignal({ agencyId: '', inspectorId: '', uscc: '' });
  const [creating, setCreating] = createSignal(false);
  const [createError, setCreateError] = createSignal<string | null>(null);
  const [otp, setOtp] = createSignal<{ username: string; password: string } | null>(null);
  const create = async (e: Event) => {
    e.preventDefault();
    setCreating(true);
    setCreateError(null);
    try {
      const r = await accountsApi.create({ role: role(), username: username(), name: name().trim() || undefined, ...bindingOf(role(), binding()) });
      setOtp({ username: r.user.username, password: r.oneTimePassword });
      setUsername('');
      setName('');
      setBinding({ agencyId: '', inspectorId: '', uscc: '' });
      void refetch();
    } catch (err) {
      setCreateError(errorText(err));
    } finally {
      setCreating(false);
    }
  };

  // ---------- row actions ----------
  const [pending, setPending] = createSignal<{ userId: string; action: 'disable' | 'enable' | 'reset' | 'rebind' } | null>(null);
  const [acting, setActing] = createSignal(false);
  const [rowError, setRowError] = createSignal<{ userId: string; text: string } | null>(null);
  const [rebindRole, setRebindRole] = createSignal<Role>('agency');
  const [rebindBinding, setRebindBinding] = createSignal({ agencyId: '', inspectorId: '', uscc: '' });
  const startRebind = (u: UserSummary) => {
    setRebindRole(u.role);
    setRebindBinding({ agencyId: u.agencyId ?? '', inspectorId: u.inspectorId ?? '', uscc: u.uscc ?? '' });
    setPending({ userId: u.userId, action: 'rebind' });
  };
  const act = async (u: UserSummary) => {
    const p = pending();
    if (!p) return;
    setActing(true);
    setRowError(null);
    try {
      if (p.action === 'disable') await accountsApi.disable(u.userId);
      else if (p.action === 'enable') await accountsApi.enable(u.userId);
      else if (p.action === 'reset') {
        const r = await accountsApi.reset(u.userId);
        setOtp({ username: r.user.username, password: r.oneTimePassword });
      } else await accountsApi.rebind(u.userId, { role: rebindRole(), ...bindingOf(rebindRole(), rebindBinding()) });
      setPending(null);
      void refetch();
    } catch (err) {
      setRowError({ userId: u.userId, text: errorText(err) });
    } finally {
      setActing(false);
    }
  };
  const question = (u: UserSummary, action: 'disable' | 'enable' | 'reset') =>
    t(action === 'disable' ? 'accounts.confirmDisable' : action === 'enable' ? 'accounts.confirmEnable' : 'accounts.confirmReset', { u: u.username });

  const linkText = (u: UserSummary) =>
    u.inspectorId ? `${u.inspectorId} · ${dir.agencyName(u.agencyId)}` : u.agencyId ? dir.agencyName(u.agencyId) : (u.uscc ?? '');

  // ---------- activation codes ----------
  const [actUscc, setActUscc] = createSignal('');
  const [issued, setIssued] = createSignal<ActivationIssued | null>(null);
  const [actBusy, setActBusy] = createSignal(false);
  const [actMsg, setActMsg] = createSignal<{ error: boolean; text: string } | null>(null);
  const issue = async (e: Event) => {
    e.preventDefault();
    setActBusy(true);
    setActMsg(null);
    setIssued(null);
    try {
      setIssued(await accountsApi.issueActivation(actUscc().trim()));
    } catch (err) {
      setActMsg({ error: true, text: errorText(err) });
    } finally {
      setActBusy(false);
    }
  };
  const bulk = async () => {
    setActBusy(true);
    setActMsg(null);
    try {
      await accountsApi.downloadActivationCsv({ all: true });
      setActMsg({ error: false, text: t('accounts.activationBulkDone') });
    } catch (err) {
      setActMsg({ error: true, text: errorText(err) });
    } finally {
      setActBusy(false);
    }
  };

  const total = () => page()?.total ?? 0;

  return (
    <section class="page">
      <AdminNav />
      <h1>{t('accounts.title')}</h1>
      <p class="muted">{t('accounts.lead')}</p>

      <Show when={otp()}>{(o) => <OneTimePasswordBox username={o().username} password={o().password} testid="account-otp" onDone={() => setOtp(null)} />}</Show>

      <form class="card" onSubmit={create} data-testid="account-create" novalidate>
        <h2 class="section-title">{t('accounts.create')}</h2>
        <p class="muted small">{t('accounts.createLead')}</p>
        <div class="field">
          <label for="account-role">{t('accounts.role')}</label>
          <select id="account-role" value={role()} onChange={(e) => setRole(e.currentTarget.value as Role)} data-testid="account-role">
            <For each={ROLES}>{(r) => <option value={r}>{t(`role.${r}`)}</option>}</For>
          </select>
        </div>
        <div class="field">
          <label for="account-username">{t('accounts.username')}</label>
          <input
            id="account-username"
            autocomplete="off"
            autocapitalize="none"
            spellcheck={false}
            maxLength={32}
            required
            aria-describedby="account-username-hint"
            value={username()}
            onInput={(e) => setUsername(e.currentTarget.value)}
            data-testid="account-username"
          />
          <span id="account-username-hint" class="hint">
            {t('accounts.usernameHint')}
          </span>
        </div>
        <div class="field">
          <label for="account-name">{t('accounts.name')}</label>
          <input
            id="account-name"
            maxLength={60}
            aria-describedby="account-name-hint"
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
            data-testid="account-name"
          />
          <span id="account-name-hint" class="hint">
            {t('accounts.nameHint')}
          </span>
        </div>
        <BindingFields prefix="account" role={role()} {...binding()} set={(k, v) => setBinding({ ...binding(), [k]: v })} />
        <Show when={createError()}>
          <p class="error" role="alert" data-testid="account-error">
            {createError()}
          </p>
        </Show>
        <button type="submit" class="btn btn-primary" disabled={creating() || !username().trim()} data-testid="account-submit">
          {creating() ? t('accounts.busy') : t('accounts.submit')}
        </button>
      </form>

      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <div class="field inline">
          <label for="account-search">{t('common.search')}</label>
          <input
            id="account-search"
            type="search"
            maxLength={64}
            placeholder={t('accounts.search')}
            onInput={(e) => onSearch(e.currentTarget.value)}
            data-testid="account-search"
          />
        </div>
        <div class="field inline">
          <label for="account-role-filter">{t('accounts.role')}</label>
          <select
            id="account-role-filter"
            onChange={(e) => {
              restart();
              setRoleFilter(e.currentTarget.value as Role | '');
            }}
            data-testid="account-role-filter"
          >
            <option value="">{t('common.all')}</option>
            <For each={ROLES}>{(r) => <option value={r}>{t(`role.${r}`)}</option>}</For>
          </select>
        </div>
      </form>
      <Show when={page.error}>
        <p class="error" role="alert">
          {errorText(page.error)}
        </p>
      </Show>
      <p class="muted small" data-testid="account-count">
        {t('accounts.count', { n: total() })}
      </p>
      <ListTable
        testid="account-table"
        headers={[t('accounts.username'), t('accounts.name'), t('accounts.role'), t('accounts.link'), t('accounts.state'), t('accounts.actions')]}
        items={page()?.items}
        loading={page.loading}
      >
        {(u) => (
          <tr data-testid="account-row" data-username={u.username} data-disabled={u.disabled ? 'true' : 'false'}>
            <td data-label={t('accounts.username')}>
              <code>{u.username}</code>
            </td>
            <td data-label={t('accounts.name')}>{u.name}</td>
            <td data-label={t('accounts.role')}>{t(`role.${u.role}`)}</td>
            <td data-label={t('accounts.link')}>{linkText(u)}</td>
            <td data-label={t('accounts.state')}>
              <span class="badge">{u.disabled ? t('accounts.disabled') : t('accounts.enabled')}</span>
              <Show when={u.mustChangePassword}>
                {' '}
                <span class="badge">{t('accounts.mustChange')}</span>
              </Show>
              <Show when={u.demoPassword}>
                {' '}
                <span class="badge badge-sev-warn">{t('accounts.demo')}</span>
              </Show>
            </td>
            <td data-label={t('accounts.actions')}>
              <Show
                when={pending()?.userId === u.userId ? pending() : null}
                fallback={
                  <div class="row">
                    <button
                      type="button"
                      class="btn btn-small"
                      onClick={() => setPending({ userId: u.userId, action: u.disabled ? 'enable' : 'disable' })}
                      data-testid={u.disabled ? 'account-enable' : 'account-disable'}
                    >
                      {u.disabled ? t('accounts.enable') : t('accounts.disable')}
                    </button>
                    <button type="button" class="btn btn-small" onClick={() => setPending({ userId: u.userId, action: 'reset' })} data-testid="account-reset">
                      {t('accounts.reset')}
                    </button>
                    <button type="button" class="btn btn-small" onClick={() => startRebind(u)} data-testid="account-rebind">
                      {t('accounts.rebind')}
                    </button>
                  </div>
                }
              >
                {(p) => (
                  <Show
                    when={p().action === 'rebind'}
                    fallback={
                      <ConfirmBar
                        question={question(u, p().action as 'disable')}
                        busy={acting()}
                        onConfirm={() => void act(u)}
                        onCancel={() => setPending(null)}
                      />
                    }
                  >
                    <form
                      onSubmit={(e) => {
                        e.preventDefault();
                        void act(u);
                      }}
                      data-testid="account-rebind-form"
                    >
                      <div class="field">
                        <label for="rebind-role">{t('accounts.role')}</label>
                        <select id="rebind-role" value={rebindRole()} onChange={(e) => setRebindRole(e.currentTarget.value as Role)} data-testid="rebind-role">
                          <For each={ROLES}>{(r) => <option value={r}>{t(`role.${r}`)}</option>}</For>
                        </select>
                      </div>
                      <BindingFields
                        prefix="rebind"
                        role={rebindRole()}
                        {...rebindBinding()}
                        set={(k, v) => setRebindBinding({ ...rebindBinding(), [k]: v })}
                      />
                      <div class="row">
                        <button type="submit" class="btn btn-small btn-primary" disabled={acting()} data-testid="rebind-save">
                          {t('accounts.save')}
                        </button>
                        <button type="button" class="btn btn-small" onClick={() => setPending(null)}>
                          {t('accounts.cancel')}
                        </button>
                      </div>
                    </form>
                  </Show>
                )}
              </Show>
              <Show when={rowError()?.userId === u.userId}>
                <p class="error small" role="alert" data-testid="account-row-error">
                  {rowError()?.text}
                </p>
              </Show>
            </td>
          </tr>
        )}
      </ListTable>
      <nav class="row" aria-label={t('audit.pages')}>
        <button
          type="button"
          class="btn btn-small"
          disabled={offset() === 0}
          onClick={() => setOffset(Math.max(0, offset() - PAGE))}
          data-testid="account-prev"
        >
          {t('accounts.prev')}
        </button>
        <span class="muted small">{t('accounts.page', { from: total() ? offset() + 1 : 0, to: Math.min(total(), offset() + PAGE), n: total() })}</span>
        <button type="button" class="btn btn-small" disabled={offset() + PAGE >= total()} onClick={() => setOffset(offset() + PAGE)} data-testid="account-next">
          {t('accounts.next')}
        </button>
      </nav>

      <section class="card" aria-labelledby="activation-title">
        <h2 id="activation-title" class="section-title">
          {t('accounts.activationTitle')}
        </h2>
        <p class="muted small">{t('accounts.activationLead')}</p>
        <form onSubmit={issue} data-testid="activation-form" novalidate>
          <div class="field">
            <label for="activation-uscc">{t('accounts.uscc')}</label>
            <input
              id="activation-uscc"
              maxLength={18}
              autocapitalize="characters"
              spellcheck={false}
              value={actUscc()}
              onInput={(e) => setActUscc(e.currentTarget.value)}
              data-testid="activation-uscc"
            />
          </div>
          <div class="row">
            <button type="submit" class="btn btn-primary" disabled={actBusy() || !actUscc().trim()} data-testid="activation-issue">
              {t('accounts.activationIssue')}
            </button>
            <button type="button" class="btn btn-wrap" disabled={actBusy()} onClick={() => void bulk()} data-testid="activation-bulk">
              {t('accounts.activationBulk')}
            </button>
          </div>
        </form>
        <Show when={issued()}>
          {(c) => (
            <p role="status">
              {t('accounts.activationResult', {
                name: c().name,
                uscc: c().uscc,
                date: new Date(c().expiresAt).toLocaleDateString(undefined, { timeZone: 'Asia/Shanghai' }),
              })}{' '}
              <code data-testid="activation-code" style={{ 'font-size': '1.25rem', 'user-select': 'all' }}>
                {c().code}
              </code>
            </p>
          )}
        </Show>
        <Show when={actMsg()}>
          {(m) => (
            <p class={m().error ? 'error' : 'muted small'} role={m().error ? 'alert' : 'status'} data-testid="activation-message">
              {m().text}
            </p>
          )}
        </Show>
      </section>
      <OrganisationSection />
    </section>
  );
}
