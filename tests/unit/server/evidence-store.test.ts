/**
 * The evidence store's files (server/evidence/store.ts): where a file and a user's partial live, an upload's
 * offset taken from its partial's length (a restart, a lost row update, a partial longer than declared), the
 * move into place, and the sweep of stale uploads.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type DB } from '../../../server/store/db';
import { EvidenceStore, evidencePaths, userKey } from '../../../server/evidence/store';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const bytes = new Uint8Array(Array.from({ length: 1000 }, (_, i) => i % 251));
const H = sha(bytes);
const row = (userId: string, over: Partial<{ size: number; startedAt: string }> = {}) => ({
  sha256: H,
  userId,
  uscc: '91140302MA0L2RXA6K',
  kind: 'photo',
  type: 'image/jpeg',
  size: bytes.length,
  startedAt: '2026-11-25T02:00:00.000Z',
  ...over,
});

let dir: string;
let db: DB;
let store: EvidenceStore;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-store-'));
  db = openDb(dir);
  store = new EvidenceStore(db, dir);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('evidence paths', () => {
  it('files by their first two hex digits; partials per user, named by a hash of the user id', () => {
    const p = evidencePaths('/d/evidence', H, 'user-1');
    expect(p.file).toBe(`/d/evidence/${H.slice(0, 2)}/${H}`);
    expect(p.partial).toBe(`/d/evidence/partial/${H}.${userKey('user-1')}`);
    expect(p.partial).not.toContain('user-1');
    expect(userKey('user-1')).not.toBe(userKey('user-2'));
    expect(userKey('user-1')).toMatch(/^[0-9a-f]{24}$/);
  });

  it('refuses anything but a digest as a name (no path ever comes from a request)', () => {
    for (const bad of ['../../etc/passwd', H.toUpperCase(), `${H}/x`, H.slice(1)]) expect(() => evidencePaths('/d', bad, 'u')).toThrow(RangeError);
  });
});

describe('uploads', () => {
  it("two users' uploads of the same file are two partials; each offset is its partial's length", () => {
    store.begin(row('a'));
    store.begin(row('b'));
    store.append(store.upload(H, 'a')!, bytes.subarray(0, 300));
    expect(store.upload(H, 'a')!.offset).toBe(300);
    expect(store.upload(H, 'b')!.offset).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'evidence', 'partial')).sort()).toEqual([`${H}.${userKey('a')}`, `${H}.${userKey('b')}`].sort());
  });

  it('a restart keeps the offset; the partial wins over the row, and a partial longer than declared starts over', () => {
    store.begin(row('a'));
    store.append(store.upload(H, 'a')!, bytes.subarray(0, 400));
    db.close();
    db = openDb(dir);
    store = new EvidenceStore(db, dir);
    expect(store.upload(H, 'a')!.offset).toBe(400);
    // bytes written but the row's update lost (a crash between the two)
    fs.appendFileSync(store.paths(H, 'a').partial, bytes.subarray(400, 500));
    expect(store.upload(H, 'a')!.offset).toBe(500);
    fs.appendFileSync(store.paths(H, 'a').partial, new Uint8Array(bytes.length));
    expect(store.upload(H, 'a')!.offset).toBe(0);
    // a partial removed by hand: the upload restarts at 0
    fs.rmSync(store.paths(H, 'a').partial);
    expect(store.upload(H, 'a')!.offset).toBe(0);
  });

  it('commit moves the verified partial into place (owner only), records the file and ends the upload', () => {
    store.begin(row('a'));
    store.append(store.upload(H, 'a')!, bytes);
    expect(store.partialDigest(H, 'a')).toBe(H);
    store.commit(store.upload(H, 'a')!, '2026-11-25T02:00:00.000Z');
    const file = store.paths(H, 'a').file;
    expect(sha(fs.readFileSync(file))).toBe(H);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(store.intact(H)).toMatchObject({ sha256: H, size: bytes.length, type: 'image/jpeg', uploadedBy: 'a' });
    expect(store.upload(H, 'a')).toBeNull();
    expect(fs.readdirSync(path.join(dir, 'evidence', 'partial'))).toEqual([]);
    // a second user's finished copy only drops their partial
    store.begin(row('b'));
    store.append(store.upload(H, 'b')!, bytes);
    store.commit(store.upload(H, 'b')!, '2026-11-25T03:00:00.000Z');
    expect(store.file(H)!.uploadedBy).toBe('a');
    expect(fs.readdirSync(path.join(dir, 'evidence', 'partial'))).toEqual([]);
  });

  it('a stored file cut short on disk is not intact, and a verified upload replaces it', () => {
    store.begin(row('a'));
    store.append(store.upload(H, 'a')!, bytes);
    store.commit(store.upload(H, 'a')!, '2026-11-25T02:00:00.000Z');
    const file = store.paths(H, 'a').file;
    fs.truncateSync(file, 10);
    expect(store.intact(H)).toBeNull();
    store.begin(row('b'));
    store.append(store.upload(H, 'b')!, bytes);
    store.commit(store.upload(H, 'b')!, '2026-11-25T03:00:00.000Z');
    expect(sha(fs.readFileSync(file))).toBe(H);
    expect(store.intact(H)).not.toBeNull();
  });

  it('the sweep drops uploads started before the cut-off with their partials, and old quota days', () => {
    store.begin(row('old', { startedAt: '2026-10-01T00:00:00.000Z' }));
    store.begin(row('new'));
    store.addReceived('old', '2026-10-01', 100);
    store.addReceived('old', '2026-11-25', 50);
    store.addReceived('old', '2026-11-25', 25);
    expect(store.sweep('2026-11-11T00:00:00.000Z', '2026-11-25')).toBe(1);
    expect(store.upload(H, 'old')).toBeNull();
    expect(fs.existsSync(store.paths(H, 'old').partial)).toBe(false);
    expect(store.upload(H, 'new')).not.toBeNull();
    expect(store.receivedOn('old', '2026-10-01')).toBe(0);
    expect(store.receivedOn('old', '2026-11-25')).toBe(75);
    expect(store.openUploads('new')).toBe(1);
  });
});
