/**
 * Catalogue versions and the public views (server/catalogue/service.ts):
 *   POST /api/catalogue/publish                          (the agency's admins) → 201 CataloguePublished
 *   GET  /api/catalogue/versions?agencyId=               (its admins and inspectors; supervisors) → CatalogueVersionList
 *   GET  /api/catalogue/:agencyId/versions/:version      (the same) → CatalogueVersion
 *   GET  /api/public/catalogues                          (no sign-in) → PublicCatalogues
 *   GET  /api/public/catalogues/:agencyId                (no sign-in) → PublicCatalogue
 *   GET  /api/public/bodies                              (no sign-in) → PublicBodies
 */
import { z } from 'zod';
import { Id } from '../../src/domain/schemas';
import { CataloguePublishRequest, CatalogueVersionsQuery } from '../../src/protocol/catalogue';
import { parseQuery, readJson, sendJson, type Router } from '../http/router';
import { errors } from '../http/errors';
import { bearerOf } from '../auth/bearer';
import type { TokenService } from '../auth/tokens';
import type { CatalogueService } from './service';

export interface CatalogueRouteDeps {
  tokens: Pick<TokenService, 'verify'>;
  catalogues: CatalogueService;
}

const VersionNumber = z.coerce.number().int().min(1).max(1_000_000);
const PUBLIC_CACHE = { 'Cache-Control': 'public, max-age=30' };

const agencyParam = (s: string | undefined) => {
  const r = Id.safeParse(s);
  if (!r.success) throw errors.badRequest('bad_agency', { zh: '部门编号格式不正确', en: 'Not a valid agency id' });
  return r.data;
};

export function registerCatalogueRoutes(router: Router, d: CatalogueRouteDeps): void {
  const bearer = bearerOf(d.tokens);

  router.post('/api/catalogue/publish', async (ctx) => {
    const p = await bearer(ctx);
    // refused before the body is read
    if (p.role !== 'agency') throw errors.forbidden();
    await readJson(ctx.req, CataloguePublishRequest);
    sendJson(ctx.res, 201, await d.catalogues.publish(p));
  });

  router.get('/api/catalogue/versions', async (ctx) => {
    const p = await bearer(ctx);
    const q = parseQuery(ctx.url, CatalogueVersionsQuery);
    sendJson(ctx.res, 200, d.catalogues.versions(p, q.agencyId));
  });

  router.get('/api/catalogue/:agencyId/versions/:version', async (ctx) => {
    const p = await bearer(ctx);
    const agencyId = agencyParam(ctx.params.agencyId);
    const v = VersionNumber.safeParse(ctx.params.version);
    if (!v.success) throw errors.badRequest('bad_version', { zh: '版本号应为正整数', en: 'The version is a positive whole number' });
    sendJson(ctx.res, 200, d.catalogues.version(p, agencyId, v.data));
  });

  router.get('/api/public/catalogues', (ctx) => {
    sendJson(ctx.res, 200, d.catalogues.publicCatalogues(), PUBLIC_CACHE);
  });

  router.get('/api/public/catalogues/:agencyId', (ctx) => {
    sendJson(ctx.res, 200, d.catalogues.publicCatalogue(agencyParam(ctx.params.agencyId)), PUBLIC_CACHE);
  });

  router.get('/api/public/bodies', async (ctx) => {
    sendJson(ctx.res, 200, await d.catalogues.publicBodies(), PUBLIC_CACHE);
  });
}
