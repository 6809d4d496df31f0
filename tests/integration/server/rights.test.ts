/**
 * The rights table (src/domain/rights.ts) enforced over real sockets: every demo role × a representative
 * room of every kind. Expected access comes from `access()` with the facts the server keeps
 * (plan_status, joint_members, agencies.city_counterpart_id, read from its database); a few cells are
 * also spelled out literally. `none` → close 4403; `read` → syncs, writes dropped; `write`/`append` →
 * syncs, writes relayed. Plus the refusals: no / bad / expired token → 4401, not a room → 4400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { SignJWT } from 'jose';
import { access, type Access, type RoomFacts } from '../../../src/domain/rights';
import { parseRoom, isAppendOnly, type RoomRef } from '../../../src/domain/rooms';
import type { Principal } from '../../../src/domain/schemas';
import { connectProvider, destroyAll, login, spawnServer, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { awarenessClients, kindOf, rawConnect, updateOf } from '../../helpers/raw';
import { signedAckBy } from '../../helpers/devices';

const USERS = ['inspector1', 'inspector2', 'inspector3', 'agency1', 'agency2', 'county1', 'supervisor1', 'enterprise1', 'enterprise2'] as const;
type User = (typeof USERS)[number];

let srv: SpawnedServer;
const who = {} as Record<User, LoginResult>;
let rooms: string[] = [];
let factsOf: (ref: RoomRef) => RoomFacts;

beforeAll(async () => {
  srv = await spawnServer();
  for (const u of USERS) who[u] = await login(srv.url, u);
  const db = new Database(path.join(srv.dataDir, 'platform.sqlite'), { readonly: true, fileMustExist: true });
  const plans = db.prepare('SELECT room, published FROM plan_status').all() as { room: string; published: number }[];
  const joints = db.prepare('SELECT joint_id AS j, agency_id AS a FROM joint_members').all() as { j: string; a: string }[];
  const counterparts = new Map(
    (db.prepare('SELECT id, city_counterpart_id AS c FROM agencies').all() as { id: string; c: string | null }[]).map((r) => [r.id, r.c]),
  );
  db.close();
  factsOf = (ref) => {
    if (ref.kind === 'plan') {
      const p = plans.find((x) => x.room === `plan/${ref.agencyId}/${ref.year}`);
      return { planPublished: p?.published === 1, cityCounterpartId: counterparts.get(ref.agencyId) ?? undefined };
    }
    if (ref.kind === 'joint') return { jointMembers: joints.filter((x) => x.j === ref.jointId).map((x) => x.a) };
    return {};
  };
  const a1 = who.agency1.agencyId!;
  const c1 = who.county1.agencyId!;
  const jointId = joints[0]?.j ?? 'no-joint';
  rooms = [
    `agency/${a1}`,
    `agency/${c1}`,
    `plan/${a1}/2026`,
    `plan/${a1}/2027`,
    `plan/${c1}/2027`,
    `joint/${jointId}`,
    `tasks/${a1}/2026`,
    `tasks/${c1}/2026`,
    `ledger/${who.enterprise1.uscc}`,
    `feedback/${who.enterprise1.uscc}`,
    'registry/certificates',
    'draws/2026',
    'supervision/2026',
    'config/city',
  ];
}, 90_000);
afterAll(async () => {
  await srv?.stop();
});

const principal = (l: LoginResult): Principal => ({
  userId: l.userId,
  role: l.role,
  name: l.name,
  agencyId: l.agencyId,
  inspectorId: l.inspectorId,
  uscc: l.uscc,
});

type Observed = 'none' | 'read' | 'write';

/**
 * Connect a stock provider; when it syncs, write one entry and then an awareness marker. The server
 * handles a connection's messages in order and relays synchronously, so the echo of the write (if
 * accepted) arrives before the echo of the marker.
 */
