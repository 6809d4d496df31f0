/** Stage 1, prepare: the second inspector, the precheck (with exemptions for the blocks that allow one), the conduct rules. */
import { For, Show, type JSX } from 'solid-js';
import { tx } from '../../../i18n';
import { exemptionLabel } from '../../../domain/policy-defaults';
import { VerdictList } from '../../../ui/Verdicts';
import { ConductRules, TeamList } from './parts';
import type { Checkin } from './controller';
import { t } from '../../../i18n/dict-field';

export function PrepareCard(p: { ck: Checkin }): JSX.Element {
  const ck = p.ck;
  return (
    <>
      <section class="card" aria-labelledby="team-h">
        <h3 id="team-h">{t('checkin.team')}</h3>
        <label class="field">
          {t('checkin.second')}
          <select data-testid="second-inspector" value={ck.second()} onChange={(e) => ck.setSecond(e.currentTarget.value)}>
            <option value="">{t('checkin.choose')}</option>
            <For each={ck.staff().filter((s) => s.id !== ck.me()?.inspectorId && s.active)}>
              {(s) => (
                <option value={s.id}>
                  {s.name}
                  {s.certificateNumber ? `（${s.certificateNumber}）` : ''}
                </option>
              )}
            </For>
          </select>
        </label>
        <TeamList team={ck.team()} />
      </section>

      <section class="card" aria-labelledby="pre-h">
        <h3 id="pre-h">{t('checkin.precheck')}</h3>
        <Show when={ck.check()}>
          {(c) => (
            <>
              <VerdictList verdicts={c().verdicts} lifted={ck.lifted()} testid="verdicts" />
              <For each={c().verdicts.filter((v) => v.verdict === 'block' && v.exemptBy?.length)}>
                {(v) => (
                  <div class="exemption" data-testid="exemption">
                    <label class="field">
                      {t('checkin.exemptKind')}
                      <select value={ck.exKind()[v.code] ?? ''} onChange={(e) => ck.setExKind({ ...ck.exKind(), [v.code]: e.currentTarget.value })}>
                        <option value="">{t('checkin.choose')}</option>
                        <For each={v.exemptBy}>{(k) => <option value={k}>{tx(exemptionLabel(k))}</option>}</For>
                      </select>
                    </label>
                    <label class="field">
                      {t('checkin.exemptReason')}
                      <input value={ck.exReason()[v.code] ?? ''} onInput={(e) => ck.setExReason({ ...ck.exReason(), [v.code]: e.currentTarget.value })} />
                    </label>
                  </div>
                )}
              </For>
              <Show when={c().blocked}>
                <p class="notice notice-error" role="alert" data-testid="blocked">
                  {t('checkin.blocked')}
                </p>
              </Show>
            </>
          )}
        </Show>
      </section>

      <section class="card conduct" aria-labelledby="conduct-h">
        <h3 id="conduct-h">{t('checkin.conduct')}</h3>
        <ConductRules rules={ck.policy().conductRules} acknowledged={ck.conduct()} onAcknowledge={ck.setConduct} />
      </section>
    </>
  );
}
