/**
 * Check-in (扫码入企, DESIGN §6) for one task: team → precheck → conduct rules → scan the enterprise code
 * (verified offline) → entry record → checklist and findings with the flexible-enforcement match →
 * result notice → check-out (result record). No scan, no entry: the only other way in is a late record
 * (补录) with a reason, marked `via: 'late'`. The check code (检查码) is fetched once online, kept in the task
 * and shown as a QR for the enterprise. State and writes live in checkin/controller.ts; each stage is a card.
 */
import { Show, type JSX } from 'solid-js';
import { useParams, A } from '@solidjs/router';
import { DocHeader } from '../../ui/DocHeader';
import { createCheckin } from './checkin/controller';
import { CheckCodeCard, TaskCard } from './checkin/shared';
import { PrepareCard } from './checkin/PrepareCard';
import { ScanCard } from './checkin/ScanCard';
import { InspectCard } from './checkin/InspectCard';
import { ResultCard } from './checkin/ResultCard';
import { t } from '../../i18n/dict-field';

export default function CheckinPage(): JSX.Element {
  const params = useParams<{ taskId: string }>();
  const ck = createCheckin(() => params.taskId);
  return (
    <section class="page checkin">
      <DocHeader title={t('checkin.title')} status={ck.ledger.status() ?? ck.tasks.status()} />
      <p>
        <A href="/inspector">{t('checkin.back')}</A>
      </p>
      <Show when={ck.task()} fallback={<p class="muted">{ck.tasks.loaded() ? t('checkin.noTask') : t('app.loading')}</p>}>
        {(tk) => (
          <>
            <TaskCard ck={ck} task={tk()} />
            <Show when={ck.stage() !== 'done'}>
              <CheckCodeCard ck={ck} />
            </Show>
            <Show when={ck.stage() === 'prepare' || ck.stage() === 'scan'}>
              <PrepareCard ck={ck} />
              <ScanCard ck={ck} />
            </Show>
            <Show when={ck.stage() === 'inspect' && ck.entry()}>{(en) => <InspectCard ck={ck} task={tk()} entry={en()} />}</Show>
            <ResultCard ck={ck} />
          </>
        )}
      </Show>
    </section>
  );
}
