/**
 * Server configuration from the environment, parsed with zod (one trust boundary like any other).
 * Every variable is optional; defaults make `npm start` serve http://127.0.0.1:8787 from ./data.
 */
import path from 'node:path';
import { z } from 'zod';
import { CLOCK_NOW_RE } from './clock';

const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max).default(def);

export const EnvSchema = z.object({
  PORT: int(8787, 0, 65535),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  STATIC_DIR: z.string().min(1).default('./dist'),
  /** access token lifetime (JWT), seconds */
  TOKEN_TTL_SECONDS: int(15 * 60, 1, 7 * 24 * 3600),
  /** refresh token lifetime, seconds (30 days) */
  REFRESH_TTL_SECONDS: int(30 * 24 * 3600, 60),
  /** WebSocket maxPayload in bytes (1 MiB); larger frames close the socket with 1009 */
  MAX_PAYLOAD: int(1024 * 1024, 1024, 64 * 1024 * 1024),
  /** loaded docs cap; a connection to a room past it is closed with 1013 (try again later) */
  MAX_DOCS: int(5000, 1),
  /** a doc with no connection for this long is persisted (compacted) and unloaded */
  IDLE_EVICT_MS: int(30_000, 0),
  /** per-connection message rate (token bucket refill, messages/second); burst = MSG_BURST */
  MSG_RATE: int(200, 1),
  MSG_BURST: int(0, 0), // 0 = 2 × MSG_RATE
  /** open sockets per user and per client IP (one user must not starve the others); a user's cap is also at most a quarter of MAX_DOCS */
  MAX_SOCKETS_PER_USER: int(64, 1),
  MAX_SOCKETS_PER_IP: int(1024, 1),
  /** stored size of one room (its snapshot and update log); writes past it are refused (close 4413) */
  MAX_ROOM_BYTES: int(64 * 1024 * 1024, 1024),
  /** new records one user may append a day (ledger, feedback, draws rooms, all together) */
  APPEND_QUOTA_PER_DAY: int(5000, 1),
  /** compaction thresholds of a doc's update log */
  COMPACT_UPDATES: int(500, 2),
  COMPACT_BYTES: int(1024 * 1024, 1024),
  /**
   * failed-login limits within LOGIN_WINDOW_MS: per account from one client address (a stranger elsewhere
   * cannot use up the owner's), per client address, and per account from everywhere together: past that
   * ceiling only addresses and devices the account signed in from before may still try (server/auth/routes.ts)
   */
  LOGIN_MAX_FAILS_ACCOUNT: int(5, 1),
  LOGIN_MAX_FAILS_IP: int(20, 1),
  LOGIN_MAX_FAILS_ACCOUNT_TOTAL: int(50, 1),
  LOGIN_WINDOW_MS: int(5 * 60_000, 1000),
  /** SQLite `synchronous` (WAL mode): NORMAL survives kill -9; FULL also survives an OS crash / power loss */
  SQLITE_SYNCHRONOUS: z.enum(['NORMAL', 'FULL']).default('NORMAL'),
  /** how often (at most) the update journal is folded into SQLite, ms (server/store/journal.ts) */
  JOURNAL_FOLD_MS: int(250, 1, 600_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** the platform's public origin, e.g. https://insp.yq.gov.cn: printed in enterprise QR codes (URL form) */
  PUBLIC_URL: z.string().url('PUBLIC_URL must be an absolute URL such as https://insp.example.gov.cn').optional(),
  /**
   * reverse proxies in front of the server: the client address is the one N hops from the RIGHT of
   * X-Forwarded-For (each proxy appends the address it saw; what the client sent stands to the left and is
   * not trusted). `true` = 1, `false` = 0 (no proxy: the socket's address).
   */
  TRUST_PROXY: z.union([z.enum(['true', 'false']).transform((v) => (v === 'true' ? 1 : 0)), z.coerce.number().int().min(0).max(10)]).default(0),
  /** `/metrics` answers only requests with `Authorization: Bearer <METRICS_TOKEN>`; unset: /metrics is 404 */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN needs at least 16 characters').max(256).optional(),
  /** `production`: a real installation (reference data only, no demo accounts); anything else is the demo */
  NODE_ENV: z.string().max(40).default('development'),
  /** start the server's clock at this instant (demos, tests): ISO 8601 with an offset */
  CLOCK_NOW: z
    .string()
    .regex(CLOCK_NOW_RE, 'CLOCK_NOW must be ISO 8601 with an offset, e.g. 2027-03-10T09:30:00+08:00')
    .refine((v) => !Number.isNaN(Date.parse(v)), 'CLOCK_NOW is not a real instant')
    .optional(),
  /** size of the demo city seeded into an empty DATA_DIR: `demo` (2,000 enterprises) or `city` (Yangquan at real size) */
  SEED_SCALE: z.enum(['demo', 'city']).default('demo'),
  /**
   * enterprises sign in through the province's unified sign-in (OpenID Connect, server/auth/oidc.ts): on only when
   * OIDC_ISSUER and OIDC_CLIENT_ID are set; OIDC_CLIENT_SECRET for a confidential client (none: a public client, PKCE only)
   */
  OIDC_ISSUER: z.string().url('OIDC_ISSUER must be an absolute URL such as https://sso.example.gov.cn').optional(),
  OIDC_CLIENT_ID: z.string().max(200).optional(),
  OIDC_CLIENT_SECRET: z.string().max(500).optional(),
  /** where the provider sends the browser back; default `${PUBLIC_URL}/api/auth/oidc/callback` */
  OIDC_REDIRECT_URI: z.string().url('OIDC_REDIRECT_URI must be an absolute URL').optional(),
  /** the ID token or userinfo claim that carries the enterprise's unified social credit code */
  OIDC_USCC_CLAIM: z.string().min(1).max(100).default('uscc'),
  /** the scopes asked for, space-separated (openid is always asked for) */
  OIDC_SCOPE: z.string().max(500).default('openid'),
  /** the sign-in button's text */
  OIDC_LABEL_ZH: z.string().min(1).max(60).default('使用省统一身份认证登录'),
  OIDC_LABEL_EN: z.string().min(1).max(100).default("Sign in with the province's unified sign-in"),
});

export type Env = z.infer<typeof EnvSchema>;

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  staticDir: string;
  tokenTtlSeconds: number;
  refreshTtlSeconds: number;
  maxPayload: number;
  maxDocs: number;
  idleEvictMs: number;
  msgRate: number;
  msgBurst: number;
  compactUpdates: number;
  compactBytes: number;
  maxSocketsPerUser: number;
  maxSocketsPerIp: number;
  maxRoomBytes: number;
  appendQuotaPerDay: number;
  loginMaxFailsAccount: number;
  loginMaxFailsIp: number;
  loginMaxFailsAccountTotal: number;
  loginWindowMs: number;
  sqliteSynchronous: 'NORMAL' | 'FULL';
  journalFoldMs: number;
  logLevel: Env['LOG_LEVEL'];
  /** a reverse proxy is in front (X-Forwarded-* are read) */
  trustProxy: boolean;
  /** TRUST_PROXY: how many proxy hops are trusted, counted from the right of X-Forwarded-For */
  trustProxyHops: number;
  metricsToken?: string;
  publicUrl?: string;
  /** `demo` (npm start: the seeded demo city and its accounts) or `production` (NODE_ENV=production) */
  mode: 'demo' | 'production';
  /** CLOCK_NOW: the instant the server's clock starts at (server/clock.ts) */
  clockNow?: string;
  /** SEED_SCALE: how big a demo city an empty DATA_DIR gets */
  seedScale: 'demo' | 'city';
  /** OIDC_*: enterprises' sign-in through the province's unified sign-in; absent: off */
  oidc?: OidcConfig;
}

