/**
 * Sessions of accounts changed by another process end within seconds: `npm run admin -- disable-user` or
 * `reset-password` write the database directly, and raise the account's token epoch. HTTP requests see the
 * new epoch at once (TokenService.verify); open sockets were checked when they opened, so every
 * `intervalMs` the server compares each account's epoch and disabled flag with what it saw last and ends
 * the sync sessions of every account that changed. A cheap aggregate first: the table is read whole only
 * when something changed.
 */
import type { DB } from '../store/db';
import type { Logger } from '../log';

type Row = { id: string; epoch: number; disabled: number };

export function watchAccounts(db: DB, sessions: { endSessionsOf(userId: string): number }, log: Logger, intervalMs = 2000): { stop(): void } {
  const qSum = db.prepare('SELECT count(*) AS n, total(token_epoch) AS e, total(disabled) AS d FROM users');
  const qAll = db.prepare('SELECT id, token_epoch AS epoch, disabled FROM users');
  const sig = () => {
    const r = qSum.get() as { n: number; e: number; d: number };
    return `${r.n}/${r.e}/${r.d}`;
  };
  const snapshot = () => new Map((qAll.all() as Row[]).map((r) => [r.id, r]));
  let last = sig();
  let seen = snapshot();
  const timer = setInterval(() => {
    try {
      if (!db.open) {
        clearInterval(timer);
        return;
      }
      const now = sig();
      if (now === last) return;
      last = now;
      const next = snapshot();
      for (const [id, r] of next) {
        const before = seen.get(id);
        if (before && (before.epoch !== r.epoch || (r.disabled === 1 && before.disabled !== 1))) {
          const ended = sessions.endSessionsOf(id);
          if (ended) log.info('account changed: its sync sessions ended', { userId: id, socketsClosed: ended });
        }
      }
      seen = next;
    } catch (err) {
      log.warn('account watch failed', { err });
    }
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
