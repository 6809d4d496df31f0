/** Sync state at a glance: per document (in its header) and in total (app bar). Renders signals only. */
import { Show, type JSX } from 'solid-js';
import { t } from '../i18n';
import type { DocStatus, PoolStatus } from '../client/docpool';

type State = 'saved' | 'waiting' | 'offline' | 'connecting' | 'denied' | 'full' | 'loading';

function Chip(p: { state: State; text: string; title: string; testid: string; pending: number }): JSX.Element {
  return (
    <span class={`chip chip-${p.state}`} role="status" aria-live="polite" title={p.title} data-testid={p.testid} data-state={p.state} data-pending={p.pending}>
      <span class="chip-dot" aria-hidden="true" />
      <span class="chip-text">{p.text}</span>
    </span>
  );
}

export function TotalSyncChip(p: { status: PoolStatus; compact?: boolean }): JSX.Element {
  const state = (): State => (!p.status.online ? 'offline' : p.status.pending > 0 ? 'waiting' : 'saved');
  const text = () => {
    const s = p.status;
    const waiting = s.pending > 0 ? t(p.compact ? 'sync.waitingShort' : 'sync.waiting', { n: s.pending }) : '';
    if (!s.online) return waiting ? `${t('sync.offline')} · ${waiting}` : t('sync.offline');
    return waiting || t(p.compact ? 'sync.savedShort' : 'sync.saved');
  };
  const title = () =>
    t('sync.detail', {
      online: p.status.online ? t('sync.online') : t('sync.offline'),
      state: p.status.pending > 0 ? t('sync.waiting', { n: p.status.pending }) : t('sync.saved'),
    });
  return <Chip state={state()} text={text()} title={`${t('sync.totalStatus')}: ${title()}`} testid="sync-total" pending={p.status.pending} />;
}

export function DocSyncChip(p: { status: DocStatus | null }): JSX.Element {
  const state = (): State => {
    const s = p.status;
    if (!s || !s.loaded) return 'loading';
    if (s.access === 'denied') return 'denied';
    if (s.access === 'full') return 'full';
    if (s.connection !== 'connected') return 'offline';
    if (!s.synced) return 'connecting';
    return s.pending > 0 ? 'waiting' : 'saved';
  };
  const text = () => {
    const s = p.status;
    switch (state()) {
      case 'loading':
        return t('app.loading');
      case 'denied':
        return t('sync.noAccess');
      case 'full':
        return s && s.pending > 0 ? `${t('sync.full')} · ${t('sync.waiting', { n: s.pending })}` : t('sync.full');
      case 'connecting':
        return s && s.pending > 0 ? `${t('sync.connecting')} · ${t('sync.waiting', { n: s.pending })}` : t('sync.connecting');
      case 'offline':
        return s && s.pending > 0 ? `${t('sync.offline')} · ${t('sync.waiting', { n: s.pending })}` : s?.serverKnown ? t('sync.offline') : t('sync.localOnly');
      case 'waiting':
        return t('sync.waiting', { n: s!.pending });
      default:
        return t('sync.saved');
    }
  };
  return (
    <Show when={p.status}>
      <Chip state={state()} text={text()} title={`${t('sync.docStatus')}: ${text()}`} testid="sync-doc" pending={p.status?.pending ?? 0} />
    </Show>
  );
}
