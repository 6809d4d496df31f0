/**
 * Device-signature and record-rule vetting of ledger updates, with quarantine (DESIGN §4).
 *
 * Every new record an update adds to `ledger/<uscc>` must be signed by a device key registered to the
 * record's author, and the author must be the connection's principal (a user cannot append in another
 * user's name, even with a copy of a good signature). An update carrying a record that fails is not
 * applied: each failing record is kept in the `quarantine` table (idempotent per room and record id,
 * with the user, the reason and the update bytes) for supervisors (GET /api/quarantine), and the
 * connection stays open (closing it would make the client resend the same bytes forever).
 *
 * Runs after the append-only checks (server/sync/guards/append-only.ts), so every new struct is a root-map entry of
 * plain JSON: the new records are read from the decoded update (V1 only, like the checks) instead of a
 * scratch copy of the doc. Yjs keeps each client's structs as one contiguous log, so a failing record
 * holds back its whole client (within this update); records of other clients in the same update (a
 * sync step 2 after a long time offline carries several sessions) are returned as `accepted`, the
 * update minus the failing clients, which the relay may apply instead.
 */
import * as Y from 'yjs';
import type { RoomRef } from '../../src/domain/rooms';
import { roomName } from '../../src/domain/rooms';
import { SignedRecord, type LedgerRecord, type Principal } from '../../src/domain/schemas';
import { verifyLedgerRecord, type DeviceRegistry } from '../codes/devices';
import { checkRecordRules, storedRaw, storedRecord, type RecordRuleDeps } from './record-rules';
import { HOUR_MS, type QuarantineReason, type QuarantineStore } from './quarantine';

export interface VetFailure {
  recordId: string;
  reason: QuarantineReason;
  /** the record's author as claimed (`rec.by`), when readable */
  by?: string;
}

export type VetResult =
  | { ok: true }
  | {
      ok: false;
      /** the first failure's reason (for logs and metrics) */
      reason: QuarantineReason;
      records: VetFailure[];
      /** the part of the update that passed (other clients' records), or undefined when nothing did */
      accepted?: Uint8Array;
    };

interface NewRecord {
  key: string;
  client: number;
  value: unknown;
}

/**
 * The records an update adds to the doc's `records` map, with the Yjs client that wrote each.
 * Structs the doc already holds are skipped (clients resend them on reconnect).
 */
export function newRecords(doc: Y.Doc, update: Uint8Array, decoded?: ReturnType<typeof Y.decodeUpdate>): { records: NewRecord[]; ends: Map<number, number> } {
  const d = decoded ?? Y.decodeUpdate(update);
  const records: NewRecord[] = [];
  const ends = new Map<number, number>();
  for (const s of d.structs) {
    const client = s.id.client;
    ends.set(client, Math.max(ends.get(client) ?? 0, s.id.clock + s.length));
    if (s.id.clock + s.length <= Y.getState(doc.store, client)) continue;
    if (!(s instanceof Y.Item)) continue;
    // decoded (not integrated) items name their root by string
    if ((s.parent as unknown) !== 'records' || typeof s.parentSub !== 'string') continue;
    if (!(s.content instanceof Y.ContentAny) || s.content.arr.length !== 1) continue;
    records.push({ key: s.parentSub, client, value: s.content.arr[0] });
  }
  return { records, ends };
}

export interface VetDeps {
  devices: Pick<DeviceRegistry, 'lookup'>;
  quarantine: QuarantineStore;
  /**
   * Who may write which record (ledger/record-rules.ts: the author's role and agency, the task, the scanned
   * code, the time, corrections). The server always passes them; without them only signatures are checked.
   */
  rules?: RecordRuleDeps;
  /** records accepted more than 24 h after their time (phones offline, or back-dated): reported to supervisors */
  onLate?: (uscc: string, late: { recordId: string; at: string; type: LedgerRecord['type']; agencyId?: string }[], principal: Principal) => void;
}

/**
 * Vet an update to a ledger room (other rooms pass). Failing records are quarantined before this
 * returns; the caller must not apply the update when `ok` is false (it may apply `accepted`).
 */
