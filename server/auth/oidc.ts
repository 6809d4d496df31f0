/**
 * Enterprises sign in through the province's unified sign-in: an OpenID Connect relying party (openid-client).
 *
 * The flow: `begin` makes an attempt (state, nonce, PKCE S256 verifier), kept here in memory under the SHA-256
 * of a random cookie value (Path=/api/auth/oidc, 10 minutes), and gives the provider's authorization URL.
 * `finish` takes the cookie and the provider's answer: the attempt is taken out (single use: a replayed answer
 * finds none), the state compared, the code exchanged and the ID token checked by the library (signature,
 * issuer, audience, expiry, nonce), the USCC read from the ID token or else from userinfo. Then the account:
 * the one linked to this (issuer, sub) in `oidc_links`; or the enterprise's existing account, linked now
 * (audited `account.oidc_link`); or a new enterprise account (audited `account.activate`), whose password is
 * random and known to nobody (an administrator's one-time password gives it one later).
 *
 * Refused, each with its code (src/protocol/oidc.ts): a USCC that is malformed, unknown or of a deregistered
 * enterprise; an identity linked to enterprise A that presents B's USCC (the link wins; logged); a disabled
 * account, one that must change its password, one that is not an enterprise's.
 *
 * Discovery happens at the first sign-in, not at start: a provider that is down does not stop the server; a
 * failed discovery is tried again after 10 s. Attempts live in memory (a restart loses the few under way: the
 * user clicks again): an anonymous GET costs no disk write; at most 30 per client address and 10,000 in all.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import type { OidcConfig } from '../config';
import { LOOPBACK } from '../config';
import type { DB } from '../store/db';
import type { UserRow } from '../directory/store';
import type { Logger } from '../log';
import { actorOf, type AuditLog } from '../audit/store';
import { HttpError } from '../http/errors';
import { validateUscc } from '../../src/domain/uscc';
import type { OidcErrorCode } from '../../src/protocol/oidc';
import type { Accounts } from './accounts';

export { OIDC_TABLES } from './tables';

/** how long an attempt (the cookie and what it stands for) lasts */
export const OIDC_ATTEMPT_SECONDS = 600;
const MAX_ATTEMPTS = 10_000;
const MAX_ATTEMPTS_PER_IP = 30;
/** a failed discovery is not tried again for this long */
const DISCOVERY_RETRY_MS = 10_000;
/** seconds each request to the provider may take */
const PROVIDER_TIMEOUT_SECONDS = 10;

