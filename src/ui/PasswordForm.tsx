/**
 * A new password: the rules shown, the new password twice, and (on the change-password page) the current
 * one. The rules are checked here with the server's own function (src/protocol/auth.ts passwordProblem),
 * so the words match; the server's refusal (wrong current password, rate limit, offline) is shown as it is.
 */
import { createSignal, createUniqueId, Show, type JSX } from 'solid-js';
import { t, tx } from '../i18n';
import { ApiError } from '../client/agent';
import { errorText } from './errors';
import { PASSWORD_MAX, PASSWORD_MIN, passwordProblem } from '../protocol/auth';

export interface PasswordFormProps {
  /** the user name, when known (the rule "not the user name" is then checked before sending) */
  username?: string;
  /** ask for the current password (the change page); a one-time-password sign-in already has it */
  askCurrent: boolean;
  submitLabel: string;
  /** sends the change; throws ApiError when the server refuses */
  onSubmit: (current: string, next: string) => Promise<void>;
  /** an ApiError's text in place of the server's (e.g. an expired password-change token), in the current language */
  errorText?: (e: ApiError) => string | null;
}

export function PasswordForm(p: PasswordFormProps): JSX.Element {
  const id = createUniqueId();
  const [current, setCurrent] = createSignal('');
  const [next, setNext] = createSignal('');
  const [repeat, setRepeat] = createSignal('');
  const [show, setShow] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  /** the message, read in the current language at render time (a switch re-translates it) */
  const [error, setError] = createSignal<(() => string) | null>(null);
  /** which field the error is about, for aria-invalid and focus */
  const [field, setField] = createSignal<'current' | 'next' | 'repeat' | null>(null);

  const refuse = (f: 'current' | 'next' | 'repeat' | null, text: () => string) => {
    setField(f);
    setError(() => text);
    if (f) document.getElementById(`${id}-${f}`)?.focus();
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy()) return;
    setError(null);
    setField(null);
    if (p.askCurrent && !current()) return refuse('current', () => t('password.currentRequired'));
    const problem = passwordProblem(p.username ?? '', next(), p.askCurrent ? current() : undefined);
    if (problem) return refuse('next', () => tx(problem));
    if (next() !== repeat()) return refuse('repeat', () => t('password.mismatch'));
    setBusy(true);
    try {
      await p.onSubmit(current(), next());
      setCurrent('');
      setNext('');
      setRepeat('');
    } catch (err) {
      if (!(err instanceof ApiError)) return refuse(null, () => errorText(err));
      refuse(err.code === 'wrong_password' ? 'current' : err.code === 'weak_password' ? 'next' : null, () => p.errorText?.(err) ?? tx(err.text));
    } finally {
      setBusy(false);
    }
  };

  const input = (f: 'current' | 'next' | 'repeat', label: string, value: () => string, set: (v: string) => void, autocomplete: string) => (
    <div class="field">
      <label for={`${id}-${f}`}>{label}</label>
      <input
        id={`${id}-${f}`}
        data-testid={`password-${f}`}
        type={show() ? 'text' : 'password'}
        autocomplete={autocomplete}
        autocapitalize="none"
        spellcheck={false}
        maxLength={PASSWORD_MAX * 4}
        value={value()}
        onInput={(e) => set(e.currentTarget.value)}
        aria-invalid={field() === f ? 'true' : undefined}
        aria-describedby={field() === f ? `${id}-error` : f === 'next' ? `${id}-rules` : undefined}
      />
    </div>
  );

  return (
    <form class="password-form" onSubmit={submit} novalidate>
      <div class="password-rules" id={`${id}-rules`}>
        <p class="sublabel">{t('password.rules')}</p>
        <ul>
          <li>{t('password.ruleLength', { min: PASSWORD_MIN, max: PASSWORD_MAX })}</li>
          <li>{t('password.ruleName')}</li>
          <li>{t('password.ruleCurrent')}</li>
        </ul>
        <p class="hint">{t('password.ruleHint')}</p>
      </div>
      <Show when={p.askCurrent}>{input('current', t('password.current'), current, setCurrent, 'current-password')}</Show>
      {input('next', t('password.new'), next, setNext, 'new-password')}
      {input('repeat', t('password.repeat'), repeat, setRepeat, 'new-password')}
      <label class="check">
        <input type="checkbox" checked={show()} onChange={(e) => setShow(e.currentTarget.checked)} /> {t('password.show')}
      </label>
      <Show when={error()}>
        {(m) => (
          <p id={`${id}-error`} class="error" role="alert" data-testid="password-error">
            {m()()}
          </p>
        )}
      </Show>
      <button class="btn btn-primary btn-block" type="submit" disabled={busy()} data-testid="password-submit">
        {busy() ? t('password.busy') : p.submitLabel}
      </button>
    </form>
  );
}
