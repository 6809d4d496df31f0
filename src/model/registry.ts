/** Registry doc `registry/certificates` (LAYOUT.registry): `certificates` = number → rec Certificate. */
import * as Y from 'yjs';
import { z } from 'zod';
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

/** Revoke a certificate (注销): status `revoked`, with the date and reason. */
export function revokeCertificate(doc: Y.Doc, number: string, revokedOn: string, reason: string, origin?: Origin): Certificate {
  IsoDate.parse(revokedOn);
  const cur = readCertificate(doc, number);
  if (!cur) throw new Error(`certificate "${number}" does not exist`);
  return putCertificate(doc, { ...cur, status: 'revoked', revokedOn, revokedReason: reason }, origin);
}

/** Is the certificate usable on `date` (YYYY-MM-DD, Asia/Shanghai)? Expiry is inclusive. */
export function certificateValidOn(c: Certificate, date: string): boolean {
  return c.status === 'valid' && c.issuedOn <= date && date <= c.expiresOn;
}
