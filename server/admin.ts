/**
 * The administrator's command, `npm run admin -- <command> [options]`: accounts on DATA_DIR (the server's
 * environment variables, server/config.ts), straight on the database. SQLite in WAL mode with a busy
 * timeout, so it is safe beside a running server, which sees the change at its next request (a disabled
 * account or a reset password stops working at once: access tokens carry the token epoch).
 * Exit code 0 on success, 1 when the command is refused, 2 for a usage error.
 * Every change is written to the audit trail with the actor `cli` and the operating-system user who ran it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { configFromEnv } from './config';
import { startClock } from './clock';
import type { DB } from './store/db';
import { openPlatformDb } from './database';
import { RefreshTokens } from './auth/tokens';
import { Accounts, type Within } from './auth/accounts';
import { AuditLog } from './audit/store';
import type { AuditActor } from '../src/protocol/audit';
import { HttpError } from './http/errors';
import { Role } from '../src/domain/schemas';
import { PASSWORD_MIN, type UserSummary } from '../src/protocol/auth';

const HELP = `npm run admin -- <command> [options]     accounts of the platform in DATA_DIR (default ./data)

  create-user --role <inspector|agency|supervisor|enterprise> --username <name>
              [--name <display name>] [--agency <id>] [--inspector <id>] [--uscc <code>]
      a new account with a one-time password (printed), to be changed at the first sign-in:
        supervisor   --agency <a justice bureau>          e.g. the first administrator
        agency       --agency <an enforcement agency>
        inspector    --inspector <inspector record> [--agency <its agency>]
        enterprise   --uscc <a known enterprise's unified social credit code>
      user names: 3-32 characters, lowercase letters, digits, . _ - (starting with a letter or digit)
  reset-password --username <name>   a new one-time password; every session of the account ends
  disable-user --username <name>     the account can no longer sign in; every session ends
  enable-user --username <name>      sign-in works again
  list-users [--role <role>]         accounts with their role, link and state
  help                               this text

New passwords (set by each user at the first sign-in or later) have at least ${PASSWORD_MIN} characters and are not
the user name. The same environment as the server: DATA_DIR, SQLITE_SYNCHRONOUS, CLOCK_NOW.`;

// files this process creates in DATA_DIR are the owner's only
process.umask(0o077);

class UsageError extends Error {}

/** who ran the command, as the operating system knows them */
function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

const Flags = {
  role: { type: 'string' },
  username: { type: 'string' },
  name: { type: 'string' },
  agency: { type: 'string' },
  inspector: { type: 'string' },
  uscc: { type: 'string' },
} as const;

/** each command's options, checked with zod (an option a command does not take is an error) */
const Opt = z.string().max(200, 'an option value has at most 200 characters');
/** an option the command needs: "give --<flag> <what>" when it is missing */
const needed = (flag: string, what: string) => {
  const error = (iss: { input?: unknown }) => (iss.input === undefined || iss.input === '' ? `give --${flag} <${what}>` : undefined);
  return z.string({ error }).min(1, { error }).max(200, 'an option value has at most 200 characters');
};
const RoleOpt = z.enum(Role.options, { error: (iss) => (iss.input === undefined ? `give --role <${Role.options.join('|')}>` : undefined) });
const UsernameOnly = z.object({ username: needed('username', 'name') }).strict();
const Schemas = {
  'create-user': z
    .object({
      role: RoleOpt,
      username: needed('username', 'name'),
      name: Opt.optional(),
      agency: Opt.optional(),
      inspector: Opt.optional(),
      uscc: Opt.optional(),
    })
    .strict(),
  'reset-password': UsernameOnly,
  'disable-user': UsernameOnly,
  'enable-user': UsernameOnly,
  'list-users': z.object({ role: RoleOpt.optional() }).strict(),
  help: z.object({}).strict(),
} as const;
type Command = keyof typeof Schemas;

function parse(argv: string[]): { command: Command; opts: Record<string, string | undefined> } {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') return { command: 'help', opts: {} };
  if (!(command in Schemas)) throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: rest, options: Flags, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const r = Schemas[command as Command].safeParse(values);
  if (!r.success) {
    const i = r.error.issues[0];
    const keys = (i as { keys?: string[] }).keys;
    const what =
      i.code === 'unrecognized_keys' && keys
        ? `${command} does not take ${keys.map((k) => `--${k}`).join(', ')}`
        : `${i.path.length && !i.message.startsWith('give --') ? `--${i.path.join('.')}: ` : ''}${i.message}`;
    throw new UsageError(what);
  }
  return { command: command as Command, opts: r.data as Record<string, string | undefined> };
}

