/** The append-only checks (server/sync/checks.ts) on hand-made updates, without a server. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkAppendOnly, isEmptyUpdate } from '../../../server/sync/checks';
import { parseRoom } from '../../../src/domain/rooms';

const feedback = parseRoom('feedback/91140302MA0L2RXA6K')!;
const ledger = parseRoom('ledger/91140302MA0L2RXA6K')!;
const check = (server: Y.Doc, update: Uint8Array, room = feedback) => checkAppendOnly(server, room, Y.decodeUpdate(update));
const reason = (r: ReturnType<typeof checkAppendOnly>) => (r.ok ? 'ok' : r.reason);

function synced(): { server: Y.Doc; client: Y.Doc } {
  const server = new Y.Doc();
  const client = new Y.Doc();
  client.getMap('records').set('r1', { id: 'r1' });
  Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
  return { server, client };
}

describe('append-only checks', () => {
  it('accepts new root-map entries and ignores content the doc already has', () => {
    const { server, client } = synced();
    const sv = Y.encodeStateVector(server);
    client.getMap('records').set('r2', { id: 'r2' });
    expect(reason(check(server, Y.encodeStateAsUpdate(client, sv)))).toBe('ok');
    // a client resending everything (reconnect) is fine
    expect(reason(check(server, Y.encodeStateAsUpdate(client)))).toBe('ok');
    expect(isEmptyUpdate(Y.decodeUpdate(Y.encodeStateAsUpdate(server, Y.encodeStateVector(server))))).toBe(true);
  });

  it('refuses an overwrite even without a delete set (struct with an origin)', () => {
    const { server, client } = synced();
    const sv = Y.encodeStateVector(server);
    client.getMap('records').set('r1', { id: 'r1', v: 2 });
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
    c.getMap('records').set('a', 1);
    const sv = Y.encodeStateVector(c);
    c.getMap('records').set('b', 2);
    expect(reason(check(new Y.Doc(), Y.encodeStateAsUpdate(c, sv)))).toBe('gap');
  });

  it('allows a delete set that only repeats deletions the doc already has', () => {
    const server = new Y.Doc();
    const c = new Y.Doc();
    c.getMap('other').set('x', 1);
    c.getMap('other').delete('x');
    Y.applyUpdate(server, Y.encodeStateAsUpdate(c)); // history from before the rules (e.g. a seed)
    const sv = Y.encodeStateVector(server);
    c.getMap('records').set('new', 1);
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
});
