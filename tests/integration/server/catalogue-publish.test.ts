/**
 * Catalogue versions against a real server: the demo seed has published version 1 of each agency's
 * catalogue; an agency's admin publishes its draft (the `agency/<id>` doc) as the next immutable version,
 * audited with the ids that changed; an unchanged, empty, invalid or oversized draft is refused with a
 * bilingual message and nothing stored; who reads versions; the public routes answer without a token,
 * show published versions only (never the draft), and the handbooks route reads published versions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import path from 'node:path';
import { AuditPage } from '../../../src/protocol/audit';
import {
  CatalogueInvalid,
  CataloguePublished,
  CatalogueVersion,
  CatalogueVersionList,
  PublicBodies,
  PublicCatalogue,
  PublicCatalogues,
} from '../../../src/protocol/catalogue';
import { Handbooks } from '../../../src/protocol/ledger';
import { putFlex, putHandbook, putItem, readAgency, readCertificates, removeItem } from '../../../src/model';
import type { InspectionItem } from '../../../src/domain/schemas';
import {
  connectProvider,
  destroyAll,
  login,
  spawnServer,
  waitFor,
  waitSynced,
  type LoginResult,
  type SpawnedServer,
  type TestProvider,
} from '../../helpers/spawn-server';
import { errorOf, json } from '../../helpers/api';
import { draftHash } from '../../../src/client/catalogue-api';

let srv: SpawnedServer;
const who = {} as Record<'agency1' | 'agency2' | 'supervisor1' | 'enterprise1' | 'inspector1', LoginResult>;
const open: TestProvider[] = [];
const A = 'city-market';

beforeAll(async () => {
  srv = await spawnServer();
  for (const u of Object.keys({ agency1: 1, agency2: 1, supervisor1: 1, enterprise1: 1, inspector1: 1 }) as (keyof typeof who)[])
    who[u] = await login(srv.url, u);
  expect(who.agency1.agencyId).toBe(A);
}, 90_000);
afterAll(async () => {
  destroyAll(...open);
  await srv?.stop();
});

const req = (method: string, p: string, who?: LoginResult | null, body?: unknown) =>
  fetch(`${srv.url}${p}`, {
    method,
    headers: { ...(who ? { authorization: `Bearer ${who.token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const publish = (u: LoginResult | null, body: unknown = {}) => req('POST', '/api/catalogue/publish', u, body);

async function editor(u: LoginResult = who.agency1): Promise<TestProvider> {
  const p = connectProvider(srv.wsUrl, `agency/${u.agencyId}`, u.token);
  open.push(p);
  await waitSynced(p);
  return p;
}

/** the agency doc as the server holds it (a fresh session) */
async function serverDraft() {
  const q = connectProvider(srv.wsUrl, `agency/${A}`, who.supervisor1.token);
  try {
    await waitSynced(q);
    return readAgency(q.doc);
  } finally {
    destroyAll(q);
  }
}

let firstItem: InspectionItem;

describe('the seed and who publishes', () => {
  it('the demo seed published version 1 of each agency: the draft is unchanged, so publishing is refused (409)', async () => {
    const list = await json(await req('GET', '/api/catalogue/versions', who.agency1), CatalogueVersionList);
    expect(list.agencyId).toBe(A);
    expect(list.items.map((v) => v.version)).toEqual([1]);
    const v1 = await json(await req('GET', `/api/catalogue/${A}/versions/1`, who.agency1), CatalogueVersion);
    const draft = await serverDraft();
    expect(v1.content.items.length).toBe(draft.items.length);
    expect(v1.counts).toEqual({ items: draft.items.length, flex: draft.flex.length, handbooks: draft.handbooks.length });
    firstItem = v1.content.items[0];
    // the editor page hashes the draft the same way: equal hashes are its "nothing to publish"
    expect(await draftHash(draft)).toBe(v1.hash);
    const r = await publish(who.agency1);
    expect(r.status).toBe(409);
    const e = await errorOf(r);
    expect(e.code).toBe('catalogue_unchanged');
    expect(e.message.zh).toMatch(/第 1 版/);
    expect(e.message.en).toMatch(/version 1/);
  });

  it('no token, inspectors, supervisors and enterprises cannot publish; an admin cannot name another agency', async () => {
    expect((await publish(null)).status).toBe(401);
    for (const u of ['inspector1', 'supervisor1', 'enterprise1'] as const) expect((await publish(who[u])).status, u).toBe(403);
    // the agency is always the caller's own: a body naming another is refused
    const other = await publish(who.agency2, { agencyId: A });
    expect(other.status).toBe(400);
    expect((await json(await req('GET', `/api/catalogue/versions?agencyId=${A}`, who.supervisor1), CatalogueVersionList)).items.length).toBe(1);
  });
});

