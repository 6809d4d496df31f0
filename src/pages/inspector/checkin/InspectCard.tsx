/** Stage 3, inspect: the checklist, findings with the flexible-enforcement match, the outcome and the result notice; then check out. */
import { For, Show, type JSX } from 'solid-js';
import { tx } from '../../../i18n';
import type { EntryRecord, Task } from '../../../domain/schemas';
import { hhmm } from './shared';
import type { Checkin } from './controller';
import { EvidenceCapture } from '../../../ui/evidence/EvidenceCapture';
import { EvidenceThumbs } from '../../../ui/evidence/EvidenceThumbs';
import { t } from '../../../i18n/dict-inspection';
import { SourcesList } from '../../../ui/SourcesList';

export function InspectCard(p: { ck: Checkin; task: Task; entry: EntryRecord }): JSX.Element {
  const ck = p.ck;
  const tk = () => p.task;
  const en = () => p.entry;
  return (
    <>
      <p
        class={`notice ${en().via === 'late' ? 'notice-warn' : en().via === 'offsite' ? 'notice-info' : 'notice-ok'}`}
        role="status"
        data-testid="entered"
        data-via={en().via}
        data-entry={en().id}
        data-decoder={ck.decoder()}
      >
        {en().via === 'late'
          ? t('checkin.enteredLate', { time: hhmm(en().at) })
          : en().via === 'offsite'
            ? t('offsite.started', { time: hhmm(en().at) })
            : t('checkin.entered', { time: hhmm(en().at) })}
      </p>
      <Show when={en().sources?.length}>
        <SourcesList sources={en().sources ?? []} testid="entry-sources" />
      </Show>
      <section class="card" aria-labelledby="cl-h">
        <h3 id="cl-h">{t('checkin.checklist')}</h3>
        <For each={tk().itemIds}>
          {(id) => (
            <label class="check">
              <input
                type="checkbox"
                checked={ck.checklist()[id] ?? true}
                onChange={(e) => ck.setChecklist({ ...ck.checklist(), [id]: e.currentTarget.checked })}
              />{' '}
              {ck.itemName(id)} — {t('checkin.itemOk')}
            </label>
          )}
        </For>
      </section>
      <section class="card" aria-labelledby="f-h">
        <h3 id="f-h">{t('checkin.findings')}</h3>
        <ul data-testid="findings">
          <For each={ck.findings()}>
            {(f) => (
              <li>
                {ck.itemName(f.itemId)}：{f.description}
                {f.violationCode ? ` [${f.violationCode}]` : ''} · {t(`checkin.flex.${f.suggestion}`)}
              </li>
            )}
          </For>
        </ul>
        <Show when={tk().itemIds.length > 1}>
          <label class="field">
            {t('inspector.items')}
            <select value={ck.fItem()} onChange={(e) => ck.setFItem(e.currentTarget.value)}>
              <For each={tk().itemIds}>{(id) => <option value={id}>{ck.itemName(id)}</option>}</For>
            </select>
          </label>
        </Show>
        <label class="field">
          {t('checkin.findingDesc')}
          <textarea data-testid="finding-desc" value={ck.fDesc()} onInput={(e) => ck.setFDesc(e.currentTarget.value)} />
        </label>
        <label class="field">
          {t('checkin.violationCode')}
          <input data-testid="finding-code" list="flex-codes" value={ck.fCode()} onInput={(e) => ck.setFCode(e.currentTarget.value)} />
          <datalist id="flex-codes">
            <For each={ck.flexList()}>{(x) => <option value={x.violationCode}>{x.description}</option>}</For>
          </datalist>
        </label>
        <Show when={ck.flex()}>
          {(m) => (
            <p class={`notice ${m().suggestion === 'none' ? 'notice-info' : 'notice-ok'}`} data-testid="flex-suggestion">
              {t(`checkin.flex.${m().suggestion}`)} — {tx(m().message)}
            </p>
          )}
        </Show>
        <button type="button" class="btn btn-secondary" data-testid="finding-add" disabled={!ck.fDesc().trim()} onClick={ck.addFinding}>
          {t('checkin.addFinding')}
        </button>
      </section>
      <section class="card evidence" aria-labelledby="ev-h" data-testid="evidence-section">
        <h3 id="ev-h">{t('evidence.title')}</h3>
        <p class="muted">{t('evidence.lead')}</p>
        <EvidenceThumbs uscc={en().uscc} refs={ck.evidence.refs()} />
        <Show when={!ck.evidence.full()}>
          <EvidenceCapture uscc={en().uscc} onAdded={ck.evidence.add} />
        </Show>
      </section>
      <section class="card" aria-labelledby="o-h">
        <h3 id="o-h">{t('checkin.outcome')}</h3>
        <For each={['no_problem', 'rectify', 'case_filed'] as const}>
          {(o) => (
            <label class="check">
              <input type="radio" name="outcome" data-testid={`outcome-${o}`} checked={ck.outcome() === o} onChange={() => ck.setOutcome(o)} />{' '}
              {t(`ledger.outcome.${o}`)}
            </label>
          )}
        </For>
        <Show when={ck.outcome() === 'rectify'}>
          <label class="field">
            {t('checkin.rectifyBy')}
            <input type="date" data-testid="rectify-by" value={ck.rectifyBy()} min={ck.today} onInput={(e) => ck.setRectifyBy(e.currentTarget.value)} />
          </label>
        </Show>
        <label class="field">
          {t('checkin.notice')}
          <textarea class="notice-text" rows={10} data-testid="notice-text" value={ck.notice()} onInput={(e) => ck.setNoticeEdited(e.currentTarget.value)} />
        </label>
        <Show when={ck.noticeEdited() !== null}>
          <button type="button" class="btn btn-link" onClick={() => ck.setNoticeEdited(null)}>
            {t('checkin.regenerate')}
          </button>
        </Show>
        <button
          type="button"
          class="btn btn-primary btn-wide"
          data-testid="checkout"
          disabled={!ck.canCheckout() || ck.busy()}
          onClick={() => void ck.checkout()}
        >
          {t('checkin.checkout')}
        </button>
      </section>
    </>
  );
}
