/** The second inspector's signature (inspect and done stages): how many signed, and the join code to scan. */
import { Show, type JSX } from 'solid-js';
import type { Checkin } from './controller';
import { t } from '../../../i18n/dict-inspection';

export function CosignCard(p: { ck: Checkin }): JSX.Element {
  const c = () => p.ck.cosign;
  return (
    <section class="card cosign" aria-labelledby="cosign-h" data-testid="cosign-card">
      <h3 id="cosign-h">{t('cosign.title')}</h3>
      <p class={`notice ${c().signed() === 2 ? 'notice-ok' : 'notice-warn'}`} role="status" data-testid="cosign-status" data-signed={String(c().signed())}>
        {c().signed() === 2 ? t('cosign.two') : t('cosign.one')}
      </p>
      <Show when={c().signed() < 2}>
        <button type="button" class="btn btn-secondary" data-testid="join-code-show" onClick={() => c().toggle()}>
          {c().open() ? t('cosign.hide') : t('cosign.show')}
        </button>
        <Show when={c().open()}>
          <Show when={c().error()}>
            <p class="notice notice-error" role="alert">
              {c().error()}
            </p>
          </Show>
          <Show when={c().svg()}>
            <p class="muted">{t('cosign.lead')}</p>
            {/* eslint-disable-next-line solid/no-innerhtml -- SVG made by the qrcode package from our own join code */}
            <div class="qr" data-testid="join-code" data-code={c().text() ?? ''} innerHTML={c().svg()!} />
          </Show>
        </Show>
      </Show>
    </section>
  );
}