async function probe(u: User, room: string): Promise<Observed> {
  const l = who[u];
  const p = connectProvider(srv.wsUrl, room, l.token);
  try {
    const first = await Promise.race([waitSynced(p).then(() => 'synced' as const), p.closed]);
    if (first !== 'synced') {
      expect(first.code).toBe(4403);
      return 'none';
    }
    const ws = p.ws as unknown as { on(ev: 'message', f: (d: Buffer) => void): void };
    const me = p.doc.clientID;
    let ownWriteEchoed = false;
    const markerSeen = new Promise<void>((resolve) =>
      ws.on('message', (d: Buffer) => {
        const f = new Uint8Array(d);
        const k = kindOf(f);
        if (k === '0,2') {
          const u = updateOf(f);
          if (u && Y.decodeUpdate(u).structs.some((st) => st.id.client === me)) ownWriteEchoed = true;
        } else if (
          k === '1' &&
          awarenessClients(f).some((c) => c.clientID === me && (c.state?.focus as { itemId?: string } | undefined)?.itemId === 'probe-sent')
        ) {
          resolve();
        }
      }),
    );
    const ref = parseRoom(room)!;
    if (ref.kind === 'ledger') {
      const r = await signedAckBy(srv.url, l, ref.uscc);
      p.doc.getMap('records').set(r.rec.id, r);
    } else if (ref.kind === 'draws') {
      // records must pass the room's schema and name their writer (server/sync/checks.ts)
      const id = `probe-${u}`;
      p.doc.getMap('draws').set(id, {
        id,
        agencyId: l.agencyId ?? 'none',
        year: ref.year,
        title: 'probe',
        seed: 's',
        populationHash: 'h',
        populationSize: 0,
        ratio: 0,
        selected: [],
        at: new Date().toISOString(),
      });
    } else if (ref.kind === 'feedback') {
      const id = `probe-${u}`;
      p.doc.getMap('records').set(id, { id, uscc: ref.uscc, at: new Date().toISOString(), by: l.userId, type: 'rating', entryId: 'e1', score: 5, comment: '' });
    } else if (ref.kind === 'plan' && l.agencyId !== ref.agencyId) {
      // another agency writes into a plan only as the city counterpart, and then only comments (plan-guard.ts)
      const id = `probe-${u}`;
      p.doc.getMap('comments').set(id, { id, by: l.userId, byAgencyId: l.agencyId ?? 'none', at: new Date().toISOString(), text: 'probe' });
    } else if (ref.kind === 'tasks') {
      // an inspector adds only a triggered task of its own; admins anything (server/sync/room-guards.ts)
      const id = `probe-${u}`;
      p.doc.getMap('tasks').set(
        id,
        new Y.Map<unknown>(
          Object.entries({
            id,
            agencyId: ref.agencyId,
            year: ref.year,
            uscc: '91140300MA0K000001',
            enterpriseName: 'probe',
            itemIds: ['probe'],
            window: { from: `${ref.year}-01-01`, to: `${ref.year}-01-01` },
            inspectorIds: [l.inspectorId ?? 'probe'],
            kind: { type: 'triggered', trigger: { kind: 'complaint', ref: 'probe' } },
            method: 'onsite',
            status: 'assigned',
            createdAt: new Date().toISOString(),
          }),
        ),
      );
    } else if (ref.kind === 'registry') {
      // certificates parse with their schema (room-guards.ts)
      const number = `PROBE-${u}`;
      p.doc.getMap('certificates').set(number, {
        number,
        inspectorId: 'probe',
        agencyId: 'probe',
        holderName: 'probe',
        issuedOn: '2026-01-01',
        expiresOn: '2027-01-01',
        status: 'valid',
      });
    } else if (ref.kind === 'config') {
      // the policy parses with its schema (room-guards.ts): a valid change of one field
      const policy = p.doc.getMap('policy');
      policy.set('capPerEnterpriseDefault', (((policy.get('capPerEnterpriseDefault') as number | undefined) ?? 2) % 5) + 1);
    } else if (ref.kind === 'joint') {
      // members write the shared fields; items, teams and the member list have owners (room-guards.ts)
      p.doc.getArray('comments').push([{ id: `probe-${u}`, by: l.userId, agencyId: l.agencyId ?? 'none', at: new Date().toISOString(), text: 'probe' }]);
    } else if (isAppendOnly(ref.kind)) {
      p.doc.getMap('records').set(`probe-${u}`, { by: u });
    } else {
      p.doc.getMap('probe').set(`probe-${u}`, { by: u });
    }
    // a presence state as the app sends it (the relay drops anything else: src/protocol/presence.ts)
    p.awareness.setLocalState({ user: { name: 'probe', color: '#123456' }, focus: { itemId: 'probe-sent', field: 'x' } });
    await markerSeen;
    return ownWriteEchoed ? 'write' : 'read';
  } finally {
    destroyAll(p);
  }
}

const norm = (a: Access): Observed => (a === 'append' ? 'write' : a);

