/**
 * Evidence files (src/protocol/evidence.ts has the wire and who may do what): resumable, content-addressed
 * uploads and reads that follow the ledger's rights.
 *
 * - start: who may upload for this enterprise (inspectors and agency admins: any enterprise of the directory,
 *   an enterprise: its own); the kind's type and size limits; the daily quota. Idempotent: a file already
 *   stored is complete at once (officials; an enterprise only for a file uploaded for its own ledger), an upload
 *   under way answers its offset.
 * - chunk: only at the server's offset, never past the declared size; the first bytes must look like the
 *   declared type; the last chunk is verified against the name, and bytes that do not hash to it are dropped.
 * - read: who may read ledger/<uscc>, and only a file some record of that ledger points at (`digestsOf`);
 *   anything else is the 404 of a file that does not exist. The bytes are hashed again on every read: a file
 *   that no longer matches its name is never served (409 evidence_damaged, logged as an error).
 */
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { access, canRead } from '../../src/domain/rights';
import { digestsOf, evidenceLimitProblem } from '../../src/domain/evidence';
import { rooms } from '../../src/domain/rooms';
import { readLedger } from '../../src/model/ledger';
import type { Principal } from '../../src/domain/schemas';
import type { UploadStart, UploadState } from '../../src/protocol/evidence';
import { errors, HttpError } from '../http/errors';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { RoomReader } from '../sync/port';
import type { Directory } from '../directory/store';
import type { EvidenceStore, UploadRow } from './store';

/** bytes one user may send per day (Asia/Shanghai), all uploads together */
export const EVIDENCE_DAILY_QUOTA_BYTES = 2 * 1024 * 1024 * 1024;
/** uploads one user may have under way at once */
export const EVIDENCE_OPEN_UPLOADS = 200;
/** an upload not finished this long after its start is dropped with its partial */
export const EVIDENCE_UPLOAD_TTL_MS = 14 * 24 * 3600_000;

export interface EvidenceDeps {
  store: EvidenceStore;
  dir: Pick<Directory, 'hasEnterprise'>;
  rooms: RoomReader;
  clock: Clock;
  log: Logger;
  /** default EVIDENCE_DAILY_QUOTA_BYTES */
  dailyQuota?: number;
}

const NOT_FOUND = { zh: '没有这个证据文件', en: 'No such evidence file' };
const notFound = () => errors.notFound(NOT_FOUND);

