/**
 * Date-bound behaviour reads the one clock: the server's (server/clock.ts, CLOCK_NOW) and the app's
 * (src/domain/time.ts `now()`, which Playwright's page.clock fixes). A bare `new Date()` anywhere else
 * would ask the machine what day it is, and a test at a fixed moment would not see it.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
/** where reading the machine's clock is the point */
const ALLOWED = new Set([
  'server/clock.ts', // the server's clock itself
  'src/domain/time.ts', // the app's clock itself
  'server/log.ts', // log lines carry the real time
]);
/** a default for unit tests of one module; the server always passes its clock */
const INJECTED_DEFAULT = /\?\? \(\(\) => new Date\(\)\)/;

function files(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return files(rel);
    return /\.(ts|tsx)$/.test(e.name) ? [rel] : [];
  });
}

describe('one clock', () => {
  it("no server or app module reads the machine's date with a bare new Date()", () => {
    const offenders: string[] = [];
    for (const f of [...files('server'), ...files('src')]) {
      if (ALLOWED.has(f)) continue;
      fs.readFileSync(path.join(ROOT, f), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/new Date\(\)/.test(line) && !INJECTED_DEFAULT.test(line) && !/^\s*(\/\/|\*)/.test(line)) offenders.push(`${f}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });
});