const linkOf = (u: UserSummary) =>
  u.inspectorId ? `inspector ${u.inspectorId} (${u.agencyId})` : u.agencyId ? `agency ${u.agencyId}` : u.uscc ? `uscc ${u.uscc}` : '';
const stateOf = (u: UserSummary) =>
  [u.disabled ? 'disabled' : 'enabled', u.mustChangePassword ? 'one-time password' : '', u.demoPassword ? 'DEMO PASSWORD' : ''].filter(Boolean).join(', ');

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...r[c]].length)));
  return rows
    .map((r) =>
      r
        .map((x, c) => x + ' '.repeat(widths[c] - [...x].length))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function openExisting(dataDir: string, synchronous: 'NORMAL' | 'FULL'): DB {
  if (!fs.existsSync(path.join(dataDir, 'platform.sqlite'))) {
    throw new HttpError(409, 'no_database', {
      zh: `${dataDir} 中没有数据库：请先启动一次服务器（npm start）`,
      en: `There is no database in ${dataDir}: start the server once first (npm start, or NODE_ENV=production npm start for a real installation) so that it creates the reference data`,
    });
  }
  return openPlatformDb(dataDir, synchronous);
}

async function run(argv: string[], out: (s: string) => void): Promise<void> {
  const { command, opts } = parse(argv);
  if (command === 'help') {
    out(HELP);
    return;
  }
  const cfg = configFromEnv(process.env);
  const db = openExisting(cfg.dataDir, cfg.sqliteSynchronous);
  try {
    const clock = startClock(cfg.clockNow);
    const accounts = new Accounts({ db, refresh: new RefreshTokens(db, cfg.refreshTtlSeconds), now: clock.ms });
    const audit = new AuditLog(db, clock.ms);
    const actor: AuditActor = { userId: 'cli', name: `npm run admin (${osUser()})`, role: 'cli' };
    /** the audit entry of a change, written in its transaction (account summaries only: never a password) */
    const audited =
      (action: string): Within =>
      (before, after) =>
        audit.record({
          actor,
          action,
          target: `user:${after.userId}`,
          agencyId: after.agencyId ?? before?.agencyId ?? null,
          before: before ?? undefined,
          after,
        });
    const username = opts.username ?? '';
    switch (command) {
      case 'create-user': {
        const { user, oneTimePassword } = await accounts.create(
          {
            role: opts.role,
            username: opts.username,
            name: opts.name,
            agencyId: opts.agency,
            inspectorId: opts.inspector,
            uscc: opts.uscc,
          },
          { within: audited('account.create') },
        );
        out(`created ${user.role} account ${user.username}: ${user.name}, ${linkOf(user)}`);
        out(`one-time password: ${oneTimePassword}`);
        out('The user signs in with it and must then choose a new password. Hand it over privately; it is not shown again.');
        return;
      }
      case 'reset-password': {
        const { user, oneTimePassword } = await accounts.resetPassword(username, audited('account.reset'));
        out(`new one-time password for ${user.username}: ${oneTimePassword}`);
        out('Every session of this account has ended; the user must choose a new password at the next sign-in.');
        return;
      }
      case 'disable-user':
      case 'enable-user': {
        const disable = command === 'disable-user';
        const user = accounts.setDisabled(username, disable, audited(disable ? 'account.disable' : 'account.enable'));
        out(
          user.disabled
            ? `disabled ${user.username}: it can no longer sign in, and every session of it has ended`
            : `enabled ${user.username}: it can sign in again`,
        );
        return;
      }
      case 'list-users': {
        const users = accounts.list(opts.role as Role | undefined);
        if (!users.length) {
          out(opts.role ? `no ${opts.role} accounts` : 'no accounts yet: create the first administrator with create-user --role supervisor');
          return;
        }
        out(table([['username', 'role', 'name', 'link', 'state'], ...users.map((u) => [u.username, u.role, u.name, linkOf(u), stateOf(u)])]));
        out(`${users.length} account(s)`);
        return;
      }
    }
  } finally {
    db.close();
  }
}

try {
  await run(process.argv.slice(2), (s) => process.stdout.write(s + '\n'));
} catch (e) {
  if (e instanceof UsageError) {
    process.stderr.write(`error: ${e.message}\nRun \`npm run admin -- help\` for the commands and their options.\n`);
    process.exitCode = 2;
  } else if (e instanceof HttpError) {
    process.stderr.write(`error: ${e.text.en}\n错误：${e.text.zh}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
