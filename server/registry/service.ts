/**
 * The certificate registry (行政执法证件, measure 2): the only writer of `registry/certificates`. Each action
 * is checked inside the room's change (so two requests cannot both take one number), stored and relayed to
 * every open phone (a revoked or suspended certificate blocks check-ins as soon as the phone syncs), then
 * audited with the certificate before and after (agencyId = the holder's agency).
 *
 * Issuing also writes the holder's inspector record (its certificate number), through InspectorRecords.
 * The yearly clean-up (年度清理) lists certificates expired, expiring soon, or held by someone whose record is
 * inactive or who has no enabled account, and revokes or renews a selection in one change of the doc.
 */
import type * as Y from 'yjs';
import type { z } from 'zod';
import type { DB } from '../store/db';
import type { RoomPort } from '../sync/port';
import type { Clock } from '../clock';
import type { AuditLog } from '../audit/store';
import { actorOf } from '../audit/store';
import type { InspectorRecords } from '../directory/inspectors';
import { HttpError, errors } from '../http/errors';
import { rooms } from '../../src/domain/rooms';
import { addDays } from '../../src/domain/time';
import type { Certificate, Principal } from '../../src/domain/schemas';
import {
  putCertificate,
  readCertificate,
  readCertificates,
  reinstateCertificate,
  renewCertificate,
  revokeCertificate,
  suspendCertificate,
} from '../../src/model/registry';
import type {
  CertificatePage,
  CertificateQuery,
  CleanupItem,
  CleanupReason,
  CleanupRequest,
  CleanupResult,
  CleanupView,
  IssueCertificateRequest,
} from '../../src/protocol/registry';
import { adminScope, requireSupervisor } from '../auth/rights';

export interface RegistryDeps {
  db: DB;
  rooms: RoomPort;
  inspectors: Pick<InspectorRecords, 'get' | 'update'>;
  audit: Pick<AuditLog, 'record'>;
  clock: Pick<Clock, 'today'>;
}

const notFound = (number: string) =>
  errors.notFound({ zh: `没有证号为 ${number.slice(0, 40)} 的执法证件`, en: `No certificate numbered ${number.slice(0, 40)}` });
const state = (zh: string, en: string) => new HttpError(409, 'certificate_state', { zh, en });
const STATUS_ZH: Record<Certificate['status'], string> = { valid: '有效', suspended: '暂停使用', revoked: '已注销' };

export class RegistryService {
  constructor(private readonly d: RegistryDeps) {}

  /** Supervisors: every certificate; an agency admin: their agency's (whatever agencyId they ask for); others: 403. */
  async list(p: Principal, q: CertificateQuery & { limit: number; offset: number }): Promise<CertificatePage> {
    const agencyId = adminScope(p) ?? q.agencyId;
    const needle = q.q?.toLowerCase();
    const all = await this.d.rooms.read(rooms.registry(), (doc) => readCertificates(doc).items);
    const hits = all.filter(
      (c) =>
        (!agencyId || c.agencyId === agencyId) &&
        (!q.status || c.status === q.status) &&
        (!needle || c.number.toLowerCase().includes(needle) || c.holderName.toLowerCase().includes(needle) || c.inspectorId.toLowerCase().includes(needle)),
    );
    return { total: hits.length, limit: q.limit, offset: q.offset, items: hits.slice(q.offset, q.offset + q.limit) };
  }

