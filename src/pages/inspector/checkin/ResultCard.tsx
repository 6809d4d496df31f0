/** Stage 4, checked out: when, and the enterprise's disputes of the entry or its result (its own records: they change nothing here). */
import { Show, type JSX } from 'solid-js';
import { disputesOf } from '../../../model';
import { DisputeList } from '../../../ui/Disputes';
import { hhmm } from './shared';
import type { Checkin } from './controller';
import { t } from '../../../i18n/dict-field';

export function ResultCard(p: { ck: Checkin }): JSX.Element {
  const ck = p.ck;
  return (
    <>
      <Show when={ck.stage() === 'done' && ck.result()}>
        {(r) => (
          <p class="notice notice-ok" role="status" data-testid="checked-out">
            {t('checkin.done', { time: hhmm(r().checkedOutAt) })}
          </p>
        )}
      </Show>
      <Show when={ck.entry()}>{(en) => <DisputeList items={[en().id, ck.result()?.id].flatMap((id) => (id ? disputesOf(ck.history(), id) : []))} />}</Show>
    </>
  );
}
