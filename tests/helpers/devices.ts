/**
 * Device keys for tests that write ledger records over real sockets: a fresh P-256 key registered with
 * the server (POST /api/devices) for a signed-in user, and signed records built with it. Once the relay
 * vets ledger updates (server/quarantine.ts), unsigned records are quarantined, so writers sign.
 */
import { generateDeviceKey, signRecord, type DeviceKey } from '../../src/domain/record-signing';
import type { LedgerRecord, SignedRecord } from '../../src/domain/schemas';
import type { z } from 'zod';

/** make a device key and register its public half for the user behind `token` */
export async function registeredDevice(url: string, token: string): Promise<DeviceKey> {
  const key = await generateDeviceKey();
  const r = await fetch(`${url}/api/devices`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ publicJwk: key.publicJwk }),
  });
  if (r.status !== 201 && r.status !== 200) throw new Error(`device registration: ${r.status} ${await r.text()}`);
  return key;
}

export function sign(rec: z.input<typeof LedgerRecord>, key: DeviceKey): Promise<SignedRecord> {
  return signRecord(rec, key.privateKey, key.kid);
}

let seq = 0;
/** a signed acknowledgement record by `by` about `uscc` */
export function signedAck(uscc: string, by: string, key: DeviceKey, id = `ack-${process.pid}-${Date.now().toString(36)}-${++seq}`): Promise<SignedRecord> {
  return sign({ id, uscc, at: new Date().toISOString(), by, type: 'ack', refId: 'result-1' }, key);
}

const byUser = new Map<string, Promise<DeviceKey>>();
/** one registered device key per server and user (made on first use) */
export function deviceOf(url: string, l: { userId: string; token: string }): Promise<DeviceKey> {
  const k = `${url}|${l.userId}`;
  let p = byUser.get(k);
  if (!p) { p = registeredDevice(url, l.token); byUser.set(k, p); p.catch(() => byUser.delete(k)); }
  return p;
}

/** a signed acknowledgement by the signed-in user `l` (its device registered on first use) */
export async function signedAckBy(url: string, l: { userId: string; token: string }, uscc: string, id?: string): Promise<SignedRecord> {
  return signedAck(uscc, l.userId, await deviceOf(url, l), id);
}
