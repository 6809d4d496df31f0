/**
 * Catalogues on the wire (server/catalogue/): an agency's inspection items (检查事项清单), its
 * flexible-enforcement lists (首违不罚 / 轻微免罚 / 从轻减轻) and its handbooks (一业一册), published as
 * immutable numbered versions; the public pages (catalogues, inspecting bodies). zod only, no I/O.
 */
import { z } from 'zod';
import { FlexEntry, HandbookChapter, Id, IsoDate, IsoDateTime, InspectionItem, LEN, Level, Sector } from '../domain/schemas';
import { EmptyRequest } from './auth';
import type { Operation } from './operation';

/** the most handbook chapters one agency publishes (one per industry) */
export const MAX_HANDBOOKS = 100;
/** the most bytes of canonical JSON one published version holds */
export const MAX_CATALOGUE_BYTES = 4 * 1024 * 1024;

/** what a version holds: the draft's items, flex entries and handbook chapters, sorted by id (handbooks by industry) */
export const CatalogueContent = z.object({
  items: z.array(InspectionItem).max(LEN.many),
  flex: z.array(FlexEntry).max(LEN.many),
  handbooks: z.array(HandbookChapter).max(MAX_HANDBOOKS),
});
export type CatalogueContent = z.infer<typeof CatalogueContent>;

export const CatalogueCounts = z.object({ items: z.number().int(), flex: z.number().int(), handbooks: z.number().int() });

/** one published version without its content */
export const CatalogueVersionSummary = z.object({
  agencyId: Id,
  version: z.number().int().positive(),
  /** SHA-256 (hex) of the content's canonical JSON */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  publishedAt: IsoDateTime,
  publishedBy: z.string().max(200),
  counts: CatalogueCounts,
});
export type CatalogueVersionSummary = z.infer<typeof CatalogueVersionSummary>;

export const CatalogueVersion = CatalogueVersionSummary.extend({ content: CatalogueContent });
export type CatalogueVersion = z.infer<typeof CatalogueVersion>;

/** GET /api/catalogue/versions?agencyId= (an agency's admins and inspectors: their own agency; supervisors: any) */
export const CatalogueVersionsQuery = z.object({ agencyId: Id.optional() });
export const CatalogueVersionList = z.object({ agencyId: Id, items: z.array(CatalogueVersionSummary) });
export type CatalogueVersionList = z.infer<typeof CatalogueVersionList>;

/** ids added, changed and removed against the previous version (`item:<id>`, `flex:<id>`, `handbook:<industry>`) */
export const CatalogueChanges = z.object({ added: z.array(z.string()), changed: z.array(z.string()), removed: z.array(z.string()) });
export type CatalogueChanges = z.infer<typeof CatalogueChanges>;

/** POST /api/catalogue/publish (an agency's admins; empty body: the agency is the caller's) → 201 */
export const CataloguePublishRequest = EmptyRequest;
export const CataloguePublished = z.object({ version: CatalogueVersionSummary, changes: CatalogueChanges });
export type CataloguePublished = z.infer<typeof CataloguePublished>;

/** 422 `catalogue_invalid` details: draft records that do not pass their schema (they would be lost) */
export const CatalogueInvalid = z.object({ invalid: z.array(z.object({ key: z.string(), message: z.string() })) });

// ---------- public (no sign-in) ----------

export const PublicAgency = z.object({ id: Id, name: z.string(), nameEn: z.string(), level: Level, division: z.string(), sector: Sector });
export type PublicAgency = z.infer<typeof PublicAgency>;

/** GET /api/public/catalogues: each enforcement agency with its latest published version (null: none yet) */
export const PublicCatalogues = z.object({
  items: z.array(
    PublicAgency.extend({
      latest: z.object({ version: z.number().int().positive(), publishedAt: IsoDateTime, counts: CatalogueCounts }).nullable(),
    }),
  ),
});
export type PublicCatalogues = z.infer<typeof PublicCatalogues>;

/** GET /api/public/catalogues/:agencyId: the latest published version (404 when none) */
export const PublicCatalogue = z.object({
  agency: PublicAgency,
  version: z.number().int().positive(),
  hash: z.string(),
  publishedAt: IsoDateTime,
  content: CatalogueContent,
});
export type PublicCatalogue = z.infer<typeof PublicCatalogue>;

/** GET /api/public/bodies: 执法主体 and who may inspect for them today (name and certificate number only) */
export const PublicBody = PublicAgency.extend({
  divisionName: z.string(),
  divisionNameEn: z.string(),
  inspectors: z.array(z.object({ name: z.string(), certificateNumber: z.string() })),
});
export const PublicBodies = z.object({ asOf: IsoDate, items: z.array(PublicBody) });
export type PublicBodies = z.infer<typeof PublicBodies>;

const notFound = { 404: { codes: ['not_found'] } };

/** the catalogue routes (src/protocol/api.ts lists every route) */
export const CATALOGUE_OPERATIONS: readonly Operation[] = [
  {
    method: 'POST',
    path: '/api/catalogue/publish',
    summary: "Publish the agency's draft catalogue, flexible-enforcement lists and handbooks as the next version (agency admins)",
    access: 'bearer',
    body: CataloguePublishRequest,
    responses: { 201: CataloguePublished },
    errors: {
      409: { codes: ['catalogue_unchanged'] },
      422: { codes: ['catalogue_empty', 'catalogue_invalid', 'catalogue_too_large'], details: CatalogueInvalid },
    },
  },
  {
    method: 'GET',
    path: '/api/catalogue/versions',
    summary: "An agency's published versions, newest first (its admins and inspectors; supervisors)",
    access: 'bearer',
    query: CatalogueVersionsQuery,
    responses: { 200: CatalogueVersionList },
  },
  {
    method: 'GET',
    path: '/api/catalogue/:agencyId/versions/:version',
    summary: 'One published version with its content (the agency’s admins and inspectors; supervisors)',
    access: 'bearer',
    responses: { 200: CatalogueVersion },
    errors: notFound,
  },
  {
    method: 'GET',
    path: '/api/public/catalogues',
    summary: 'Every enforcement agency with its latest published catalogue version (no sign-in)',
    access: 'public',
    responses: { 200: PublicCatalogues },
  },
  {
    method: 'GET',
    path: '/api/public/catalogues/:agencyId',
    summary: "An agency's latest published catalogue, flexible-enforcement lists and handbooks (no sign-in)",
    access: 'public',
    responses: { 200: PublicCatalogue },
    errors: notFound,
  },
  {
    method: 'GET',
    path: '/api/public/bodies',
    summary: 'The inspecting bodies (执法主体) by level and division, with their inspectors certified today (no sign-in)',
    access: 'public',
    responses: { 200: PublicBodies },
  },
];
