/**
 * Disputes (异议): an enterprise's objection to an inspector's entry or result, a signed ledger record of
 * its own (`dispute`). It is shown beside the disputed record to the enterprise and to the inspector, and
 * reaches the agency and supervisors as a warning; it never hides or changes the disputed record.
 */
import { For, Show, createSignal, type JSX } from 'solid-js';
import { LEN, type DisputeRecord } from '../domain/schemas';
import { t } from '../i18n/dict-field';

const at = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour12: false,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });

/** The disputes of one record, oldest first (read-only: the enterprise's and the inspector's views). */
export function DisputeList(p: { items: readonly DisputeRecord[] }): JSX.Element {
  return (
    <Show when={p.items.length > 0}>
      <ul class="disputes" data-testid="disputes">
        <For each={p.items}>
          {(d) => (
            <li class="notice notice-warn" data-testid="dispute" data-ref={d.refId}>
              <strong>{t('ledger.dispute')}</strong> · {at(d.at)}
              <br />
              {d.text}
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}

/** The enterprise's form to dispute one record; `onSubmit` resolves to an error text, or null once stored. */
export function DisputeForm(p: { refId: string; onSubmit: (text: string) => Promise<string | null> }): JSX.Element {
  const [text, setText] = createSignal('');
  const [err, setErr] = createSignal<string | null>(null);
  const [sent, setSent] = createSignal(false);
  const submit = async () => {
    const e = await p.onSubmit(text());
    setErr(e);
    if (!e) {
      setSent(true);
      setText('');
    }
  };
  return (
    <details class="dispute-form" data-testid="dispute-form" data-ref={p.refId}>
      <summary data-testid="dispute-open">{t('enterprise.dispute')}</summary>
      <p class="muted">{t('enterprise.disputeLead')}</p>
      <label class="field">
        {t('enterprise.disputeText')}
        <textarea
          rows={3}
          maxLength={LEN.note}
          data-testid="dispute-text"
          value={text()}
          onInput={(e) => {
            setText(e.currentTarget.value);
            setSent(false);
          }}
        />
      </label>
      <button class="btn btn-secondary" data-testid="dispute-submit" disabled={text().trim().length < 5} onClick={() => void submit()}>
        {t('enterprise.disputeSubmit')}
      </button>
      <Show when={err()}>
        <p class="notice notice-error" role="alert">
          {err()}
        </p>
      </Show>
      <Show when={sent()}>
        <p class="notice notice-ok" role="status" data-testid="dispute-sent">
          {t('enterprise.disputed')}
        </p>
      </Show>
    </details>
  );
}