/** the first bytes each accepted type starts with (a file is what it says, whatever its name) */
const MAGIC: Record<string, (b: Uint8Array) => boolean> = {
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((x, i) => b[i] === x),
  'image/webp': (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP',
  'application/pdf': (b) => ascii(b, 0, 5) === '%PDF-',
};
const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

export class EvidenceService {
  /** per ledger doc: its state vector and the digests its records point at (a read re-parses only after a change) */
  private readonly digests = new WeakMap<Y.Doc, { state: string; set: Set<string> }>();

  constructor(readonly d: EvidenceDeps) {
    const dropped = d.store.sweep(new Date(d.clock.ms() - EVIDENCE_UPLOAD_TTL_MS).toISOString(), d.clock.today());
    if (dropped) d.log.info('evidence: stale uploads dropped', { dropped });
  }

  private get quota(): number {
    return this.d.dailyQuota ?? EVIDENCE_DAILY_QUOTA_BYTES;
  }

  /** 403/404 unless `p` may upload files for this enterprise's ledger */
  private mayUpload(p: Principal, uscc: string): void {
    if (p.role === 'enterprise') {
      if (p.uscc !== uscc) throw errors.forbidden();
      return;
    }
    if (p.role !== 'inspector' && p.role !== 'agency') throw errors.forbidden();
    if (!this.d.dir.hasEnterprise(uscc)) throw errors.notFound({ zh: '没有这家企业', en: 'No such enterprise' });
  }

  private quotaLeft(userId: string): number {
    return this.quota - this.d.store.receivedOn(userId, this.d.clock.today());
  }

  private quotaError(): HttpError {
    const gib = Math.round((this.quota / 1024 ** 3) * 10) / 10;
    return new HttpError(429, 'evidence_quota', {
      zh: `今天上传的证据已达上限（${gib} GB），请明天再传`,
      en: `Today's evidence upload limit (${gib} GB) is reached; upload the rest tomorrow`,
    });
  }

  /**
   * The file is stored whole, as `p` may learn: officials (who read every ledger) always; an enterprise only when
   * it was uploaded for its own ledger, so nobody can ask whether another enterprise holds given bytes.
   */
  private stored(p: Principal, sha256: string, uscc: string | undefined): UploadState | null {
    const f = this.d.store.intact(sha256);
    if (!f) return null;
    if (p.role === 'enterprise' && !(uscc && uscc === p.uscc && this.d.store.linked(sha256, uscc))) return null;
    return { sha256, size: f.size, offset: f.size, complete: true };
  }

  /** POST /api/evidence/uploads: start an upload, or answer where it stands (idempotent) */
  start(p: Principal, s: UploadStart): UploadState {
    this.mayUpload(p, s.uscc);
    const problem = evidenceLimitProblem(s.kind, s.type, s.size);
    if (problem) throw new HttpError(problem.code === 'evidence_type' ? 415 : 413, problem.code, problem.message);
    // content-addressed: the same bytes are stored once, whoever sends them
    const done = this.stored(p, s.sha256, s.uscc);
    if (done) {
      this.d.store.drop(s.sha256, p.userId);
      this.d.store.link(s.sha256, s.uscc);
      return done;
    }
    let u = this.d.store.upload(s.sha256, p.userId);
    if (u && (u.size !== s.size || u.type !== s.type || u.kind !== s.kind || u.uscc !== s.uscc)) {
      // the same name declared otherwise: start over under the new declaration
      this.d.store.drop(s.sha256, p.userId);
      u = null;
    }
    if (!u) {
      if (this.d.store.openUploads(p.userId) >= EVIDENCE_OPEN_UPLOADS) throw this.quotaError();
      if (s.size > this.quotaLeft(p.userId)) throw this.quotaError();
      u = this.d.store.begin({ sha256: s.sha256, userId: p.userId, uscc: s.uscc, kind: s.kind, type: s.type, size: s.size, startedAt: this.d.clock.iso() });
      this.d.log.debug('evidence upload started', { sha256: s.sha256, userId: p.userId, size: s.size });
    }
    return { sha256: s.sha256, size: u.size, offset: u.offset, complete: false };
  }

  /** before a chunk's body is read: 404 unless this user has started this upload (or may know the file is stored) */
  precheck(p: Principal, sha256: string): void {
    if (!this.d.store.upload(sha256, p.userId) && !this.stored(p, sha256, p.uscc)) throw notFound();
  }

  /** POST /api/evidence/uploads/:sha256?offset=N: append a chunk at the server's offset; the last one completes */
  chunk(p: Principal, sha256: string, offset: number, bytes: Uint8Array): UploadState {
    const u = this.d.store.upload(sha256, p.userId);
    if (!u) {
      // a last chunk sent again after its answer was lost
      const done = this.stored(p, sha256, p.uscc);
      if (done) return done;
      throw notFound();
    }
    const done = this.stored(p, sha256, u.uscc);
    if (done) {
      // another user stored the same bytes first
      this.d.store.drop(sha256, p.userId);
      this.d.store.link(sha256, u.uscc);
      return done;
    }
    if (offset !== u.offset)
      throw new HttpError(
        409,
        'upload_offset',
        { zh: `上传位置不对：请从第 ${u.offset} 字节继续`, en: `Wrong upload offset: continue from byte ${u.offset}` },
        {},
        { offset: u.offset },
      );
    if (offset + bytes.length > u.size)
      throw new HttpError(413, 'evidence_too_large', {
        zh: `内容超过申报的大小（${u.size} 字节）`,
        en: `More bytes than the declared size (${u.size} bytes)`,
      });
    if (bytes.length === 0) return { sha256, size: u.size, offset: u.offset, complete: false };
    if (offset === 0 && !MAGIC[u.type]?.(bytes)) {
      this.d.store.drop(sha256, p.userId);
      throw new HttpError(415, 'evidence_type', { zh: `文件内容不是 ${u.type}`, en: `The file's content is not ${u.type}` });
    }
    if (bytes.length > this.quotaLeft(p.userId)) throw this.quotaError();
    this.d.store.addReceived(p.userId, this.d.clock.today(), bytes.length);
    const next = this.d.store.append(u, bytes);
    this.d.log.debug('evidence chunk', { sha256, userId: p.userId, offset, bytes: bytes.length });
    if (next < u.size) return { sha256, size: u.size, offset: next, complete: false };
    return this.finish({ ...u, offset: next });
  }

  private finish(u: UploadRow): UploadState {
    const actual = this.d.store.partialDigest(u.sha256, u.userId);
    if (actual !== u.sha256) {
      this.d.store.drop(u.sha256, u.userId);
      this.d.log.warn('evidence upload does not hash to its name: dropped', { sha256: u.sha256, actual, userId: u.userId });
      throw new HttpError(422, 'evidence_hash_mismatch', {
        zh: '上传的内容与文件的校验值（SHA-256）不符，已丢弃；请重新上传',
        en: 'The uploaded bytes do not match the file’s SHA-256; they were dropped. Upload the file again',
      });
    }
    this.d.store.commit(u, this.d.clock.iso());
    this.d.store.link(u.sha256, u.uscc);
    this.d.log.info('evidence file stored', { sha256: u.sha256, size: u.size, type: u.type, userId: u.userId, uscc: u.uscc });
    return { sha256: u.sha256, size: u.size, offset: u.size, complete: true };
  }

  /**
   * The stored type of a file `p` may read on this enterprise's ledger: 404 (the same answer every time)
   * unless `p` may read ledger/<uscc>, a record there points at the file, and the file is stored.
   */
  async readable(p: Principal, uscc: string, sha256: string): Promise<string> {
    if (!canRead(access(p, { kind: 'ledger', uscc }))) throw notFound();
    if (!this.d.dir.hasEnterprise(uscc)) throw notFound();
    const f = this.d.store.file(sha256);
    if (!f) throw notFound();
    const named = await this.d.rooms.read(rooms.ledger(uscc), (doc) => this.digestsIn(doc, uscc).has(sha256));
    if (!named) throw notFound();
    return f.type;
  }

  /** GET /api/evidence/:uscc/:sha256: the verified bytes and their type */
  async read(p: Principal, uscc: string, sha256: string): Promise<{ bytes: Buffer; type: string }> {
    const type = await this.readable(p, uscc, sha256);
    const bytes = await this.d.store.bytes(sha256);
    const actual = bytes && createHash('sha256').update(bytes).digest('hex');
    if (!bytes || actual !== sha256) {
      this.d.log.error('evidence file damaged: not served', { sha256, actual: actual ?? 'missing', uscc });
      throw new HttpError(409, 'evidence_damaged', {
        zh: '服务器上的这个证据文件已损坏，无法提供；请联系管理员，或由持有原件的手机重新上传',
        en: 'This evidence file is damaged on the server and cannot be served; tell the administrators, or upload it again from the phone that holds it',
      });
    }
    return { bytes, type };
  }

  private digestsIn(doc: Y.Doc, uscc: string): Set<string> {
    const state = Buffer.from(Y.encodeStateVector(doc)).toString('base64');
    const hit = this.digests.get(doc);
    if (hit && hit.state === state) return hit.set;
    const set = new Set(readLedger(doc, { uscc }).items.flatMap((s) => digestsOf(s.rec)));
    this.digests.set(doc, { state, set });
    return set;
  }
}