describe('rights over real sockets', () => {
  it('every demo role × every room kind behaves as the rights table says', async () => {
    const cells: { u: User; room: string; expected: Observed }[] = [];
    for (const u of USERS)
      for (const room of rooms) {
        const ref = parseRoom(room)!;
        const a = norm(access(principal(who[u]), ref, factsOf(ref)));
        // an agency admin appends to a ledger only its reviews of rectification reports (server/ledger/record-rules.ts):
        // the probe (an acknowledgement) is quarantined, so it reads as `read` here (records-new-kinds.test.ts has the review)
        cells.push({ u, room, expected: ref.kind === 'ledger' && who[u].role === 'agency' && a === 'write' ? 'read' : a });
      }
    const results: { u: User; room: string; expected: Observed; got: Observed }[] = [];
    for (let i = 0; i < cells.length; i += 12) {
      const batch = cells.slice(i, i + 12);
      results.push(...(await Promise.all(batch.map(async (c) => ({ ...c, got: await probe(c.u, c.room) })))));
    }
    const wrong = results.filter((r) => r.got !== r.expected).map((r) => `${r.u} ${r.room}: expected ${r.expected}, got ${r.got}`);
    expect(wrong).toEqual([]);
    // literal sanity checks of the table itself (DESIGN §4), independent of access()
    const at = (u: User, room: string) => results.find((r) => r.u === u && r.room === room)!.got;
    const a1 = who.agency1.agencyId;
    expect(at('agency1', `agency/${a1}`)).toBe('write');
    expect(at('enterprise1', `agency/${a1}`)).toBe('read');
    expect(at('enterprise1', `plan/${a1}/2026`)).toBe('read'); // published
    expect(at('enterprise1', `plan/${a1}/2027`)).toBe('none'); // draft
    expect(at('supervisor1', `plan/${a1}/2027`)).toBe('read');
    expect(at('inspector1', `tasks/${a1}/2026`)).toBe('write');
    expect(at('inspector3', `tasks/${a1}/2026`)).toBe('none');
    expect(at('enterprise1', `ledger/${who.enterprise1.uscc}`)).toBe('write');
    expect(at('enterprise2', `ledger/${who.enterprise1.uscc}`)).toBe('none');
    expect(access(principal(who.agency1), parseRoom(`ledger/${who.enterprise1.uscc}`)!)).toBe('append');
    expect(at('agency1', `ledger/${who.enterprise1.uscc}`)).toBe('read'); // an acknowledgement by an agency is refused
    expect(at('agency1', `feedback/${who.enterprise1.uscc}`)).toBe('none');
    expect(at('supervisor1', 'supervision/2026')).toBe('write');
    expect(at('agency1', 'supervision/2026')).toBe('none');
    // the registry and the policy are written by the server only (through the API)
    expect(at('supervisor1', 'registry/certificates')).toBe('read');
    expect(at('supervisor1', 'config/city')).toBe('read');
    expect(at('inspector1', 'registry/certificates')).toBe('read');
    // the county plan: its own agency and the matching city agency write (city opinion, measure 4)
    expect(at('county1', `plan/${who.county1.agencyId}/2027`)).toBe('write');
    if (factsOf(parseRoom(`plan/${who.county1.agencyId}/2027`)!).cityCounterpartId === a1)
      expect(at('agency1', `plan/${who.county1.agencyId}/2027`)).toBe('write');
    expect(at('agency2', `plan/${who.county1.agencyId}/2027`)).toBe('none');
    // joint plans: members write, supervisors read, others nothing
    const joint = rooms.find((r) => r.startsWith('joint/'))!;
    const members = factsOf(parseRoom(joint)!).jointMembers ?? [];
    expect(members.length).toBeGreaterThan(0);
    for (const u of ['agency1', 'agency2', 'county1'] as const) expect(at(u, joint)).toBe(members.includes(who[u].agencyId!) ? 'write' : 'none');
    expect(at('supervisor1', joint)).toBe('read');
    expect(at('enterprise1', joint)).toBe('none');
  }, 90_000);

  it('no token, a bad token, a token signed with another secret and an expired token close with 4401', async () => {
    const room = `agency/${who.agency1.agencyId}`;
    const secret = new Uint8Array(fs.readFileSync(path.join(srv.dataDir, 'jwt-secret')));
    const claims = { role: 'agency', name: 'x', agencyId: who.agency1.agencyId };
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(who.agency1.userId)
      .setIssuer('eicp')
      .setAudience('eicp')
      .setIssuedAt(now - 3600)
      .setExpirationTime(now - 60)
      .sign(secret);
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(who.agency1.userId)
      .setIssuer('eicp')
      .setAudience('eicp')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new Uint8Array(32).fill(7));
    const tampered = who.agency1.token.slice(0, -3) + (who.agency1.token.endsWith('AAA') ? 'BBB' : 'AAA');
    for (const token of [null, 'not-a-jwt', tampered, forged, expired]) {
      const p = connectProvider(srv.wsUrl, room, token);
      const c = await p.closed;
      expect(c.code, String(token).slice(0, 20)).toBe(4401);
      expect(p.synced).toBe(false);
      destroyAll(p);
    }
    // and the stock provider treats 44xx as final: it does not reconnect
    const p = connectProvider(srv.wsUrl, room, 'nope');
    await p.closed;
    await new Promise((r) => setTimeout(r, 700));
    expect(p.closes.length).toBe(1);
    expect(p.shouldConnect).toBe(false);
    destroyAll(p);
  });

  it('a room name that is not one of the known shapes closes with 4400', async () => {
    for (const room of ['nope/x', 'agency', 'ledger/123', 'registry/other', 'plan/a/19']) {
      const c = rawConnect(srv.wsUrl, room, who.supervisor1.token);
      expect((await c.closed).code, room).toBe(4400);
    }
  });

  it('readable rooms deliver the stored state to readers', async () => {
    const p = connectProvider(srv.wsUrl, `agency/${who.agency1.agencyId}`, who.enterprise2.token, new Y.Doc());
    await waitSynced(p);
    destroyAll(p);
  });
});