/** the OpenID Connect relying party's settings (server/auth/oidc.ts) */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  /** absent: a public client (token endpoint auth `none`), PKCE only */
  clientSecret?: string;
  redirectUri: string;
  usccClaim: string;
  scope: string;
  label: { zh: string; en: string };
}

/** hosts on this machine: an OIDC provider there may be plain http (tests, a local provider) */
export const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function oidcOf(e: Env): OidcConfig | undefined {
  if (!e.OIDC_ISSUER && !e.OIDC_CLIENT_ID) return undefined;
  if (!e.OIDC_ISSUER || !e.OIDC_CLIENT_ID) throw new Error('invalid environment: OIDC_ISSUER and OIDC_CLIENT_ID are set together (or neither)');
  const redirectUri = e.OIDC_REDIRECT_URI ?? (e.PUBLIC_URL ? `${e.PUBLIC_URL.replace(/\/+$/, '')}/api/auth/oidc/callback` : undefined);
  if (!redirectUri) throw new Error('invalid environment: OIDC_ISSUER needs PUBLIC_URL or OIDC_REDIRECT_URI (where the provider sends the browser back)');
  const iss = new URL(e.OIDC_ISSUER);
  if (iss.protocol !== 'https:' && !(iss.protocol === 'http:' && LOOPBACK.has(iss.hostname)))
    throw new Error('invalid environment: OIDC_ISSUER must be https (plain http only on this machine: localhost, 127.0.0.1)');
  const scopes = new Set(['openid', ...e.OIDC_SCOPE.split(/\s+/).filter(Boolean)]);
  return {
    issuer: e.OIDC_ISSUER,
    clientId: e.OIDC_CLIENT_ID,
    ...(e.OIDC_CLIENT_SECRET ? { clientSecret: e.OIDC_CLIENT_SECRET } : {}),
    redirectUri,
    usccClaim: e.OIDC_USCC_CLAIM,
    scope: [...scopes].join(' '),
    label: { zh: e.OIDC_LABEL_ZH, en: e.OIDC_LABEL_EN },
  };
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const picked: Record<string, string> = {};
  for (const k of Object.keys(EnvSchema.shape)) {
    const v = env[k];
    if (v !== undefined && v !== '') picked[k] = v;
  }
  const r = EnvSchema.safeParse(picked);
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid environment: ${msg}`);
  }
  const e = r.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    staticDir: path.resolve(e.STATIC_DIR),
    tokenTtlSeconds: e.TOKEN_TTL_SECONDS,
    refreshTtlSeconds: e.REFRESH_TTL_SECONDS,
    maxPayload: e.MAX_PAYLOAD,
    maxDocs: e.MAX_DOCS,
    idleEvictMs: e.IDLE_EVICT_MS,
    msgRate: e.MSG_RATE,
    msgBurst: e.MSG_BURST || e.MSG_RATE * 2,
    compactUpdates: e.COMPACT_UPDATES,
    compactBytes: e.COMPACT_BYTES,
    maxSocketsPerUser: e.MAX_SOCKETS_PER_USER,
    maxSocketsPerIp: e.MAX_SOCKETS_PER_IP,
    maxRoomBytes: e.MAX_ROOM_BYTES,
    appendQuotaPerDay: e.APPEND_QUOTA_PER_DAY,
    loginMaxFailsAccount: e.LOGIN_MAX_FAILS_ACCOUNT,
    loginMaxFailsIp: e.LOGIN_MAX_FAILS_IP,
    loginMaxFailsAccountTotal: e.LOGIN_MAX_FAILS_ACCOUNT_TOTAL,
    loginWindowMs: e.LOGIN_WINDOW_MS,
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    journalFoldMs: e.JOURNAL_FOLD_MS,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY > 0,
    trustProxyHops: e.TRUST_PROXY,
    metricsToken: e.METRICS_TOKEN,
    publicUrl: e.PUBLIC_URL,
    mode: e.NODE_ENV === 'production' ? 'production' : 'demo',
    clockNow: e.CLOCK_NOW,
    seedScale: e.SEED_SCALE,
    oidc: oidcOf(e),
  };
}
