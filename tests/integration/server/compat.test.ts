/**
 * Second opinion: the stock @y/websocket-server (utils.js) and our relay, driven by the same stock
 * clients through the same exchange, answer with the same kinds of frames and end in the same state.
 * Our server runs in-process here (startServer), the stock one on a plain http server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';
import { startServer, type RunningServer } from '../../../server/app';
import { createLogger } from '../../../server/log';
import { connectProvider, destroyAll, login, waitFor, waitSynced } from '../../helpers/spawn-server';
import { kindOf, msg, rawConnect } from '../../helpers/raw';

let ours: RunningServer;
let dataDir: string;
let stock: http.Server;
let stockUrl: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eicp-compat-'));
  ours = await startServer({ port: 0, host: '127.0.0.1', dataDir, staticDir: path.join(dataDir, 'no-dist'), logger: createLogger('silent') });
  const wss = new WebSocketServer({ noServer: true });
  stock = http.createServer((_q, r) => r.end('okay'));
  stock.on('upgrade', (req, socket, head) => {
    const docName = (req.url ?? '').slice('/sync/'.length).split('?')[0];
    wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req, { docName }));
  });
  await new Promise<void>((r) => stock.listen(0, '127.0.0.1', () => r()));
  stockUrl = `ws://127.0.0.1:${(stock.address() as { port: number }).port}/sync`;
});
afterAll(async () => {
  await ours?.close();
  stock?.closeAllConnections();
  stock?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function exchange(wsUrl: string, room: string, token: string | null): Promise<{ json: unknown; firstKinds: string[] }> {
  // raw handshake: what does the server send first, and what does it answer to our sync step 1?
  const c = rawConnect(wsUrl, room, token);
  await c.opened;
  c.send(msg.syncStep1(new Y.Doc()));
  await waitFor(() => c.frames.some((f) => kindOf(f) === '0,1'), 10_000, 'step 2 reply');
  const firstKinds = [...new Set(c.frames.map(kindOf))].sort();
  c.close();
  // two stock providers converge
  const a = connectProvider(wsUrl, room, token);
  const b = connectProvider(wsUrl, room, token);
  await Promise.all([waitSynced(a), waitSynced(b)]);
  a.doc.getMap('m').set('a', 1);
  a.doc.getArray('list').push(['x', 'y']);
  b.doc.getMap('m').set('b', { nested: true });
  b.doc.getText('t').insert(0, 'hello');
  await waitFor(
    () =>
      a.doc.getMap('m').get('b') !== undefined &&
      b.doc.getMap('m').get('a') === 1 &&
      a.doc.getText('t').toString() === 'hello' &&
      b.doc.getArray('list').length === 2,
    10_000,
    'convergence',
  );
  expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc));
  const json = { m: a.doc.getMap('m').toJSON(), list: a.doc.getArray('list').toJSON(), t: a.doc.getText('t').toString() };
  destroyAll(a, b);
  return { json, firstKinds };
}

describe('stock server vs our relay', () => {
  it('agree on a simple two-client exchange', async () => {
    const a = await login(ours.url, 'supervisor1');
    const mine = await exchange(`ws://127.0.0.1:${ours.port}/sync`, 'supervision/2028', a.token);
    const theirs = await exchange(stockUrl, 'supervision/2028', null);
    expect(mine.firstKinds).toEqual(theirs.firstKinds);
    expect(mine.firstKinds).toEqual(['0,0', '0,1']);
    expect(mine.json).toEqual(theirs.json);
  });
});
