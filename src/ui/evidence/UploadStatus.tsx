/** "N files waiting to upload" / "Uploading 40 %" / "All evidence uploaded", the last failure and a retry button: shown wherever evidence is taken. */
import { Show, type JSX } from 'solid-js';
import '../../client/evidence-store';
import { kickUploads, uploadProgress } from '../../client/evidence-upload';
import { tx } from '../../i18n';
import { t } from '../../i18n/dict-evidence';

export function UploadStatus(): JSX.Element {
  const p = uploadProgress;
  /** share of the waiting bytes sent (the file under way counts its sent part) */
  const pct = () => {
    const a = p().active;
    const left = p().bytesLeft;
    if (!a) return 0;
    const total = left + a.sent;
    return total > 0 ? Math.min(99, Math.floor((a.sent / total) * 100)) : 0;
  };
  return (
    <div
      data-testid="upload-status"
      data-pending={p().pending}
      class={p().error ? 'notice notice-warn' : 'notice notice-info'}
      role="status"
      aria-live="polite"
    >
      <span>{p().pending === 0 ? t('upload.done') : p().active ? t('upload.active', { pct: pct() }) : t('upload.waiting', { n: p().pending })}</span>
      <Show when={p().error}>{(e) => <span class="error">{t('upload.error', { e: tx(e()) })}</span>}</Show>
      <Show when={p().pending > 0}>
        <button type="button" class="btn btn-small" data-testid="upload-retry" onClick={() => kickUploads()}>
          {t('upload.retry')}
        </button>
      </Show>
    </div>
  );
}
