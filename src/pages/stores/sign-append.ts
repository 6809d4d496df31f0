/** Sign a ledger record with this phone's device key and append it to ledger/<uscc> (IndexedDB first: offline too). */
import type * as Y from 'yjs';
import { signRecord, type DeviceKey } from '../../domain/record-signing';
import type { LedgerRecord } from '../../domain/schemas';
import { appendRecord } from '../../model';

/** the record as stored (parsed by the ledger's schema) */
export async function appendSigned<T extends LedgerRecord>(ledger: Y.Doc, rec: T, key: DeviceKey): Promise<T> {
  const signed = await signRecord(rec, key.privateKey, key.kid);
  return appendRecord(ledger, signed).rec as T;
}
