/**
 * The evidence service's rules that a spawned server cannot reach cheaply (server/evidence/service.ts): the
 * daily byte quota and the cap on open uploads (429 evidence_quota), and a read that follows records added to
 * the ledger after an earlier read (the digests are cached per state of the doc). Real SQLite, a real Y.Doc.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type DB } from '../../../server/store/db';
import { EvidenceStore } from '../../../server/evidence/store';
import { EVIDENCE_OPEN_UPLOADS, EvidenceService } from '../../../server/evidence/service';
import { fixedClock } from '../../../server/clock';
import { createLogger } from '../../../server/log';
import { HttpError } from '../../../server/http/errors';
import { appendRecord } from '../../../src/model/ledger';
import { generateDeviceKey, signRecord } from '../../../src/domain/record-signing';
import type { Principal } from '../../../src/domain/schemas';

const USCC = '91140302MA0L2RXA6K';
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const jpeg = (n: number, seed = 0) => {
  const b = new Uint8Array(n).map((_, i) => (i * 31 + seed) % 256);
  b.set([0xff, 0xd8, 0xff], 0);
  return b;
};
const insp: Principal = { userId: 'u-insp', role: 'inspector', name: '检查员', agencyId: 'city-market', inspectorId: 'i1' };
const ent: Principal = { userId: 'u-ent', role: 'enterprise', name: '企业', uscc: USCC };
const other: Principal = { userId: 'u-ent2', role: 'enterprise', name: '企业二', uscc: '91140371MA0K8QW3PX' };

async function status(f: () => unknown): Promise<{ status: number; code: string } | 'ok'> {
  try {
    await f();
    return 'ok';
  } catch (e) {
    if (e instanceof HttpError) return { status: e.status, code: e.code };
    throw e;
  }
}

let dir: string;
let db: DB;
let doc: Y.Doc;
let svc: EvidenceService;
const make = (dailyQuota?: number) =>
  new EvidenceService({
    store: new EvidenceStore(db, dir),
    dir: { hasEnterprise: (u) => u === USCC || u === other.uscc },
    rooms: { read: async (room, fn) => (room === `ledger/${USCC}` ? fn(doc) : fn(new Y.Doc())) },
    clock: fixedClock('2026-11-25T10:00:00+08:00'),
    log: createLogger('silent'),
    dailyQuota,
  });
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-service-'));
  db = openDb(dir);
  doc = new Y.Doc();
  svc = make(10_000);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const startOf = (p: Principal, b: Uint8Array) => svc.start(p, { sha256: sha(b), kind: 'photo', type: 'image/jpeg', size: b.length, uscc: USCC });

describe('quota', () => {
  it("a user's bytes per day are capped: a start that would pass the quota and a chunk past it are 429", async () => {
    expect(await status(() => startOf(insp, jpeg(10_001)))).toEqual({ status: 429, code: 'evidence_quota' });
    const a = jpeg(8000);
    startOf(insp, a);
    svc.chunk(insp, sha(a), 0, a);
    const b = jpeg(3000, 1);
    expect(await status(() => startOf(insp, b))).toEqual({ status: 429, code: 'evidence_quota' });
    // the quota is per user: another user still uploads
    expect(await status(() => startOf(ent, b))).toBe('ok');
    // a file already stored costs nothing
    expect(startOf(insp, a)).toMatchObject({ complete: true });
  });

  it('bytes a refused upload sent still count (a stream of bad uploads runs into the quota)', async () => {
    const a = jpeg(6000);
    startOf(insp, a);
    expect(await status(() => svc.chunk(insp, sha(a), 0, jpeg(6000, 7)))).toEqual({ status: 422, code: 'evidence_hash_mismatch' });
    expect(await status(() => startOf(insp, a))).toEqual({ status: 429, code: 'evidence_quota' });
  });

  it('a user has at most EVIDENCE_OPEN_UPLOADS uploads under way', async () => {
    svc = make();
    for (let i = 0; i < EVIDENCE_OPEN_UPLOADS; i++) startOf(insp, jpeg(100, i));
    expect(await status(() => startOf(insp, jpeg(100, EVIDENCE_OPEN_UPLOADS)))).toEqual({ status: 429, code: 'evidence_quota' });
    // asking where an open one stands is still answered
    expect(startOf(insp, jpeg(100, 0))).toMatchObject({ offset: 0, complete: false });
  });
});

describe('dedupe', () => {
  it('an enterprise learns that bytes are stored only when they were uploaded for its own ledger', async () => {
    const a = jpeg(700);
    const start = (p: Principal, uscc: string) => svc.start(p, { sha256: sha(a), kind: 'photo', type: 'image/jpeg', size: a.length, uscc });
    start(insp, other.uscc!);
    expect(svc.chunk(insp, sha(a), 0, a)).toMatchObject({ complete: true });
    // stored for enterprise2's ledger: enterprise1 sends the bytes like any new file, and they are verified
    expect(start(ent, USCC)).toMatchObject({ offset: 0, complete: false });
    expect(await status(() => svc.chunk(ent, sha(a), 0, jpeg(700, 3)))).toEqual({ status: 422, code: 'evidence_hash_mismatch' });
    expect(await status(() => svc.precheck(ent, sha(a)))).toEqual({ status: 404, code: 'not_found' });
    start(ent, USCC);
    expect(svc.chunk(ent, sha(a), 0, a)).toMatchObject({ complete: true });
    // from then on it is complete at once for enterprise1 too, and a resent last chunk is answered
    expect(start(ent, USCC)).toMatchObject({ complete: true });
    expect(svc.chunk(ent, sha(a), 0, a)).toMatchObject({ complete: true });
    // officials read every ledger: complete at once for any enterprise
    expect(start(insp, USCC)).toMatchObject({ complete: true });
    expect(fs.readdirSync(path.join(dir, 'evidence', 'partial'))).toEqual([]);
  });
});

describe('reads', () => {
  it('a record added after a read is seen by the next read; another ledger or another enterprise is 404', async () => {
    const a = jpeg(500);
    startOf(insp, a);
    svc.chunk(insp, sha(a), 0, a);
    expect(await status(() => svc.read(ent, USCC, sha(a)))).toEqual({ status: 404, code: 'not_found' });
    const key = await generateDeviceKey();
    const signed = await signRecord(
      {
        id: 'rect-1',
        uscc: USCC,
        at: '2026-11-25T02:00:00.000Z',
        by: ent.userId,
        type: 'rectification',
        resultId: 'result-1',
        text: '已按要求整改完毕',
        evidence: [{ sha256: sha(a), kind: 'photo', type: 'image/jpeg', size: a.length, name: 'p' }],
      },
      key.privateKey,
      key.kid,
    );
    appendRecord(doc, signed);
    const got = await svc.read(ent, USCC, sha(a));
    expect(got.type).toBe('image/jpeg');
    expect(sha(got.bytes)).toBe(sha(a));
    expect(await status(() => svc.read(other, USCC, sha(a)))).toEqual({ status: 404, code: 'not_found' });
    expect(await status(() => svc.read({ ...other, role: 'supervisor', uscc: undefined }, other.uscc!, sha(a)))).toEqual({
      status: 404,
      code: 'not_found',
    });
  });
});
