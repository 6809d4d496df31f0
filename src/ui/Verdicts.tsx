/** Precheck verdicts in plain words, styled by level (a block lifted by an exemption shows as a warning): the agency's task screen and the inspector's check-in. */
import { For, type JSX } from 'solid-js';
import { tx } from '../i18n';
import type { Verdict } from '../domain/schemas';
import { t } from '../i18n/dict-field';

export function VerdictList(p: { verdicts: Verdict[]; lifted?: Set<string>; testid?: string }): JSX.Element {
  return (
    <ul class="verdicts" data-testid={p.testid}>
      <For each={p.verdicts}>
        {(v) => (
          <li class={`verdict verdict-${p.lifted?.has(v.code) ? 'warn' : v.verdict}`} data-code={v.code} data-level={v.verdict}>
            <span class="verdict-tag">{t(`checkin.level.${v.verdict}`)}</span> {tx(v.message)}
          </li>
        )}
      </For>
    </ul>
  );
}
