/**
 * What the app bar shows only to a signed-in user: the total sync chip, the first-sync progress bar and the
 * persistent-storage result. Loaded with the first signed-in page (AppShell), not with the sign-in screen.
 */
import { Show, createSignal, type JSX } from 'solid-js';
import { t } from '../i18n';
import { persistResult, principal, poolStatus } from '../client/session-state';
import { TotalSyncChip } from './SyncChip';

export function AppBarSync(): JSX.Element {
  return <TotalSyncChip status={poolStatus()} compact />;
}

export function StorageNotice(): JSX.Element {
  const key = () => `eicp.storageNotice.${principal()?.userId ?? ''}`;
  const [dismissed, setDismissed] = createSignal(false);
  const seen = () => {
    try {
      return localStorage.getItem(key()) === '1';
    } catch {
      return false;
    }
  };
  return (
    <Show when={persistResult() === 'refused' && !dismissed() && !seen()}>
      <div class="notice notice-warn" role="status" data-testid="storage-notice">
        <span>{t('storage.refused')}</span>
        <button
          class="btn btn-ghost btn-small"
          onClick={() => {
            setDismissed(true);
            try {
              localStorage.setItem(key(), '1');
            } catch {
              /* ignore */
            }
          }}
        >
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
