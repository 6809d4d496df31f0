/**
 * Evidence files on a real server over real sockets (server/evidence/): a 3 MiB upload in 1 MiB chunks that
 * survives a server crash and resumes at the server's offset, content-addressed dedupe, bytes that do not
 * hash to their name refused and dropped, a file damaged on disk never served, the kinds' limits, and reads
 * that follow the ledger's rights and need a signed record of that ledger naming the file.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { lateEntry, registeredDevice, RECORD_AT, sign } from '../../helpers/devices';
import { errorOf, json } from '../../helpers/api';
import { UploadState } from '../../../src/protocol/evidence';
import { Principal, type EvidenceRef, type ResultRecord } from '../../../src/domain/schemas';
import type { DeviceKey } from '../../../src/domain/record-signing';
import { ENTERPRISE1_USCC, ENTERPRISE2_USCC } from '../../../server/seed/constants';

const MiB = 1024 * 1024;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** random bytes that start like the type says */
function fileOf(type: 'image/jpeg' | 'image/png' | 'application/pdf', size: number): Uint8Array {
  const b = new Uint8Array(randomBytes(size));
  const head = {
    'image/jpeg': [0xff, 0xd8, 0xff, 0xe0],
    'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    'application/pdf': [...Buffer.from('%PDF-1.7\n')],
  }[type];
  b.set(head, 0);
  return b;
}
const refOf = (b: Uint8Array, type: EvidenceRef['type'], kind: EvidenceRef['kind'], name: string): EvidenceRef => ({
  sha256: sha(b),
  kind,
  type,
  size: b.length,
  name,
});

let srv: SpawnedServer;
let insp1: LoginResult;
let insp2: LoginResult;
let agency1: LoginResult;
let sup: LoginResult;
let ent1: LoginResult;
let ent2: LoginResult;
let key1: DeviceKey;

const auth = (l: LoginResult | null): Record<string, string> => (l ? { authorization: `Bearer ${l.token}` } : {});
const start = (l: LoginResult | null, body: { sha256: string; kind: string; type: string; size: number; uscc: string }) =>
  fetch(`${srv.url}/api/evidence/uploads`, { method: 'POST', headers: { ...auth(l), 'content-type': 'application/json' }, body: JSON.stringify(body) });
const startOf = (l: LoginResult, ref: EvidenceRef, uscc = ENTERPRISE1_USCC) =>
  start(l, { sha256: ref.sha256, kind: ref.kind, type: ref.type, size: ref.size, uscc });
const chunk = (l: LoginResult | null, sha256: string, offset: number, bytes: Uint8Array) =>
  fetch(`${srv.url}/api/evidence/uploads/${sha256}?offset=${offset}`, {
    method: 'POST',
    headers: { ...auth(l), 'content-type': 'application/octet-stream' },
    body: new Uint8Array(bytes),
  });
const get = (l: LoginResult | null, sha256: string, uscc = ENTERPRISE1_USCC, headers: Record<string, string> = {}) =>
  fetch(`${srv.url}/api/evidence/${uscc}/${sha256}`, { headers: { ...auth(l), ...headers } });

/** upload a whole file in chunks as `l`; its final state */
async function upload(l: LoginResult, ref: EvidenceRef, bytes: Uint8Array): Promise<UploadState> {
  let s = await json(await startOf(l, ref), UploadState);
  while (!s.complete) {
    const r = await chunk(l, ref.sha256, s.offset, bytes.subarray(s.offset, s.offset + MiB));
    expect(r.status, `chunk at ${s.offset}`).toBe(200);
    s = await json(r, UploadState);
  }
  return s;
}

const storedPath = (h: string) => path.join(srv.dataDir, 'evidence', h.slice(0, 2), h);
const partials = () => fs.readdirSync(path.join(srv.dataDir, 'evidence', 'partial'));

// the files of the test: a 3 MiB photo-like JPEG, a PDF, a PNG to damage later, bytes sent under a wrong name
const big = fileOf('image/jpeg', 3 * MiB);
const bigRef = refOf(big, 'image/jpeg', 'file', '现场照片.jpg');
const pdf = fileOf('application/pdf', 40_000);
const pdfRef = refOf(pdf, 'application/pdf', 'file', '营业执照.pdf');
const png = fileOf('image/png', 20_000);
const pngRef = refOf(png, 'image/png', 'photo', 'photo-2');
const claimed = fileOf('image/jpeg', 50_000);
const claimedRef = refOf(claimed, 'image/jpeg', 'photo', 'photo-3');

