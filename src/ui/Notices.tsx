/**
 * App-wide notices: the service-worker "update ready" toast (registerType 'prompt': we never reload a
 * half-filled form by ourselves), the persistent-storage result, the first-sync progress bar.
 */
import { Show, createSignal, type JSX } from 'solid-js';
import { useRegisterSW } from 'virtual:pwa-register/solid';
import { t } from '../i18n';
import { persistResult, principal, poolStatus } from '../client/session-state';

export function UpdateToast(): JSX.Element {
  const { needRefresh: [needRefresh, setNeedRefresh], offlineReady: [offlineReady, setOfflineReady], updateServiceWorker } = useRegisterSW({
    immediate: true,
    onOfflineReady() { setTimeout(() => setOfflineReady(false), 5000); },
  });
  return (
    <div class="toasts" aria-live="polite">
      <Show when={needRefresh()}>
        <div class="toast" role="alert" data-testid="update-toast">
          <span>{t('pwa.updateReady')}</span>
          <button class="btn btn-primary" onClick={() => void updateServiceWorker(true)}>{t('pwa.reload')}</button>
          <button class="btn btn-ghost" onClick={() => setNeedRefresh(false)}>{t('pwa.later')}</button>
        </div>
      </Show>
      <Show when={offlineReady()}>
        <div class="toast" role="status" data-testid="offline-ready">
          <span>{t('pwa.offlineReady')}</span>
          <button class="btn btn-ghost" onClick={() => setOfflineReady(false)}>{t('common.close')}</button>
        </div>
      </Show>
    </div>
  );
}

export function StorageNotice(): JSX.Element {
  const key = () => `eicp.storageNotice.${principal()?.userId ?? ''}`;
  const [dismissed, setDismissed] = createSignal(false);
  const seen = () => { try { return localStorage.getItem(key()) === '1'; } catch { return false; } };
  return (
    <Show when={persistResult() === 'refused' && !dismissed() && !seen()}>
      <div class="notice notice-warn" role="status" data-testid="storage-notice">
        <span>{t('storage.refused')}</span>
        <button class="btn btn-ghost btn-small" onClick={() => { setDismissed(true); try { localStorage.setItem(key(), '1'); } catch { /* ignore */ } }}>
          {t('storage.dismiss')}
        </button>
      </div>
    </Show>
  );
}

export function SyncProgress(): JSX.Element {
  const s = () => poolStatus();
  return (
    <Show when={s().network && s().loading.total > 0 && s().loading.done < s().loading.total}>
      <div class="progress" role="progressbar" aria-label={t('sync.loadingDocs', { n: s().loading.done, m: s().loading.total })} data-testid="sync-progress">
        <div class="progress-bar" />
        <span class="progress-text">{t('sync.loadingDocs', { n: s().loading.done, m: s().loading.total })}</span>
      </div>
    </Show>
  );
}
