/**
 * `src/domain` and `src/model` are pure (HOUSE.md: the same rules run on the phone and on the server): they import
 * no DOM, no Node built-in, no Yjs provider (network or storage) and no server, client or page code. `src/domain`
 * imports no Yjs at all. Checked on the source text: every import specifier, and the browser and Node globals
 * that would tie a module to one side.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

function files(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return files(rel);
    return /\.(ts|tsx)$/.test(e.name) ? [rel] : [];
  });
}

/** the module specifiers a file imports or re-exports (static and dynamic) */
function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]/g)) out.push(m[1]);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) out.push(m[1]);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]);
  return out;
}

/** the code without comments and string contents (for the globals check) */
const code = (text: string) =>
  text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .replace(/(['"`])(?:\\.|(?!\1)[^\\])*\1/g, "''");

const PACKAGES: Record<'domain' | 'model', RegExp> = {
  // @noble/hashes: synchronous SHA-256 for the draw (pure JS, no I/O; src/domain/draw.ts says why)
  domain: /^(zod|jose|cborg|@noble\/hashes)(\/|$)/,
  model: /^(zod|yjs|jose|cborg)(\/|$)/,
};
/** globals that exist only in a browser or only in Node, used as such (`window.x`, not a task's `.window`) */
const GLOBALS =
  /(?<![.\w$])(window|document|navigator|localStorage|sessionStorage|indexedDB|process|Buffer)\s*\.|(?<![.\w$])(require|fetch)\s*\(|(?<![.\w$])__dirname\b/;

function offenders(layer: 'domain' | 'model'): string[] {
  const dir = `src/${layer}`;
  const out: string[] = [];
  for (const f of files(dir)) {
    const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
    for (const s of specifiers(text)) {
      if (s.startsWith('.')) {
        const target = path.normalize(path.join(path.dirname(f), s));
        const ok = target.startsWith('src/domain') || (layer === 'model' && target.startsWith('src/model'));
        if (!ok) out.push(`${f}: imports ${s} (outside ${layer === 'domain' ? 'src/domain' : 'src/domain and src/model'})`);
      } else if (!PACKAGES[layer].test(s)) {
        out.push(`${f}: imports the package ${s}`);
      }
    }
    const g = GLOBALS.exec(code(text));
    if (g) out.push(`${f}: uses the global ${g[1] ?? g[2] ?? '__dirname'}`);
  }
  return out;
}

describe('purity of the shared core', () => {
  it('src/domain imports only zod, jose, cborg, @noble/hashes and itself, and touches no browser or Node global', () => {
    expect(offenders('domain')).toEqual([]);
  });
  it('src/model imports only yjs, zod, src/domain and itself (no provider, no client, no server), and touches no browser or Node global', () => {
    expect(offenders('model')).toEqual([]);
  });
  it('the check sees an offending import (a self-test on a made-up file)', () => {
    expect(specifiers("import { x } from 'y-websocket';\nimport '../../server/app';\nconst m = await import('node:fs');")).toEqual([
      'y-websocket',
      '../../server/app',
      'node:fs',
    ]);
    expect(GLOBALS.test(code('const a = window.x; // document'))).toBe(true);
    expect(GLOBALS.test(code('const r = await fetch(url);'))).toBe(true);
    expect(GLOBALS.test(code('/* window.x */ const s = "document.y"; const w = task.window.from;'))).toBe(false);
  });
});
