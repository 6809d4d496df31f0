/**
 * Signed codes and device keys (server/codes/service.ts):
 *   GET  /api/keys (public JWKS) · GET /api/enterprises/:uscc/code · POST /api/check-code
 *   POST /api/check-code/details · POST /api/devices
 * These routes authenticate and parse; the service decides and throws HttpError.
 */
import { z } from 'zod';
import type { IncomingMessage } from 'node:http';
import { rooms } from '../../src/domain/rooms';
import { readCertificate, readTask } from '../../src/model';
import { certificateValidOn } from '../../src/model/registry';
import type { Clock } from '../clock';
import { Inspector } from '../../src/domain/schemas';
import { readJson, sendJson, type Ctx, type Router } from '../http/router';
import { errors } from '../http/errors';
import { bearerOf } from '../auth/bearer';
import type { TokenService } from '../auth/tokens';
import type { Directory } from '../directory/store';
import type { RoomReader } from '../sync/port';
import type { KeyStore } from './keys';
import type { DeviceRegistry } from './devices';
import { checkCode, checkCodeDetails, enterpriseCode, getKeys, registerDevice, type CodesDeps } from './service';
import { CheckCodeRequest, RegisterDeviceRequest, type CheckCode, type DeviceRegistered, type EnterpriseCode } from '../../src/protocol/codes';
import { CheckCodeDetailsRequest, type CheckCodeDetails } from '../../src/protocol/ledger';

export interface CodeRouteDeps {
  keys: KeyStore;
  devices: DeviceRegistry;
  dir: Directory;
  tokens: TokenService;
  /** the platform's public origin for code URLs; derived from the request when absent */
  publicUrl?: string;
  trustProxy: boolean;
  /** server-side reads of rooms: check codes are made only for tasks the server holds */
  rooms: RoomReader;
  /** the server's clock: certificates must be valid today */
  clock: Pick<Clock, 'today' | 'now'>;
}

export function registerCodeRoutes(router: Router, d: CodeRouteDeps): void {
  /** the signed-in principal; any failure (an expired token too) is a plain 401 on these routes, as before */
  const principal = async (ctx: Ctx) => {
    const m = /^Bearer\s+(\S+)$/i.exec(String(ctx.req.headers.authorization ?? ''));
    const v = m ? await d.tokens.verify(m[1]) : null;
    if (!v?.ok) throw errors.unauthorized();
    return v.principal;
  };
  const baseUrl = (req: IncomingMessage): string => {
    if (d.publicUrl) return d.publicUrl.replace(/\/$/, '');
    const proto = d.trustProxy
      ? String(req.headers['x-forwarded-proto'] ?? 'http')
          .split(',')[0]
          .trim()
      : 'http';
    return `${proto}://${req.headers.host ?? '127.0.0.1'}`;
  };
  const deps: CodesDeps = {
    keys: d.keys,
    devices: d.devices,
    getEnterprise: (uscc: string) => d.dir.enterprise(uscc) as { uscc: string; name: string; division: string } | undefined,
    getInspector: (id: string) => {
      const found = d.dir
        .inspectors()
        .map((x) => Inspector.safeParse(x))
        .find((r) => r.success && r.data.id === id);
      return found?.success ? found.data : null;
    },
    getTask: (agencyId: string, year: number, taskId: string) => d.rooms.read(rooms.tasks(agencyId, year), (doc) => readTask(doc, taskId) ?? null),
    // the registry's record of that number, held by that inspector, valid today (revoked/expired: refused)
    certificateValid: (cert: string, inspectorId: string) =>
      d.rooms.read(rooms.registry(), (doc) => {
        const c = readCertificate(doc, cert);
        return !!c && c.inspectorId === inspectorId && certificateValidOn(c, d.clock.today());
      }),
    today: () => d.clock.today(),
  };

  router.get('/api/keys', (ctx) => sendJson(ctx.res, 200, getKeys(deps), { 'Cache-Control': 'public, max-age=300' }));

  router.get('/api/enterprises/:uscc/code', async (ctx) => {
    const p = await principal(ctx);
    sendJson(ctx.res, 200, (await enterpriseCode(deps, p, ctx.params.uscc, { baseUrl: baseUrl(ctx.req) })) satisfies EnterpriseCode);
  });

  router.post('/api/check-code', async (ctx) => {
    const p = await principal(ctx);
    const b = CheckCodeRequest.safeParse(await readJson(ctx.req, z.unknown()));
    if (!b.success)
      throw errors.badRequest(
        'bad_request',
        { zh: '请求内容不正确', en: 'The request is not valid' },
        b.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      );
    sendJson(ctx.res, 200, (await checkCode(deps, p, b.data, { baseUrl: baseUrl(ctx.req) })) satisfies CheckCode);
  });

  // signed in as on every other route: an expired token is 401 token_expired (the app refreshes)
  const bearer = bearerOf(d.tokens);
  router.post('/api/check-code/details', async (ctx) => {
    const p = await bearer(ctx);
    const body = await readJson(ctx.req, CheckCodeDetailsRequest);
    sendJson(ctx.res, 200, (await checkCodeDetails({ keys: d.keys, dir: d.dir, rooms: d.rooms, now: d.clock.now }, p, body.code)) satisfies CheckCodeDetails);
  });

  router.post('/api/devices', async (ctx) => {
    const p = await principal(ctx);
    const b = RegisterDeviceRequest.safeParse(await readJson(ctx.req, z.unknown()));
    if (!b.success || b.data.publicJwk === undefined) throw errors.badRequest('bad_request', { zh: '缺少设备公钥 publicJwk', en: 'publicJwk is missing' });
    const r = await registerDevice(deps, p, b.data.publicJwk);
    sendJson(ctx.res, r.created ? 201 : 200, { kid: r.kid } satisfies DeviceRegistered);
  });
}