describe('publishing', () => {
  it('an edit of the draft, published: version 2, the changed ids, audited; version 1 stays as it was', async () => {
    const p = await editor();
    putItem(p.doc, { ...firstItem, name: `${firstItem.name}（修订）` });
    await waitFor(async () => (await serverDraft()).items.find((i) => i.id === firstItem.id)?.name === `${firstItem.name}（修订）`, 10_000, 'edit stored');
    const r = await publish(who.agency1);
    expect(r.status).toBe(201);
    const out = await json(r, CataloguePublished);
    expect(out.version).toMatchObject({ agencyId: A, version: 2, publishedBy: who.agency1.userId });
    expect(out.changes).toEqual({ added: [], changed: [`item:${firstItem.id}`], removed: [] });
    const v1 = await json(await req('GET', `/api/catalogue/${A}/versions/1`, who.agency1), CatalogueVersion);
    expect(v1.content.items.find((i) => i.id === firstItem.id)?.name).toBe(firstItem.name);
    const v2 = await json(await req('GET', `/api/catalogue/${A}/versions/2`, who.inspector1), CatalogueVersion);
    expect(v2.content.items.find((i) => i.id === firstItem.id)?.name).toBe(`${firstItem.name}（修订）`);
    expect(v2.hash).not.toBe(v1.hash);
    // the audit trail: the version numbers and the changed ids, not the content
    const audit = await json(await req('GET', '/api/audit?action=catalogue.publish', who.agency1), AuditPage);
    expect(audit.items[0]).toMatchObject({
      action: 'catalogue.publish',
      target: `catalogue:${A}`,
      agencyId: A,
      before: { version: 1 },
      after: { version: 2, changed: [`item:${firstItem.id}`], added: [], removed: [] },
    });
    expect(JSON.stringify(audit.items[0])).not.toContain(firstItem.legalBasis.slice(0, 20));
    // unchanged again
    expect((await publish(who.agency1)).status).toBe(409);
  });

  it('versions are immutable in the database itself', () => {
    const db = new Database(path.join(srv.dataDir, 'platform.sqlite'));
    try {
      expect(() => db.prepare("UPDATE catalogue_versions SET content = '{}' WHERE agency_id = ?").run(A)).toThrow(/immutable/);
      expect(() => db.prepare('DELETE FROM catalogue_versions WHERE agency_id = ?').run(A)).toThrow(/never deleted/);
    } finally {
      db.close();
    }
  });

  it('an invalid draft record is refused (422 with the keys), nothing stored', async () => {
    const p = await editor();
    p.doc.getMap('items').set('bogus', { id: 'bogus', name: 42 });
    await waitFor(async () => (await serverDraft()).invalid.some((x) => x.key === 'items/bogus'), 10_000, 'invalid record stored');
    const r = await publish(who.agency1);
    expect(r.status).toBe(422);
    const e = await errorOf(r);
    expect(e.code).toBe('catalogue_invalid');
    expect(CatalogueInvalid.parse(e.details).invalid.map((x) => x.key)).toContain('items/bogus');
    expect(e.message.zh).toMatch(/[\u4e00-\u9fff]/);
    p.doc.getMap('items').delete('bogus');
    await waitFor(async () => !(await serverDraft()).invalid.length, 10_000, 'invalid record removed');
    expect((await json(await req('GET', '/api/catalogue/versions', who.agency1), CatalogueVersionList)).items.length).toBe(2);
  });

  it('an oversized draft (more than 1,000 items) is refused (422), nothing stored', async () => {
    const p = await editor();
    p.doc.transact(() => {
      for (let k = 0; k < 1001; k++) putItem(p.doc, { ...firstItem, id: `${A}.BULK-${k}`, code: `BULK-${k}`, legalBasis: 'x' });
    });
    await waitFor(async () => (await serverDraft()).items.length > 1000, 20_000, 'bulk stored');
    const r = await publish(who.agency1);
    expect(r.status).toBe(422);
    expect((await errorOf(r)).code).toBe('catalogue_too_large');
    p.doc.transact(() => {
      for (let k = 0; k < 1001; k++) removeItem(p.doc, `${A}.BULK-${k}`);
    });
    await waitFor(async () => (await serverDraft()).items.length < 1000, 20_000, 'bulk removed');
    expect((await json(await req('GET', '/api/catalogue/versions', who.agency1), CatalogueVersionList)).items.length).toBe(2);
  });

  it('an empty draft is refused (422 catalogue_empty)', async () => {
    // agency2 empties its draft, then puts it back
    const p = await editor(who.agency2);
    const saved = readAgency(p.doc);
    p.doc.transact(() => {
      for (const m of ['items', 'flex', 'handbooks']) for (const k of Array.from(p.doc.getMap(m).keys())) p.doc.getMap(m).delete(k);
    });
    await waitFor(
      async () => {
        const q = connectProvider(srv.wsUrl, `agency/${who.agency2.agencyId}`, who.supervisor1.token);
        try {
          await waitSynced(q);
          return q.doc.getMap('items').size === 0;
        } finally {
          destroyAll(q);
        }
      },
      10_000,
      'emptied',
    );
    const r = await publish(who.agency2);
    expect(r.status).toBe(422);
    expect((await errorOf(r)).code).toBe('catalogue_empty');
    p.doc.transact(() => {
      for (const i of saved.items) putItem(p.doc, i);
      for (const f of saved.flex) putFlex(p.doc, f);
      for (const h of saved.handbooks) putHandbook(p.doc, h);
    });
  });
});

