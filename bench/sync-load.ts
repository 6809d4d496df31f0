/**
 * Load process for bench/sync.ts: CLIENTS stock WebsocketProviders over ROOMS rooms, each setting a small
 * map key at RATE per second: WARMUP_SECONDS (default 3) unmeasured, then SECONDS measured. Latency =
 * receive time − send time, both read from this process's monotonic clock. Prints one JSON line.
 *
 * Why a warm-up: without one, a third of the p99 tail (for either server) fell in the first 1.75 s, while
 * V8 was still compiling the message path of the servers and of this process; the figure then said more
 * about the JIT than about steady-state relaying. Both servers get the same warm-up.
 *
 * TOKEN or TOKENS (our server): each socket opens with its own single-use ticket (POST /api/sync/ticket),
 * fetched just before that client connects, long before the measured window; the socket itself is a plain
 * `ws` socket as for the stock server, so the relaying measured is the same on both sides.
 * ROOM_LIST (comma-separated) names the rooms (client i joins room i % ROOMS) and TOKENS (comma-separated, one
 * per room) the access token its clients use; without them: ROOM_PREFIX + 2030… and TOKEN for every client.
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WS from 'ws';

// every WebsocketProvider adds a process 'exit' listener (to announce leaving): 200 clients are expected
process.setMaxListeners(0);

const env = (k: string, d: string) => process.env[k] ?? d;
const BASE = env('BASE', 'ws://127.0.0.1:8787/sync');
const TOKEN = process.env.TOKEN;
const CLIENTS = +env('CLIENTS', '200');
const ROOMS = +env('ROOMS', '50');
const RATE = +env('RATE', '2');
const SECONDS = +env('BENCH_SECONDS', '20');
const WARMUP = +env('WARMUP_SECONDS', '3');
const ROOM_PREFIX = env('ROOM_PREFIX', 'plan/city-market/');
const ROOM_LIST = process.env.ROOM_LIST?.split(',').filter(Boolean);
const TOKENS = process.env.TOKENS?.split(',').filter(Boolean);
const roomOf = (i: number) => (ROOM_LIST ? ROOM_LIST[i % ROOMS] : `${ROOM_PREFIX}${2030 + (i % ROOMS)}`);
const tokenOf = (i: number) => (TOKENS ? TOKENS[i % ROOMS] : TOKEN);

interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  id: number;
}
const latencies: number[] = [];
/** DUMP=file: write "sendTime latency" per delivery (ms since measuring began), to see when the tail happens */
const DUMP = process.env.DUMP;
const dump: string[] = [];
let delivered = 0;
let sent = 0;
let measuring = false;
/** deliveries of updates sent before this (performance.now()) are not counted */
let measureFrom = Infinity;

/** ws://host/sync → http://host/api/sync/ticket */
const TICKET_URL = BASE.replace(/^ws/, 'http').replace(/\/sync$/, '/api/sync/ticket');
async function params(token: string | undefined): Promise<Record<string, string>> {
  if (!token) return {};
  const r = await fetch(TICKET_URL, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
  const { ticket } = (await r.json()) as { ticket?: string };
  if (!r.ok || !ticket) throw new Error(`no sync ticket: ${r.status}`);
  return { ticket };
}

const clients: Client[] = [];
for (let i = 0; i < CLIENTS; i++) {
  const doc = new Y.Doc();
  const room = roomOf(i);
  const provider = new WebsocketProvider(BASE, room, doc, {
    WebSocketPolyfill: WS as unknown as typeof WebSocket,
    disableBc: true,
    params: await params(tokenOf(i)),
  });
  const map = doc.getMap('bench');
  map.observe((ev) => {
    if (ev.transaction.local || !measuring) return;
    const now = performance.now();
    for (const key of ev.keysChanged) {
      const v = map.get(key) as { t: number } | undefined;
      if (v && typeof v.t === 'number' && v.t >= measureFrom) {
        latencies.push(now - v.t);
        delivered++;
        if (DUMP) dump.push(`${(v.t - measureFrom).toFixed(2)} ${(now - v.t).toFixed(3)}`);
      }
    }
  });
  clients.push({ doc, provider, id: i });
}

const synced = (p: WebsocketProvider) => new Promise<void>((res) => (p.synced ? res() : p.once('sync', () => res())));
await Promise.all(clients.map((c) => synced(c.provider)));

const interval = 1000 / RATE;
const timers = clients.map((c, i) => {
  let n = 0;
  // stagger the clients evenly over one interval so the load is steady
  return setTimeout(
    function tick() {
      const t = performance.now();
      c.doc.getMap('bench').set(`c${c.id}`, { t, n: n++ });
      if (t >= measureFrom) sent++;
      timers[i] = setTimeout(tick, interval);
    },
    (interval * i) / CLIENTS,
  );
});
await new Promise((r) => setTimeout(r, WARMUP * 1000));
measuring = true;
console.log(JSON.stringify({ phase: 'measure' })); // bench/sync.ts samples the server's CPU time here and at 'end'
const started = performance.now();
measureFrom = started;
await new Promise((r) => setTimeout(r, SECONDS * 1000));
timers.forEach(clearTimeout);
console.log(JSON.stringify({ phase: 'end' }));
await new Promise((r) => setTimeout(r, 1000)); // let in-flight updates land
measuring = false;
const elapsed = (performance.now() - started) / 1000;
if (DUMP) (await import('node:fs')).writeFileSync(DUMP, dump.join('\n'));
latencies.sort((a, b) => a - b);
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
const expected = sent * (CLIENTS / ROOMS - 1);
console.log(
  JSON.stringify({
    sent,
    delivered,
    expected,
    elapsed,
    deliveredPerSec: delivered / elapsed,
    p50: q(0.5),
    p99: q(0.99),
  }),
);
for (const c of clients) c.provider.destroy();
process.exit(0);
