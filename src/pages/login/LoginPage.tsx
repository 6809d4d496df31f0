/**
 * Sign-in for every role. The server's message for a refused sign-in is shown in the current language.
 * A one-time password leads to the forced password change (ForcedPasswordChange) instead of a session.
 * A demo installation (GET /api/instance) shows the 演示数据 / Demo data ribbon with its demo accounts; a real
 * one shows nothing. The answer is kept in localStorage, so the page looks the same offline.
 * When the province's unified sign-in is set up (InstanceInfo.oidc), enterprises have its button: the server
 * sends the browser there and back to `/login?via=oidc` with the refresh cookie, which becomes the session
 * here, or to `/login?oidc_error=<code>`, whose fixed message is shown (nothing of the URL is displayed).
 */
import { createSignal, lazy, onMount, Show, For, type JSX } from 'solid-js';
import { useNavigate, useSearchParams } from '@solidjs/router';
import { t, tx } from '../../i18n';
import { signIn, signInFromCookie, requestPersistence } from '../../client/session-state';
import { ApiError, authApi } from '../../client/agent';
import type { Text } from '../../domain/schemas';
import { InstanceInfo, isPasswordChange, type PasswordChangeRequired } from '../../protocol/auth';
import { homeOf, paths } from '../routes';
import { followServerClock } from '../../client/server-clock';
import { errorMessage } from '../../ui/errors';
import { OidcErrorCode } from '../../protocol/oidc';
import { zh as oidcZh, en as oidcEn, type OidcMessageKey } from '../../i18n/dict-oidc';

/** a string of the unified sign-in's dictionary, as bilingual text */
const oidcText = (k: OidcMessageKey): Text => ({ zh: oidcZh[k], en: oidcEn[k] });

// only a one-time password leads there: the password form and its rules load then, not with the first screen
const ForcedPasswordChange = lazy(() => import('./ForcedPasswordChange').then((m) => ({ default: m.ForcedPasswordChange })));

const INSTANCE_KEY = 'eicp.instance';

function cachedInstance(): InstanceInfo | null {
  try {
    const raw = localStorage.getItem(INSTANCE_KEY);
    const r = raw ? InstanceInfo.safeParse(JSON.parse(raw)) : null;
    return r?.success ? r.data : null;
  } catch {
    return null;
  }
}

