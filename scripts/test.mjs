#!/usr/bin/env node
// `npm test`: type check and lint, unit + integration (vitest), then build and end-to-end (Playwright on Debian Chromium).
// Finds Chromium, installs the Debian package when running as root, or stops with a one-line instruction.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const run = (cmd, args, env = {}) => {
  console.log(`\n▶ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
};

function ensureChromium() {
  if (existsSync(CHROMIUM)) return true;
  if (process.getuid?.() === 0) {
    console.log('Chromium not found: installing the Debian package `chromium`…');
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'chromium', 'fonts-noto-cjk'], { DEBIAN_FRONTEND: 'noninteractive' });
    if (existsSync(CHROMIUM)) return true;
  }
  console.error(`Chromium is missing: run \`sudo apt-get install -y chromium\` (or set CHROMIUM_PATH), then npm test again.`);
  return false;
}

const only = process.argv[2]; // optional: check | unit | e2e
let failed = 0;
// the habits first, in seconds: types (tsc), then Biome: the formatting (run `npm run format` to fix it) and the
// linter (errors fail, warnings are shown)
if (!only || only === 'check') {
  failed += run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']) ? 1 : 0;
  failed += run('npx', ['biome', 'ci', '--max-diagnostics=20']) ? 1 : 0;
}
if (!only || only === 'unit') failed += run('npx', ['vitest', 'run']) ? 1 : 0;
if (!only || only === 'e2e') {
  if (!ensureChromium()) process.exit(1);
  // the PWA and the server bundle, as `npm start` runs them; the end-to-end suites use both
  failed += run('npx', ['vite', 'build', '--logLevel', 'warn']) ? 1 : 0;
  failed += run('node', ['scripts/build-server.mjs']) ? 1 : 0;
  const e2eEnv = { CHROMIUM_PATH: CHROMIUM, SERVER_BUNDLE: '1' };
  if (!failed) failed += run('npx', ['playwright', 'test'], e2eEnv) ? 1 : 0;
  // the camera scanner in Chromium with fake video capture (its own harness page)
  failed += run('npx', ['playwright', 'test', '-c', 'tests/e2e-scan'], e2eEnv) ? 1 : 0;
}
process.exit(failed ? 1 : 0);
