/**
 * Check-in (扫码入企, DESIGN §6) for one task: team → precheck → conduct rules → scan the enterprise code
 * (verified offline) → entry record → checklist and findings with the flexible-enforcement match →
 * result notice → check-out (result record). No scan, no entry: the only other way in is a late record
 * (补录) with a reason, marked `via: 'late'`. The check code (检查码) is fetched once online, kept in the task
 * and shown as a QR for the enterprise. An off-site or written task lists its data sources instead of the scan;
 * the second inspector signs the entry on their own phone (join code); photos are kept as evidence; after
 * check-out the documents are signed by hand and made as PDF. A follow-up task (整改复查) shows the enterprise's
 * rectification reports instead. State and writes live in checkin/controller.ts; each stage is a card.
 */
import { Show, lazy, type JSX } from 'solid-js';
import { useParams, A } from '@solidjs/router';
import { DocHeader } from '../../ui/DocHeader';
import { createCheckin } from './checkin/controller';
import { CheckCodeCard, TaskCard } from './checkin/shared';
import { PrepareCard } from './checkin/PrepareCard';
import { ScanCard } from './checkin/ScanCard';
import { InspectCard } from './checkin/InspectCard';
import { ResultCard } from './checkin/ResultCard';
import { OffsiteCard } from './checkin/OffsiteCard';
import { CosignCard } from './checkin/CosignCard';
import { FollowUpCard } from './checkin/FollowUpCard';
import { isOffsite } from './checkin/offsite';
import { UploadStatus } from '../../ui/evidence/UploadStatus';
import { t } from '../../i18n/dict-field';

/** the documents card (signature_pad) loads only once the inspection is checked out; it warms up the PDF maker */
const DocsCard = lazy(() => import('./checkin/DocsCard').then((m) => ({ default: m.DocsCard })));

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
            <UploadStatus />
            <Show when={!tk().followUpOf} fallback={<FollowUpCard ck={ck} task={tk()} resultId={tk().followUpOf!} />}>
              <Show when={ck.stage() !== 'done'}>
                <CheckCodeCard ck={ck} />
              </Show>
              <Show when={ck.stage() === 'prepare' || ck.stage() === 'scan'}>
                <PrepareCard ck={ck} />
                <Show when={isOffsite(tk())} fallback={<ScanCard ck={ck} />}>
                  <OffsiteCard ck={ck} />
                </Show>
              </Show>
              <Show when={ck.entry() && (ck.stage() === 'inspect' || ck.stage() === 'done')}>
                <CosignCard ck={ck} />
              </Show>
              <Show when={ck.stage() === 'inspect' && ck.entry()}>{(en) => <InspectCard ck={ck} task={tk()} entry={en()} />}</Show>
              <ResultCard ck={ck} />
              <Show when={ck.stage() === 'done' && ck.result()}>
                <DocsCard ck={ck} />
              </Show>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
