/**
 * The accounts at start, after the seed. A real installation (NODE_ENV=production) refuses to start while
 * any enabled account signs in with the published demo password: anyone who has read the README would get
 * in. And when no enabled supervisor exists, one log line says how to create the first administrator.
 *
 * Checking costs one scrypt per account (~60 ms), so it is done once per account and kept in
 * users.demo_password (1 = the demo password, 0 = not, NULL = not known yet): every password set by
 * server/auth/accounts.ts stores 0, the demo seed stores 1, and only NULL rows (accounts of a database made
 * before the column existed) are verified here, once. In demo mode the same once-only check keeps the
 * sign-in page's list of demo accounts right for such older databases.
 */
import type { DB } from '../store/db';
import type { Logger } from '../log';
import { verifyPassword } from './passwords';
import { DEMO_PASSWORD } from '../seed/constants';

/** how many demo accounts the refusal names before "and N more" */
const NAMED = 12;

/** the start is refused: the message says why and what to do */
export class StartRefused extends Error {
  override readonly name = 'StartRefused';
}

export async function checkAccountsAtStart(db: DB, mode: 'demo' | 'production', log: Logger): Promise<void> {
  await resolveUnknownDemoPasswords(db, log);

  if (mode === 'production') {
    const demo = (db.prepare('SELECT username FROM users WHERE demo_password = 1 AND disabled = 0 ORDER BY username').all() as { username: string }[]).map(
      (r) => r.username,
    );
    if (demo.length) {
      const names = demo.slice(0, NAMED).join(', ') + (demo.length > NAMED ? ` and ${demo.length - NAMED} more` : '');
      const msg =
        `refusing to start in production: ${demo.length} enabled account(s) sign in with the published demo password ${DEMO_PASSWORD}: ${names}. ` +
        'This DATA_DIR holds demo accounts: start production on an empty DATA_DIR, or give each a new password ' +
        '(npm run admin -- reset-password --username <name>) or disable it (npm run admin -- disable-user --username <name>)';
      log.error(msg, { accounts: demo.slice(0, 100) });
      throw new StartRefused(msg);
    }
  }

  const supervisor = db.prepare("SELECT 1 FROM users WHERE role = 'supervisor' AND disabled = 0 LIMIT 1").get();
  if (!supervisor) {
    const justice = db.prepare("SELECT id FROM agencies WHERE kind = 'justice' AND level = 'city' ORDER BY id LIMIT 1").get() as { id: string } | undefined;
    const agency = justice?.id ?? '<justice-bureau-id>';
    log.warn(
      `no administrator yet: create the first one with \`npm run admin -- create-user --role supervisor --agency ${agency} --username <name>\`; it prints a one-time password to change at the first sign-in`,
    );
  }
}

/** verify the enabled accounts whose demo_password is NULL against the demo password, once, and keep the answer */
async function resolveUnknownDemoPasswords(db: DB, log: Logger): Promise<void> {
  const rows = db.prepare('SELECT id, password_hash AS hash FROM users WHERE demo_password IS NULL AND disabled = 0').all() as { id: string; hash: string }[];
  if (!rows.length) return;
  const t0 = Date.now();
  const set = db.prepare('UPDATE users SET demo_password = ? WHERE id = ? AND password_hash = ?');
  const queue = rows.slice();
  // four at a time on the libuv pool (its default size)
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let r = queue.shift(); r; r = queue.shift()) {
        const demo = await verifyPassword(DEMO_PASSWORD, r.hash);
        // a password changed meanwhile (the admin command) has already stored its own answer
        set.run(demo ? 1 : 0, r.id, r.hash);
      }
    }),
  );
  log.info('checked accounts for the demo password (once per account)', { accounts: rows.length, ms: Date.now() - t0 });
}
