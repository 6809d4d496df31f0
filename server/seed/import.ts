/**
 * First start: if the database has never been seeded, store what an empty DATA_DIR begins with, in one
 * transaction: directory tables, accounts (scrypt hashes), rights facts, filings and each seeded doc as its
 * room's first snapshot. Idempotent: a seeded database is left alone.
 *   demo (npm start): the demo city built around the server's clock (server/seed/index.ts `buildSeed`), at
 *     SEED_SCALE `demo` or `city`, with the demo accounts (their password is the published demo password);
 *   production (NODE_ENV=production): the city's reference data only (`buildReference`): divisions,
 *     agencies and the default policy; no accounts, no people, no records.
 */
import type { SeedDraw } from './draws';
import { DrawStore } from '../draws/store';
import type { Seed } from './types';
import { hashPassword } from '../auth/passwords';
import { getMeta, setMeta, type DB } from '../store/db';
import type { Logger } from '../log';
import { FilingStore } from '../filings/store';
import type { ItemLabels } from '../../src/domain/filing';
import { daysBetween, shanghaiDate } from '../../src/domain/time';
import * as Y from 'yjs';
import { CatalogueStore } from '../catalogue/store';
import { readAgencyItems, readFlex, readHandbooks } from '../../src/model/agency';

export const SEED_VERSION = '2';

export interface SeedImportOptions {
  mode: 'demo' | 'production';
  /** the server's clock now: the demo is built around it */
  now: Date;
  scale: 'demo' | 'city';
}

/** the seed module is imported only when a database has to be seeded (it is large) */
async function loadSeed(o: SeedImportOptions): Promise<Seed> {
  const mod = await import('./index');
  return o.mode === 'production' ? mod.buildReference() : mod.buildSeed({ now: o.now, scale: o.scale });
}

/**
 * The seed's filings (the 2026 plans, filed and accepted) as immutable snapshots with the catalogue names
 * of their items, and the publication of those whose plan is published (一公开).
 */
function importSeedFilings(db: DB, seed: Seed, published: ReadonlySet<string>): void {
  const store = new FilingStore(db);
  const items = new Map(seed.items.map((i) => [i.id, i]));
  const metaOf = new Map(seed.plans.map((p) => [`plan/${p.meta.agencyId}/${p.meta.year}`, p.meta]));
  for (const f of seed.filings) {
    const labels: ItemLabels = {};
    for (const it of f.content.items) {
      const c = items.get(it.itemId);
      if (c) labels[c.id] = { code: c.code, name: c.name, nameEn: c.nameEn };
    }
    const title = 'title' in f.content.meta ? f.content.meta.title : f.room;
    // the demo's filings were checked against version 1 of their agencies' catalogues
    const owners = 'capPerEnterprise' in f.content.meta ? [f.agencyId] : f.content.items.map((i) => ('agencyId' in i ? i.agencyId : f.agencyId));
    const catalogueVersions = Object.fromEntries([...new Set(owners)].filter((a) => published.has(a)).map((a) => [a, 1]));
    store.insertSync(
      {
        room: f.room,
        kind: f.room.startsWith('joint/') ? 'joint' : 'plan',
        agencyId: f.agencyId,
        year: f.year,
        hash: f.hash,
        content: f.content,
        labels,
        catalogueVersions,
        title,
        submittedBy: f.submittedBy,
        submittedAt: f.submittedAt,
        officeId: f.officeId,
      },
      f.id,
      f.status,
      f.decidedBy && f.decidedAt ? { by: f.decidedBy, at: f.decidedAt, reason: f.reason } : undefined,
    );
    const meta = metaOf.get(f.room);
    if (meta?.status === 'published' && f.status === 'filed') {
      store.publishSync({
        room: f.room,
        kind: 'plan',
        agencyId: f.agencyId,
        year: f.year,
        filingId: f.id,
        publishedBy: f.submittedBy,
        publishedAt: f.decidedAt ?? f.submittedAt,
      });
    }
  }
}

/**
 * The demo's agencies have published version 1 of their catalogue (what their seeded `agency/<id>` doc
 * holds), so the demo's plans file as before; a production installation starts with none.
 */
function importSeedCatalogues(db: DB, seed: Seed, at: string): Set<string> {
  const store = new CatalogueStore(db);
  const published = new Set<string>();
  for (const [room, update] of seed.docs) {
    if (!room.startsWith('agency/')) continue;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, update);
    const content = { items: readAgencyItems(doc).items, flex: readFlex(doc).items, handbooks: readHandbooks(doc).items };
    doc.destroy();
    if (!content.items.length && !content.flex.length && !content.handbooks.length) continue;
    const agencyId = room.slice('agency/'.length);
    store.insert(agencyId, content, at, 'seed');
    published.add(agencyId);
  }
  return published;
}

/** the demo's published draws, through the lifecycle's store (server/draws/store.ts); their docs are among the seed's docs */
function importSeedDraws(db: DB, draws: readonly SeedDraw[]): void {
  const store = new DrawStore(db);
  for (const s of draws) {
    store.insert(s.draw, { statement: s.statement, statementText: s.statementText, populationText: s.populationText });
    for (const p of s.parties) {
      store.commit(s.draw.id, p.party, p.commitment, 'seed', p.at);
      store.reveal(s.draw.id, p.party, p.secret, 'seed', p.at);
    }
    store.putPicks(s.draw.id, s.picks);
  }
}