export async function vetLedgerUpdate(
  doc: Y.Doc,
  ref: RoomRef,
  update: Uint8Array,
  principal: Principal,
  deps: VetDeps,
  decoded?: ReturnType<typeof Y.decodeUpdate>,
): Promise<VetResult> {
  if (ref.kind !== 'ledger') return { ok: true };
  const { records, ends } = newRecords(doc, update, decoded);
  if (records.length === 0) return { ok: true };
  const failures: (VetFailure & { client: number; kid: string | null; value: unknown })[] = [];
  // the update's own records (parsed), so that a result may follow its entry and a correction its record in one update
  const fresh = new Map<string, LedgerRecord>();
  for (const r of records) {
    const p = SignedRecord.safeParse(r.value);
    if (p.success) fresh.set(r.key, p.data.rec);
  }
  const lookup = (id: string) => fresh.get(id) ?? storedRecord(doc, id);
  const freshRaw = new Map(records.map((r) => [r.key, (r.value as { rec?: unknown } | null)?.rec]));
  const raw = (id: string) => (fresh.has(id) ? freshRaw.get(id) : storedRaw(doc, id));
  // the ledger's records other than the one vetted: stored ones, and those before it in this update
  let stored: LedgerRecord[] | null = null;
  const storedAll = () => {
    if (!stored) {
      stored = [];
      for (const key of doc.getMap('records').keys()) {
        const rec = storedRecord(doc, key);
        if (rec) stored.push(rec);
      }
    }
    return stored;
  };
  const late: { recordId: string; client: number; at: string; type: LedgerRecord['type']; agencyId?: string }[] = [];
  for (const [i, r] of records.entries()) {
    const v = await verifyLedgerRecord(r.value, deps.devices);
    const rec = (r.value as { rec?: { by?: unknown } } | null)?.rec;
    const by = typeof rec?.by === 'string' ? rec.by : undefined;
    const sig = (r.value as { sig?: { kid?: unknown } } | null)?.sig;
    const kid = typeof sig?.kid === 'string' ? sig.kid.slice(0, 100) : null;
    let reason: QuarantineReason | null = v !== 'ok' ? v : by !== principal.userId ? 'not_author' : null;
    const parsed = fresh.get(r.key);
    if (!reason && deps.rules && parsed) {
      const others = function* () {
        yield* storedAll();
        for (const o of records.slice(0, i)) {
          const f = fresh.get(o.key);
          if (f) yield f;
        }
      };
      const verdict = await checkRecordRules(parsed, { principal, uscc: ref.uscc, lookup, raw, others }, deps.rules);
      if (!verdict.ok) reason = verdict.reason;
      else if (verdict.late)
        late.push({ recordId: r.key, client: r.client, at: parsed.at, type: parsed.type, ...('agencyId' in parsed ? { agencyId: parsed.agencyId } : {}) });
    }
    if (reason) failures.push({ recordId: r.key, reason, by, client: r.client, kid, value: r.value });
  }
  // late uploads are reported only for records that are stored (their client passed)
  const failedClients = new Set(failures.map((f) => f.client));
  const lateStored = late.filter((l) => !failedClients.has(l.client)).map(({ client: _c, ...l }) => l);
  if (lateStored.length) {
    try {
      deps.onLate?.(ref.uscc, lateStored, principal);
    } catch {
      /* a report never stops a record */
    }
  }
  if (failures.length === 0) return { ok: true };
  const room = roomName(ref);
  await deps.quarantine.addAll({
    room,
    userId: principal.userId,
    update,
    records: failures.map((f) => ({ recordId: f.recordId, reason: f.reason, kid: f.kid, record: f.value })),
  });
  // drop every struct of a failing client: the state vector says "already known" up to its last clock
  const bad = new Map<number, number>();
  for (const f of failures) bad.set(f.client, ends.get(f.client) ?? 0);
  const goodClients = records.some((r) => !bad.has(r.client));
  const accepted = goodClients ? Y.diffUpdate(update, Y.encodeStateVector(bad)) : undefined;
  return {
    ok: false,
    reason: failures[0].reason,
    records: failures.map(({ recordId, reason, by }) => (by === undefined ? { recordId, reason } : { recordId, reason, by })),
    ...(accepted ? { accepted } : {}),
  };
}

/** What the relay hands its `vet` option (RelayOptions.vet, server/sync/relay.ts VetContext). */
export interface RelayVetContext {
  ref: RoomRef;
  doc: Y.Doc;
  update: Uint8Array;
  decoded?: ReturnType<typeof Y.decodeUpdate>;
  principal: Principal;
}
export type RelayVetResult =
  | { ok: true }
  | { ok: false; action: 'quarantine'; reason: QuarantineReason; detail: string; records: VetFailure[]; accepted?: Uint8Array; count: number };

