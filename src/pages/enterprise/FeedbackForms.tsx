/**
 * The enterprise's voice (measures 7, 11, 14): rate an inspection (anonymous to the inspecting agency),
 * refuse or complain citing the conduct rule broken, with the 12345 hotline. Presentational: the page
 * passes the records and writes through its callbacks (feedback/<uscc>, write-once).
 */
import { For, Show, createSignal, type JSX } from 'solid-js';
import { tx } from '../../i18n';
import type { ConductRule } from '../../domain/schemas';
import type { Complaint, Rating } from './enterprise-logic';
import { t } from '../../i18n/dict-field';

export function RateForm(p: { entryId: string; rating: Rating | undefined; onRate: (score: number, comment: string) => void }): JSX.Element {
  const [score, setScore] = createSignal(0);
  const [comment, setComment] = createSignal('');
  return (
    <section class="rate" data-testid="rate" aria-label={t('enterprise.rate')}>
      <Show
        when={p.rating}
        fallback={
          <details>
            <summary data-testid="rate-open">{t('enterprise.rate')}</summary>
            <fieldset class="field stars">
              <legend>{t('enterprise.scoreLegend')}</legend>
              <div class="row">
                <For each={[1, 2, 3, 4, 5]}>
                  {(n) => (
                    <label class="star" classList={{ on: score() >= n }}>
                      <input
                        type="radio"
                        class="visually-hidden"
                        name={`score-${p.entryId}`}
                        value={n}
                        data-testid={`score-${n}`}
                        checked={score() === n}
                        onChange={() => setScore(n)}
                      />
                      <span aria-hidden="true">★</span>
                      <span class="visually-hidden">{t('enterprise.score', { n })}</span>
                    </label>
                  )}
                </For>
              </div>
            </fieldset>
            <label class="field">
              {t('enterprise.rateComment')}
              <textarea rows={2} maxLength={1000} data-testid="rate-comment" value={comment()} onInput={(e) => setComment(e.currentTarget.value)} />
            </label>
            <p class="muted small">{t('enterprise.anon')}</p>
            <button class="btn btn-primary" data-testid="rate-submit" disabled={score() < 1} onClick={() => p.onRate(score(), comment())}>
              {t('enterprise.rateSubmit')}
            </button>
          </details>
        }
      >
        {(r) => (
          <p class="ok" data-testid="rated">
            {t('enterprise.rated', { n: r().score })}
            {r().comment ? ` · ${r().comment}` : ''}
          </p>
        )}
      </Show>
    </section>
  );
}

export interface ComplaintInput {
  ruleCode?: string;
  refused: boolean;
  text: string;
}

/** Refuse or complain; `entryId` absent: about an inspection with no entry record (e.g. no scan at all). */
export function ComplaintForm(p: {
  rules: readonly ConductRule[];
  hotline: string;
  defaultRefused?: boolean;
  onSubmit: (c: ComplaintInput) => string | null;
  testid?: string;
}): JSX.Element {
  const [rule, setRule] = createSignal('');
  const [refused, setRefused] = createSignal(p.defaultRefused ?? false);
  const [text, setText] = createSignal('');
  const [err, setErr] = createSignal<string | null>(null);
  const [sent, setSent] = createSignal(false);
  const submit = () => {
    const e = p.onSubmit({ ...(rule() ? { ruleCode: rule() } : {}), refused: refused(), text: text() });
    setErr(e);
    if (!e) {
      setSent(true);
      setText('');
      setRule('');
    }
  };
  return (
    <div class="complaint-form" data-testid={p.testid ?? 'complaint-form'}>
      <p class="muted">{t('enterprise.complainLead')}</p>
      <label class="field">
        {t('enterprise.rule')}
        <select data-testid="complaint-rule" value={rule()} onChange={(e) => setRule(e.currentTarget.value)}>
          <option value="">{t('enterprise.ruleOther')}</option>
          <For each={p.rules}>
            {(r) => (
              <option value={r.code}>
                {r.code} {tx(r.text)}
              </option>
            )}
          </For>
        </select>
      </label>
      <label class="check">
        <input type="checkbox" data-testid="complaint-refused" checked={refused()} onChange={(e) => setRefused(e.currentTarget.checked)} />{' '}
        {t('enterprise.refused')}
      </label>
      <label class="field">
        {t('enterprise.complainText')}
        <textarea
          rows={3}
          maxLength={4000}
          data-testid="complaint-text"
          value={text()}
          onInput={(e) => {
            setText(e.currentTarget.value);
            setSent(false);
          }}
        />
      </label>
      <button class="btn btn-primary" data-testid="complaint-submit" disabled={text().trim().length < 5} onClick={submit}>
        {t('enterprise.complainSubmit')}
      </button>
      <Show when={err()}>
        <p class="notice notice-error" role="alert">
          {err()}
        </p>
      </Show>
      <Show when={sent()}>
        <p class="notice notice-ok" role="status" data-testid="complaint-sent">
          {t('enterprise.complained')}
        </p>
      </Show>
      <p class="hotline" data-testid="hotline">
        <a href={`tel:${p.hotline}`}>{t('enterprise.hotlineCall', { hotline: p.hotline })}</a>
      </p>
    </div>
  );
}

export function ComplaintList(p: { items: Complaint[]; rules: readonly ConductRule[] }): JSX.Element {
  const ruleText = (code?: string) => {
    const r = p.rules.find((x) => x.code === code);
    return r ? `${r.code} ${tx(r.text)}` : '';
  };
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
  return (
    <ul class="complaints" data-testid="complaints">
      <For each={p.items}>
        {(c) => (
          <li data-testid="complaint" data-refused={String(c.refused)}>
            <strong>{c.refused ? t('enterprise.kind.refusal') : t('enterprise.kind.complaint')}</strong> · {at(c.at)}
            <Show when={c.ruleCode}>
              <br />
              <small>{ruleText(c.ruleCode)}</small>
            </Show>
            <br />
            {c.text}
          </li>
        )}
      </For>
    </ul>
  );
}
