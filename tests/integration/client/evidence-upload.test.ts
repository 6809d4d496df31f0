/**
 * The phone's upload queue (src/client/evidence-upload.ts) against a real server: files kept in the evidence
 * store (fake-indexeddb) are sent in 1 MiB chunks through the app's agent. A 2.5 MiB photo whose upload breaks
 * after the first chunk (the request aborted) resumes at the server's offset, not from the start; a chunk at
 * a stale offset (another tab got there first) continues from the offset of the server's 409; bytes that do
 * not hash to their name (422) mark the file damaged and it is never sent again; a file this user may not
 * upload (another enterprise's) waits without blocking the files behind it, and content that is not what its
 * type says (415) is refused for good.
 */
import 'fake-indexeddb/auto';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, spawnServer, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { createAgent } from '../../../src/client/agent';
import { createEvidenceApi } from '../../../src/client/evidence-api';
import { createEvidenceStore, type EvidenceStore } from '../../../src/client/evidence-store';
import { createUploadQueue } from '../../../src/client/evidence-upload';
import { EVIDENCE_CHUNK_BYTES } from '../../../src/domain/evidence';
import { ENTERPRISE1_USCC, ENTERPRISE2_USCC } from '../../../server/seed/constants';

const MiB = 1024 * 1024;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** random bytes that start like a JPEG (the server checks the type's signature) */
function jpegOf(size: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(size);
  b.set(randomBytes(size));
  b.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return b;
}

let srv: SpawnedServer;
let insp: LoginResult;
let dbSeq = 0;

beforeAll(async () => {
  srv = await spawnServer();
  insp = await login(srv.url, 'inspector1');
}, 60_000);
afterAll(async () => {
  await srv?.stop();
});

/** the app's pieces over the real server: a store, an agent whose requests are logged (and can be broken), the queue */
function phone(user: () => LoginResult = () => insp) {
  const chunks: { sha256: string; offset: number; status: number | 'aborted' }[] = [];
  let breakAfter = Number.POSITIVE_INFINITY;
  let beforeChunk: ((sha256: string, offset: number) => Promise<void>) | null = null;
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = new URL(String(input));
    const m = /^\/api\/evidence\/uploads\/([0-9a-f]{64})$/.exec(url.pathname);
    if (!m) return globalThis.fetch(input, init);
    const offset = Number(url.searchParams.get('offset'));
    if (chunks.filter((c) => c.status === 200).length >= breakAfter) {
      // the connection breaks: the request is aborted before the server answers
      const c = new AbortController();
      c.abort();
      chunks.push({ sha256: m[1], offset, status: 'aborted' });
      return globalThis.fetch(input, { ...init, signal: c.signal });
    }
    await beforeChunk?.(m[1], offset);
    const res = await globalThis.fetch(input, init);
    chunks.push({ sha256: m[1], offset, status: res.status });
    return res;
  };
  const agent = createAgent({ base: srv.url, fetch, auth: { token: user().token, refresh: async () => 'invalid' } });
  const api = createEvidenceApi(agent);
  const store: EvidenceStore = createEvidenceStore({ name: `evidence-upload-${++dbSeq}` });
  const queue = createUploadQueue({ store, api, auto: false });
  return {
    store,
    api,
    queue,
    chunks,
    breakAfter: (n: number) => void (breakAfter = n),
    onChunk: (fn: typeof beforeChunk) => void (beforeChunk = fn),
  };
}

