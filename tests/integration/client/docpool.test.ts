/**
 * DocPool against the real server (child process, random port, temp data dir), with the ws polyfill
 * and fake-indexeddb: open + sync, "N changes waiting" while the server is down and 0 after it is
 * back, persistence across a pool restart, token refresh and reconnection after 4401, 4403 "no
 * access", idle close and the socket limit, and the wipe on sign-out. Every socket opens with a single-use
 * ticket (POST /api/sync/ticket) that the pool asks for before each (re)connect; the session refreshes
 * through its HttpOnly cookie (a cookie-keeping fetch stands in for the browser).
 */
import 'fake-indexeddb/auto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, login, waitFor, cookieFetch, type SpawnedServer } from '../../helpers/spawn-server';
import { socketUrl, ticketFor } from '../../helpers/raw';
import { DocPool, dbPrefix, type DocPoolOptions } from '../../../src/client/docpool';
import { SessionManager } from '../../../src/client/session';
import { createApi } from '../../../src/client/api';
import { readPlan, updatePlanItemField, removePlanItem } from '../../../src/model/plan';

let srv: SpawnedServer;
let dataDir: string;
const PLAN = 'plan/city-market/2027';

/** A token source that signs in again after a 4401, as the app's session does (this file runs with 3 s tokens). */
async function signedIn(username: string) {
  let token = (await login(srv.url, username)).token;
  return {
    get: () => token,
    onUnauthorized: async () => {
      token = (await login(srv.url, username)).token;
      return 'ok' as const;
    },
  };
}

function pool(userId: string, token: () => string | null, extra: Partial<DocPoolOptions> = {}): DocPool {
  return new DocPool({
    userId,
    wsUrl: srv.wsUrl,
    getToken: token,
    WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
    maxBackoffTime: 300,
    ...extra,
  });
}

