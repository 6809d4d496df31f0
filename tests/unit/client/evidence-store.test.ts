/**
 * The evidence kept on the phone, on fake-indexeddb: limits are checked before anything is stored, a file is
 * named by its SHA-256 and kept once, a photo's thumbnail is its own content-addressed file queued before the
 * photo, and the upload marks move files out of the waiting list. Node has no createImageBitmap: the app's
 * thumbnail step gives none there, which keepFile tolerates.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createEvidenceStore, EvidenceLimitError, keepFile, localFile, makeThumbnail, type EvidenceStore } from '../../../src/client/evidence-store';
import { EVIDENCE_LIMITS } from '../../../src/domain/evidence';

const USCC = '91140300MA0K0000X1';
const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const jpegBlob = (s: string) => new Blob([s], { type: 'image/jpeg' });

let n = 0;
let store: EvidenceStore | null = null;
const fresh = (o: Parameters<typeof createEvidenceStore>[0] = {}) => (store = createEvidenceStore({ name: `evidence-test-${++n}`, ...o }));
afterEach(() => store?.close());

describe('evidence store', () => {
  it('refuses a wrong type or a too large file before storing anything', async () => {
    const s = fresh();
    const wrong = s.keep(new Blob(['<html>'], { type: 'text/html' }), { kind: 'photo', uscc: USCC });
    await expect(wrong).rejects.toBeInstanceOf(EvidenceLimitError);
    await expect(wrong).rejects.toMatchObject({ code: 'evidence_type', text: { zh: expect.stringContaining('文件类型') } });
    // a size past the limit (a Blob of that size would be 10 MB of memory: a stub with the size is enough)
    const big = { type: 'image/jpeg', size: EVIDENCE_LIMITS.photo.maxBytes + 1, arrayBuffer: () => Promise.reject(new Error('read')) } as unknown as Blob;
    await expect(s.keep(big, { kind: 'photo', uscc: USCC })).rejects.toMatchObject({ code: 'evidence_too_large' });
    await expect(s.keep(new Blob([], { type: 'image/png' }), { kind: 'photo', uscc: USCC })).rejects.toMatchObject({ code: 'evidence_empty' });
    // a PDF is a file, not a photo
    await expect(s.keep(new Blob(['%PDF-'], { type: 'application/pdf' }), { kind: 'photo', uscc: USCC })).rejects.toMatchObject({ code: 'evidence_type' });
    expect(await s.waiting()).toEqual([]);
  });

  it('names a file by its SHA-256, keeps it once and queues it until uploaded', async () => {
    const s = fresh();
    const pdf = new Blob(['%PDF-1.7 a report'], { type: 'application/pdf' });
    const ref = await s.keep(pdf, { kind: 'file', uscc: USCC, name: 'report.pdf' });
    expect(ref).toEqual({ sha256: sha('%PDF-1.7 a report'), kind: 'file', type: 'application/pdf', size: 17, name: 'report.pdf' });
    const again = await s.keep(new Blob(['%PDF-1.7 a report'], { type: 'application/pdf' }), { kind: 'file', uscc: USCC, name: 'copy.pdf' });
    expect(again.sha256).toBe(ref.sha256);
    const waiting = await s.waiting();
    expect(waiting.map((f) => f.sha256)).toEqual([ref.sha256]);
    expect(await waiting[0].blob.text()).toBe('%PDF-1.7 a report');
    expect(waiting[0]).toMatchObject({ uscc: USCC, uploaded: false });
    expect(await s.localOnly()).toEqual(new Set([ref.sha256]));

    await s.markUploaded(ref.sha256);
    expect(await s.waiting()).toEqual([]);
    expect(await s.localOnly()).toEqual(new Set());
    // still readable locally after the upload (offline view)
    expect(await (await s.get(ref.sha256))?.blob.text()).toBe('%PDF-1.7 a report');
    // kept again after the upload: not queued again
    await s.keep(new Blob(['%PDF-1.7 a report'], { type: 'application/pdf' }), { kind: 'file', uscc: USCC });
    expect(await s.waiting()).toEqual([]);
  });

  it('a photo gets its thumbnail as its own file, queued first; oldest first; damaged files wait no more', async () => {
    let clock = 1000;
    const s = fresh({ thumbnail: async (b) => new Blob([`thumb of ${await b.text()}`], { type: 'image/jpeg' }), now: () => (clock += 10) });
    const a = await s.keep(jpegBlob('photo A'), { kind: 'photo', uscc: USCC });
    const b = await s.keep(jpegBlob('photo B'), { kind: 'photo', uscc: USCC });
    expect(a.thumb).toBe(sha('thumb of photo A'));
    const thumb = await s.get(a.thumb!);
    expect(thumb?.ref).toMatchObject({ kind: 'photo', type: 'image/jpeg', size: 'thumb of photo A'.length });
    expect(thumb?.thumbOf).toBe(a.sha256);
    expect((await s.waiting()).map((f) => f.sha256)).toEqual([a.thumb, a.sha256, b.thumb, b.sha256]);
    await s.markDamaged(a.sha256);
    expect((await s.waiting()).map((f) => f.sha256)).toEqual([a.thumb, b.thumb, b.sha256]);
    expect((await s.localOnly()).has(a.sha256)).toBe(true);
    // a thumbnail made by the caller (the camera's frame) is kept as it is, nothing decoded
    const c = await s.keep(jpegBlob('photo C'), { kind: 'photo', uscc: USCC, thumb: new Blob(['small C'], { type: 'image/jpeg' }) });
    expect(c.thumb).toBe(sha('small C'));
    expect(await (await s.get(c.thumb!))?.blob.text()).toBe('small C');
    // signatures and files get no thumbnail
    const sig = await s.keep(new Blob(['png'], { type: 'image/png' }), { kind: 'signature', uscc: USCC });
    expect(sig.thumb).toBeUndefined();
  });

  it('the app store keeps files without a thumbnail where the browser cannot draw (Node)', async () => {
    expect(typeof createImageBitmap).toBe('undefined');
    expect(await makeThumbnail(jpegBlob('x'))).toBeNull();
    const ref = await keepFile(jpegBlob('a photo from Node'), { kind: 'photo', uscc: USCC, name: 'p.jpg' });
    expect(ref).toEqual({ sha256: sha('a photo from Node'), kind: 'photo', type: 'image/jpeg', size: 17, name: 'p.jpg' });
    expect(await (await localFile(ref.sha256))?.text()).toBe('a photo from Node');
    expect(await localFile(sha('nothing'))).toBeNull();
    await expect(keepFile(new Blob(['x'], { type: 'image/gif' }), { kind: 'photo', uscc: USCC })).rejects.toBeInstanceOf(EvidenceLimitError);
  });
});
