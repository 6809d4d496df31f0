/** What an off-site or written inspection checked (its data sources), as a list: the check-in and the enterprise's records. */
import { For, type JSX } from 'solid-js';
import type { DataSource } from '../domain/schemas';
import { t } from '../i18n/dict-inspection';

export function SourcesList(p: { sources: readonly DataSource[]; testid?: string }): JSX.Element {
  return (
    <ul class="sources" data-testid={p.testid}>
      <For each={p.sources}>
        {(s) => (
          <li>
            {t(`offsite.kind.${s.kind}`)}：{s.note}
          </li>
        )}
      </For>
    </ul>
  );
}
