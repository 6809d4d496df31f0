/**
 * Done stage: the documents (现场检查笔录, 检查结果告知书). Before they are made: a signature pad for each of the
 * team's two inspectors and the enterprise's representative (or their refusal); after: the documents in the
 * ledger, each saved from this phone (or the server).
 */
import { For, Show, onMount, type JSX } from 'solid-js';
import { SignaturePad } from '../../../ui/SignaturePad';
import type { Checkin } from './controller';
import type { PadKey } from './documents-state';
import { t } from '../../../i18n/dict-inspection';

export function DocsCard(p: { ck: Checkin }): JSX.Element {
  const d = () => p.ck.documents;
  // load pdf-lib and fetch the font while the pads are being signed, not after the tap (the first PDF of a
  // session took 1.5 s at 4× CPU, the second 0.4 s)
  onMount(() => {
    if (d().made().length === 0) void import('../../../docs/pdf').then((m) => m.documentFont()).catch(() => {});
  });
  return (
    <section class="card docs" aria-labelledby="docs-h" data-testid="docs-card">
      <h3 id="docs-h">{t('docs.title')}</h3>
      <Show
        when={d().made().length === 0}
        fallback={
          <ul class="doc-list">
            <For each={d().made()}>
              {(rec) => (
                <li class="doc-item" data-testid="doc-item" data-kind={rec.docKind}>
                  <span>{t(`docs.kind.${rec.docKind}`)}</span>{' '}
                  <button type="button" class="btn btn-secondary" data-testid="doc-download" onClick={() => void d().download(rec)}>
                    {t('docs.download')}
                  </button>
                </li>
              )}
            </For>
          </ul>
        }
      >
        <p class="muted">{t('docs.lead')}</p>
        <For each={d().inspectors()}>
          {(m, i) => (
            <SignaturePad
              label={t('docs.inspector', { name: m.name })}
              testid={`sigpad-inspector-${i()}`}
              onDone={(png) => d().setPad(`inspector-${i()}` as PadKey, png)}
              onClear={() => d().setPad(`inspector-${i()}` as PadKey, null)}
            />
          )}
        </For>
        <label class="field">
          {t('docs.repName')}
          <input data-testid="doc-rep-name" value={d().repName()} maxLength={60} onInput={(e) => d().setRepName(e.currentTarget.value)} />
        </label>
        <Show when={!d().declined()}>
          <SignaturePad
            label={t('docs.repSign')}
            testid="sigpad-enterprise"
            onDone={(png) => d().setPad('enterprise', png)}
            onClear={() => d().setPad('enterprise', null)}
          />
        </Show>
        <label class="check">
          <input type="checkbox" data-testid="doc-rep-declined" checked={d().declined()} onChange={(e) => d().setDeclined(e.currentTarget.checked)} />{' '}
          {t('docs.declined')}
        </label>
        <Show when={!d().ready() && !d().busy()}>
          <p class="muted">{t('docs.needSigs')}</p>
        </Show>
        <button type="button" class="btn btn-primary btn-wide" data-testid="doc-make" disabled={!d().ready()} onClick={() => void d().make()}>
          {t('docs.make')}
        </button>
      </Show>
      <Show when={d().progress()}>
        <p class="notice notice-info" role="status" data-testid="doc-progress">
          {d().progress()}
        </p>
      </Show>
      <Show when={d().error()}>
        <p class="notice notice-error" role="alert" data-testid="doc-error">
          {d().error()}
        </p>
      </Show>
    </section>
  );
}
