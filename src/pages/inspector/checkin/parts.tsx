/** Small presentational parts shared by the check-in cards: props in, events out. */
import { For, type JSX } from 'solid-js';
import { tx } from '../../../i18n';
import type { ConductRule, TeamMember } from '../../../domain/schemas';
import { t } from '../../../i18n/dict-field';

export function TeamList(p: { team: TeamMember[] }): JSX.Element {
  return (
    <ul class="team">
      <For each={p.team}>
        {(m) => (
          <li data-testid="team-member">
            {m.name} · {m.certificateNumber || t('checkin.noCert')} ·{' '}
            <span class={m.certificateValid ? 'ok' : 'bad'}>{m.certificateValid ? t('checkin.certValid') : t('checkin.certInvalid')}</span>
          </li>
        )}
      </For>
    </ul>
  );
}

/** 五个严禁 / 八个不得 from the city policy, with the acknowledgement */
export function ConductRules(p: { rules: readonly ConductRule[]; acknowledged: boolean; onAcknowledge: (v: boolean) => void }): JSX.Element {
  return (
    <>
      <ol class="conduct-rules">
        <For each={p.rules}>
          {(r) => (
            <li data-testid="conduct-rule" data-code={r.code}>
              {tx(r.text)}
            </li>
          )}
        </For>
      </ol>
      <label class="check">
        <input type="checkbox" data-testid="conduct-ack" checked={p.acknowledged} onChange={(e) => p.onAcknowledge(e.currentTarget.checked)} />{' '}
        {t('checkin.conductAck')}
      </label>
    </>
  );
}
