/**
 * Mounts the signed-code and device-key endpoints (server/api-codes.ts) on the router:
 * GET /api/keys (public JWKS), GET /api/enterprises/:uscc/code, POST /api/check-code, POST /api/devices.
 */
import { z } from 'zod';
import type { IncomingMessage } from 'node:http';
import type * as Y from 'yjs';
import { rooms } from '../../src/domain/rooms';
import { readCertificate, readTask } from '../../src/model';
import { certificateValidOn } from '../../src/model/registry';
import type { Clock } from '../clock';
import type { Principal } from '../../src/domain/schemas';
import { Inspector } from '../../src/domain/schemas';
import { readJson, sendJson, type Ctx, type Router } from '../http/router';
import type { TokenService } from '../auth/tokens';
import type { Directory } from '../directory/store';
import type { KeyStore } from './keys';
import type { DeviceRegistry } from './devices';
import { handleCheckCode, handleEnterpriseCode, handleGetKeys, handleRegisterDevice, type ApiResult } from './service';

export interface CodeRouteDeps {
  keys: KeyStore;
  devices: DeviceRegistry;
  dir: Directory;
  tokens: TokenService;
  /** the platform's public origin for code URLs; derived from the request when absent */
  publicUrl?: string;
  trustProxy: boolean;
  /** a server-side read of a room (Relay.read): check codes are made only for tasks the server holds */
  read: <T>(room: string, fn: (doc: Y.Doc) => T) => Promise<T>;
  /** the server's clock: certificates must be valid today */
  clock: Pick<Clock, 'today'>;
}

export function registerCodeRoutes(router: Router, d: CodeRouteDeps): void {
  /** the signed-in principal, or null: the handlers answer 401/403 themselves */
  const principal = async (ctx: Ctx): Promise<Principal | null> => {
    const m = /^Bearer\s+(\S+)$/i.exec(String(ctx.req.headers.authorization ?? ''));
    if (!m) return null;
    const v = await d.tokens.verify(m[1]);
    return v.ok ? v.principal : null;
  };
  const baseUrl = (req: IncomingMessage): string => {
    if (d.publicUrl) return d.publicUrl.replace(/\/$/, '');
    const proto = d.trustProxy ? String(req.headers['x-forwarded-proto'] ?? 'http').split(',')[0].trim() : 'http';
    return `${proto}://${req.headers.host ?? '127.0.0.1'}`;
  };
  const send = (ctx: Ctx, r: ApiResult) => {
    for (const [k, v] of Object.entries(r.headers ?? {})) ctx.res.setHeader(k, v);
    sendJson(ctx.res, r.status, r.body);
  };
  const deps = {
    keys: d.keys,
    devices: d.devices,
    getEnterprise: (uscc: string) => d.dir.enterprise(uscc) as { uscc: string; name: string; division: string } | undefined,
    getInspector: (id: string) => {
      const found = d.dir.inspectors().map((x) => Inspector.safeParse(x)).find((r) => r.success && r.data.id === id);
      return found?.success ? found.data : null;
    },
    getTask: (agencyId: string, year: number, taskId: string) => d.read(rooms.tasks(agencyId, year), (doc) => readTask(doc, taskId) ?? null),
    // the registry's record of that number, held by that inspector, valid today (revoked/expired: refused)
    certificateValid: (cert: string, inspectorId: string) => d.read(rooms.registry(), (doc) => {
      const c = readCertificate(doc, cert);
      return !!c && c.inspectorId === inspectorId && certificateValidOn(c, d.clock.today());
    }),
    today: () => d.clock.today(),
  };

  router.get('/api/keys', (ctx) => send(ctx, handleGetKeys(deps)));
  router.get('/api/enterprises/:uscc/code', async (ctx) =>
    send(ctx, await handleEnterpriseCode(deps, await principal(ctx), ctx.params.uscc, { baseUrl: baseUrl(ctx.req) })));
  router.post('/api/check-code', async (ctx) =>
    send(ctx, await handleCheckCode(deps, await principal(ctx), await readJson(ctx.req, z.unknown()), { baseUrl: baseUrl(ctx.req) })));
  router.post('/api/devices', async (ctx) =>
    send(ctx, await handleRegisterDevice(deps, await principal(ctx), await readJson(ctx.req, z.unknown()))));
}
