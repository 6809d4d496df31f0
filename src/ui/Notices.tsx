/**
 * The service-worker "update ready" toast (registerType 'prompt': we never reload a half-filled form by
 * ourselves), on every screen. The signed-in notices are in SignedInNotices.tsx.
 */
import { Show, type JSX } from 'solid-js';
import { useRegisterSW } from 'virtual:pwa-register/solid';
import { t } from '../i18n';

export function UpdateToast(): JSX.Element {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW({
    immediate: true,
    onOfflineReady() {
      setTimeout(() => setOfflineReady(false), 5000);
    },
  });
  return (
    <div class="toasts" aria-live="polite">
      <Show when={needRefresh()}>
        <div class="toast" role="alert" data-testid="update-toast">
          <span>{t('pwa.updateReady')}</span>
          <button class="btn btn-primary" onClick={() => void updateServiceWorker(true)}>
            {t('pwa.reload')}
          </button>
          <button class="btn btn-ghost" onClick={() => setNeedRefresh(false)}>
            {t('pwa.later')}
          </button>
        </div>
      </Show>
      <Show when={offlineReady()}>
        <div class="toast" role="status" data-testid="offline-ready">
          <span>{t('pwa.offlineReady')}</span>
          <button class="btn btn-ghost" onClick={() => setOfflineReady(false)}>
            {t('common.close')}
          </button>
        </div>
      </Show>
    </div>
  );
}