/**
 * The vetting function in the relay's shape: ledger rooms only (others pass); a failure asks the relay to
 * drop the update without closing (`action: 'quarantine'`), the records being kept already.
 */
export function createLedgerVet(deps: VetDeps): (c: RelayVetContext) => Promise<RelayVetResult> {
  return async (c) => {
    const r = await vetLedgerUpdate(c.doc, c.ref, c.update, c.principal, deps, c.decoded);
    if (r.ok) return r;
    const shown = r.records
      .slice(0, 5)
      .map((x) => `${x.recordId}: ${x.reason}`)
      .join(', ');
    const detail = `ledger record${r.records.length > 1 ? 's' : ''} ${shown}${r.records.length > 5 ? ` and ${r.records.length - 5} more` : ''} quarantined`;
    return {
      ok: false,
      action: 'quarantine',
      reason: r.reason,
      detail,
      records: r.records,
      count: r.records.length,
      ...(r.accepted ? { accepted: r.accepted } : {}),
    };
  };
}

/**
 * Supervisors hear of quarantined records at most once per user and hour (measure 11/15: irregular records
 * are warnings), with how many records that user sent in the burst: 256 bad records in one update must not
 * become 256 warnings (an amplification attack). The warning goes out `delayMs` after the first failure of the hour, with
 * the count so far; later failures of that hour are kept (capped) in the quarantine, not warned again.
 */
export interface QuarantineBurst {
  id: string;
  uscc?: string;
  refId: string;
  userId: string;
  count: number;
  rooms: number;
  reason: string;
}

/** the supervisors' warning for one user's burst of quarantined records in an hour */
export function quarantineWarning(a: QuarantineBurst, at: string) {
  return {
    id: a.id,
    kind: 'quarantined' as const,
    severity: 'block' as const,
    ...(a.uscc ? { uscc: a.uscc } : {}),
    refId: a.refId,
    at,
    message: {
      zh: `用户 ${a.userId} 提交的 ${a.count} 条检查记录（涉及 ${a.rooms} 家企业，首条 ${a.refId}：${a.reason}）未被接受（签名或记录规则），已隔离；本小时内不再重复提醒`,
      en: `${a.count} inspection record(s) sent by ${a.userId} (${a.rooms} enterprise(s); first ${a.refId}: ${a.reason}) were not accepted (signature or record rules) and were quarantined; no further warning this hour`,
    },
  };
}

export function createQuarantineAlerts(o: { raise: (w: QuarantineBurst) => Promise<unknown>; delayMs?: number; onError?: (err: unknown) => void }): {
  failed(userId: string, uscc: string | undefined, records: VetFailure[]): void;
  close(): void;
} {
  interface Burst {
    hour: number;
    count: number;
    rooms: Set<string>;
    first: VetFailure;
    uscc?: string;
    timer: NodeJS.Timeout | null;
  }
  const bursts = new Map<string, Burst>();
  return {
    failed(userId, uscc, records) {
      if (records.length === 0) return;
      const hour = Math.floor(Date.now() / HOUR_MS);
      let b = bursts.get(userId);
      if (b && b.hour === hour) {
        if (b.timer) {
          b.count += records.length;
          if (uscc) b.rooms.add(uscc);
        }
        return;
      }
      b = { hour, count: records.length, rooms: new Set(uscc ? [uscc] : []), first: records[0], uscc, timer: null };
      bursts.set(userId, b);
      if (bursts.size > 10_000) for (const [u, x] of bursts) if (x.hour !== hour) bursts.delete(u);
      const burst = b;
      burst.timer = setTimeout(() => {
        burst.timer = null;
        const id = `quarantined.${userId}.${hour}`.slice(0, 80);
        o.raise({ id, uscc: burst.uscc, refId: burst.first.recordId, userId, count: burst.count, rooms: burst.rooms.size, reason: burst.first.reason }).catch(
          (err: unknown) => o.onError?.(err),
        );
      }, o.delayMs ?? 2000);
      burst.timer.unref();
    },
    close() {
      for (const b of bursts.values()) if (b.timer) clearTimeout(b.timer);
      bursts.clear();
    },
  };
}