const memKV = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
};

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eicp-docpool-'));
  srv = await spawnServer({ dataDir, env: { TOKEN_TTL_SECONDS: '3' } });
});
afterAll(async () => {
  await srv?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('DocPool', () => {
  it('opens a document from the server, counts changes waiting while the server is down, and reaches 0 after restart', async () => {
    const a = await signedIn('agency1');
    const p = pool('u-test-a', a.get, { onUnauthorized: a.onUnauthorized });
    const h = p.open(PLAN);
    await h.whenLoaded;
    await waitFor(() => h.status().synced, 15_000, 'first sync');
    const plan = readPlan(h.doc);
    expect(plan.meta?.agencyId).toBe('city-market');
    expect(plan.items.length).toBeGreaterThan(0);
    await waitFor(() => h.status().pending === 0, 5000, 'nothing waiting after sync');
    expect(p.status().online).toBe(true);

    // an edit online is confirmed by the server (its echo / state vector)
    const first = plan.items[0];
    updatePlanItemField(h.doc, first.id, 'notes', 'online edit', 'me');
    expect(h.status().pending).toBe(1);
    await waitFor(() => h.status().pending === 0, 5000, 'online edit confirmed');

    // server down: edits wait
    await srv.kill9();
    await waitFor(() => h.status().connection !== 'connected', 5000, 'socket closed');
    updatePlanItemField(h.doc, first.id, 'notes', 'offline edit 1', 'me');
    updatePlanItemField(h.doc, first.id, 'cap', first.cap === 1 ? 2 : 1, 'me');
    removePlanItem(h.doc, plan.items[plan.items.length - 1].id, 'me'); // deletion-only transaction
    expect(h.status().pending).toBe(3);
    await waitFor(() => !p.status().online, 5000, 'pool offline');
    expect(p.status().pending).toBe(3);

    await srv.restart();
    await waitFor(() => h.status().synced, 20_000, 'resync after restart');
    await waitFor(() => h.status().pending === 0, 25_000, 'all confirmed after restart');
    expect(p.status().online).toBe(true);

    // another client sees every offline change
    const b = await login(srv.url, 'agency1');
    const q = pool('u-test-b', () => b.token);
    const hb = q.open(PLAN);
    await waitFor(() => hb.status().synced, 15_000, 'second client synced');
    const seen = readPlan(hb.doc);
    expect(seen.items.find((i) => i.id === first.id)?.notes).toBe('offline edit 1');
    expect(seen.items.length).toBe(plan.items.length - 1);
    hb.release();
    h.release();
    await q.dispose();
    await p.dispose();
  }, 90_000);

  it('keeps unconfirmed changes across a restart of the app (IndexedDB) and counts them as waiting', async () => {
    const a = await login(srv.url, 'agency2');
    const room = 'plan/city-emergency/2027';
    const p1 = pool('u-test-c', () => a.token);
    const h1 = p1.open(room);
    await waitFor(() => h1.status().synced, 15_000, 'synced');
    await waitFor(() => h1.status().pending === 0, 5000, 'clean');
    const item = readPlan(h1.doc).items[0];
    await new Promise((r) => setTimeout(r, 400)); // the server state vector is saved with the doc
    await srv.kill9();
    await waitFor(() => h1.status().connection !== 'connected', 5000, 'down');
    updatePlanItemField(h1.doc, item.id, 'notes', 'made offline, app closed', 'me');
    expect(h1.status().pending).toBe(1);
    await new Promise((r) => setTimeout(r, 300)); // y-indexeddb writes asynchronously
    await p1.dispose();

    // the app reopens offline: the change is there and still counted as waiting
    // the file runs with 3 s tokens: under load the old one may expire, so the app re-authenticates as it would
    let token = a.token;
    const p2 = pool('u-test-c', () => token, {
      onUnauthorized: async () => {
        token = (await login(srv.url, 'agency2')).token;
        return 'ok';
      },
    });
    const h2 = p2.open(room);
    await h2.whenLoaded;
    expect(readPlan(h2.doc).items.find((i) => i.id === item.id)?.notes).toBe('made offline, app closed');
    expect(h2.status().pending).toBe(1);
    await srv.restart();
    await waitFor(() => h2.status().pending === 0, 25_000, 'uploaded after restart');
    h2.release();
    await p2.dispose();
  }, 60_000);

  it('refreshes an expired token after 4401 and reconnects (each reconnect with a new ticket); setToken reconnects refused ones', async () => {
    const session = new SessionManager({ api: createApi({ base: srv.url, fetch: cookieFetch() }), storage: memKV(), isOnline: () => true });
    await session.login('agency1', 'demo1234');
    const t0 = session.token;
    const p = pool('u-test-d', () => session.token, { onUnauthorized: () => session.refresh() });
    const h = p.open('agency/city-market');
    await waitFor(() => h.status().synced, 15_000, 'synced');
    // the token (3 s) expires while connected; a reconnect is then refused with 4401
    await new Promise((r) => setTimeout(r, 3500));
    await srv.restart();
    await waitFor(() => h.status().synced && h.status().access === 'ok', 20_000, 'reconnected with a refreshed token');
    expect(session.token).not.toBe(t0);
    expect(p.status().unauthorized).toBe(false);

    // setToken: the next connection asks for its ticket with the new token
    const fresh = await login(srv.url, 'agency1');
    p.setToken(fresh.token);
    h.release();
    session.dispose();
    await p.dispose();
  }, 60_000);

  it('the server ends a session when its token expires (4401); the pool refreshes and reconnects by itself', async () => {
    const session = new SessionManager({ api: createApi({ base: srv.url, fetch: cookieFetch() }), storage: memKV(), isOnline: () => true });
    await session.login('agency1', 'demo1234');
    const t0 = session.token;
    const p = pool('u-test-x', () => session.token, { onUnauthorized: () => session.refresh() });
    const h = p.open('agency/city-market');
    await waitFor(() => h.status().synced, 15_000, 'synced');
    // a bare socket with the same 3 s token is closed by the server's expiry timer (no restart here)
    const raw = new WebSocket(socketUrl(srv.wsUrl, 'agency/city-market', await ticketFor(srv.wsUrl, t0!)));
    let greeted = false; // a session was opened (the server's sync step 1 came), not refused at the upgrade
    raw.on('message', () => {
      greeted = true;
    });
    const closed = await new Promise<{ code: number; reason: string }>((resolve) =>
      raw.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
    expect(greeted).toBe(true);
    expect(closed).toEqual({ code: 4401, reason: 'token expired' });
    await waitFor(() => session.token !== t0, 15_000, 'token refreshed');
    await waitFor(() => h.status().synced && h.status().access === 'ok', 15_000, 'resynced with the new token');
    expect(p.status().unauthorized).toBe(false);
    h.release();
    session.dispose();
    await p.dispose();
  }, 60_000);

  it('sends what local storage held to the server even when the socket synced before local storage answered', async () => {
    const a = await signedIn('agency1');
    // what "IndexedDB" holds: the server's plan plus an edit made offline in an earlier session
    const reader = pool('u-test-race-r', a.get, { createPersistence: null });
    const r = reader.open(PLAN);
    await waitFor(() => r.status().synced, 15_000, 'reader synced');
    const earlier = new Y.Doc();
    Y.applyUpdate(earlier, Y.encodeStateAsUpdate(r.doc));
    const itemId = readPlan(earlier).items[0].id;
    const note = `kept offline ${Date.now()}`;
    updatePlanItemField(earlier, itemId, 'notes', note, 'me');
    const stored = Y.encodeStateAsUpdate(earlier);

    // a slow local store: it answers only after the socket has synced
    let socketFirst = false;
    let h: ReturnType<DocPool['open']> | undefined;
    const p = pool('u-test-race', a.get, {
      createPersistence: (_name, d) => {
        const slow = { whenSynced: Promise.resolve() as Promise<unknown>, destroy: () => {} };
        slow.whenSynced = (async () => {
          await waitFor(() => !!h?.status().synced, 15_000, 'socket synced first');
          socketFirst = true;
          Y.applyUpdate(d, stored, slow); // the load transaction, with the persistence as its origin
        })();
        return slow;
      },
    });
    h = p.open(PLAN);
    await h.whenLoaded;
    expect(socketFirst).toBe(true);
    await waitFor(() => readPlan(r.doc).items.find((i) => i.id === itemId)?.notes === note, 10_000, 'the offline edit reached the server');
    await p.dispose();
    await reader.dispose();
  }, 40_000);

  it('marks a document "no access" after 4403 and does not retry', async () => {
    const i = await login(srv.url, 'inspector1');
    const p = pool('u-test-e', () => i.token);
    const h = p.open('plan/city-market/2027'); // a draft plan: not for inspectors
    await waitFor(() => h.status().access === 'denied', 10_000, '4403');
    expect(p.status().denied).toContain('plan/city-market/2027');
    h.release();
    await p.dispose();
  }, 30_000);

  it("closes idle documents and keeps to the socket limit; wipes the user's databases", async () => {
    const a = await login(srv.url, 'supervisor1');
    const p = pool('u-test-f', () => a.token, { maxSockets: 2, idleMs: 300 });
    const rooms = ['registry/certificates', 'agency/city-market', 'agency/city-emergency'];
    const hs = rooms.map((r) => p.open(r));
    await waitFor(() => hs.every((h) => h.status().synced), 15_000, 'all synced');
    expect(p.socketCount).toBe(3); // documents in use are never starved
    hs[0].release();
    hs[1].release();
    const h4 = p.open('agency/pd-market');
    expect(p.socketCount).toBeLessThanOrEqual(3);
    await waitFor(() => p.socketCount <= 2, 5000, 'idle sockets closed');
    await waitFor(() => h4.status().synced, 15_000, 'fourth synced');
    h4.release();
    hs[2].release();
    await waitFor(() => p.socketCount === 0, 5000, 'all idle closed');

    const names = async () => (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith(dbPrefix('u-test-f')));
    expect((await names()).length).toBe(4);
    await p.wipe();
    expect(await names()).toEqual([]);
    // another user's databases are untouched
    expect((await indexedDB.databases()).some((d) => d.name?.startsWith(dbPrefix('u-test-a')))).toBe(true);
  }, 60_000);
});

describe('DocPool and the room size cap', () => {
  let small: SpawnedServer;
  beforeAll(async () => {
    small = await spawnServer({ env: { MAX_ROOM_BYTES: '200000' } });
  });
  afterAll(async () => {
    await small?.stop();
  });

  it('a room past the server\'s size cap (4413) is marked "full", not retried, and what was refused stays waiting on the device', async () => {
    const a = await login(small.url, 'agency1');
    const p = new DocPool({
      userId: 'u-test-full',
      wsUrl: small.wsUrl,
      getToken: () => a.token,
      WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
      maxBackoffTime: 300,
      createPersistence: null,
    });
    const h = p.open(`agency/${a.agencyId}`);
    await waitFor(() => h.status().synced, 10_000, 'synced');
    for (let i = 0; i < 6; i++) h.doc.getMap('profile').set(`blob-${i}`, 'x'.repeat(60_000));
    await waitFor(() => h.status().access === 'full', 10_000, '4413');
    expect(h.status().connection).toBe('disconnected');
    expect(h.status().pending).toBeGreaterThan(0);
    h.release();
    await p.dispose();
  }, 30_000);
});