beforeAll(async () => {
  srv = await spawnServer();
  [insp1, insp2, agency1, sup, ent1, ent2] = await Promise.all(
    ['inspector1', 'inspector2', 'agency1', 'supervisor1', 'enterprise1', 'enterprise2'].map((u) => login(srv.url, u)),
  );
}, 60_000);
afterAll(async () => {
  await srv?.stop();
});

describe('evidence uploads', () => {
  it('a 3 MiB file in 1 MiB chunks resumes at the server offset after a crash, then is stored once', async () => {
    const s0 = await json(await startOf(insp1, bigRef), UploadState);
    expect(s0).toEqual({ sha256: bigRef.sha256, size: 3 * MiB, offset: 0, complete: false });
    const s1 = await json(await chunk(insp1, bigRef.sha256, 0, big.subarray(0, MiB)), UploadState);
    expect(s1).toMatchObject({ offset: MiB, complete: false });

    // the break: the server dies mid-upload and comes back on the same DATA_DIR
    await srv.kill9();
    await srv.restart();
    const again = await json(await startOf(insp1, bigRef), UploadState);
    expect(again).toEqual({ sha256: bigRef.sha256, size: 3 * MiB, offset: MiB, complete: false });

    // a chunk at another offset is refused with the server's offset
    const wrong = await chunk(insp1, bigRef.sha256, 0, big.subarray(0, MiB));
    expect(wrong.status).toBe(409);
    expect(await errorOf(wrong)).toMatchObject({ code: 'upload_offset', details: { offset: MiB } });
    const ahead = await chunk(insp1, bigRef.sha256, 2 * MiB, big.subarray(2 * MiB));
    expect(ahead.status).toBe(409);

    const s2 = await json(await chunk(insp1, bigRef.sha256, MiB, big.subarray(MiB, 2 * MiB)), UploadState);
    expect(s2).toMatchObject({ offset: 2 * MiB, complete: false });
    const s3 = await json(await chunk(insp1, bigRef.sha256, 2 * MiB, big.subarray(2 * MiB)), UploadState);
    expect(s3).toEqual({ sha256: bigRef.sha256, size: 3 * MiB, offset: 3 * MiB, complete: true });
    expect(sha(fs.readFileSync(storedPath(bigRef.sha256)))).toBe(bigRef.sha256);
    expect(partials()).toEqual([]);

    // content-addressed: the same bytes are complete at once for anyone who may upload them
    expect(await json(await startOf(agency1, bigRef), UploadState)).toMatchObject({ complete: true, offset: 3 * MiB });
    expect(await json(await startOf(insp1, bigRef), UploadState)).toMatchObject({ complete: true });
    // a last chunk sent again (its answer lost) is answered, not refused
    expect(await json(await chunk(insp1, bigRef.sha256, 2 * MiB, big.subarray(2 * MiB)), UploadState)).toMatchObject({ complete: true });
  }, 60_000);

  it('bytes that do not hash to their name are refused (422) and dropped: nothing is stored', async () => {
    const other = fileOf('image/jpeg', claimed.length);
    expect(await json(await startOf(insp1, claimedRef), UploadState)).toMatchObject({ offset: 0 });
    const r = await chunk(insp1, claimedRef.sha256, 0, other);
    expect(r.status).toBe(422);
    expect((await errorOf(r)).code).toBe('evidence_hash_mismatch');
    expect(fs.existsSync(storedPath(claimedRef.sha256))).toBe(false);
    expect(
      fs.existsSync(path.dirname(storedPath(claimedRef.sha256))) && fs.readdirSync(path.dirname(storedPath(claimedRef.sha256))).includes(claimedRef.sha256),
    ).toBe(false);
    expect(partials()).toEqual([]);
    // the upload is gone: a further chunk has nothing to append to
    expect((await chunk(insp1, claimedRef.sha256, claimed.length - 1, other.subarray(0, 1))).status).toBe(404);
  });

  it("limits: the kind's types (415) and sizes (413), the declared size, the content's type", async () => {
    const tooBig = await start(insp1, { sha256: sha(png), kind: 'photo', type: 'image/png', size: 10 * MiB + 1, uscc: ENTERPRISE1_USCC });
    expect(tooBig.status).toBe(413);
    expect(await errorOf(tooBig)).toMatchObject({
      code: 'evidence_too_large',
      message: { zh: expect.stringContaining('文件太大'), en: expect.stringContaining('too large') },
    });
    const pdfPhoto = await start(insp1, { sha256: pdfRef.sha256, kind: 'photo', type: 'application/pdf', size: pdf.length, uscc: ENTERPRISE1_USCC });
    expect(pdfPhoto.status).toBe(415);
    expect((await errorOf(pdfPhoto)).code).toBe('evidence_type');
    const sig = await start(insp1, { sha256: sha(png), kind: 'signature', type: 'image/jpeg', size: 1000, uscc: ENTERPRISE1_USCC });
    expect(sig.status).toBe(415);
    // a chunk over the 1 MiB request limit
    const small = fileOf('image/jpeg', 2 * MiB);
    const smallRef = refOf(small, 'image/jpeg', 'photo', 'p');
    await startOf(insp1, smallRef);
    expect((await chunk(insp1, smallRef.sha256, 0, small.subarray(0, MiB + 1))).status).toBe(413);
    // past the declared size
    const tiny = fileOf('image/jpeg', 100);
    const tinyRef = refOf(tiny, 'image/jpeg', 'photo', 't');
    await startOf(insp1, tinyRef);
    const past = await chunk(insp1, tinyRef.sha256, 0, fileOf('image/jpeg', 101));
    expect(past.status).toBe(413);
    // bytes that are not what the upload declared (a PDF declared a JPEG)
    const liar = refOf(pdf, 'image/jpeg', 'photo', 'x');
    await startOf(insp1, liar);
    const lie = await chunk(insp1, liar.sha256, 0, pdf);
    expect(lie.status).toBe(415);
    expect((await errorOf(lie)).code).toBe('evidence_type');
    expect(fs.existsSync(storedPath(liar.sha256))).toBe(false);
  });

  it('who may upload: inspectors and agency admins for any enterprise, an enterprise for its own only', async () => {
    const f = fileOf('image/jpeg', 500);
    const ref = refOf(f, 'image/jpeg', 'photo', 'r');
    expect((await startOf(ent2, ref, ENTERPRISE1_USCC)).status).toBe(403);
    expect((await startOf(sup, ref)).status).toBe(403);
    expect((await start(null, { ...ref, uscc: ENTERPRISE1_USCC })).status).toBe(401);
    expect((await startOf(insp1, ref, '91999999MA00000000')).status).toBe(404);
    expect((await startOf(agency1, ref, ENTERPRISE2_USCC)).status).toBe(200);
    expect((await startOf(ent2, ref, ENTERPRISE2_USCC)).status).toBe(200);
    expect((await startOf(ent1, ref)).status).toBe(200);
    expect((await chunk(null, ref.sha256, 0, f)).status).toBe(401);
  });

  it("a chunk by another user never touches the starter's upload", async () => {
    await json(await startOf(insp1, pngRef), UploadState);
    expect(await json(await chunk(insp1, pngRef.sha256, 0, png.subarray(0, 10_000)), UploadState)).toMatchObject({ offset: 10_000 });
    // inspector2 has no upload of this file: nothing to append to
    expect((await chunk(insp2, pngRef.sha256, 10_000, png.subarray(10_000))).status).toBe(404);
    // inspector2 starts their own: at 0, and garbage sent there stays theirs
    expect(await json(await startOf(insp2, pngRef), UploadState)).toMatchObject({ offset: 0 });
    expect(await json(await chunk(insp2, pngRef.sha256, 0, fileOf('image/png', 5000)), UploadState)).toMatchObject({ offset: 5000 });
    expect(await json(await startOf(insp1, pngRef), UploadState)).toMatchObject({ offset: 10_000 });
    expect(await json(await chunk(insp1, pngRef.sha256, 10_000, png.subarray(10_000)), UploadState)).toMatchObject({ complete: true });
    expect(sha(fs.readFileSync(storedPath(pngRef.sha256)))).toBe(pngRef.sha256);
    // the stored file completes inspector2's upload too (their partial is dropped)
    expect(await json(await startOf(insp2, pngRef), UploadState)).toMatchObject({ complete: true });
  });
});

