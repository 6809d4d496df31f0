/**
 * Sign-in for every role. The server's message for a refused sign-in is shown in the current language.
 * A one-time password leads to the forced password change (ForcedPasswordChange) instead of a session.
 * A demo installation (GET /api/instance) shows the 演示数据 / Demo data ribbon with its demo accounts; a real
 * one shows nothing. The answer is kept in localStorage, so the page looks the same offline.
 */
import { createSignal, lazy, onMount, Show, For, type JSX } from 'solid-js';
import { useNavigate } from '@solidjs/router';
import { t, tx } from '../../i18n';
import { signIn, requestPersistence } from '../../client/session-state';
import { authApi } from '../../client/agent';
import type { Text } from '../../domain/schemas';
import { InstanceInfo, isPasswordChange, type PasswordChangeRequired } from '../../protocol/auth';
import { homeOf, paths } from '../routes';
import { followServerClock } from '../../client/server-clock';
import { errorMessage } from '../../ui/errors';

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
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<Text | string | null>(null);
  const [instance, setInstance] = createSignal<InstanceInfo | null>(cachedInstance());
  /** a one-time password was accepted: the password-change step, with the password just typed */
  const [challenge, setChallenge] = createSignal<{ r: PasswordChangeRequired; password: string } | null>(null);

  onMount(() => {
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
