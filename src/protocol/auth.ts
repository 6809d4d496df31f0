/**
 * Accounts and passwords on the wire, shared by the server (server/auth/routes.ts, server/auth/accounts.ts,
 * the admin command) and the app (src/client/api.ts): one schema per request and response, and the password
 * rules with their bilingual messages, so the app shows the same words before it asks as the server gives
 * when it refuses. zod only: no I/O.
 */
import { z } from 'zod';
import { Id, Principal, Role, Text, UsccShape } from '../domain/schemas';

// ---------- user names ----------

/** 3–32 characters: lowercase letters, digits, `.`, `_`, `-`; starts with a letter or digit. */
export const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{2,31}$/;
export const Username = z
  .string()
  .max(64, 'a user name has at most 32 characters')
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.string().regex(USERNAME_RE, 'a user name is 3–32 characters: lowercase letters, digits, . _ - (starting with a letter or digit)'));

// ---------- passwords ----------

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

/** the length a person counts: code points of the NFC form (a CJK character is one) */
export const passwordLength = (s: string): number => [...s.normalize('NFC')].length;

/**
 * Why `next` may not become the password of `username` (whose password is `current`, when known), or null.
 * The rules: at least 10 and at most 256 characters, not the user name (in any case), not the current
 * password. (The published demo password, demo1234, is 8 characters: the length alone refuses it.)
 */
export function passwordProblem(username: string, next: string, current?: string): Text | null {
  const n = next.normalize('NFC');
  const len = passwordLength(n);
  if (len < PASSWORD_MIN)
    return { zh: `新密码至少 ${PASSWORD_MIN} 个字符（当前 ${len} 个）`, en: `The new password needs at least ${PASSWORD_MIN} characters (it has ${len})` };
  if (len > PASSWORD_MAX) return { zh: `新密码最多 ${PASSWORD_MAX} 个字符`, en: `The new password may have at most ${PASSWORD_MAX} characters` };
  if (n.toLowerCase() === username.normalize('NFC').toLowerCase()) return { zh: '新密码不能与用户名相同', en: 'The new password must not be your user name' };
  if (current !== undefined && n === current.normalize('NFC'))
    return { zh: '新密码不能与当前密码相同', en: 'The new password must differ from the current one' };
  return null;
}

// ---------- sign-in ----------

/**
 * A session as `POST /api/login`, `/api/auth/refresh` and `/api/password` answer it: who signed in and a
 * short-lived access token. The refresh token is never in the body: it travels in an HttpOnly cookie
 * (`eicp_rt`, Path=/api/auth) that scripts cannot read.
 */
export const SessionResponse = Principal.extend({
  token: z.string().max(4096),
  /** seconds until the token expires */
  expiresIn: z.number().int(),
});
export type SessionResponse = z.infer<typeof SessionResponse>;

/** `POST /api/sync/ticket` (Bearer): a single-use ticket to open one WebSocket, `/sync/<room>?ticket=…` */
export const SyncTicket = z.object({ ticket: z.string().min(16).max(128), expiresIn: z.number().int() });
export type SyncTicket = z.infer<typeof SyncTicket>;

/**
 * `POST /api/login` for an account whose password is a one-time password: no session, only a short-lived
 * token that `POST /api/password` accepts (every other API and the sync relay refuse it).
 */
export const PasswordChangeRequired = z.object({
  passwordChangeRequired: z.literal(true),
  /** Bearer token for `POST /api/password` only */
  passwordChangeToken: z.string().max(4096),
  /** seconds the token stays valid */
  expiresIn: z.number().int(),
  username: z.string(),
  role: Role,
  name: z.string(),
});
export type PasswordChangeRequired = z.infer<typeof PasswordChangeRequired>;

/** what `POST /api/login` answers with 200: a session, or the one step a one-time password allows */
export const LoginResult = z.union([PasswordChangeRequired, SessionResponse]);
export type LoginResult = z.infer<typeof LoginResult>;
/** the answer to a sign-in is the password-change step, not a session */
export const isPasswordChange = <T extends object>(r: T | PasswordChangeRequired): r is PasswordChangeRequired => 'passwordChangeRequired' in r;

/**
 * `POST /api/password` (Bearer: an access token, or the token of `PasswordChangeRequired`) → SessionResponse,
 * a new session for this device; every other session of the user ends.
 */
export const PasswordChangeRequest = z.object({
  currentPassword: z.string().min(1, 'enter the current password').max(PASSWORD_MAX),
  // the length rules are passwordProblem's (a bilingual message); this cap only bounds the input
  newPassword: z.string().max(4 * PASSWORD_MAX),
});
export type PasswordChangeRequest = z.infer<typeof PasswordChangeRequest>;

// ---------- the installation ----------

export const DemoAccount = z.object({ username: z.string(), role: Role, name: z.string() });
export type DemoAccount = z.infer<typeof DemoAccount>;

/** `GET /api/instance` (public): a demo or a real installation; a demo lists its demo accounts */
export const InstanceInfo = z.object({
  mode: z.enum(['demo', 'production']),
  demoAccounts: z.array(DemoAccount).max(100).optional(),
  demoPassword: z.string().max(64).optional(),
  /**
   * only when CLOCK_NOW started the server's clock at another instant (demos, tests): the server's time now,
   * which the app follows so that "today" is the demo's day (src/client/server-clock.ts)
   */
  serverClock: z.object({ now: z.string().datetime({ offset: true }), startedAt: z.string().datetime({ offset: true }) }).optional(),
  /** only when enterprises may sign in through the province's unified sign-in (OpenID Connect): the button's text */
  oidc: z.object({ label: Text }).optional(),
});
export type InstanceInfo = z.infer<typeof InstanceInfo>;

// ---------- account administration (the admin command; account pages later) ----------

/** a new account; which of agencyId / inspectorId / uscc it needs depends on the role (server/auth/accounts.ts) */
export const CreateUserRequest = z.object({
  role: Role,
  username: Username,
  name: z.string().trim().min(1, 'the display name is empty').max(60, 'a display name has at most 60 characters').optional(),
  agencyId: Id.optional(),
  inspectorId: Id.optional(),
  uscc: z.string().trim().toUpperCase().pipe(UsccShape).optional(),
});
export type CreateUserRequest = z.input<typeof CreateUserRequest>;

/** an account as administrators see it (never its password hash) */
export const UserSummary = z.object({
  userId: Id,
  username: z.string(),
  role: Role,
  name: z.string(),
  agencyId: Id.optional(),
  inspectorId: Id.optional(),
  uscc: z.string().optional(),
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  /** true: signs in with the published demo password; null: not checked yet */
  demoPassword: z.boolean().nullable(),
});
export type UserSummary = z.infer<typeof UserSummary>;

// ---------- requests and small answers ----------

/** `POST /api/login` */
export { LoginRequest, Principal } from '../domain/schemas';
/** `POST /api/auth/refresh` and `/api/auth/logout` take an empty JSON object (the refresh token is the cookie) */
export const EmptyRequest = z.object({}).strict();
/** `POST /api/auth/logout` */
export const LogoutResponse = z.object({ ok: z.boolean() });
export type LogoutResponse = z.infer<typeof LogoutResponse>;