  /** Issue a certificate to an inspector record: the name and agency are the record's; the number is unique. */
  async issue(p: Principal, r: z.output<typeof IssueCertificateRequest>): Promise<Certificate> {
    requireSupervisor(p);
    const holder = this.d.inspectors.get(r.inspectorId);
    if (!holder) throw errors.notFound({ zh: `没有执法人员 ${r.inspectorId}`, en: `No inspector record ${r.inspectorId}` });
    if (!holder.active)
      throw new HttpError(409, 'inspector_inactive', {
        zh: `执法人员 ${holder.name} 已停用，不能发证`,
        en: `Inspector ${holder.name} is inactive; no certificate can be issued`,
      });
    let cert!: Certificate;
    await this.d.rooms.change(rooms.registry(), (doc) => {
      if (readCertificate(doc, r.number) || doc.getMap('certificates').has(r.number))
        throw new HttpError(409, 'certificate_exists', { zh: `证号 ${r.number} 已存在`, en: `Certificate number ${r.number} is already taken` });
      cert = putCertificate(doc, {
        number: r.number,
        inspectorId: holder.id,
        agencyId: holder.agencyId,
        holderName: holder.name,
        issuedOn: r.issuedOn,
        expiresOn: r.expiresOn,
        status: 'valid',
      });
    });
    this.d.audit.record({ actor: actorOf(p), action: 'certificate.issue', target: `certificate:${cert.number}`, agencyId: cert.agencyId, after: cert });
    // the holder carries the new number (the check-in picks the certificate by it)
    const rec = await this.d.inspectors.update(holder.id, { certificateNumber: cert.number });
    this.d.audit.record({
      actor: actorOf(p),
      action: 'inspector.certificate',
      target: `inspector:${holder.id}`,
      agencyId: holder.agencyId,
      before: rec.before,
      after: rec.after,
    });
    return cert;
  }

  async renew(p: Principal, number: string, expiresOn: string): Promise<Certificate> {
    requireSupervisor(p);
    return this.act(p, number, 'certificate.renew', (doc, cur) => {
      if (cur.status === 'revoked') throw state(`证件 ${number} 已注销，不能延期`, `Certificate ${number} is revoked and cannot be renewed`);
      if (expiresOn <= cur.expiresOn)
        throw errors.badRequest('bad_date', {
          zh: `新的有效期（${expiresOn}）须晚于现有有效期（${cur.expiresOn}）`,
          en: `The new expiry (${expiresOn}) must be after the current one (${cur.expiresOn})`,
        });
      return renewCertificate(doc, number, expiresOn);
    });
  }

  async suspend(p: Principal, number: string, reason: string): Promise<Certificate> {
    requireSupervisor(p);
    return this.act(p, number, 'certificate.suspend', (doc, cur) => {
      if (cur.status !== 'valid')
        throw state(`证件 ${number} 当前为“${STATUS_ZH[cur.status]}”，不能暂停`, `Certificate ${number} is ${cur.status}; only a valid one is suspended`);
      return suspendCertificate(doc, number, this.d.clock.today(), reason);
    });
  }

  async reinstate(p: Principal, number: string): Promise<Certificate> {
    requireSupervisor(p);
    return this.act(p, number, 'certificate.reinstate', (doc, cur) => {
      if (cur.status !== 'suspended')
        throw state(
          cur.status === 'revoked' ? `证件 ${number} 已注销，不能恢复` : `证件 ${number} 未被暂停`,
          cur.status === 'revoked' ? `Certificate ${number} is revoked and is never reinstated` : `Certificate ${number} is not suspended`,
        );
      return reinstateCertificate(doc, number);
    });
  }

  async revoke(p: Principal, number: string, reason: string): Promise<Certificate> {
    requireSupervisor(p);
    return this.act(p, number, 'certificate.revoke', (doc, cur) => {
      if (cur.status === 'revoked') throw state(`证件 ${number} 已注销`, `Certificate ${number} is already revoked`);
      return revokeCertificate(doc, number, this.d.clock.today(), reason);
    });
  }

