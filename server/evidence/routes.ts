/**
 * Evidence files over HTTP (src/protocol/evidence.ts): resumable content-addressed uploads and reads that follow
 * the ledger's rights. PLACEHOLDER: answers 501 until the evidence store lands.
 */
import type { Router } from '../http/router';
import { HttpError } from '../http/errors';

const notYet = () => {
  throw new HttpError(501, 'not_implemented', { zh: '尚未实现', en: 'Not implemented yet' });
};

export function registerEvidenceRoutes(router: Router): void {
  router.post('/api/evidence/uploads', notYet);
  router.post('/api/evidence/uploads/:sha256', notYet);
  router.get('/api/evidence/:uscc/:sha256', notYet);
}
