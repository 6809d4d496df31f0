/** Small presentational parts shared by the check-in cards: props in, events out. */
import { For, type JSX } from 'solid-js';
import { t, tx } from '../../../i18n';
import type { ConductRule, TeamMember, Verdict } from '../../../domain/schemas';

/** precheck verdicts in plain words, styled by level (a block lifted by an exemption shows as a warning) */
export function VerdictList(p: { verdicts: Verdict[]; lifted: Set<string> }): JSX.Element {
  return (
    <ul class="verdicts" data-testid="verdicts">
      <For each={p.verdicts}>
        {(v) => (
          <li class={`verdict verdict-${p.lifted.has(v.code) ? 'warn' : v.verdict}`} data-code={v.code} data-level={v.verdict}>
            <span class="verdict-tag">{t(`checkin.level.${v.verdict}`)}</span> {tx(v.message)}
          </li>
        )}
      </For>
    </ul>
  );
}

export function TeamList(p: { team: TeamMember[] }): JSX.Element {
  return (
    <ul class="team">
      <For each={p.team}>
        {(m) => (
          <li data-testid="team-member">
            {m.name} · {m.certificateNumber || t('checkin.noCert')} · <span class={m.certificateValid ? 'ok' : 'bad'}>{m.certificateValid ? t('checkin.certValid') : t('checkin.certInvalid')}</span>
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
        <For each={p.rules}>{(r) => <li>{tx(r.text)}</li>}</For>
      </ol>
      <label class="check">
        <input type="checkbox" data-testid="conduct-ack" checked={p.acknowledged} onChange={(e) => p.onAcknowledge(e.currentTarget.checked)} /> {t('checkin.conductAck')}
      </label>
    </>
  );
}
