/**
 * Agencies and divisions on the wire (server/agencies/): the justice bureau (supervisors) adds and edits the
 * city's divisions (counties, districts, zones, townships and sub-districts) and its agencies. zod only, no I/O.
 * The lists themselves are public: GET /api/directory.
 */
import { z } from 'zod';
import { Agency, Division, Id, LEN } from '../domain/schemas';
import type { Operation } from './operation';

const Name = z.string().trim().min(1, 'the name is empty').max(LEN.name);

/** POST /api/divisions: a new division (a township's code has 9 digits and a county-level parent) */
export const CreateDivisionRequest = Division.strict();
export type CreateDivisionRequest = z.input<typeof CreateDivisionRequest>;

/** POST /api/divisions/:code: its names (a code and its level never change: records refer to them) */
export const UpdateDivisionRequest = z.object({ name: Name.optional(), nameEn: Name.optional() }).strict();
export type UpdateDivisionRequest = z.input<typeof UpdateDivisionRequest>;

/** POST /api/agencies: a new agency (an enforcement agency, or a justice bureau that supervises) */
export const CreateAgencyRequest = Agency.strict();
export type CreateAgencyRequest = z.input<typeof CreateAgencyRequest>;

/**
 * POST /api/agencies/:id: its names, its division, the city counterpart and the filing office (null: none).
 * Its id, level, sector and kind never change: rights, plans and records hang on them.
 */
export const UpdateAgencyRequest = z
  .object({
    name: Name.optional(),
    nameEn: Name.optional(),
    division: z.string().max(12).optional(),
    cityCounterpartId: Id.nullable().optional(),
    filingOfficeId: Id.nullable().optional(),
  })
  .strict();
export type UpdateAgencyRequest = z.input<typeof UpdateAgencyRequest>;

export const AGENCY_OPERATIONS: readonly Operation[] = [
  {
    method: 'POST',
    path: '/api/divisions',
    summary: 'Add a division: county, district, zone, township or sub-district (supervisors)',
    access: 'bearer',
    body: CreateDivisionRequest,
    responses: { 200: Division },
    errors: { 409: { codes: ['division_exists'] } },
  },
  {
    method: 'POST',
    path: '/api/divisions/:code',
    summary: 'Rename a division (supervisors)',
    access: 'bearer',
    body: UpdateDivisionRequest,
    responses: { 200: Division },
    errors: { 404: { codes: ['no_such_division'] } },
  },
  {
    method: 'POST',
    path: '/api/agencies',
    summary: 'Add an agency (supervisors)',
    access: 'bearer',
    body: CreateAgencyRequest,
    responses: { 200: Agency },
    errors: { 409: { codes: ['agency_exists'] } },
  },
  {
    method: 'POST',
    path: '/api/agencies/:id',
    summary: 'Edit an agency: names, division, city counterpart, filing office (supervisors)',
    access: 'bearer',
    body: UpdateAgencyRequest,
    responses: { 200: Agency },
    errors: { 404: { codes: ['no_such_agency'] } },
  },
];
