/**
 * Device keys for tests that write ledger records over real sockets: a fresh P-256 key registered with
 * the server (POST /api/devices) for a signed-in user, and signed records built with it. Once the relay
 * vets ledger updates (server/quarantine.ts), unsigned records are quarantined, so writers sign.
 */
import { generateDeviceKey, signRecord, type DeviceKey } from '../../src/domain/record-signing';
import { Principal, type LedgerRecord, type SignedRecord } from '../../src/domain/schemas';
import type { z } from 'zod';
import { E2E_NOW } from './moments';

/**
 * The server checks who writes which record (server/sync/record-rules.ts): only the ledger's enterprise
 * acknowledges, inspectors write entries and results of their own agency, and a record's time may not lie
 * ahead of the server's clock (spawned servers run at E2E_NOW). The helpers learn each key's user
 * (GET /api/me at registration) so that `signedAck` writes what that user may write.
 */
const principals = new Map<string, Principal>();

/** make a device key and register its public half for the user behind `token` */
export async function registeredDevice(url: string, token: string): Promise<DeviceKey> {
  const key = await generateDeviceKey();
  const r = await fetch(`${url}/api/devices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ publicJwk: key.publicJwk }),
  });
  if (r.status !== 201 && r.status !== 200) throw new Error(`device registration: ${r.status} ${await r.text()}`);
  const me = await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  if (me.ok) {
    const p = Principal.parse(await me.json());
    principals.set(p.userId, p);
  }
  return key;
}

export function sign(rec: z.input<typeof LedgerRecord>, key: DeviceKey): Promise<SignedRecord> {
  return signRecord(rec, key.privateKey, key.kid);
}

let seq = 0;
/** the time of helper records: the spawned servers' clock start (a record may not lie in the server's future) */
export const RECORD_AT = new Date(E2E_NOW).toISOString();

/**
 * The record an inspector may write without a task: a triggered, written (off-site) inspection recorded late
 * (补录), with that inspector on the team (the server's record rules accept it from them alone).
 */
export function lateEntry(
  p: { userId: string; agencyId?: string; inspectorId?: string; name: string },
  uscc: string,
  id: string,
): z.input<typeof LedgerRecord> {
  return {
    id,
    uscc,
    at: RECORD_AT,
    by: p.userId,
    type: 'entry',
    agencyId: p.agencyId ?? '',
    kind: { type: 'triggered', trigger: { kind: 'complaint', ref: `T-${id}`.slice(0, 60) } },
    method: 'written',
    team: [{ inspectorId: p.inspectorId ?? '', name: p.name.slice(0, 50), certificateNumber: 'TEST', certificateValid: true }],
    itemIds: [],
    via: 'late',
    lateReason: 'test record',
    exemptions: [],
    device: 'test',
    conductAcknowledged: true,
  };
}

/**
 * A small valid signed record by `by` about `uscc`: an acknowledgement, or, when `by` is an inspector
 * whose key was registered here, a late entry (`lateEntry`).
 */
export function signedAck(uscc: string, by: string, key: DeviceKey, id = `ack-${process.pid}-${Date.now().toString(36)}-${++seq}`): Promise<SignedRecord> {
  const p = principals.get(by);
  if (p?.role === 'inspector' && p.agencyId && p.inspectorId) return sign(lateEntry({ ...p, userId: by }, uscc, id), key);
  return sign({ id, uscc, at: RECORD_AT, by, type: 'ack', refId: 'result-1' }, key);
}

const byUser = new Map<string, Promise<DeviceKey>>();
/** one registered device key per server and user (made on first use) */
export function deviceOf(url: string, l: { userId: string; token: string }): Promise<DeviceKey> {
  const k = `${url}|${l.userId}`;
  let p = byUser.get(k);
  if (!p) {
    p = registeredDevice(url, l.token);
    byUser.set(k, p);
    p.catch(() => byUser.delete(k));
  }
  return p;
}

/** a signed acknowledgement by the signed-in user `l` (its device registered on first use) */
export async function signedAckBy(url: string, l: { userId: string; token: string }, uscc: string, id?: string): Promise<SignedRecord> {
  return signedAck(uscc, l.userId, await deviceOf(url, l), id);
}
