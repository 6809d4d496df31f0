import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ZodError } from 'zod';
import { appendFeedback, appendRecord, disputesOf, ledgerRecords, ledgerRoot, readFeedback, readLedger } from '../../../src/model';
import { pair, sync, U1 } from './helpers';

const entry = (id: string, at: string) => ({
  rec: {
    id,
    uscc: U1,
    at,
    by: 'insp-1',
    type: 'entry' as const,
    agencyId: 'city-market',
    kind: { type: 'planned' as const, planned: 'routine' as const },
    team: [{ inspectorId: 'insp-1', name: '张三', certificateNumber: 'SX-1', certificateValid: true }],
    itemIds: ['i1'],
    via: 'scan' as const,
    device: 'd1',
    conductAcknowledged: true,
  },
});

describe('model/ledger', () => {
  it('appends, reads sorted by time, refuses overwrite', () => {
    const doc = new Y.Doc();
    appendRecord(doc, entry('e2', '2026-11-25T10:00:00+08:00'));
    appendRecord(doc, entry('e1', '2026-11-25T01:30:00Z')); // 09:30 +08:00, earlier
    expect(readLedger(doc).items.map((s) => s.rec.id)).toEqual(['e1', 'e2']);
    expect(() => appendRecord(doc, entry('e1', '2026-11-26T10:00:00+08:00'))).toThrow(/already exists/);
    expect(readLedger(doc).items[0].rec.at).toBe('2026-11-25T01:30:00Z');
    expect(() => appendRecord(doc, { rec: { ...entry('e3', 'yesterday').rec } })).toThrow(ZodError);
  });

  it('a write produces no delete set (append-only friendly)', () => {
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    appendRecord(doc, entry('e1', '2026-11-25T10:00:00+08:00'));
    const dec = Y.decodeUpdate(updates[0]);
    expect(dec.ds.clients.size).toBe(0);
  });

  it('skips an invalid or mis-keyed record', () => {
    const doc = new Y.Doc();
    appendRecord(doc, entry('e1', '2026-11-25T10:00:00+08:00'));
    ledgerRoot(doc).set('junk', { rec: { id: 'junk' } });
    ledgerRoot(doc).set('other', entry('e9', '2026-11-25T10:00:00+08:00'));
    const r = readLedger(doc);
    expect(r.items.map((s) => s.rec.id)).toEqual(['e1']);
    expect(r.invalid.map((x) => x.key)).toEqual(['junk', 'other']);
    expect(readLedger(doc, { uscc: '914403001922038216' }).items).toEqual([]);
  });

  it('concurrent appends in two replicas merge', () => {
    const [a, b] = pair();
    appendRecord(a, entry('ea', '2026-11-25T10:00:00+08:00'));
    appendRecord(b, entry('eb', '2026-11-25T09:00:00+08:00'));
    sync(a, b);
    expect(readLedger(a).items.map((s) => s.rec.id)).toEqual(['eb', 'ea']);
    expect(readLedger(b)).toEqual(readLedger(a));
  });

  it('a dispute is a record of its own beside the disputed one (disputesOf), and refuses a short text', () => {
    const doc = new Y.Doc();
    appendRecord(doc, entry('e1', '2026-11-25T10:00:00+08:00'));
    const d = { id: 'd1', uscc: U1, at: '2026-11-25T11:00:00+08:00', by: 'ent-1', type: 'dispute' as const, refId: 'e1', text: '检查时间记录有误' };
    appendRecord(doc, { rec: d });
    expect(() => appendRecord(doc, { rec: { ...d, id: 'd2', text: '不对' } })).toThrow(ZodError);
    const recs = ledgerRecords(doc).items;
    expect(recs.map((r) => r.id)).toEqual(['e1', 'd1']);
    expect(disputesOf(recs, 'e1').map((r) => r.id)).toEqual(['d1']);
    expect(disputesOf(recs, 'other')).toEqual([]);
  });

  it('feedback is append-only and validated', () => {
    const doc = new Y.Doc();
    const c = { id: 'f1', uscc: U1, at: '2026-11-25T10:00:00+08:00', by: 'ent-1', type: 'complaint' as const, text: '检查人员未出示证件' };
    appendFeedback(doc, c);
    expect(() => appendFeedback(doc, c)).toThrow(/already exists/);
    expect(() => appendFeedback(doc, { ...c, id: 'f2', text: 'x' })).toThrow(ZodError);
    expect(readFeedback(doc).items[0]).toMatchObject({ id: 'f1', refused: false });
  });
});
