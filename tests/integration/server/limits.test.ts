/**
 * Limits: maxPayload (1009), per-connection message rate (1008), the loaded-docs cap (1013, then the
 * stock provider retries and gets in once an idle doc is evicted), idle eviction with data kept, and the
 * page shown when the app has not been built.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, destroyAll, login, spawnServer, waitFor, waitSynced, type LoginResult, type SpawnedServer } from '../../helpers/spawn-server';
import { msg, rawConnect } from '../../helpers/raw';

let srv: SpawnedServer;
let agency1: LoginResult;
let supervisor1: LoginResult;

const metric = async (name: string): Promise<number> => {
  const text = await (await fetch(`${srv.url}/metrics`, srv.metricsAuth)).text();
  const line = text.split('\n').find((l) => l.startsWith(name + ' '));
  return line ? Number(line.split(' ')[1]) : NaN;
};

beforeAll(async () => {
  srv = await spawnServer({
    env: { MAX_DOCS: '3', MAX_PAYLOAD: '65536', MSG_RATE: '20', MSG_BURST: '40', IDLE_EVICT_MS: '300', STATIC_DIR: '/nonexistent-eicp-dist' },
  });
  [agency1, supervisor1] = await Promise.all([login(srv.url, 'agency1'), login(srv.url, 'supervisor1')]);
});
afterAll(async () => {
  await srv?.stop();
});

describe('limits', () => {
  it('a frame over MAX_PAYLOAD closes the connection with 1009', async () => {
    const c = rawConnect(srv.wsUrl, 'config/city', supervisor1.token);
    await c.opened;
    c.send(msg.update(new Uint8Array(100 * 1024)));
    expect((await c.closed).code).toBe(1009);
  });

  it('exceeding the message rate closes the connection with 1008', async () => {
    const c = rawConnect(srv.wsUrl, 'config/city', supervisor1.token);
    await c.opened;
    for (let i = 0; i < 200; i++) c.send(Uint8Array.from([3])); // query awareness, harmless alone
    expect((await c.closed).code).toBe(1008);
  });

  it('idle docs are unloaded and come back intact', async () => {
    // the agency's own room (the registry and the policy now take only records of their schemas)
    const room = `agency/${agency1.agencyId}`;
    const p = connectProvider(srv.wsUrl, room, agency1.token);
    await waitSynced(p);
    p.doc.getMap('probe').set('kept', 'after eviction');
    const q = connectProvider(srv.wsUrl, room, agency1.token);
    await waitSynced(q);
    await waitFor(() => q.doc.getMap('probe').get('kept') === 'after eviction');
    const evictions = await metric('eicp_doc_evictions_total');
    destroyAll(p, q);
    await waitFor(async () => (await metric('eicp_doc_evictions_total')) > evictions && (await metric('eicp_docs_loaded')) === 0, 10_000, 'eviction');
    const r = connectProvider(srv.wsUrl, room, agency1.token);
    await waitSynced(r);
    expect(r.doc.getMap('probe').get('kept')).toBe('after eviction');
    destroyAll(r);
    await waitFor(async () => (await metric('eicp_docs_loaded')) === 0, 10_000, 'eviction');
  });

  it('past MAX_DOCS a new room is refused with 1013; the stock provider gets in after an eviction', async () => {
    const held = ['config/city', 'registry/certificates', `agency/${agency1.agencyId}`].map((room) => connectProvider(srv.wsUrl, room, supervisor1.token));
    await Promise.all(held.map((p) => waitSynced(p)));
    const late = connectProvider(srv.wsUrl, 'supervision/2026', supervisor1.token);
    expect((await late.closed).code).toBe(1013);
    expect(late.synced).toBe(false);
    destroyAll(held[0]); // its doc is evicted after IDLE_EVICT_MS; the provider keeps retrying (1013 is not final)
    await waitSynced(late, 20_000);
    destroyAll(late, ...held.slice(1));
  });

  it('without a build, / explains how to make it', async () => {
    const r = await fetch(`${srv.url}/`, { headers: { accept: 'text/html' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/html/);
    expect(await r.text()).toContain('npm run build');
  });
});
