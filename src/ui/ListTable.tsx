/**
 * A list shown as a table (a card per row at 360 px: `table stack`, each cell labelled by `data-label`): the
 * header row, then one row per item, or a single row saying "loading…" or "none".
 */
import { For, type JSX } from 'solid-js';
import { t } from '../i18n';

export function ListTable<T>(p: {
  testid: string;
  headers: string[];
  items: readonly T[] | undefined;
  loading: boolean;
  /** what an empty list says (default: 暂无 / None) */
  empty?: string;
  children: (item: T) => JSX.Element;
}): JSX.Element {
  return (
    <div class="table-wrap">
      <table class="table stack" data-testid={p.testid}>
        <thead>
          <tr>
            <For each={p.headers}>{(h) => <th scope="col">{h}</th>}</For>
          </tr>
        </thead>
        <tbody>
          <For
            each={p.items ?? []}
            fallback={
              <tr>
                <td colSpan={p.headers.length} class="muted">
                  {p.loading ? t('app.loading') : (p.empty ?? t('common.empty'))}
                </td>
              </tr>
            }
          >
            {(item) => p.children(item)}
          </For>
        </tbody>
      </table>
    </div>
  );
}
