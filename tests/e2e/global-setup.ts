/**
 * Builds the app when the build is missing or older than the sources, then starts the real server
 * (child process, random port, temp data dir) serving ./dist. Tests read its URL from E2E_BASE_URL
 * (fixtures.ts); specs that stop the server start their own (fixtures.ts `ownServer`).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { spawnServer, ROOT } from '../helpers/spawn-server';

function newestMtime(dir: string): number {
  let m = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    m = Math.max(m, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return m;
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  // E2E_DIST lets parallel runs (several worktrees or helpers) build into their own folder
  const dist = process.env.E2E_DIST ? path.resolve(process.env.E2E_DIST) : path.join(ROOT, 'dist');
  process.env.E2E_DIST = dist;
  const index = path.join(dist, 'index.html');
  const sources = Math.max(
    newestMtime(path.join(ROOT, 'src')),
    newestMtime(path.join(ROOT, 'public')),
    fs.statSync(path.join(ROOT, 'vite.config.ts')).mtimeMs,
    fs.statSync(path.join(ROOT, 'index.html')).mtimeMs,
  );
  if (!fs.existsSync(index) || fs.statSync(index).mtimeMs < sources) {
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', dist, '--emptyOutDir'], { cwd: ROOT, stdio: 'inherit' });
  }
  fs.mkdirSync(path.join(ROOT, 'test-results', 'screenshots'), { recursive: true });
  const srv = await spawnServer({ env: { STATIC_DIR: dist, LOGIN_MAX_FAILS_IP: '1000' } });
  process.env.E2E_BASE_URL = srv.url;
  return async () => {
    await srv.stop();
  };
}
