/** A follow-up task (整改复查): instead of prepare and scan, the enterprise's reports and the decision on them. */
import type { JSX } from 'solid-js';
import type { Task } from '../../../domain/schemas';
import { FollowUpReview } from '../../../ui/FollowUpReview';
import type { Checkin } from './controller';
import { t } from '../../../i18n/dict-inspection';

export function FollowUpCard(p: { ck: Checkin; task: Task; resultId: string }): JSX.Element {
  const ck = p.ck;
  const reviewer = () => {
    const pr = ck.me();
    return pr?.agencyId ? { userId: pr.userId, agencyId: pr.agencyId } : null;
  };
  return (
    <section class="card followup-card" aria-labelledby="fu-h" data-testid="followup-card">
      <h3 id="fu-h">{t('followup.title')}</h3>
      <FollowUpReview
        uscc={p.task.uscc}
        resultId={p.resultId}
        records={ck.history()}
        today={ck.today}
        ledger={ck.ledger.handle()?.doc ?? null}
        reviewer={reviewer()}
        itemName={ck.itemName}
        onDecided={(ok) => {
          if (ok) ck.markTask(p.task.id, 'done');
        }}
      />
    </section>
  );
}
