/** The routes that run the city (accounts, imports, registry, policy, catalogues, audit, draws, statistics), each feature's list in its own protocol module. */
import type { Operation } from './operation';
import { ACCOUNT_OPERATIONS } from './accounts';
import { AGENCY_OPERATIONS } from './agencies';
import { IMPORT_OPERATIONS } from './imports';
import { REGISTRY_OPERATIONS } from './registry';
import { POLICY_OPERATIONS } from './policy';
import { CATALOGUE_OPERATIONS } from './catalogue';
import { AUDIT_OPERATIONS } from './audit';
import { OIDC_OPERATIONS } from './oidc';
import { DRAW_OPERATIONS } from './draws';
import { STATS_OPERATIONS } from './stats';
import { EVIDENCE_OPERATIONS } from './evidence';

export const ADMIN_OPERATIONS: readonly Operation[] = [
  ...ACCOUNT_OPERATIONS,
  ...AGENCY_OPERATIONS,
  ...IMPORT_OPERATIONS,
  ...REGISTRY_OPERATIONS,
  ...POLICY_OPERATIONS,
  ...CATALOGUE_OPERATIONS,
  ...AUDIT_OPERATIONS,
  ...OIDC_OPERATIONS,
  ...DRAW_OPERATIONS,
  ...STATS_OPERATIONS,
  ...EVIDENCE_OPERATIONS,
];
