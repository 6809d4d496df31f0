/** A document's header: title, its own sync chip, presence, and the read-only banner when needed. */
import { Show, type JSX, type ParentProps } from 'solid-js';
import { t } from '../i18n';
import type { DocStatus } from '../client/docpool';
import { DocSyncChip } from './SyncChip';

export function DocHeader(p: ParentProps<{ title: string; status: DocStatus | null; readOnly?: boolean; sub?: JSX.Element }>): JSX.Element {
  return (
    <div class="doc-header">
      <div class="doc-title-row">
        <h1 class="doc-title">{p.title}</h1>
        <DocSyncChip status={p.status} />
      </div>
      <Show when={p.sub}>{p.sub}</Show>
      {p.children}
      <Show when={p.status?.access === 'denied'}>
        <div class="notice notice-error" role="alert" data-testid="no-access">
          {t('sync.noAccess')}
        </div>
      </Show>
      <Show when={p.status?.access === 'full'}>
        <div class="notice notice-error" role="alert" data-testid="doc-full">
          {t('sync.full')}
        </div>
      </Show>
      <Show when={p.readOnly}>
        <div class="notice notice-info" role="note" data-testid="read-only">
          {t('common.readOnly')}
        </div>
      </Show>
    </div>
  );
}
