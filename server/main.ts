/** `tsx server/main.ts`: start the server from the environment (server/config.ts), stop cleanly on SIGINT/SIGTERM. */
import './v8-tuning'; // first: before any module allocates
import { configFromEnv } from './config';
import { createLogger } from './log';
import { startServer } from './app';

// files this process creates (DATA_DIR: database, journal, keys) are the owner's only
process.umask(0o077);

const cfg = configFromEnv(process.env);
const log = createLogger(cfg.logLevel);

process.on('uncaughtException', (err) => {
  log.error('uncaught exception', { err });
});
process.on('unhandledRejection', (err) => {
  log.error('unhandled rejection', { err });
});

try {
  const srv = await startServer({ ...cfg, logger: log });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('signal', { signal });
    const force = setTimeout(() => {
      log.error('shutdown timed out');
      process.exit(1);
    }, 10_000);
    force.unref();
    srv.close().then(
      () => process.exit(0),
      (err) => {
        log.error('shutdown failed', { err });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (err) {
  log.error('failed to start', { err });
  process.exit(1);
}