describe('who reads versions', () => {
  it('the agency’s admins and inspectors, supervisors; not another agency, an enterprise or a stranger', async () => {
    expect((await req('GET', '/api/catalogue/versions', who.inspector1)).status).toBe(200);
    expect((await req('GET', `/api/catalogue/versions?agencyId=${A}`, who.supervisor1)).status).toBe(200);
    expect((await req('GET', '/api/catalogue/versions', who.supervisor1)).status).toBe(400);
    expect((await req('GET', `/api/catalogue/versions?agencyId=${A}`, who.agency2)).status).toBe(403);
    expect((await req('GET', `/api/catalogue/${A}/versions/1`, who.agency2)).status).toBe(403);
    expect((await req('GET', `/api/catalogue/versions?agencyId=${A}`, who.enterprise1)).status).toBe(403);
    expect((await req('GET', `/api/catalogue/versions?agencyId=${A}`, null)).status).toBe(401);
    expect((await req('GET', `/api/catalogue/${A}/versions/1`, null)).status).toBe(401);
    expect((await req('GET', `/api/catalogue/${A}/versions/99`, who.agency1)).status).toBe(404);
    expect((await req('GET', `/api/catalogue/${A}/versions/abc`, who.agency1)).status).toBe(400);
  });
});

describe('public, without sign-in', () => {
  it('lists each enforcement agency with its latest version, and shows the published content, never the draft', async () => {
    const p = await editor();
    putItem(p.doc, { ...firstItem, name: '草稿中的名称' });
    await waitFor(async () => (await serverDraft()).items.find((i) => i.id === firstItem.id)?.name === '草稿中的名称', 10_000, 'draft stored');
    const all = await json(await req('GET', '/api/public/catalogues'), PublicCatalogues);
    expect(all.items.find((a) => a.id === A)?.latest?.version).toBe(2);
    expect(all.items.find((a) => a.id === 'city-emergency')?.latest?.version).toBe(1);
    expect(all.items.some((a) => a.id === 'city-justice')).toBe(false);
    const one = await json(await req('GET', `/api/public/catalogues/${A}`), PublicCatalogue);
    expect(one.version).toBe(2);
    expect(one.content.items.find((i) => i.id === firstItem.id)?.name).toBe(`${firstItem.name}（修订）`);
    expect(JSON.stringify(one)).not.toContain('草稿中的名称');
    expect((await req('GET', '/api/public/catalogues/no-such-agency')).status).toBe(404);
    expect((await req('GET', '/api/public/catalogues/city-justice')).status).toBe(404);
    expect((await req('GET', '/api/public/catalogues/bad%20id')).status).toBe(400);
  });

  it('handbooks come from published versions: a draft chapter shows once it is published', async () => {
    const before = await json(await req('GET', '/api/handbooks?industry=catering'), Handbooks);
    const chapter = before.chapters.find((c) => c.agencyId === A)!.chapter;
    const p = await editor();
    putHandbook(p.doc, { ...chapter, title: '餐饮业合规手册（草稿）' });
    putItem(p.doc, firstItem);
    await waitFor(async () => (await serverDraft()).handbooks.some((h) => h.title === '餐饮业合规手册（草稿）'), 10_000, 'draft chapter stored');
    const still = await json(await req('GET', '/api/handbooks?industry=catering'), Handbooks);
    expect(still.chapters.find((c) => c.agencyId === A)?.chapter.title).toBe(chapter.title);
    expect((await publish(who.agency1)).status).toBe(201);
    const after = await json(await req('GET', '/api/handbooks?industry=catering'), Handbooks);
    expect(after.chapters.find((c) => c.agencyId === A)?.chapter.title).toBe('餐饮业合规手册（草稿）');
  });

  it('the inspecting bodies: agencies by level and division, inspectors certified today, name and number only', async () => {
    const r = await req('GET', '/api/public/bodies');
    expect(r.status).toBe(200);
    const b = await json(r, PublicBodies);
    expect(b.asOf).toBe('2026-11-25');
    const market = b.items.find((a) => a.id === A)!;
    expect(market.divisionName).toMatch(/[\u4e00-\u9fff]/);
    expect(market.inspectors.length).toBeGreaterThan(0);
    for (const x of b.items.flatMap((a) => a.inspectors)) expect(Object.keys(x).sort()).toEqual(['certificateNumber', 'name']);
    // every listed certificate is valid today in the registry; every revoked or expired one is absent
    const q = connectProvider(srv.wsUrl, 'registry/certificates', who.supervisor1.token);
    open.push(q);
    await waitSynced(q);
    const certs = readCertificates(q.doc).items;
    const listed = new Set(b.items.flatMap((a) => a.inspectors.map((i) => i.certificateNumber)));
    for (const n of listed) {
      const c = certs.find((x) => x.number === n)!;
      expect(c.status, n).toBe('valid');
      expect(c.expiresOn >= b.asOf && c.issuedOn <= b.asOf, n).toBe(true);
    }
    for (const c of certs.filter((x) => x.status !== 'valid' || x.expiresOn < b.asOf)) expect(listed.has(c.number), c.number).toBe(false);
    expect(b.items.some((a) => a.id === 'city-justice')).toBe(false);
  });
});

describe('production', () => {
  it('starts with no published catalogue: the public lists show none, the handbooks are empty', async () => {
    const prod = await spawnServer({ env: { NODE_ENV: 'production' } });
    try {
      const all = await json(await fetch(`${prod.url}/api/public/catalogues`), PublicCatalogues);
      expect(all.items.length).toBeGreaterThan(0);
      expect(all.items.every((a) => a.latest === null)).toBe(true);
      expect((await fetch(`${prod.url}/api/public/catalogues/${all.items[0].id}`)).status).toBe(404);
      expect((await json(await fetch(`${prod.url}/api/handbooks?industry=catering`), Handbooks)).chapters).toEqual([]);
      const bodies = await json(await fetch(`${prod.url}/api/public/bodies`), PublicBodies);
      expect(bodies.items.every((b) => b.inspectors.length === 0)).toBe(true);
    } finally {
      await prod.stop();
    }
  }, 90_000);
});
