/**
 * Signed codes and device keys on the wire (server/codes/: routes.ts, service.ts): the platform's public keys, an
 * enterprise's code, a task's check code (检查码), and a device's public key. zod only: no I/O.
 */
import { z } from 'zod';
import { Id, IsoDate } from '../domain/schemas';
import { CodeInspector } from '../domain/codes';

/** GET /api/keys (public): the platform's signing keys as a JWKS */
export const Jwks = z.object({
  keys: z.array(
    z.object({ kty: z.string(), crv: z.string().optional(), x: z.string().optional(), y: z.string().optional(), kid: z.string().optional() }).loose(),
  ),
});
export type Jwks = z.infer<typeof Jwks>;

/** GET /api/enterprises/:uscc/code: the enterprise's signed code */
export const EnterpriseCode = z.object({
  uscc: z.string(),
  token: z.string(),
  url: z.string(),
  qrText: z.string(),
  qrVersion: z.number().optional(),
  kid: z.string().optional(),
});
export type EnterpriseCode = z.infer<typeof EnterpriseCode>;

/** POST /api/check-code: a check code for a task the server holds (422 with the reason when it may not be issued) */
export const CheckCodeRequest = z.object({
  taskId: Id,
  agencyId: Id,
  uscc: z.string(),
  inspectors: z.array(CodeInspector).min(1).max(10),
  window: z.object({ from: IsoDate, to: IsoDate }).refine((w) => w.from <= w.to, 'window.from must not be after window.to'),
});
export type CheckCodeRequest = z.input<typeof CheckCodeRequest>;
export const CheckCode = z.object({ token: z.string(), url: z.string(), qrVersion: z.number().optional(), kid: z.string().optional() });
export type CheckCode = z.infer<typeof CheckCode>;

/** POST /api/devices: this device's public key (an EC P-256 JWK; server/devices.ts checks it) → its kid (201 new, 200 known) */
export const RegisterDeviceRequest = z.object({ publicJwk: z.unknown() });
export const DeviceRegistered = z.object({ kid: z.string() });
export type DeviceRegistered = z.infer<typeof DeviceRegistered>;
