/**
 * Published catalogue versions on SQLite: each publish of an agency's items, flexible-enforcement lists
 * and handbooks is a numbered, immutable row (triggers refuse UPDATE and DELETE), with the SHA-256 of its
 * canonical JSON. Plans filed against a catalogue point at a version (server/filings), so a later edit of
 * the draft never changes what was filed.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../src/domain/canonical';
import { catalogueContentOf } from '../../src/model/agency';
import { CatalogueContent, type CatalogueVersion, type CatalogueVersionSummary } from '../../src/protocol/catalogue';
import type { DB, Tables } from '../store/db';

export const CATALOGUE_TABLES: Tables = {
  sql: `
CREATE TABLE IF NOT EXISTS catalogue_versions (
  agency_id TEXT NOT NULL, version INTEGER NOT NULL, hash TEXT NOT NULL, content TEXT NOT NULL,
  items INTEGER NOT NULL, flex INTEGER NOT NULL, handbooks INTEGER NOT NULL,
  published_at TEXT NOT NULL, published_by TEXT NOT NULL,
  PRIMARY KEY (agency_id, version)
);
CREATE TRIGGER IF NOT EXISTS catalogue_versions_immutable BEFORE UPDATE ON catalogue_versions
  BEGIN SELECT RAISE(ABORT, 'a published catalogue version is immutable'); END;
CREATE TRIGGER IF NOT EXISTS catalogue_versions_no_delete BEFORE DELETE ON catalogue_versions
  BEGIN SELECT RAISE(ABORT, 'published catalogue versions are never deleted'); END;
`,
};

interface Row {
  agency_id: string;
  version: number;
  hash: string;
  content: string;
  items: number;
  flex: number;
  handbooks: number;
  published_at: string;
  published_by: string;
}

/** content in its stored order: items and flex entries by id, handbook chapters by industry */
export const sortedContent = (c: CatalogueContent): CatalogueContent => catalogueContentOf(c);

/** SHA-256 (hex) of the canonical JSON, and that JSON */
export function hashContent(c: CatalogueContent): { hash: string; json: string } {
  const json = canonicalJson(c);
  return { hash: createHash('sha256').update(json).digest('hex'), json };
}

const summary = (r: Row): CatalogueVersionSummary => ({
  agencyId: r.agency_id,
  version: r.version,
  hash: r.hash,
  publishedAt: r.published_at,
  publishedBy: r.published_by,
  counts: { items: r.items, flex: r.flex, handbooks: r.handbooks },
});

const COLS = 'agency_id, version, hash, items, flex, handbooks, published_at, published_by';

export class CatalogueStore {
  private readonly qLatest;
  private readonly qLatestSummary;
  private readonly qOne;
  private readonly qList;
  private readonly qInsert;
  private readonly qGen;
  constructor(db: DB) {
    this.qLatest = db.prepare('SELECT * FROM catalogue_versions WHERE agency_id = ? ORDER BY version DESC LIMIT 1');
    this.qLatestSummary = db.prepare(`SELECT ${COLS} FROM catalogue_versions WHERE agency_id = ? ORDER BY version DESC LIMIT 1`);
    this.qOne = db.prepare('SELECT * FROM catalogue_versions WHERE agency_id = ? AND version = ?');
    this.qList = db.prepare(`SELECT ${COLS} FROM catalogue_versions WHERE agency_id = ? ORDER BY version DESC`);
    this.qInsert = db.prepare(
      'INSERT INTO catalogue_versions(agency_id, version, hash, content, items, flex, handbooks, published_at, published_by) VALUES (?,?,?,?,?,?,?,?,?)',
    );
    this.qGen = db.prepare('SELECT max(rowid) AS g FROM catalogue_versions');
  }

  private full(r: Row | undefined): CatalogueVersion | undefined {
    if (!r) return undefined;
    return { ...summary(r), content: CatalogueContent.parse(JSON.parse(r.content)) };
  }

  latest(agencyId: string): CatalogueVersion | undefined {
    return this.full(this.qLatest.get(agencyId) as Row | undefined);
  }
  latestSummary(agencyId: string): CatalogueVersionSummary | undefined {
    const r = this.qLatestSummary.get(agencyId) as Row | undefined;
    return r ? summary(r) : undefined;
  }
  get(agencyId: string, version: number): CatalogueVersion | undefined {
    return this.full(this.qOne.get(agencyId, version) as Row | undefined);
  }
  list(agencyId: string): CatalogueVersionSummary[] {
    return (this.qList.all(agencyId) as Row[]).map(summary);
  }
  /** changes whenever any version is published (caches of published content key on it) */
  generation(): number {
    return (this.qGen.get() as { g: number | null }).g ?? 0;
  }

  /** store the next version; call inside the caller's transaction (it reads the latest number first) */
  insert(agencyId: string, content: CatalogueContent, at: string, by: string): CatalogueVersionSummary {
    const c = sortedContent(content);
    const { hash, json } = hashContent(c);
    const version = (this.latestSummary(agencyId)?.version ?? 0) + 1;
    this.qInsert.run(agencyId, version, hash, json, c.items.length, c.flex.length, c.handbooks.length, at, by);
    return { agencyId, version, hash, publishedAt: at, publishedBy: by, counts: { items: c.items.length, flex: c.flex.length, handbooks: c.handbooks.length } };
  }
}
