/**
 * 激活企业账户 (no sign-in): an enterprise activates its own account with the USCC and the activation code of
 * its letter (一企一码), choosing a user name and a password (typed twice, the same rules the server keeps).
 * Activated, it is signed in and goes straight to the enterprise's home.
 */
import { createSignal, Show, type JSX } from 'solid-js';
import { A, useNavigate } from '@solidjs/router';
import { tx } from '../../i18n';
import { t } from '../../i18n/dict-accounts';
import { accountsApi } from '../../client/accounts-api';
import { requestPersistence, signIn } from '../../client/session-state';
import { passwordProblem, PASSWORD_MIN } from '../../protocol/auth';
import type { Text } from '../../domain/schemas';
import { errorMessage } from '../../ui/errors';
import { homeOf, paths } from '../routes';

export default function ActivatePage(): JSX.Element {
  const navigate = useNavigate();
  const [uscc, setUscc] = createSignal('');
  const [code, setCode] = createSignal('');
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [password2, setPassword2] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<Text | string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!uscc().trim() || !code().trim() || !username().trim() || !password()) {
      setError(t('activate.required'));
      return;
    }
    const name = username().trim().toLowerCase();
    const problem = passwordProblem(name, password());
    if (problem) {
      setError(problem);
      return;
    }
    if (password() !== password2()) {
      setError(t('activate.mismatch'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await accountsApi.activate({ uscc: uscc().trim(), code: code().trim(), username: name, password: password() });
      // the account exists with this password: the app's session starts with it (the session manager opens
      // sessions from a sign-in)
      const opened = await signIn(name, password());
      void requestPersistence();
      navigate(homeOf('principal' in opened ? opened.principal.role : 'enterprise'), { replace: true });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const described = () => (error() ? 'activate-error' : undefined);
  return (
    <section class="login card" aria-labelledby="activate-title">
      <h1 id="activate-title">{t('activate.title')}</h1>
      <p class="muted">{t('activate.lead')}</p>
      <form onSubmit={submit} novalidate data-testid="activate-form">
        <div class="field">
          <label for="activate-uscc">{t('activate.uscc')}</label>
          <input
            id="activate-uscc"
            maxLength={18}
            autocapitalize="characters"
            spellcheck={false}
            value={uscc()}
            onInput={(e) => setUscc(e.currentTarget.value)}
            aria-invalid={error() ? 'true' : undefined}
            aria-describedby={described()}
            data-testid="activate-uscc"
          />
        </div>
        <div class="field">
          <label for="activate-code">{t('activate.code')}</label>
          <input
            id="activate-code"
            maxLength={40}
            autocomplete="one-time-code"
            autocapitalize="none"
            spellcheck={false}
            value={code()}
            onInput={(e) => setCode(e.currentTarget.value)}
            aria-invalid={error() ? 'true' : undefined}
            aria-describedby={`activate-code-hint${described() ? ' activate-error' : ''}`}
            data-testid="activate-code"
          />
          <span id="activate-code-hint" class="hint">
            {t('activate.codeHint')}
          </span>
        </div>
        <div class="field">
          <label for="activate-username">{t('activate.username')}</label>
          <input
            id="activate-username"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            maxLength={32}
            aria-describedby="activate-username-hint"
            value={username()}
            onInput={(e) => setUsername(e.currentTarget.value)}
            data-testid="activate-username"
          />
          <span id="activate-username-hint" class="hint">
            {t('accounts.usernameHint')}
          </span>
        </div>
        <div class="field">
          <label for="activate-password">{t('activate.password')}</label>
          <input
            id="activate-password"
            type="password"
            autocomplete="new-password"
            aria-describedby="activate-password-hint"
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
            data-testid="activate-password"
          />
          <span id="activate-password-hint" class="hint">
            {t('activate.passwordHint', { n: PASSWORD_MIN })}
          </span>
        </div>
        <div class="field">
          <label for="activate-password2">{t('activate.password2')}</label>
          <input
            id="activate-password2"
            type="password"
            autocomplete="new-password"
            value={password2()}
            onInput={(e) => setPassword2(e.currentTarget.value)}
            data-testid="activate-password2"
          />
        </div>
        <Show when={error()}>
          {(m) => (
            <p id="activate-error" class="error" role="alert" data-testid="activate-error">
              {typeof m() === 'string' ? (m() as string) : tx(m() as Text)}
            </p>
          )}
        </Show>
        <button class="btn btn-primary btn-block" type="submit" disabled={busy()} data-testid="activate-submit">
          {busy() ? t('activate.busy') : t('activate.submit')}
        </button>
      </form>
      <p class="public-link">
        <A href={paths.login} data-testid="activate-back">
          {t('activate.back')}
        </A>
      </p>
    </section>
  );
}
