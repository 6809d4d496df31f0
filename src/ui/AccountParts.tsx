/**
 * Pieces the account pages of supervisors and agency admins share: the one-time password shown once with a
 * copy button, and an inline confirmation for an action on a row (no browser dialog: it works the same on
 * phones, and stays in the page's language).
 */
import { createSignal, Show, type JSX } from 'solid-js';
import { t } from '../i18n/dict-accounts';

export function OneTimePasswordBox(p: { username: string; password: string; testid: string; onDone: () => void }): JSX.Element {
  const [copied, setCopied] = createSignal(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(p.password);
      setCopied(true);
    } catch {
      /* no clipboard permission: the password stays selectable */
    }
  };
  return (
    <div class="card notice notice-ok" role="status" aria-live="polite" data-testid={`${p.testid}-box`}>
      <h2 class="section-title">{t('accounts.otpTitle')}</h2>
      <p>
        {t('accounts.otpFor', { u: p.username })}{' '}
        <code class="otp" data-testid={p.testid} style={{ 'font-size': '1.25rem', 'user-select': 'all' }}>
          {p.password}
        </code>
      </p>
      <p class="muted small">{t('accounts.otpLead')}</p>
      <div class="row">
        <button type="button" class="btn btn-small" onClick={copy} data-testid={`${p.testid}-copy`}>
          {copied() ? t('accounts.copied') : t('accounts.copy')}
        </button>
        <button type="button" class="btn btn-small btn-primary" onClick={() => p.onDone()} data-testid={`${p.testid}-done`}>
          {t('accounts.done')}
        </button>
      </div>
    </div>
  );
}

/** a question with Confirm and Cancel, shown in place of a row's actions */
export function ConfirmBar(p: { question: string; busy?: boolean; onConfirm: () => void; onCancel: () => void }): JSX.Element {
  return (
    <div class="row">
      <span class="small">{p.question}</span>
      <button type="button" class="btn btn-small btn-danger" disabled={p.busy} onClick={() => p.onConfirm()} data-testid="confirm-yes">
        <Show when={p.busy} fallback={t('accounts.confirm')}>
          {t('accounts.busy')}
        </Show>
      </button>
      <button type="button" class="btn btn-small" onClick={() => p.onCancel()} data-testid="confirm-no">
        {t('accounts.cancel')}
      </button>
    </div>
  );
}