export async function seedIfEmpty(db: DB, log: Logger, o: SeedImportOptions): Promise<boolean> {
  if (getMeta(db, 'seeded_at')) {
    const day = getMeta(db, 'seeded_for');
    const today = shanghaiDate(o.now);
    if (getMeta(db, 'seed_mode') === 'demo' && day && Math.abs(daysBetween(day, today)) > 7) {
      log.info('the demo data were built around another day: start with an empty DATA_DIR to build them around today', { seededFor: day, today });
    }
    return false;
  }
  const t0 = Date.now();
  const seed = await loadSeed(o);
  // hash outside the transaction (async, on the libuv pool), several at a time
  const hashes = new Map<string, string>();
  const queue = seed.accounts.slice();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let a = queue.shift(); a; a = queue.shift()) hashes.set(a.userId, await hashPassword(a.password));
    }),
  );
  const certByNumber = new Map(seed.certificates.map((c) => [c.number, c]));
  const now = o.now.getTime();
  const tx = db.transaction(() => {
    if (getMeta(db, 'seeded_at')) return; // another process won the race
    const insDiv = db.prepare('INSERT OR REPLACE INTO divisions(code, name, name_en, level, parent, json) VALUES (?,?,?,?,?,?)');
    for (const d of seed.divisions) insDiv.run(d.code, d.name, d.nameEn, d.level, d.parent ?? null, JSON.stringify(d));
    const insAg = db.prepare(
      'INSERT OR REPLACE INTO agencies(id, name, name_en, level, division, sector, kind, city_counterpart_id, filing_office_id, json) VALUES (?,?,?,?,?,?,?,?,?,?)',
    );
    for (const a of seed.agencies)
      insAg.run(a.id, a.name, a.nameEn, a.level, a.division, a.sector, a.kind, a.cityCounterpartId ?? null, a.filingOfficeId ?? null, JSON.stringify(a));
    const insIn = db.prepare('INSERT OR REPLACE INTO inspectors(id, agency_id, name, certificate_number, active, json) VALUES (?,?,?,?,?,?)');
    for (const i of seed.inspectors) {
      const cert = i.certificateNumber ? certByNumber.get(i.certificateNumber) : undefined;
      insIn.run(i.id, i.agencyId, i.name, i.certificateNumber ?? null, i.active === false ? 0 : 1, JSON.stringify({ ...i, certificate: cert }));
    }
    const insEn = db.prepare(
      'INSERT OR REPLACE INTO enterprises(uscc, name, kind, division, industry, risk_level, credit_level, quiet_zone, json) VALUES (?,?,?,?,?,?,?,?,?)',
    );
    for (const e of seed.enterprises)
      insEn.run(e.uscc, e.name, e.kind, e.division, e.industry, e.riskLevel, e.creditLevel, e.quietZone ? 1 : 0, JSON.stringify(e));
    // demo accounts carry the published demo password (production refuses to start while any account does)
    const insUser = db.prepare(
      'INSERT OR REPLACE INTO users(id, username, password_hash, role, name, agency_id, inspector_id, uscc, disabled, created_at, demo_password) VALUES (?,?,?,?,?,?,?,?,0,?,1)',
    );
    for (const a of seed.accounts)
      insUser.run(a.userId, a.username, hashes.get(a.userId)!, a.role, a.name, a.agencyId ?? null, a.inspectorId ?? null, a.uscc ?? null, now);
    const insPlan = db.prepare('INSERT OR REPLACE INTO plan_status(room, agency_id, year, published) VALUES (?,?,?,?)');
    for (const p of seed.plans) insPlan.run(`plan/${p.meta.agencyId}/${p.meta.year}`, p.meta.agencyId, p.meta.year, p.meta.status === 'published' ? 1 : 0);
    const insJoint = db.prepare('INSERT OR IGNORE INTO joint_members(joint_id, agency_id) VALUES (?,?)');
    for (const j of seed.joints) for (const m of new Set([j.leadAgencyId, ...j.memberAgencyIds])) insJoint.run(j.id, m);
    const published = o.mode === 'demo' ? importSeedCatalogues(db, seed, o.now.toISOString()) : new Set<string>();
    importSeedFilings(db, seed, published);
    importSeedDraws(db, seed.draws ?? []);
    const insDoc = db.prepare('INSERT INTO doc_updates(room, data, snapshot, created_at) VALUES (?, ?, 1, ?)');
    for (const [room, update] of seed.docs) insDoc.run(room, Buffer.from(update), now);
    setMeta(db, 'seed_version', SEED_VERSION);
    setMeta(db, 'seed_mode', o.mode);
    if (seed.today) setMeta(db, 'seeded_for', seed.today);
    // the first day the platform has records of: a real installation starts today; the demo's history
    // begins on 1 January of last year (the unfiled-plan check looks at due dates from then on)
    const today = shanghaiDate(o.now);
    setMeta(db, 'records_since', o.mode === 'production' ? today : `${+today.slice(0, 4) - 1}-01-01`);
    if (o.mode === 'demo') setMeta(db, 'seed_scale', o.scale);
    setMeta(db, 'seeded_at', new Date(now).toISOString());
  });
  tx();
  log.info(o.mode === 'production' ? 'reference data stored (production: no accounts, no demo records)' : 'demo data seeded', {
    ms: Date.now() - t0,
    ...(seed.today ? { builtAround: seed.today, scale: o.scale } : {}),
    divisions: seed.divisions.length,
    agencies: seed.agencies.length,
    inspectors: seed.inspectors.length,
    enterprises: seed.enterprises.length,
    tasks: seed.tasks.length,
    accounts: seed.accounts.length,
    docs: seed.docs.size,
  });
  return true;
}
