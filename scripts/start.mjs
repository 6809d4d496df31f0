#!/usr/bin/env node
// `npm start`: build the PWA if dist/index.html is missing (warn and go on if the build fails), bundle the
// server (scripts/build-server.mjs, always: it takes under a second, so the bundle is never stale), then run
// it (`node --enable-source-maps dist-server/main.mjs`) with the inherited environment, forwarding
// SIGINT/SIGTERM so that it shuts down gracefully (persists, closes the database).
// `npm run server` runs the TypeScript directly (tsx) for development.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const staticDir = path.resolve(root, process.env.STATIC_DIR || 'dist');
const log = (level, msg, extra = {}) => process.stdout.write(JSON.stringify({ t: new Date().toISOString(), level, msg, ...extra }) + '\n');

// the first line says which product this is: the demo, or a real installation
if (process.env.NODE_ENV === 'production') log('info', 'production mode: no demo data, no demo accounts', { mode: 'production' });
else
  log(
    'info',
    'demo mode: an empty DATA_DIR gets the demo city and its published demo accounts (password demo1234); NODE_ENV=production for a real installation',
    { mode: 'demo' },
  );

if (!existsSync(path.join(staticDir, 'index.html'))) {
  log('info', 'building the app (vite build)', { staticDir });
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status !== 0) log('warn', 'vite build failed: starting the server anyway (the app page will say how to build)', { status: r.status });
}

let bundle;
try {
  const { buildServer } = await import('./build-server.mjs');
  bundle = await buildServer();
} catch (err) {
  // esbuild prints the file and line of a compile error above this
  log('error', 'could not bundle the server (scripts/build-server.mjs); `npm run server` runs it unbundled', {
    err: String(err?.message ?? err).slice(0, 2000),
  });
  process.exit(1);
}
const child = spawn(process.execPath, ['--enable-source-maps', bundle], { cwd: root, stdio: 'inherit', env: process.env });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (child.exitCode === null) child.kill(sig === 'SIGHUP' ? 'SIGTERM' : sig);
  });
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 1) : 1)));
