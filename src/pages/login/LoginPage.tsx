/** Sign-in for every role. The server's message for a refused sign-in is shown in the current language. */
import { createSignal, Show, For, type JSX } from 'solid-js';
import { useNavigate } from '@solidjs/router';
import { t, tx } from '../../i18n';
import { signIn, requestPersistence } from '../../sync/app-state';
import { ApiError } from '../../sync/api';
import type { Text } from '../../domain/schemas';
import { homeOf, paths } from '../routes';

const DEMO = ['inspector1', 'agency1', 'county1', 'supervisor1', 'enterprise1'];

export default function LoginPage(): JSX.Element {
  const navigate = useNavigate();
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<Text | string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!username().trim() || !password()) { setError(t('login.required')); return; }
    setBusy(true);
    setError(null);
    try {
      const s = await signIn(username().trim(), password());
      void requestPersistence();
      navigate(homeOf(s.principal.role), { replace: true });
    } catch (err) {
      setError(err instanceof ApiError ? err.text : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="login card" aria-labelledby="login-title">
      <h1 id="login-title">{t('login.title')}</h1>
      <p class="muted">{t('login.lead')}</p>
      <form onSubmit={submit} novalidate>
        <div class="field">
          <label for="username">{t('login.username')}</label>
          <input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck={false}
            value={username()} onInput={(e) => setUsername(e.currentTarget.value)} aria-invalid={error() ? 'true' : undefined}
            aria-describedby={error() ? 'login-error' : undefined} />
        </div>
        <div class="field">
          <label for="password">{t('login.password')}</label>
          <input id="password" name="password" type="password" autocomplete="current-password"
            value={password()} onInput={(e) => setPassword(e.currentTarget.value)} aria-invalid={error() ? 'true' : undefined}
            aria-describedby={error() ? 'login-error' : undefined} />
        </div>
        <Show when={error()}>
          {(m) => <p id="login-error" class="error" role="alert" data-testid="login-error">{typeof m() === 'string' ? (m() as string) : tx(m() as Text)}</p>}
        </Show>
        <button class="btn btn-primary btn-block" type="submit" disabled={busy()} data-testid="login-submit">
          {busy() ? t('login.busy') : t('login.submit')}
        </button>
      </form>
      <p class="public-link"><a href={paths.publicPlans} data-testid="public-plans-link">{t('pubplans.link')}</a></p>
      <details class="demo">
        <summary>{t('login.demo')}</summary>
        <ul class="demo-list">
          <For each={DEMO}>{(u) => (
            <li><button type="button" class="btn btn-link" onClick={() => { setUsername(u); setPassword('demo1234'); }}>{u}</button></li>
          )}</For>
        </ul>
      </details>
    </section>
  );
}
