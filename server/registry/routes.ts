/**
 * The certificate registry's routes (src/protocol/registry.ts):
 *   GET  /api/certificates?status=&agencyId=&q=&limit=&offset=   supervisors; agency admins (their agency's)
 *   POST /api/certificates                                       supervisors: issue
 *   POST /api/certificates/:number/renew|suspend|reinstate|revoke supervisors
 *   GET  /api/certificates/cleanup?withinDays=                   supervisors: the yearly clean-up list
 *   POST /api/certificates/cleanup                               supervisors: revoke or renew the selection
 * Inspectors, enterprises and callers without a token are refused (403 / 401).
 */
import { CertificateNumber, type Certificate } from '../../src/domain/schemas';
import {
  CertificateQuery,
  CertificateReasonRequest,
  CleanupQuery,
  CleanupRequest,
  IssueCertificateRequest,
  ReinstateCertificateRequest,
  RenewCertificateRequest,
  type CertificatePage,
  type CleanupResult,
  type CleanupView,
} from '../../src/protocol/registry';
import { parseQuery, readJson, sendJson, type Ctx, type Router } from '../http/router';
import { errors } from '../http/errors';
import { bearerOf } from '../auth/bearer';
import type { TokenService } from '../auth/tokens';
import type { RegistryService } from './service';

export interface RegistryRouteDeps {
  tokens: Pick<TokenService, 'verify'>;
  registry: RegistryService;
}

/** the :number of the path, checked like a certificate number */
function numberOf(ctx: Ctx): string {
  let raw: string;
  try {
    raw = decodeURIComponent(ctx.params.number ?? '');
  } catch {
    raw = '';
  }
  const n = CertificateNumber.safeParse(raw);
  if (!n.success) throw errors.notFound({ zh: '证号格式不正确', en: 'Not a certificate number' });
  return n.data;
}

export function registerRegistryRoutes(router: Router, d: RegistryRouteDeps): void {
  const bearer = bearerOf(d.tokens);

  router.get('/api/certificates', async (ctx) => {
    const p = await bearer(ctx);
    const q = parseQuery(ctx.url, CertificateQuery);
    sendJson(ctx.res, 200, (await d.registry.list(p, q)) satisfies CertificatePage);
  });

  router.post('/api/certificates', async (ctx) => {
    const p = await bearer(ctx);
    const body = await readJson(ctx.req, IssueCertificateRequest);
    sendJson(ctx.res, 201, (await d.registry.issue(p, body)) satisfies Certificate);
  });

  // the clean-up before the :number routes (both are two segments deep only for POST /cleanup)
  router.get('/api/certificates/cleanup', async (ctx) => {
    const p = await bearer(ctx);
    const q = parseQuery(ctx.url, CleanupQuery);
    sendJson(ctx.res, 200, (await d.registry.cleanup(p, q.withinDays)) satisfies CleanupView);
  });

  router.post('/api/certificates/cleanup', async (ctx) => {
    const p = await bearer(ctx);
    const body = await readJson(ctx.req, CleanupRequest);
    sendJson(ctx.res, 200, (await d.registry.confirmCleanup(p, body)) satisfies CleanupResult);
  });

  router.post('/api/certificates/:number/renew', async (ctx) => {
    const p = await bearer(ctx);
    const number = numberOf(ctx);
    const body = await readJson(ctx.req, RenewCertificateRequest);
    sendJson(ctx.res, 200, (await d.registry.renew(p, number, body.expiresOn)) satisfies Certificate);
  });

  router.post('/api/certificates/:number/suspend', async (ctx) => {
    const p = await bearer(ctx);
    const number = numberOf(ctx);
    const body = await readJson(ctx.req, CertificateReasonRequest);
    sendJson(ctx.res, 200, (await d.registry.suspend(p, number, body.reason)) satisfies Certificate);
  });

  router.post('/api/certificates/:number/reinstate', async (ctx) => {
    const p = await bearer(ctx);
    const number = numberOf(ctx);
    await readJson(ctx.req, ReinstateCertificateRequest);
    sendJson(ctx.res, 200, (await d.registry.reinstate(p, number)) satisfies Certificate);
  });

  router.post('/api/certificates/:number/revoke', async (ctx) => {
    const p = await bearer(ctx);
    const number = numberOf(ctx);
    const body = await readJson(ctx.req, CertificateReasonRequest);
    sendJson(ctx.res, 200, (await d.registry.revoke(p, number, body.reason)) satisfies Certificate);
  });
}