/** a refused sign-in: `code` goes to the sign-in page, `detail` only to the log */
export class OidcFailure extends Error {
  constructor(
    readonly code: OidcErrorCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

interface Attempt {
  state: string;
  nonce: string;
  verifier: string;
  ip: string;
  expiresAt: number;
}

export interface OidcDeps {
  cfg: OidcConfig;
  db: DB;
  accounts: Accounts;
  audit: AuditLog;
  log: Logger;
  /** the server's clock (links' timestamps) */
  now: () => number;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');

/** the user name of an account made at an enterprise's first sign-in: `e-` and its USCC in lowercase */
export const oidcUsername = (uscc: string, n = 1): string => `e-${uscc.toLowerCase()}${n > 1 ? `-${n}` : ''}`;

export class OidcRelyingParty {
  private configuration: Promise<client.Configuration> | null = null;
  private discoveryFailedAt = 0;
  private readonly attempts = new Map<string, Attempt>();
  private readonly perIp = new Map<string, number>();

  constructor(private readonly d: OidcDeps) {}

  get label() {
    return this.d.cfg.label;
  }

  /** the provider's configuration, discovered at first use; a failure is remembered for 10 s, then tried again */
  private async config(): Promise<client.Configuration> {
    if (this.configuration) return this.configuration;
    if (Date.now() - this.discoveryFailedAt < DISCOVERY_RETRY_MS) throw new OidcFailure('provider_unavailable', 'discovery failed moments ago');
    const { cfg } = this.d;
    const issuer = new URL(cfg.issuer);
    const insecure = issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname);
    const p = client
      .discovery(issuer, cfg.clientId, cfg.clientSecret, cfg.clientSecret ? client.ClientSecretPost(cfg.clientSecret) : client.None(), {
        execute: insecure ? [client.allowInsecureRequests] : [],
        timeout: PROVIDER_TIMEOUT_SECONDS,
      })
      .then((c) => {
        c.timeout = PROVIDER_TIMEOUT_SECONDS;
        this.d.log.info('oidc: provider discovered', { issuer: cfg.issuer });
        return c;
      });
    this.configuration = p;
    try {
      return await p;
    } catch (err) {
      this.configuration = null;
      this.discoveryFailedAt = Date.now();
      this.d.log.warn('oidc: discovery failed', { issuer: cfg.issuer, err });
      throw new OidcFailure('provider_unavailable', 'discovery failed');
    }
  }

  private drop(key: string): Attempt | undefined {
    const a = this.attempts.get(key);
    if (!a) return undefined;
    this.attempts.delete(key);
    const n = (this.perIp.get(a.ip) ?? 1) - 1;
    if (n > 0) this.perIp.set(a.ip, n);
    else this.perIp.delete(a.ip);
    return a;
  }

  /** expired attempts go (they all last as long, so the oldest come first in the map) */
  private prune(now: number): void {
    for (const [key, a] of this.attempts) {
      if (a.expiresAt > now) break;
      this.drop(key);
    }
  }

  /** a new attempt: the cookie's value and the provider's authorization URL */
  async begin(ip: string): Promise<{ cookie: string; url: string }> {
    const now = Date.now();
    this.prune(now);
    if (this.attempts.size >= MAX_ATTEMPTS || (this.perIp.get(ip) ?? 0) >= MAX_ATTEMPTS_PER_IP) {
      this.d.log.warn('oidc: too many sign-ins under way', { ip, total: this.attempts.size });
      throw new OidcFailure('busy', 'too many attempts under way');
    }
    const config = await this.config();
    const verifier = client.randomPKCECodeVerifier();
    const a: Attempt = { state: client.randomState(), nonce: client.randomNonce(), verifier, ip, expiresAt: now + OIDC_ATTEMPT_SECONDS * 1000 };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.d.cfg.redirectUri,
      scope: this.d.cfg.scope,
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: a.state,
      nonce: a.nonce,
    });
    const cookie = randomBytes(32).toString('base64url');
    this.attempts.set(sha256(cookie), a);
    this.perIp.set(ip, (this.perIp.get(ip) ?? 0) + 1);
    return { cookie, url: url.href };
  }

