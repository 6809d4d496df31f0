/** The append-only checks (server/sync/checks.ts) on hand-made updates, without a server. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkAppendOnly, isEmptyUpdate } from '../../../server/sync/guards/append-only';
import { parseRoom } from '../../../src/domain/rooms';

const feedback = parseRoom('feedback/91140302MA0L2RXA6K')!;
const ledger = parseRoom('ledger/91140302MA0L2RXA6K')!;
const check = (server: Y.Doc, update: Uint8Array, room = feedback) => checkAppendOnly(server, room, Y.decodeUpdate(update));
const reason = (r: ReturnType<typeof checkAppendOnly>) => (r.ok ? 'ok' : r.reason);
/** a valid feedback record (the structural tests need records that pass the schema check too) */
const fb = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  uscc: '91140302MA0L2RXA6K',
  at: '2026-11-25T10:00:00+08:00',
  by: 'enterprise1',
  type: 'rating',
  entryId: 'e1',
  score: 5,
  comment: '',
  ...extra,
});

function synced(): { server: Y.Doc; client: Y.Doc } {
  const server = new Y.Doc();
  const client = new Y.Doc();
  client.getMap('records').set('r1', fb('r1'));
  Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
  return { server, client };
}

describe('append-only checks', () => {
  it('accepts new root-map entries and ignores content the doc already has', () => {
    const { server, client } = synced();
    const sv = Y.encodeStateVector(server);
    client.getMap('records').set('r2', fb('r2'));
    expect(reason(check(server, Y.encodeStateAsUpdate(client, sv)))).toBe('ok');
    // a client resending everything (reconnect) is fine
    expect(reason(check(server, Y.encodeStateAsUpdate(client)))).toBe('ok');
    expect(isEmptyUpdate(Y.decodeUpdate(Y.encodeStateAsUpdate(server, Y.encodeStateVector(server))))).toBe(true);
  });

  it('refuses an overwrite even without a delete set (struct with an origin)', () => {
    const { server, client } = synced();
    const sv = Y.encodeStateVector(server);
    client.getMap('records').set('r1', fb('r1', { score: 2 }));
    const d = Y.decodeUpdate(Y.encodeStateAsUpdate(client, sv));
    expect(reason(checkAppendOnly(server, feedback, d))).toBe('delete');
    d.ds.clients.clear(); // strip the delete set: the origin still gives it away
    expect(reason(checkAppendOnly(server, feedback, d))).toBe('overwrite');
  });

  it('refuses array inserts, text, nested types and deleted content', () => {
    const server = new Y.Doc();
    const a = new Y.Doc();
    a.getArray('records').push([1]);
    expect(reason(check(server, Y.encodeStateAsUpdate(a)))).toBe('not_map');
    const t = new Y.Doc();
    t.getText('records').insert(0, 'x');
    expect(reason(check(server, Y.encodeStateAsUpdate(t)))).toBe('not_map');
    const n = new Y.Doc();
    n.getMap('records').set('k', new Y.Map());
    expect(reason(check(server, Y.encodeStateAsUpdate(n)))).toBe('content');
    const g = new Y.Doc(); // content added then deleted: arrives as deleted structs plus a delete set
    g.getMap('records').set('k', 1);
    g.getMap('records').delete('k');
    expect(reason(check(server, Y.encodeStateAsUpdate(g)))).toBe('delete');
  });

  it('refuses an update that would stay pending (a gap in the clock)', () => {
    const c = new Y.Doc();
    c.getMap('records').set('a', fb('a'));
    const sv = Y.encodeStateVector(c);
    c.getMap('records').set('b', fb('b'));
    expect(reason(check(new Y.Doc(), Y.encodeStateAsUpdate(c, sv)))).toBe('gap');
  });

  it('allows a delete set that only repeats deletions the doc already has', () => {
    const server = new Y.Doc();
    const c = new Y.Doc();
    c.getMap('other').set('x', 1);
    c.getMap('other').delete('x');
    Y.applyUpdate(server, Y.encodeStateAsUpdate(c)); // history from before the rules (e.g. a seed)
    const sv = Y.encodeStateVector(server);
    c.getMap('records').set('new', fb('new'));
    expect(reason(check(server, Y.encodeStateAsUpdate(c, sv)))).toBe('ok');
  });

  it('ledger: records must parse as SignedRecord', () => {
    const server = new Y.Doc();
    const c = new Y.Doc();
    const rec = { rec: { id: 'a1', uscc: '91140302MA0L2RXA6K', at: '2026-11-25T10:00:00+08:00', by: 'u1', type: 'ack', refId: 'r' } };
    c.getMap('records').set('a1', rec);
    expect(reason(check(server, Y.encodeStateAsUpdate(c), ledger))).toBe('ok');
    const bad = new Y.Doc();
    bad.getMap('records').set('a1', { rec: { ...rec.rec, at: 'yesterday' } });
    expect(reason(check(server, Y.encodeStateAsUpdate(bad), ledger))).toBe('invalid_record');
    const other = new Y.Doc();
    other.getMap('notes').set('a1', rec);
    expect(reason(check(server, Y.encodeStateAsUpdate(other), ledger))).toBe('invalid_record');
  });

  // draws/<year> is no longer append-only: only the server writes it (rights give clients 'read'; privacy-draws
  // and fuzz-hostile try client writes and see them refused)
  it("feedback: records must parse, belong to the room, and be written by the connection's user", () => {
    const author = { userId: 'enterprise1', role: 'enterprise' as const, name: 'e', uscc: '91140302MA0L2RXA6K' };
    const write = (value: unknown, key = 'f1') => {
      const c = new Y.Doc();
      c.getMap('records').set(key, value);
      return Y.encodeStateAsUpdate(c);
    };
    const by = (u: Uint8Array, p = author) => reason(checkAppendOnly(new Y.Doc(), feedback, Y.decodeUpdate(u), p));
    expect(by(write(fb('f1')))).toBe('ok');
    expect(by(write(fb('f1', { score: 9 })))).toBe('invalid_record');
    expect(by(write(fb('f1'), 'f2'))).toBe('invalid_record'); // stored under another id
    expect(by(write(fb('f1', { uscc: '91140371MA0K8QW3PX' })))).toBe('invalid_record');
    expect(by(write(fb('f1', { by: 'enterprise2' })))).toBe('impersonation');
  });
});