export default function LoginPage(): JSX.Element {
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<Text | string | null>(null);
  /** the unified sign-in's refusal (shown by its button, not as a wrong password) */
  const [oidcError, setOidcError] = createSignal<Text | null>(null);
  const [instance, setInstance] = createSignal<InstanceInfo | null>(cachedInstance());
  /** a one-time password was accepted: the password-change step, with the password just typed */
  const [challenge, setChallenge] = createSignal<{ r: PasswordChangeRequired; password: string } | null>(null);

  onMount(() => {
    // back from the unified sign-in: its refresh cookie becomes the session, or its refusal is shown
    const refused = OidcErrorCode.safeParse(search.oidc_error);
    if (search.oidc_error !== undefined) setOidcError(oidcText(refused.success ? `oidc.error.${refused.data}` : 'oidc.error.invalid_response'));
    if (search.via === 'oidc') {
      setBusy(true);
      signInFromCookie().then(
        (s) => {
          void requestPersistence();
          navigate(homeOf(s.principal.role), { replace: true });
        },
        (err: unknown) => {
          setBusy(false);
          setOidcError(err instanceof ApiError && err.status === 401 ? oidcText('oidc.error.session') : errorMessage(err));
        },
      );
    }
    authApi.instance().then(
      (i) => {
        setInstance(i);
        followServerClock(i);
        try {
          localStorage.setItem(INSTANCE_KEY, JSON.stringify(i));
        } catch {
          /* quota */
        }
      },
      () => {
        /* offline: the cached answer stays */
      },
    );
  });

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!username().trim() || !password()) {
      setError(t('login.required'));
      return;
    }
    setBusy(true);
    setError(null);
    setOidcError(null);
    try {
      const s = await signIn(username().trim(), password());
      if (isPasswordChange(s)) {
        setChallenge({ r: s, password: password() });
        setPassword('');
        return;
      }
      void requestPersistence();
      navigate(homeOf(s.principal.role), { replace: true });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const demo = () => {
    const i = instance();
    return i?.mode === 'demo' ? i : null;
  };

  const signInForm = (): JSX.Element => (
    <section class="login card" aria-labelledby="login-title">
      <Show when={demo()}>
        <p class="demo-ribbon" role="note" data-testid="demo-ribbon">
          <strong>{t('login.demoRibbon')}</strong> {t('login.demoLead')}
        </p>
      </Show>
      <h1 id="login-title">{t('login.title')}</h1>
      <p class="muted">{t('login.lead')}</p>
      <form onSubmit={submit} novalidate>
        <div class="field">
          <label for="username">{t('login.username')}</label>
          <input
            id="username"
            name="username"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            value={username()}
            onInput={(e) => setUsername(e.currentTarget.value)}
            aria-invalid={error() ? 'true' : undefined}
            aria-describedby={error() ? 'login-error' : undefined}
          />
        </div>
        <div class="field">
          <label for="password">{t('login.password')}</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
            aria-invalid={error() ? 'true' : undefined}
            aria-describedby={error() ? 'login-error' : undefined}
          />
        </div>
        <Show when={error()}>
          {(m) => (
            <p id="login-error" class="error" role="alert" data-testid="login-error">
              {typeof m() === 'string' ? (m() as string) : tx(m() as Text)}
            </p>
          )}
        </Show>
        <button class="btn btn-primary btn-block" type="submit" disabled={busy()} data-testid="login-submit">
          {busy() ? t('login.busy') : t('login.submit')}
        </button>
      </form>
      <Show when={instance()?.oidc}>
        {(o) => (
          <>
            <p class="public-link muted">{tx(oidcText('oidc.or'))}</p>
            {/* a navigation to the provider through our server, not a call: a link the router leaves to the browser */}
            <a class="btn btn-block" href="/api/auth/oidc/start" rel="external" data-testid="oidc-signin">
              {tx(o().label)}
            </a>
          </>
        )}
      </Show>
      <Show when={busy() && search.via === 'oidc'}>
        <p class="muted" role="status" data-testid="oidc-finishing">
          {tx(oidcText('oidc.finishing'))}
        </p>
      </Show>
      <Show when={oidcError()}>
        {(m) => (
          <p class="error" role="alert" data-testid="oidc-error">
            {tx(m())}
          </p>
        )}
      </Show>
      <p class="public-link">
        <a href={paths.publicPlans} data-testid="public-plans-link">
          {t('pubplans.link')}
        </a>
        {' · '}
        <a href={paths.publicCatalogue} data-testid="public-catalogue-link">
          {t('publinks.catalogue')}
        </a>
        {' · '}
        <a href={paths.publicBodies}>{t('publinks.bodies')}</a>
        {' · '}
        <a href={paths.publicHandbooks}>{t('publinks.handbooks')}</a>
      </p>
      <p class="public-link">
        <a href={paths.activate} data-testid="activate-link">
          {t('activate.link')}
        </a>
      </p>
      <Show when={demo()?.demoAccounts?.length ? demo() : null}>
        {(i) => (
          <details class="demo" data-testid="demo-accounts">
            <summary>{t('login.demo', { password: i().demoPassword ?? '' })}</summary>
            <ul class="demo-list">
              <For each={i().demoAccounts}>
                {(a) => (
                  <li>
                    <button
                      type="button"
                      class="btn btn-link"
                      data-testid={`demo-account-${a.username}`}
                      title={`${t(`role.${a.role}`)} · ${a.name}`}
                      onClick={() => {
                        setUsername(a.username);
                        setPassword(i().demoPassword ?? '');
                      }}
                    >
                      {a.username}
                    </button>
                  </li>
                )}
              </For>
            </ul>
          </details>
        )}
      </Show>
    </section>
  );

  return (
    <Show when={challenge()} fallback={signInForm()}>
      {(c) => (
        <ForcedPasswordChange
          challenge={c().r}
          oneTimePassword={c().password}
          onDone={(role) => {
            void requestPersistence();
            navigate(homeOf(role), { replace: true });
          }}
          onCancel={() => {
            setChallenge(null);
            setError(null);
          }}
        />
      )}
    </Show>
  );
}
