/**
 * Rectification follow-ups over HTTP (GET /api/followups, src/protocol/evidence.ts). PLACEHOLDER: 501 until the
 * follow-up projection lands.
 */
import type { Router } from '../http/router';
import { HttpError } from '../http/errors';

export function registerFollowUpRoutes(router: Router): void {
  router.get('/api/followups', () => {
    throw new HttpError(501, 'not_implemented', { zh: '尚未实现', en: 'Not implemented yet' });
  });
}