describe('evidence upload queue', () => {
  it('sends a 2.5 MiB photo in 1 MiB chunks, resumes at the server offset after a broken upload, then holds nothing', async () => {
    const p = phone();
    const bytes = jpegOf(Math.round(2.5 * MiB));
    const ref = await p.store.keep(new Blob([bytes], { type: 'image/jpeg' }), { kind: 'photo', uscc: ENTERPRISE1_USCC, name: 'big.jpg' });
    expect(ref.sha256).toBe(sha(bytes));

    // first round: the first chunk arrives, the second request is aborted
    p.breakAfter(1);
    await p.queue.run();
    expect(p.chunks.map((c) => [c.offset, c.status])).toEqual([
      [0, 200],
      [EVIDENCE_CHUNK_BYTES, 'aborted'],
    ]);
    expect(p.queue.progress()).toMatchObject({ pending: 1, active: null, error: { zh: expect.any(String), en: expect.any(String) } });
    expect((await p.store.waiting()).map((f) => f.sha256)).toEqual([ref.sha256]);
    expect(p.queue.localOnly().has(ref.sha256)).toBe(true);
    const mid = await p.api.startUpload({ sha256: ref.sha256, kind: 'photo', type: 'image/jpeg', size: bytes.length, uscc: ENTERPRISE1_USCC });
    expect(mid).toMatchObject({ offset: EVIDENCE_CHUNK_BYTES, complete: false });

    // the connection is back: the next round starts at the server's offset, not at 0
    p.breakAfter(Number.POSITIVE_INFINITY);
    p.chunks.length = 0;
    await p.queue.run();
    expect(p.chunks.map((c) => [c.offset, c.status])).toEqual([
      [EVIDENCE_CHUNK_BYTES, 200],
      [2 * EVIDENCE_CHUNK_BYTES, 200],
    ]);
    expect(p.queue.progress()).toEqual({ pending: 0, bytesLeft: 0, active: null, error: null });
    expect(await p.store.waiting()).toEqual([]);
    await expect.poll(() => p.queue.localOnly().size).toBe(0);
    const done = await p.api.startUpload({ sha256: ref.sha256, kind: 'photo', type: 'image/jpeg', size: bytes.length, uscc: ENTERPRISE1_USCC });
    expect(done).toEqual({ sha256: ref.sha256, size: bytes.length, offset: bytes.length, complete: true });
    // the local copy stays for offline viewing
    expect((await p.store.get(ref.sha256))?.uploaded).toBe(true);
  });

  it('continues from the offset of a 409 when another sender got ahead', async () => {
    const p = phone();
    const bytes = jpegOf(Math.round(1.5 * MiB));
    const ref = await p.store.keep(new Blob([bytes], { type: 'image/jpeg' }), { kind: 'file', uscc: ENTERPRISE1_USCC });
    let raced = false;
    p.onChunk(async (sha256, offset) => {
      if (raced || offset !== 0) return;
      raced = true;
      // another tab of the same user sends the first chunk just before this one
      const other = await fetch(`${srv.url}/api/evidence/uploads/${sha256}?offset=0`, {
        method: 'POST',
        headers: { authorization: `Bearer ${insp.token}`, 'content-type': 'application/octet-stream' },
        body: bytes.slice(0, EVIDENCE_CHUNK_BYTES),
      });
      expect(other.status).toBe(200);
    });
    await p.queue.run();
    expect(p.chunks.map((c) => [c.offset, c.status])).toEqual([
      [0, 409],
      [EVIDENCE_CHUNK_BYTES, 200],
    ]);
    expect(await p.store.waiting()).toEqual([]);
    expect((await p.store.get(ref.sha256))?.uploaded).toBe(true);
  });

  it('marks a file whose bytes do not hash to its name as damaged: an error shown, never sent again', async () => {
    const p = phone();
    const bytes = jpegOf(200_000);
    const ref = await p.store.keep(new Blob([bytes], { type: 'image/jpeg' }), { kind: 'file', uscc: ENTERPRISE1_USCC });
    const tampered = bytes.slice();
    tampered[1000] ^= 0xff;
    // the stored Blob changed under its name (a corrupted disk)
    const store = {
      ...p.store,
      waiting: async () => (await p.store.waiting()).map((f) => (f.sha256 === ref.sha256 ? { ...f, blob: new Blob([tampered], { type: 'image/jpeg' }) } : f)),
    };
    const queue = createUploadQueue({ store, api: p.api, auto: false });
    await queue.run();
    expect(p.chunks.map((c) => c.status)).toEqual([422]);
    expect(queue.progress()).toMatchObject({ pending: 0, error: { en: expect.stringContaining('damaged') } });
    expect(await p.store.waiting()).toEqual([]);
    expect((await p.store.get(ref.sha256))?.damaged).toBe(true);
    await expect.poll(() => queue.localOnly().has(ref.sha256)).toBe(true);
    await queue.run();
    expect(p.chunks).toHaveLength(1);
  });

  it("an enterprise's phone: another enterprise's file waits without blocking its own; content not of its type is refused for good", async () => {
    const ent2 = await login(srv.url, 'enterprise2');
    const p = phone(() => ent2);
    const foreign = await p.store.keep(new Blob([jpegOf(50_000)], { type: 'image/jpeg' }), { kind: 'photo', uscc: ENTERPRISE1_USCC });
    const notPdf = await p.store.keep(new Blob([jpegOf(60_000)], { type: 'application/pdf' }), { kind: 'file', uscc: ENTERPRISE2_USCC });
    const own = await p.store.keep(new Blob([jpegOf(70_000)], { type: 'image/jpeg' }), { kind: 'photo', uscc: ENTERPRISE2_USCC });
    await p.queue.run();
    expect(p.chunks.map((c) => [c.sha256, c.status])).toEqual([
      [notPdf.sha256, 415],
      [own.sha256, 200],
    ]);
    expect((await p.store.waiting()).map((f) => f.sha256)).toEqual([foreign.sha256]);
    expect((await p.store.get(own.sha256))?.uploaded).toBe(true);
    expect((await p.store.get(notPdf.sha256))?.damaged).toBe(true);
    expect(p.queue.progress()).toMatchObject({ pending: 1, active: null, error: { zh: expect.any(String), en: expect.any(String) } });
    // the next round tries the foreign file again, never the refused one
    p.chunks.length = 0;
    await p.queue.run();
    expect(p.chunks).toEqual([]);
    expect((await p.store.waiting()).map((f) => f.sha256)).toEqual([foreign.sha256]);
  });
});
