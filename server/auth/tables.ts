/** The accounts' and sessions' tables (server/auth/accounts.ts, server/auth/tokens.ts). */
import type { Tables } from '../store/db';

export const AUTH_TABLES: Tables = {
  sql: `
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  name TEXT NOT NULL,
  agency_id TEXT,
  inspector_id TEXT,
  uscc TEXT,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  -- 1: a one-time password (made by an administrator) that must be changed at the next sign-in
  must_change_password INTEGER NOT NULL DEFAULT 0,
  -- raised when the password changes or the account is disabled: tokens of an older epoch stop working
  token_epoch INTEGER NOT NULL DEFAULT 0,
  -- 1: the password is the published demo password; NULL: not known yet (checked once in production)
  demo_password INTEGER,
  password_changed_at INTEGER
);
CREATE TABLE IF NOT EXISTS refresh_tokens (
  hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX IF NOT EXISTS refresh_tokens_user ON refresh_tokens(user_id);
`,
  // columns added after the users table was first created
  added: [
    ['users', 'must_change_password', 'INTEGER NOT NULL DEFAULT 0'],
    ['users', 'token_epoch', 'INTEGER NOT NULL DEFAULT 0'],
    ['users', 'demo_password', 'INTEGER'],
    ['users', 'password_changed_at', 'INTEGER'],
  ],
};

/** the unified sign-in's links (server/auth/oidc.ts), here so that opening the database never loads the OIDC client */
export const OIDC_TABLES: Tables = {
  sql: `
-- an identity of the unified sign-in (issuer, sub) and the account it signs in to; several may sign in to one
CREATE TABLE IF NOT EXISTS oidc_links (
  issuer TEXT NOT NULL,
  sub TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL,
  PRIMARY KEY (issuer, sub)
);
CREATE INDEX IF NOT EXISTS oidc_links_user ON oidc_links(user_id);
`,
};