  /**
   * The provider's answer (`params`: the callback's query) for the attempt of `cookie`: the enterprise
   * account it signs in to. Throws OidcFailure.
   */
  async finish(cookie: string | null, params: Record<string, string | undefined>): Promise<UserRow> {
    const a = cookie ? this.drop(sha256(cookie)) : undefined;
    if (!a || a.expiresAt <= Date.now()) throw new OidcFailure('expired', cookie ? 'no such attempt (used, expired or unknown)' : 'no attempt cookie');
    if (params.error) throw new OidcFailure('denied', `the provider answered ${params.error.slice(0, 100)}`);
    if (!params.state || params.state !== a.state) throw new OidcFailure('expired', 'state mismatch');
    const config = await this.config();
    const current = new URL(this.d.cfg.redirectUri);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) current.searchParams.set(k, v);
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: a.verifier,
        expectedState: a.state,
        expectedNonce: a.nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      throw this.providerError(err, 'token exchange');
    }
    const claims = tokens.claims();
    if (!claims) throw new OidcFailure('invalid_response', 'no ID token');
    let uscc: unknown = claims[this.d.cfg.usccClaim];
    if (uscc === undefined && tokens.access_token && config.serverMetadata().userinfo_endpoint) {
      try {
        uscc = (await client.fetchUserInfo(config, tokens.access_token, claims.sub))[this.d.cfg.usccClaim];
      } catch (err) {
        throw this.providerError(err, 'userinfo');
      }
    }
    return this.account(claims.iss, claims.sub, uscc);
  }

  /** a refusal by the provider's protocol (its error answer, a failed check) or an unreachable provider */
  private providerError(err: unknown, step: string): OidcFailure {
    const protocol = err instanceof client.ResponseBodyError || err instanceof client.AuthorizationResponseError || err instanceof client.ClientError;
    const e = err as { code?: string; error?: string; message?: string };
    this.d.log.warn(`oidc: ${step} failed`, { code: e.code, error: e.error, message: e.message?.slice(0, 300) });
    return new OidcFailure(protocol ? 'invalid_response' : 'provider_unavailable', `${step}: ${e.code ?? e.message ?? 'failed'}`);
  }

  private usable(u: UserRow): UserRow {
    if (u.role !== 'enterprise') throw new OidcFailure('not_enterprise', `account ${u.id} is a ${u.role} account`);
    if (u.disabled) throw new OidcFailure('disabled', `account ${u.id} is disabled`);
    if (u.must_change_password) throw new OidcFailure('password_change', `account ${u.id} must change its one-time password first`);
    return u;
  }

  /** the enterprise account an identity signs in to: linked, found and linked, or made (see the top of the file) */
  private async account(issuer: string, sub: string, claimed: unknown, retry = true): Promise<UserRow> {
    const { db, accounts, audit, log } = this.d;
    if (typeof claimed !== 'string' || claimed.length > 64) throw new OidcFailure('no_uscc', `claim ${this.d.cfg.usccClaim} missing or not a string`);
    const v = validateUscc(claimed.trim().toUpperCase());
    if (!v.ok) throw new OidcFailure('no_uscc', v.message.en);
    const uscc = v.uscc;
    const e = db.prepare('SELECT uscc, name, deregistered FROM enterprises WHERE uscc = ?').get(uscc) as
      | { uscc: string; name: string; deregistered: number }
      | undefined;
    if (!e) throw new OidcFailure('unknown_enterprise', `no enterprise ${uscc}`);
    if (e.deregistered) throw new OidcFailure('deregistered', `enterprise ${uscc} is deregistered`);
    const now = this.d.now();

    const link = db.prepare('SELECT user_id FROM oidc_links WHERE issuer = ? AND sub = ?').get(issuer, sub) as { user_id: string } | undefined;
    const linked = link ? accounts.byId(link.user_id) : undefined;
    if (linked) {
      if (linked.uscc !== uscc) {
        log.warn('oidc: an identity linked to one enterprise presented the USCC of another; refused', { issuer, sub, linked: linked.uscc, claimed: uscc });
        throw new OidcFailure('mismatch', `linked to ${linked.uscc}, claims ${uscc}`);
      }
      this.usable(linked);
      db.prepare('UPDATE oidc_links SET last_used_at = ? WHERE issuer = ? AND sub = ?').run(now, issuer, sub);
      return linked;
    }

    const existing = db.prepare("SELECT * FROM users WHERE uscc = ? AND role = 'enterprise' ORDER BY created_at, id LIMIT 1").get(uscc) as UserRow | undefined;
    if (existing) {
      this.usable(existing);
      db.transaction(() => {
        db.prepare('INSERT OR REPLACE INTO oidc_links(issuer, sub, user_id, created_at, last_used_at) VALUES (?,?,?,?,?)').run(
          issuer,
          sub,
          existing.id,
          now,
          now,
        );
        audit.record({
          actor: actorOf({ userId: existing.id, name: existing.name, role: 'enterprise' }),
          action: 'account.oidc_link',
          target: `user:${existing.id}`,
          after: { issuer, sub, uscc },
        });
      })();
      log.info('oidc: identity linked to the enterprise account', { userId: existing.id, uscc, issuer, sub });
      return existing;
    }

    // the enterprise's first sign-in: a new account whose password nobody knows
    let n = 1;
    while (n < 10 && db.prepare('SELECT 1 FROM users WHERE lower(username) = ?').get(oidcUsername(uscc, n))) n++;
    try {
      const { user } = await accounts.create(
        { role: 'enterprise', username: oidcUsername(uscc, n), uscc },
        {
          password: randomBytes(32).toString('base64url'),
          within: (_before, after) => {
            // another sign-in or an activation code made the enterprise's account meanwhile: use that one
            if ((db.prepare('SELECT count(*) AS n FROM users WHERE uscc = ?').get(uscc) as { n: number }).n > 1)
              throw new HttpError(409, 'already_activated', { zh: '企业已有账户', en: 'The enterprise already has an account' });
            db.prepare('INSERT OR REPLACE INTO oidc_links(issuer, sub, user_id, created_at, last_used_at) VALUES (?,?,?,?,?)').run(
              issuer,
              sub,
              after.userId,
              now,
              now,
            );
            audit.record({
              actor: { userId: after.userId, name: after.name, role: 'enterprise' },
              action: 'account.activate',
              target: `user:${after.userId}`,
              after: { ...after, via: 'oidc', issuer, sub },
            });
          },
        },
      );
      log.info('oidc: enterprise account created at its first sign-in', { userId: user.userId, uscc, issuer, sub });
      const u = accounts.byId(user.userId);
      if (!u) throw new Error('account vanished');
      return u;
    } catch (err) {
      if (retry && err instanceof HttpError && err.status === 409) return this.account(issuer, sub, claimed, false);
      throw err;
    }
  }
}
