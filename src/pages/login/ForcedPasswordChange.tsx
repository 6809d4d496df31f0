/**
 * After a sign-in with a one-time password (made by an administrator): the one thing the user can do is set
 * their own password. The one-time password they just typed is kept in memory only for this step and sent
 * as the current password with the short-lived password-change token; the answer is a normal session.
 */
import type { JSX } from 'solid-js';
import { t } from '../../i18n';
import { changePassword } from '../../client/session-state';
import type { PasswordChangeRequired } from '../../protocol/auth';
import { PasswordForm } from '../../ui/PasswordForm';

export function ForcedPasswordChange(p: {
  challenge: PasswordChangeRequired;
  oneTimePassword: string;
  onDone: (role: PasswordChangeRequired['role']) => void;
  onCancel: () => void;
}): JSX.Element {
  return (
    <section class="login card" aria-labelledby="forced-title" data-testid="forced-password-change">
      <h1 id="forced-title">{t('login.oneTime.title')}</h1>
      <p class="muted">{t('login.oneTime.lead', { name: p.challenge.name })}</p>
      <PasswordForm
        username={p.challenge.username}
        askCurrent={false}
        submitLabel={t('password.submit')}
        onSubmit={async (_current, next) => {
          await changePassword(p.oneTimePassword, next, p.challenge.passwordChangeToken);
          p.onDone(p.challenge.role);
        }}
        // the token lives 10 minutes: past it, sign in again with the one-time password
        errorText={(e) => (e.status === 401 ? t('login.oneTime.expired') : null)}
      />
      <p class="public-link">
        <button type="button" class="btn btn-link" onClick={() => p.onCancel()}>
          {t('login.oneTime.cancel')}
        </button>
      </p>
    </section>
  );
}
