/**
 * Who reads which rectification follow-ups (src/protocol/evidence.ts): an agency's staff (its inspectors and
 * admins) their own agency's, naming another agency is 403; supervisors every agency's, or one; enterprises
 * never (they see their own results and reports on their ledger).
 */
import type { FollowUpPage, FollowUpQuery } from '../../src/protocol/evidence';
import type { Principal } from '../../src/domain/schemas';
import { errors } from '../http/errors';
import type { FollowUpStore } from './store';

export interface FollowUpServiceDeps {
  store: Pick<FollowUpStore, 'list'>;
  /** today, YYYY-MM-DD (Asia/Shanghai): what `overdue` is measured against */
  today(): string;
}

export class FollowUpService {
  constructor(private readonly d: FollowUpServiceDeps) {}

  list(p: Principal, q: FollowUpQuery): FollowUpPage {
    let agencyId: string | undefined;
    if (p.role === 'supervisor') agencyId = q.agencyId;
    else if ((p.role === 'agency' || p.role === 'inspector') && p.agencyId) {
      if (q.agencyId && q.agencyId !== p.agencyId) throw errors.forbidden();
      agencyId = p.agencyId;
    } else throw errors.forbidden();
    return this.d.store.list({ agencyId, status: q.status, limit: q.limit, offset: q.offset, today: this.d.today() });
  }
}
