/**
 * The platform's database: the storage layer's tables (server/store/db.ts) and each feature's own
 * tables, which live in the feature's store module. Process wiring, like app.ts: store/ knows no feature.
 * (The device registry, the quarantine, the projection, client ids and known logins still create their
 * tables when their store is made: they are made at every start, before anything reads them.)
 */
import { openDb, type DB, type Tables } from './store/db';
import { AUTH_TABLES, OIDC_TABLES } from './auth/tables';
import { DIRECTORY_TABLES } from './directory/store';
import { JOINT_TABLES } from './joints/store';
import { FILING_TABLES } from './filings/store';
import { AUDIT_TABLES } from './audit/store';
import { CATALOGUE_TABLES } from './catalogue/store';
import { ACCOUNT_TABLES } from './accounts/store';
import { DRAW_TABLES } from './draws/store';

export const PLATFORM_TABLES: readonly Tables[] = [
  AUTH_TABLES,
  DIRECTORY_TABLES,
  JOINT_TABLES,
  FILING_TABLES,
  AUDIT_TABLES,
  CATALOGUE_TABLES,
  ACCOUNT_TABLES,
  OIDC_TABLES,
  DRAW_TABLES,
];

export function openPlatformDb(dataDir: string, synchronous: 'NORMAL' | 'FULL' = 'NORMAL'): DB {
  return openDb(dataDir, synchronous, PLATFORM_TABLES);
}
