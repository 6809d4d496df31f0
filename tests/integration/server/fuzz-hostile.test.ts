/**
 * Seeded adversarial fuzz of an append-only room, over real sockets against a real server.
 *
 * Hostile clients send random, valid-looking Yjs updates: inspector2 and inspector3 (who may append to any ledger)
 * and agency1 (who may only read ledgers) to enterprise1's append-only ledger; agency1 to this year's draws,
 * which only the server writes (it must stay exactly as it was). Records under fresh
 * and stolen client ids, skips, gaps, a client listed twice, deletes, overwrites, nested types, records in another
 * user's name, `__proto__` keys, flipped bytes. Meanwhile honest clients (inspector1's phone and enterprise1 on the
 * ledger) write records, online and after offline periods, each page load a new client id
 * as in the app. After every round: every honest record is stored unchanged (as the server's live docs show them,
 * and a fresh reader at the end), the server answers, and another enterprise's ledger is untouched.
 *
 * An operation is one Yjs operation sent (a struct or a deleted range). The seed is printed; FUZZ_SEED=<seed>
 * replays a run, FUZZ_OPS=<n> changes its length.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { prng, type Prng } from '../../../src/domain/prng';
import {
  connectProvider,
  destroyAll,
  login,
  spawnServer,
  waitFor,
  waitSynced,
  type LoginResult,
  type SpawnedServer,
  type TestProvider,
} from '../../helpers/spawn-server';
import { kindOf, msg, rawConnect, type RawClient } from '../../helpers/raw';
import { deviceOf, lateEntry, sign } from '../../helpers/devices';
import { E2E_NOW } from '../../helpers/moments';
import { ENTERPRISE1_USCC, ENTERPRISE2_USCC } from '../../../server/seed/constants';
import type { DeviceKey } from '../../../src/domain/record-signing';

const U = ENTERPRISE1_USCC;
const LEDGER = `ledger/${U}`;
const DRAWS = `draws/${E2E_NOW.slice(0, 4)}`;
const OTHER = `ledger/${ENTERPRISE2_USCC}`;
const SEED = process.env.FUZZ_SEED ?? `fuzz-${Date.now().toString(36)}`;
const TARGET_OPS = Number(process.env.FUZZ_OPS ?? 10_000);
const ROUNDS = 20;

/** one socket of a user, reopened when the server closed it */
class Wire {
  private c: RawClient | null = null;
  closes = 0;
  constructor(
    private readonly srv: SpawnedServer,
    private readonly room: string,
    private readonly token: () => string,
  ) {}
  async ready(): Promise<RawClient> {
    if (this.c && this.c.ws.readyState === 1) return this.c;
    if (this.c) this.closes++;
    for (let attempt = 0; ; attempt++) {
      const c = rawConnect(this.srv.wsUrl, this.room, this.token());
      try {
        await c.opened;
        await waitFor(() => c.ws.readyState !== 1 || c.frames.some((f) => kindOf(f) === '0,0'), 10_000, 'greeting');
        if (c.ws.readyState === 1) {
          this.c = c;
          return c;
        }
      } catch {
        /* refused at once: try again */
      }
      if (attempt > 20) throw new Error(`cannot open ${this.room}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  /** send, then (every so often) wait until the server handled everything sent before */
  async send(m: Uint8Array, sync = false): Promise<void> {
    const c = await this.ready();
    c.send(m);
    if (!sync) return;
    const before = c.frames.filter((f) => kindOf(f) === '0,1').length;
    c.send(msg.syncStep1(new Y.Doc()));
    await waitFor(() => c.ws.readyState !== 1 || c.frames.filter((f) => kindOf(f) === '0,1').length > before, 10_000, 'round trip');
  }
  close(): void {
    this.c?.close();
  }
}

/** the Yjs operations an update carries: structs and deleted ranges */
function opsOf(update: Uint8Array): number {
  try {
    const d = Y.decodeUpdate(update);
    let n = d.structs.length;
    for (const items of d.ds.clients.values()) n += items.length;
    return n;
  } catch {
    return 1;
  }
}

/** a doc that holds `base` and writes as client `client` from there (Yjs renames a doc that meets its own id) */
function docAt(base: Uint8Array, client: number): Y.Doc {
  const d = new Y.Doc();
  Y.applyUpdate(d, base);
  d.clientID = client;
  return d;
}

/** what `fn` changes in `d`, as one update */
function changeOf(d: Y.Doc, fn: (d: Y.Doc) => void): Uint8Array {
  const out: Uint8Array[] = [];
  const on = (u: Uint8Array) => out.push(u);
  d.on('update', on);
  d.transact(() => fn(d));
  d.off('update', on);
  return out.length ? Y.mergeUpdates(out) : new Uint8Array([0, 0]);
}

/** An honest writer: a phone or a browser that writes records (a ledger's signed) and sometimes works offline. */
class Honest {
  doc: Y.Doc | null = null;
  offline = false;
  pending: Uint8Array[] = [];
  /** record id → the value as written */
  readonly written = new Map<string, unknown>();
  private n = 0;
  constructor(
    readonly name: string,
    readonly wire: Wire,
    readonly who: () => LoginResult,
    readonly target: Target,
    readonly make: (id: string) => Promise<unknown>,
  ) {}
  get mirror(): Y.Doc {
    return this.target.mirror;
  }
  /** a page load: a new doc (new client id) holding what the server has */
  reload(r: Prng): void {
    this.doc = docAt(Y.encodeStateAsUpdate(this.mirror), r.int(1, 0x7fff_fff0));
  }
  async write(r: Prng): Promise<number> {
    if (!this.doc) this.reload(r);
    const id = `${this.name}-${SEED}-${++this.n}`;
    const value = JSON.parse(JSON.stringify(await this.make(id))) as unknown;
    this.written.set(id, value);
    const u = changeOf(this.doc!, (d) => d.getMap(this.target.root).set(id, value));
    if (this.offline) {
      this.pending.push(u);
      return opsOf(u);
    }
    await this.wire.send(msg.update(u), true);
    return opsOf(u);
  }
  /** back online: what was written offline goes up as one sync step 2 */
  async online(): Promise<number> {
    this.offline = false;
    if (!this.pending.length) return 0;
    const u = Y.mergeUpdates(this.pending);
    this.pending = [];
    await this.wire.send(msg.update(u, 1), true);
    return opsOf(u);
  }
}

/** an append-only room under attack: its records' root, and the server's live doc of it (a reader's) */
interface Target {
  room: string;
  root: string;
  mirror: Y.Doc;
}

describe(`seeded adversarial fuzz (FUZZ_SEED=${SEED})`, () => {
  let srv: SpawnedServer;
  const users: Record<string, LoginResult> = {};
  let observer: TestProvider;
  let drawsObserver: TestProvider;

  beforeAll(async () => {
    // a generous quota and rate: the hostile clients here send far more than any phone
    srv = await spawnServer({ env: { APPEND_QUOTA_PER_DAY: '1000000', MSG_RATE: '2000' } });
    for (const u of ['inspector1', 'inspector2', 'inspector3', 'enterprise1', 'agency1', 'agency2', 'supervisor1']) users[u] = await login(srv.url, u);
    observer = connectProvider(srv.wsUrl, LEDGER, users.supervisor1.token);
    drawsObserver = connectProvider(srv.wsUrl, DRAWS, users.supervisor1.token);
    await Promise.all([waitSynced(observer), waitSynced(drawsObserver)]);
  }, 120_000);
  afterAll(async () => {
    destroyAll(observer, drawsObserver);
    await srv?.stop();
  });

  it(`${TARGET_OPS} operations: no honest record lost or changed, the server answers, other rooms untouched`, async () => {
    console.log(`fuzz seed: FUZZ_SEED=${SEED}`);
    const r = prng(SEED);
    const ledger: Target = { room: LEDGER, root: 'records', mirror: observer.doc };
    const draws: Target = { room: DRAWS, root: 'draws', mirror: drawsObserver.doc };
    const token = (u: string) => () => users[u].token;
    const otherBefore = await stateOf(srv, OTHER, users.supervisor1.token);
    // draws/<year> is written by the server only: every client write there is refused, honest or not
    const drawsBefore = await stateOf(srv, DRAWS, users.supervisor1.token);

    const insp = users.inspector1;
    const [inspKey, entKey] = [await deviceOf(srv.url, insp), await deviceOf(srv.url, users.enterprise1)];
    const honest = [
      new Honest(
        'entry',
        new Wire(srv, LEDGER, token('inspector1')),
        () => users.inspector1,
        ledger,
        (id) => sign(lateEntry(insp, U, id), inspKey),
      ),
      new Honest(
        'ack',
        new Wire(srv, LEDGER, token('enterprise1')),
        () => users.enterprise1,
        ledger,
        (id) =>
          sign(
            {
              id,
              uscc: U,
              at: E2E_NOW,
              by: users.enterprise1.userId,
              type: 'ack',
              refId: 'result-1',
            },
            entKey,
          ),
      ),
    ];
    const hostiles: { user: string; target: Target; wire: Wire }[] = [
      ...['inspector2', 'inspector3', 'agency1'].map((u) => ({ user: u, target: ledger, wire: new Wire(srv, LEDGER, token(u)) })),
      { user: 'agency1', target: draws, wire: new Wire(srv, DRAWS, token('agency1')) },
    ];
    const hostileKey = await deviceOf(srv.url, users.inspector2);

    let ops = 0;
    let messages = 0;
    const kinds = new Map<string, number>();
    const perRound = Math.ceil(TARGET_OPS / ROUNDS);
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const roundEnd = ops + perRound;
        while (ops < roundEnd) {
          const h = r.pick(honest);
          if (r.chance(0.12)) {
            // an honest step: write, go offline, come back, reload the page
            const step = r.int(0, 9);
            if (step < 6) ops += await h.write(r);
            else if (step < 8) {
              if (!h.offline) h.offline = true;
              else ops += await h.online();
            } else if (!h.offline) h.reload(r);
            messages++;
            continue;
          }
          const h2 = r.pick(hostiles);
          const { kind, update } = await hostileUpdate(
            r,
            h2.target,
            honest.filter((x) => x.target === h2.target),
            users[h2.user],
            hostileKey,
          );
          kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
          ops += opsOf(update);
          messages++;
          await h2.wire.send(msg.update(update, r.chance(0.5) ? 1 : 2), r.chance(0.1));
        }
        for (const h of honest) ops += await h.online();
        // the round's checks: the server answers, and holds every honest record unchanged
        expect((await fetch(`${srv.url}/healthz`)).status).toBe(200);
        const expected = honest.flatMap((h) => [...h.written].map(([id, value]) => ({ id, value, t: h.target })));
        await waitFor(() => expected.every((x) => x.t.mirror.getMap(x.t.root).has(x.id)), 15_000, `round ${round}: honest records stored`);
        for (const x of expected) expect(x.t.mirror.getMap(x.t.root).get(x.id), x.id).toEqual(x.value);
      }
      // a fresh reader sees the same, and the other enterprise's ledger is as it was
      for (const t of [ledger]) {
        const fresh = connectProvider(srv.wsUrl, t.room, users.supervisor1.token);
        try {
          await waitSynced(fresh);
          for (const h of honest.filter((x) => x.target === t)) for (const [id, value] of h.written) expect(fresh.doc.getMap(t.root).get(id)).toEqual(value);
          expect(Y.encodeStateAsUpdate(fresh.doc)).toEqual(Y.encodeStateAsUpdate(t.mirror));
        } finally {
          destroyAll(fresh);
        }
      }
      expect(await stateOf(srv, OTHER, users.supervisor1.token)).toEqual(otherBefore);
      expect(await stateOf(srv, DRAWS, users.supervisor1.token)).toEqual(drawsBefore);
      const honestCount = honest.reduce((n, h) => n + h.written.size, 0);
      console.log(
        `fuzz: ${ops} operations in ${messages} messages; ${honestCount} honest records kept; hostile kinds ${JSON.stringify(Object.fromEntries(kinds))}; hostile sockets closed by the server ${hostiles.reduce((n, h) => n + h.wire.closes, 0)} times`,
      );
      expect(ops).toBeGreaterThanOrEqual(TARGET_OPS);
    } catch (err) {
      throw new Error(
        `fuzz failed with FUZZ_SEED=${SEED} (replay: FUZZ_SEED=${SEED} npx vitest run tests/integration/server/fuzz-hostile.test.ts): ${String((err as Error)?.stack ?? err)}`,
      );
    } finally {
      for (const h of honest) h.wire.close();
      for (const h of hostiles) h.wire.close();
    }
  }, 600_000);
});

async function stateOf(srv: SpawnedServer, room: string, token: string): Promise<Uint8Array> {
  const p = connectProvider(srv.wsUrl, room, token);
  try {
    await waitSynced(p);
    return Y.encodeStateAsUpdate(p.doc);
  } finally {
    destroyAll(p);
  }
}

const junk = (r: Prng) => ({
  id: `j${r.int(0, 1e9)}`,
  uscc: U,
  at: E2E_NOW,
  by: `u-${r.int(0, 99)}`,
  type: r.pick(['ack', 'entry', 'result', 'rating']),
  refId: 'x',
  n: r.int(0, 1e6),
});

/** one hostile update, built against what the server holds (`mirror`) */
async function hostileUpdate(r: Prng, t: Target, honest: Honest[], me: LoginResult, key: DeviceKey): Promise<{ kind: string; update: Uint8Array }> {
  const mirror = t.mirror;
  const root = t.root;
  const base = Y.encodeStateAsUpdate(mirror);
  const keys = [...mirror.getMap(root).keys()];
  const fresh = () => r.int(1, 0x7fff_fff0);
  // ids the server has seen (an id a session never sent is a random 32-bit number nobody else knows)
  const victims = honest.filter((h) => h.doc && Y.getState(mirror.store, h.doc.clientID) > 0).map((h) => h.doc!.clientID);
  const kind = r.pick(['fresh', 'stolen', 'skip', 'gap', 'twice', 'delete', 'overwrite', 'nested', 'forged', 'proto', 'flip', 'many']);
  const records = (d: Y.Doc, n: number) =>
    changeOf(d, (x) => {
      for (let i = 0; i < n; i++) {
        const j = junk(r);
        x.getMap(root).set(j.id, { rec: j });
      }
    });
  switch (kind) {
    case 'fresh':
      return { kind, update: records(docAt(base, fresh()), r.int(1, 3)) };
    case 'many':
      return { kind, update: records(docAt(base, fresh()), r.int(20, 60)) };
    case 'stolen': {
      // another session's id at its next clock: a record of its own, or an overwrite
      const client = victims.length ? r.pick(victims) : fresh();
      const d = docAt(base, client);
      const signed = await sign({ id: `stolen-${r.int(0, 1e9)}`, uscc: U, at: E2E_NOW, by: me.userId, type: 'ack', refId: 'x' } as never, key);
      return { kind, update: changeOf(d, (x) => x.getMap(root).set(signed.rec.id, JSON.parse(JSON.stringify(signed)))) };
    }
    case 'skip':
    case 'gap':
    case 'twice': {
      const client = r.chance(0.5) && victims.length ? r.pick(victims) : fresh();
      const d = docAt(base, client);
      const u0 = records(d, 1);
      const u1 = records(d, 1);
      const u2 = records(d, 1);
      if (kind === 'skip') return { kind, update: Y.mergeUpdates([u0, u2]) };
      if (kind === 'gap') return { kind, update: r.chance(0.5) ? u2 : u1 };
      const body = (u: Uint8Array) => u.slice(1, -1);
      return { kind, update: Uint8Array.from([2, ...body(u0), ...body(u1), 0]) };
    }
    case 'delete': {
      const d = docAt(base, fresh());
      return {
        kind,
        update: changeOf(d, (x) => {
          for (let i = 0; i < r.int(1, 3) && keys.length; i++) x.getMap(root).delete(r.pick(keys));
        }),
      };
    }
    case 'overwrite': {
      const d = docAt(base, fresh());
      return {
        kind,
        update: changeOf(d, (x) => {
          if (keys.length) x.getMap(root).set(r.pick(keys), { rec: junk(r) });
          else x.getMap(root).set('x', 1);
        }),
      };
    }
    case 'nested': {
      const d = docAt(base, fresh());
      return {
        kind,
        update: changeOf(d, (x) => {
          const m = new Y.Map();
          x.getMap(r.pick([root, 'records', 'other'])).set(`n${r.int(0, 1e9)}`, m);
          m.set('a', r.int(0, 9));
        }),
      };
    }
    case 'forged': {
      // signed with the hostile's own key, in an honest user's name
      const victim = honest.length ? r.pick(honest).who() : me;
      const signed = await sign({ id: `forged-${r.int(0, 1e9)}`, uscc: U, at: E2E_NOW, by: victim.userId, type: 'ack', refId: 'x' } as never, key);
      return { kind, update: changeOf(docAt(base, fresh()), (x) => x.getMap(root).set(signed.rec.id, JSON.parse(JSON.stringify(signed)))) };
    }
    case 'proto': {
      const j = JSON.parse(
        `{"rec": {"id": "p${r.int(0, 1e9)}", "uscc": "${U}", "at": "${E2E_NOW}", "by": "${me.userId}", "type": "ack", "refId": "x", "__proto__": {"admin": true}}}`,
      ) as Record<string, unknown>;
      return { kind, update: changeOf(docAt(base, fresh()), (x) => x.getMap(root).set(String((j.rec as { id: string }).id), j)) };
    }
    default: {
      const u = records(docAt(base, fresh()), 1).slice();
      for (let k = 0; k < r.int(1, 4); k++) u[r.int(0, u.length - 1)] = r.int(0, 255);
      return { kind: 'flip', update: u };
    }
  }
}
