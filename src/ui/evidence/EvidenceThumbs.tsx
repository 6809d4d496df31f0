/**
 * Thumbnails of a record's evidence: photos as images (the thumbnail, else the full file), files as named
 * links; a tap opens the full file in a new tab. The local copy first (offline), else the server's (with the
 * session). `data-state` says whether the server holds the file yet: `local` while only this phone has it.
 */
import { createResource, For, Show, type JSX } from 'solid-js';
import type { EvidenceRef } from '../../domain/schemas';
import { evidenceUrl } from '../../client/evidence-store';
import { uploadedState } from '../../client/evidence-upload';
import { t } from '../../i18n/dict-evidence';

function Thumb(p: { uscc: string; item: EvidenceRef }): JSX.Element {
  const isImage = () => p.item.type.startsWith('image/');
  // the small picture: the thumbnail, or the file itself when it has none (a PNG signature, an old photo)
  const [src] = createResource(
    () => (isImage() ? (p.item.thumb ?? p.item.sha256) : null),
    // offline and not on this phone, or signed out: no picture (a resource in error would throw where it is read)
    async (sha) => {
      try {
        return (await evidenceUrl(p.uscc, sha)) ?? (sha !== p.item.sha256 ? await evidenceUrl(p.uscc, p.item.sha256) : null);
      } catch {
        return null;
      }
    },
  );
  const kind = () => t(`evidence.kind.${p.item.kind}`);
  const label = () => t('evidence.thumbAlt', { kind: kind(), name: p.item.name });
  const state = () => uploadedState(p.item.sha256);

  /** the full file in a new tab: the tab opens at once (a popup blocker allows only that), the file follows */
  const open = (e: MouseEvent) => {
    e.preventDefault();
    const w = window.open('', '_blank');
    void evidenceUrl(p.uscc, p.item.sha256).then(
      (url) => {
        if (url && w) w.location.href = url;
        else {
          w?.close();
          alert(t('evidence.missing'));
        }
      },
      () => {
        w?.close();
        alert(t('evidence.missing'));
      },
    );
  };

  return (
    <li
      data-testid="evidence-thumb"
      data-sha256={p.item.sha256}
      data-kind={p.item.kind}
      data-state={state()}
      title={t(state() === 'local' ? 'evidence.state.local' : 'evidence.state.uploaded')}
      style={{ 'list-style': 'none', position: 'relative' }}
    >
      <a href={`#evidence-${p.item.sha256.slice(0, 12)}`} onClick={open} aria-label={label()} style={{ display: 'block' }}>
        <Show
          when={isImage()}
          fallback={
            <span
              class="evidence-file"
              style={{
                display: 'flex',
                'align-items': 'center',
                gap: '4px',
                padding: '8px',
                border: '1px solid var(--border)',
                'border-radius': '6px',
                'word-break': 'break-all',
                'font-size': '0.85rem',
                'min-height': '96px',
              }}
            >
              ▤ {p.item.name}
            </span>
          }
        >
          <img
            src={src() ?? undefined}
            alt={label()}
            loading="lazy"
            style={{ width: '100%', height: '96px', 'object-fit': 'cover', 'border-radius': '6px', background: '#eef2f6', display: 'block' }}
          />
        </Show>
      </a>
      <Show when={state() === 'local'}>
        <span aria-hidden="true" style={{ position: 'absolute', top: '2px', right: '4px', 'font-size': '0.8rem' }}>
          ⏳
        </span>
      </Show>
    </li>
  );
}

export function EvidenceThumbs(p: { uscc: string; refs: readonly EvidenceRef[] }): JSX.Element {
  return (
    <ul
      data-testid="evidence-thumbs"
      aria-label={t('evidence.thumbs')}
      style={{ display: 'grid', 'grid-template-columns': 'repeat(auto-fill, minmax(96px, 1fr))', gap: '6px', padding: '0', margin: '4px 0' }}
    >
      <For each={p.refs}>{(ref) => <Thumb uscc={p.uscc} item={ref} />}</For>
    </ul>
  );
}