describe('evidence reads follow the ledger', () => {
  let unreferenced: EvidenceRef;

  beforeAll(async () => {
    await upload(insp1, pdfRef, pdf);
    const u = fileOf('image/jpeg', 3000);
    unreferenced = refOf(u, 'image/jpeg', 'photo', 'u');
    await upload(ent1, unreferenced, u);
  }, 30_000);

  it('a stored file no record points at is 404 for everyone', async () => {
    for (const l of [ent1, sup, agency1, insp1]) expect((await get(l, bigRef.sha256)).status).toBe(404);
    for (const l of [ent1, sup, agency1, insp1]) expect((await get(l, unreferenced.sha256)).status).toBe(404);
  });

  it('once a signed result of the ledger names the files: the enterprise, supervisors, agencies and inspectors read them', async () => {
    key1 = await registeredDevice(srv.url, insp1.token);
    const me = Principal.parse(await (await fetch(`${srv.url}/api/me`, { headers: auth(insp1) })).json());
    const entry = await sign(lateEntry(me, ENTERPRISE1_USCC, `entry-ev-${process.pid}`), key1);
    const result: ResultRecord = {
      id: `result-ev-${process.pid}`,
      uscc: ENTERPRISE1_USCC,
      at: RECORD_AT,
      by: insp1.userId,
      type: 'result',
      entryId: entry.rec.id,
      agencyId: me.agencyId!,
      checklist: [],
      findings: [],
      outcome: 'no_problem',
      notice: '未发现问题',
      checkedOutAt: RECORD_AT,
      evidence: [bigRef, pdfRef, { ...pngRef, thumb: claimedRef.sha256 }],
    };
    const writer = connectProvider(srv.wsUrl, `ledger/${ENTERPRISE1_USCC}`, insp1.token);
    const observer = connectProvider(srv.wsUrl, `ledger/${ENTERPRISE1_USCC}`, sup.token);
    try {
      await Promise.all([waitSynced(writer), waitSynced(observer)]);
      writer.doc.getMap('records').set(entry.rec.id, entry);
      await waitFor(() => observer.doc.getMap('records').has(entry.rec.id), 10_000, 'entry stored');
      const signed = await sign(result, key1);
      writer.doc.getMap('records').set(signed.rec.id, signed);
      await waitFor(() => observer.doc.getMap('records').has(signed.rec.id), 10_000, 'result stored');
    } finally {
      destroyAll(writer, observer);
    }

    const r = await get(ent1, bigRef.sha256);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/jpeg');
    expect(r.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(r.headers.get('etag')).toBe(`"${bigRef.sha256}"`);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('content-disposition')).toBe('inline');
    expect(sha(new Uint8Array(await r.arrayBuffer()))).toBe(bigRef.sha256);

    const p = await get(ent1, pdfRef.sha256);
    expect(p.status).toBe(200);
    expect(p.headers.get('content-type')).toBe('application/pdf');
    expect(p.headers.get('content-disposition')).toBe(`attachment; filename="${pdfRef.sha256.slice(0, 12)}.pdf"`);
    expect(Buffer.from(await p.arrayBuffer()).equals(Buffer.from(pdf))).toBe(true);

    const cached = await get(ent1, bigRef.sha256, ENTERPRISE1_USCC, { 'if-none-match': `"${bigRef.sha256}"` });
    expect(cached.status).toBe(304);
    expect(cached.headers.get('etag')).toBe(`"${bigRef.sha256}"`);

    for (const l of [sup, agency1, insp2]) expect((await get(l, pngRef.sha256)).status, l.userId).toBe(200);
    // another enterprise reads nothing of this ledger, not even with the ETag in hand
    expect((await get(ent2, bigRef.sha256)).status).toBe(404);
    expect((await get(ent2, bigRef.sha256, ENTERPRISE1_USCC, { 'if-none-match': `"${bigRef.sha256}"` })).status).toBe(404);
    expect((await get(null, bigRef.sha256)).status).toBe(401);
    // the file is named on enterprise1's ledger, not enterprise2's
    expect((await get(sup, bigRef.sha256, ENTERPRISE2_USCC)).status).toBe(404);
    // named (as a thumbnail) but refused at upload: nothing to serve
    expect((await get(sup, claimedRef.sha256)).status).toBe(404);
    // still unreferenced
    expect((await get(ent1, unreferenced.sha256)).status).toBe(404);
    // malformed names are the same 404
    expect((await get(sup, 'ABC')).status).toBe(404);
    expect((await get(sup, bigRef.sha256, 'not-a-uscc')).status).toBe(404);
  }, 30_000);

  it('a stored file altered on disk is never served (409 evidence_damaged, logged as an error)', async () => {
    const file = storedPath(pngRef.sha256);
    const altered = Buffer.from(png);
    altered[png.length - 1] ^= 0xff;
    fs.writeFileSync(file, altered);
    const r = await get(ent1, pngRef.sha256);
    expect(r.status).toBe(409);
    expect((await errorOf(r)).code).toBe('evidence_damaged');
    await waitFor(() => srv.logs.some((l) => l.level === 'error' && l.sha256 === pngRef.sha256), 5000, 'error logged');
    // the other files are unaffected
    expect((await get(ent1, pdfRef.sha256)).status).toBe(200);
  });
});
