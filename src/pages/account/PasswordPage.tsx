/**
 * Change password, for every role (reached from the app bar): the current password, the new one twice.
 * The server ends every other session of the user and answers with a new one for this device.
 */
import { createSignal, Show, type JSX } from 'solid-js';
import { A } from '@solidjs/router';
import { t } from '../../i18n';
import { changePassword, principal } from '../../client/session-state';
import { PasswordForm } from '../../ui/PasswordForm';
import { homeOf } from '../routes';

export default function PasswordPage(): JSX.Element {
  const [done, setDone] = createSignal(false);
  return (
    <section class="page password-page" aria-labelledby="password-title">
      <div class="card">
        <h1 id="password-title">{t('password.title')}</h1>
        <p class="muted">{t('password.lead')}</p>
        <Show when={done()}>
          <p class="notice notice-ok" role="status" data-testid="password-done">
            {t('password.done')}
          </p>
        </Show>
        <PasswordForm
          askCurrent
          submitLabel={t('password.submit')}
          onSubmit={async (current, next) => {
            setDone(false);
            await changePassword(current, next);
            setDone(true);
          }}
        />
        <Show when={principal()}>
          {(p) => (
            <p class="public-link">
              <A href={homeOf(p().role)}>{t('app.backHome')}</A>
            </p>
          )}
        </Show>
      </div>
    </section>
  );
}
