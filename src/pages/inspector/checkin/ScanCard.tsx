/** Stage 2, entry: scan the enterprise's code (camera or photo, verified offline), or a late record (补录) with a reason. */
import { Show, type JSX } from 'solid-js';
import { LATE_REASON_MIN } from '../checkin-logic';
import type { Checkin } from './controller';
import { t } from '../../../i18n/dict-field';

export function ScanCard(p: { ck: Checkin }): JSX.Element {
  const ck = p.ck;
  return (
    <section class="card scan" aria-labelledby="scan-h">
      <h3 id="scan-h">{t('checkin.scanTitle')}</h3>
      <button
        type="button"
        class="btn btn-primary btn-wide"
        data-testid="scan-start"
        disabled={!ck.canScan() || ck.stage() === 'scan'}
        onClick={() => void ck.startCamera()}
      >
        {t('checkin.scan')}
      </button>
      <div ref={ck.setViewfinder} id="viewfinder" class="viewfinder" classList={{ active: ck.stage() === 'scan' }} />
      <label class="btn btn-secondary photo" classList={{ disabled: !ck.canScan() }}>
        {t('checkin.photo')}
        <input
          type="file"
          accept="image/*"
          capture="environment"
          class="visually-hidden"
          disabled={!ck.canScan()}
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            if (f) void ck.onPhoto(f);
          }}
        />
      </label>
      <Show when={ck.scanMsg()}>
        <p class="notice notice-error" role="alert" data-testid="scan-error">
          {ck.scanMsg()}
        </p>
      </Show>
      <details class="late" data-testid="late">
        <summary>{t('checkin.late')}</summary>
        <p class="muted">{t('checkin.lateLead')}</p>
        <label class="field">
          {t('checkin.lateReason', { n: LATE_REASON_MIN })}
          <textarea data-testid="late-reason" rows={3} value={ck.lateReason()} onInput={(e) => ck.setLateReason(e.currentTarget.value)} />
        </label>
        <button type="button" class="btn btn-secondary" data-testid="late-submit" disabled={!ck.canLate()} onClick={() => void ck.onLate()}>
          {t('checkin.lateSubmit')}
        </button>
      </details>
    </section>
  );
}