  /** the clean-up list: expired, expiring within `withinDays`, or held by an inactive record or someone with no enabled account */
  async cleanup(p: Principal, withinDays: number): Promise<CleanupView> {
    requireSupervisor(p);
    const today = this.d.clock.today();
    const until = addDays(today, withinDays);
    const certs = await this.d.rooms.read(rooms.registry(), (doc) => readCertificates(doc).items);
    // read-only look at the accounts table: who has an enabled inspector account
    const withAccount = new Set(
      (
        this.d.db.prepare("SELECT DISTINCT inspector_id AS id FROM users WHERE role = 'inspector' AND disabled = 0 AND inspector_id IS NOT NULL").all() as {
          id: string;
        }[]
      ).map((r) => r.id),
    );
    const items: CleanupItem[] = [];
    for (const c of certs) {
      if (c.status === 'revoked') continue;
      const reasons: CleanupReason[] = [];
      if (c.expiresOn < today) reasons.push('expired');
      else if (c.expiresOn <= until) reasons.push('expiring');
      const holder = this.d.inspectors.get(c.inspectorId);
      if (!holder) reasons.push('no_holder');
      else if (!holder.active) reasons.push('holder_inactive');
      if (holder && !withAccount.has(c.inspectorId)) reasons.push('no_account');
      if (reasons.length) items.push({ certificate: c, reasons });
    }
    items.sort((a, b) => (a.certificate.expiresOn < b.certificate.expiresOn ? -1 : a.certificate.expiresOn > b.certificate.expiresOn ? 1 : 0));
    return { asOf: today, withinDays, items };
  }

  /** Confirm the clean-up in one change of the doc; one audit entry per certificate changed and one summary. */
  async confirmCleanup(p: Principal, r: CleanupRequest): Promise<CleanupResult> {
    requireSupervisor(p);
    const today = this.d.clock.today();
    if (r.action === 'renew' && r.expiresOn < today)
      throw errors.badRequest('bad_date', { zh: `新的有效期（${r.expiresOn}）早于今天`, en: `The new expiry (${r.expiresOn}) is before today` });
    const changed: { before: Certificate; after: Certificate }[] = [];
    const skipped: { number: string; reason: string }[] = [];
    await this.d.rooms.change(rooms.registry(), (doc) => {
      for (const number of new Set(r.numbers)) {
        const cur = readCertificate(doc, number);
        if (!cur) skipped.push({ number, reason: 'not_found' });
        else if (cur.status === 'revoked') skipped.push({ number, reason: 'revoked' });
        else if (r.action === 'revoke') changed.push({ before: cur, after: revokeCertificate(doc, number, today, r.reason) });
        else if (r.expiresOn <= cur.expiresOn) skipped.push({ number, reason: 'not_later' });
        else changed.push({ before: cur, after: renewCertificate(doc, number, r.expiresOn) });
      }
    });
    const action = `certificate.${r.action}`;
    this.d.db.transaction(() => {
      for (const c of changed)
        this.d.audit.record({
          actor: actorOf(p),
          action,
          target: `certificate:${c.after.number}`,
          agencyId: c.after.agencyId,
          before: c.before,
          after: c.after,
        });
      this.d.audit.record({
        actor: actorOf(p),
        action: 'certificate.cleanup',
        target: `cleanup:${today}`,
        after: {
          action: r.action,
          ...(r.action === 'revoke' ? { reason: r.reason } : { expiresOn: r.expiresOn }),
          changed: changed.length,
          skipped: skipped.length,
          numbers: changed.slice(0, 500).map((c) => c.after.number),
        },
      });
    })();
    return { action: r.action, changed: changed.map((c) => c.after.number), skipped };
  }

  /** one certificate changed in the room (checked against its current state there), then audited */
  private async act(p: Principal, number: string, action: string, fn: (doc: Y.Doc, cur: Certificate) => Certificate): Promise<Certificate> {
    let before!: Certificate;
    let after!: Certificate;
    await this.d.rooms.change(rooms.registry(), (doc) => {
      const cur = readCertificate(doc, number);
      if (!cur) throw notFound(number);
      before = cur;
      after = fn(doc, cur);
    });
    this.d.audit.record({ actor: actorOf(p), action, target: `certificate:${number}`, agencyId: after.agencyId, before, after });
    return after;
  }
}
