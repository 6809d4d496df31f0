/**
 * Catalogue versions and the public catalogue pages (server/catalogue/routes.ts) through the API agent:
 * publishing and versions carry the session; the public routes need no sign-in.
 */
import { contentHash } from '../domain/canonical';
import { catalogueContentOf, type CatalogueDraft } from '../model/agency';
import { CataloguePublished, CatalogueVersion, CatalogueVersionList, PublicBodies, PublicCatalogue, PublicCatalogues } from '../protocol/catalogue';
import { Handbooks } from '../protocol/ledger';
import { agent as browserAgent, type Agent } from './agent';

const seg = encodeURIComponent;
const S = 'session' as const;

export function createCatalogueApi(agent: Agent) {
  const { call } = agent;
  return {
    /** publish the caller's agency's draft as the next version (agency admins) */
    publish: () => call(CataloguePublished, '/api/catalogue/publish', { body: {}, auth: S }),
    /** an agency's published versions, newest first (own agency unless a supervisor names one) */
    versions: (agencyId?: string) => call(CatalogueVersionList, '/api/catalogue/versions', { query: { agencyId }, auth: S }),
    version: (agencyId: string, version: number) => call(CatalogueVersion, `/api/catalogue/${seg(agencyId)}/versions/${version}`, { auth: S }),
    // ---------- public, no sign-in ----------
    publicCatalogues: () => call(PublicCatalogues, '/api/public/catalogues'),
    publicCatalogue: (agencyId: string) => call(PublicCatalogue, `/api/public/catalogues/${seg(agencyId)}`),
    publicBodies: () => call(PublicBodies, '/api/public/bodies'),
    handbooks: (industry: string) => call(Handbooks, '/api/handbooks', { query: { industry } }),
  };
}

export const catalogueApi = createCatalogueApi(browserAgent);

/** SHA-256 (hex) of a draft as the server hashes a version: equal to the latest version's hash = nothing to publish */
export function draftHash(d: CatalogueDraft): Promise<string> {
  return contentHash(catalogueContentOf(d));
}
