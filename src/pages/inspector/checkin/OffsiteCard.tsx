/** Stage 2 of an off-site or written task (measure 12): the data sources checked, then start without a scan. */
import { For, Show, type JSX } from 'solid-js';
import type { DataSourceKind } from '../../../domain/schemas';
import type { Checkin } from './controller';
import { SOURCE_KINDS } from './offsite';
import { t } from '../../../i18n/dict-inspection';

export function OffsiteCard(p: { ck: Checkin }): JSX.Element {
  const o = () => p.ck.offsite;
  return (
    <section class="card offsite" aria-labelledby="offsite-h" data-testid="offsite-card">
      <h3 id="offsite-h">{t('offsite.title')}</h3>
      <p class="muted">{t('offsite.lead')}</p>
      <ul class="sources">
        <For each={o().sources()} fallback={<li class="muted">{t('offsite.none')}</li>}>
          {(s, i) => (
            <li data-testid="offsite-source" data-kind={s.kind}>
              {t(`offsite.kind.${s.kind}`)}：{s.note}{' '}
              <button type="button" class="btn btn-link" onClick={() => o().remove(i())}>
                {t('offsite.remove')}
              </button>
            </li>
          )}
        </For>
      </ul>
      <label class="field">
        {t('offsite.kind')}
        <select data-testid="offsite-source-kind" value={o().kind()} onChange={(e) => o().setKind(e.currentTarget.value as DataSourceKind)}>
          <For each={SOURCE_KINDS}>{(k) => <option value={k}>{t(`offsite.kind.${k}`)}</option>}</For>
        </select>
      </label>
      <label class="field">
        {t('offsite.note')}
        <input
          data-testid="offsite-source-note"
          value={o().note()}
          maxLength={500}
          onInput={(e) => o().setNote(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') o().add();
          }}
        />
      </label>
      <button type="button" class="btn btn-secondary" data-testid="offsite-source-add" disabled={o().note().trim().length < 2} onClick={() => o().add()}>
        {t('offsite.add')}
      </button>
      <button type="button" class="btn btn-primary btn-wide" data-testid="offsite-start" disabled={!o().canStart()} onClick={() => void o().start()}>
        {t('offsite.start')}
      </button>
      <Show when={p.ck.scanMsg()}>
        <p class="notice notice-error" role="alert" data-testid="scan-error">
          {p.ck.scanMsg()}
        </p>
      </Show>
    </section>
  );
}
