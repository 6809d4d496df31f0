/**
 * Registry doc `registry/certificates` (LAYOUT.registry): `certificates` = number → rec Certificate.
 * Written by the server only (server/registry/service.ts: validated and audited); phones and pages read it.
 */
import type * as Y from 'yjs';
import type { z } from 'zod';
import { Certificate, IsoDate } from '../domain/schemas';
import { putRecord, readRecord, readRecordMap, type Origin, type ReadResult } from './util';

export function certificatesRoot(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('certificates');
}

/** Every valid certificate, sorted by number. */
export function readCertificates(doc: Y.Doc): ReadResult<Certificate> {
  return readRecordMap(certificatesRoot(doc), Certificate, (c) => c.number);
}

export function readCertificate(doc: Y.Doc, number: string): Certificate | undefined {
  return readRecord(certificatesRoot(doc), number, Certificate);
}

/** Issue or replace a certificate (validated). */
export function putCertificate(doc: Y.Doc, cert: z.input<typeof Certificate>, origin?: Origin): Certificate {
  return putRecord(doc, certificatesRoot(doc), Certificate.parse(cert).number, Certificate, cert, origin);
}

function existing(doc: Y.Doc, number: string): Certificate {
  const cur = readCertificate(doc, number);
  if (!cur) throw new Error(`certificate "${number}" does not exist`);
  return cur;
}

/** Revoke a certificate (注销): status `revoked`, with the date and reason. For good: nothing brings it back. */
export function revokeCertificate(doc: Y.Doc, number: string, revokedOn: string, reason: string, origin?: Origin): Certificate {
  IsoDate.parse(revokedOn);
  const { suspendedOn: _o, suspendedReason: _r, ...cur } = existing(doc, number);
  return putCertificate(doc, { ...cur, status: 'revoked', revokedOn, revokedReason: reason }, origin);
}

/** Suspend a valid certificate (暂扣): status `suspended`, with the date and reason; `reinstateCertificate` undoes it. */
export function suspendCertificate(doc: Y.Doc, number: string, suspendedOn: string, reason: string, origin?: Origin): Certificate {
  IsoDate.parse(suspendedOn);
  const cur = existing(doc, number);
  if (cur.status !== 'valid') throw new Error(`certificate "${number}" is ${cur.status}, not valid`);
  return putCertificate(doc, { ...cur, status: 'suspended', suspendedOn, suspendedReason: reason }, origin);
}

/** Lift a suspension: valid again (a revoked certificate is never reinstated). */
export function reinstateCertificate(doc: Y.Doc, number: string, origin?: Origin): Certificate {
  const { suspendedOn: _o, suspendedReason: _r, ...cur } = existing(doc, number);
  if (cur.status !== 'suspended') throw new Error(`certificate "${number}" is ${cur.status}, not suspended`);
  return putCertificate(doc, { ...cur, status: 'valid' }, origin);
}

/** A new expiry date (a revoked certificate is not renewed). */
export function renewCertificate(doc: Y.Doc, number: string, expiresOn: string, origin?: Origin): Certificate {
  IsoDate.parse(expiresOn);
  const cur = existing(doc, number);
  if (cur.status === 'revoked') throw new Error(`certificate "${number}" is revoked`);
  if (expiresOn < cur.issuedOn) throw new Error('the expiry date is before the issue date');
  return putCertificate(doc, { ...cur, expiresOn }, origin);
}

/** Is the certificate usable on `date` (YYYY-MM-DD, Asia/Shanghai)? Only a `valid` one, within its dates; expiry is inclusive. */
export function certificateValidOn(c: Certificate, date: string): boolean {
  return c.status === 'valid' && c.issuedOn <= date && date <= c.expiresOn;
}
