/**
 * Folder boundaries of the app, checked on the source text (every static, re-exported and dynamic import):
 * - a role folder of src/pages never imports another role's folder: what two roles share lives in src/ui,
 *   src/pages/stores or src/model (HOUSE.md);
 * - the first screen (the sign-in page and what index.html loads) reaches no Yjs, no device-key crypto (jose,
 *   cborg, trust.ts) and no DocPool through static imports: signed-in pages load them on demand. This is what
 *   keeps the first screen small (bench:client).
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const ROLES = ['agency', 'inspector', 'enterprise', 'supervisor', 'public', 'login', 'account'];

function files(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return files(rel);
    return /\.(ts|tsx)$/.test(e.name) ? [rel] : [];
  });
}

/** the module specifiers a file imports or re-exports; `dynamic` adds `import('…')` */
function specifiers(text: string, dynamic = true): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]/g)) {
    // a type-only import is erased: it loads nothing
    if (!/^\s*(?:import|export)\s+type\s/.test(m[0].trimStart())) out.push(m[1]);
  }
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) out.push(m[1]);
  if (dynamic) for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]);
  return out;
}

/** a relative specifier as a repository path without extension */
const resolve = (from: string, spec: string) => path.normalize(path.join(path.dirname(from), spec)).replace(/\.(tsx?|js)$/, '');

/** the source file of a repository path without extension, or null (a package or an asset) */
function sourceOf(p: string): string | null {
  for (const ext of ['.ts', '.tsx', '/index.ts', '/index.tsx']) if (fs.existsSync(path.join(ROOT, p + ext))) return p + ext;
  return null;
}

/** the files of the role folders, as repository paths */
function roleFiles(): string[] {
  return ROLES.flatMap((role) => (fs.existsSync(path.join(ROOT, 'src/pages', role)) ? files(path.join('src/pages', role)) : [])).map((f) =>
    f.split(path.sep).join('/'),
  );
}

/** imports from one role folder into another: "file → specifier" */
function crossRoleImports(list = roleFiles(), read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8')): string[] {
  const out: string[] = [];
  for (const f of list) {
    const role = f.split('/')[2];
    for (const spec of specifiers(read(f))) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(f, spec).split(path.sep).join('/');
      const m = /^src\/pages\/([^/]+)\//.exec(target + '/');
      if (m && ROLES.includes(m[1]) && m[1] !== role) out.push(`${f} → ${spec}`);
    }
  }
  return out;
}

/** every module the entry reaches through static imports (type-only imports excluded), and the packages named */
function staticClosure(entries: string[]): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const todo = [...entries];
  while (todo.length) {
    const f = todo.pop()!;
    if (modules.has(f)) continue;
    modules.add(f);
    for (const spec of specifiers(fs.readFileSync(path.join(ROOT, f), 'utf8'), false)) {
      if (!spec.startsWith('.')) {
        packages.add(
          spec
            .split('/')
            .slice(0, spec.startsWith('@') ? 2 : 1)
            .join('/'),
        );
        continue;
      }
      const src = sourceOf(resolve(f, spec));
      if (src) todo.push(src.split(path.sep).join('/'));
    }
  }
  return { modules, packages };
}

describe('folder boundaries', () => {
  it('no role folder of src/pages imports another role folder', () => {
    expect(crossRoleImports()).toEqual([]);
  });

  it('the check sees a cross-role import, static or dynamic, and lets shared folders through', () => {
    const probe: Record<string, string> = {
      'src/pages/public/Probe.tsx': "import { x } from '../agency/AgencyHome';\nimport { y } from '../../ui/errors';\n",
      'src/pages/inspector/checkin/Probe.tsx':
        "const z = () => import('../../enterprise/EnterpriseHome');\nimport { s } from '../../stores/ids';\nimport { c } from '../checkin-logic';\n",
    };
    expect(crossRoleImports(Object.keys(probe), (f) => probe[f])).toEqual([
      'src/pages/public/Probe.tsx → ../agency/AgencyHome',
      'src/pages/inspector/checkin/Probe.tsx → ../../enterprise/EnterpriseHome',
    ]);
  });

  it('the first screen (main.tsx, the sign-in page) statically reaches no Yjs, no DocPool and no device-key crypto', () => {
    const { modules, packages } = staticClosure(['src/main.tsx', 'src/pages/login/LoginPage.tsx']);
    const heavy = [...packages].filter((p) => /^(yjs|y-websocket|y-indexeddb|y-protocols|lib0|jose|cborg)$/.test(p));
    const local = [...modules].filter((m) => /^src\/(client\/(docpool|app-state|trust|api)|domain\/(codes|record-signing|cose-code))\.tsx?$/.test(m));
    expect({ heavy, local }).toEqual({ heavy: [], local: [] });
  });

  it('the first screen statically reaches neither chart.js nor fflate (the statistics pages load them on demand)', () => {
    const { packages } = staticClosure(['src/main.tsx', 'src/pages/login/LoginPage.tsx']);
    expect([...packages].filter((p) => /^(chart\.js|fflate)$/.test(p))).toEqual([]);
  });

  it('chart.js and fflate are imported only by the chart module and the XLSX writer, which the pages reach by import() and new Worker()', () => {
    const importers = (re: RegExp) =>
      files('src').flatMap((f) => {
        const rel = f.split(path.sep).join('/');
        const specs = specifiers(fs.readFileSync(path.join(ROOT, f), 'utf8'), false);
        return specs.some((s) => re.test(s)) ? [rel] : [];
      });
    expect(importers(/^(chart\.js|fflate)(\/|$)/).sort()).toEqual(['src/pages/stats/chart-lib.ts', 'src/pages/stats/xlsx-stream.ts']);
    // the streaming XLSX writer runs in the XLSX worker only
    expect(importers(/(^|\/)xlsx-stream(\.ts)?$/)).toEqual(['src/pages/stats/xlsx-worker.ts']);
    // the statistics page reaches neither statically: the chart module by a dynamic import only
    const { modules, packages } = staticClosure(['src/pages/stats/StatsPage.tsx', 'src/pages/stats/ReportPage.tsx']);
    expect([...packages].filter((p) => /^(chart\.js|fflate)$/.test(p))).toEqual([]);
    expect([...modules].filter((m) => /xlsx-(stream|worker)\.ts$/.test(m))).toEqual([]);
  });

  it('the first screen statically reaches neither pdf-lib, fontkit nor signature_pad (the documents card loads them on demand)', () => {
    const { packages } = staticClosure(['src/main.tsx', 'src/pages/login/LoginPage.tsx']);
    expect([...packages].filter((p) => /^(@cantoo\/pdf-lib|@cantoo\/fontkit|pdf-lib|fontkit|signature_pad)$/.test(p))).toEqual([]);
  });

  it('pdf-lib and fontkit are imported only by src/docs/pdf.ts, signature_pad only by the signature pad; pages reach the PDF module by import() only', () => {
    const importers = (re: RegExp, dynamic = false) =>
      files('src').flatMap((f) => {
        const rel = f.split(path.sep).join('/');
        return specifiers(fs.readFileSync(path.join(ROOT, f), 'utf8'), dynamic).some((s) => re.test(s)) ? [rel] : [];
      });
    expect(importers(/^(@cantoo\/pdf-lib|@cantoo\/fontkit|pdf-lib|fontkit)(\/|$)/)).toEqual(['src/docs/pdf.ts']);
    expect(importers(/^signature_pad(\/|$)/)).toEqual(['src/ui/SignaturePad.tsx']);
    // nothing imports the PDF module statically (the documents card uses import())
    expect(importers(/(^|\/)docs\/pdf(\.ts)?$/)).toEqual([]);
    // the signature pad is reached by no page that the router loads eagerly: only from the check-in's documents card
    const { modules } = staticClosure(['src/main.tsx', 'src/pages/login/LoginPage.tsx']);
    expect([...modules].filter((m) => /(^src\/docs\/|SignaturePad\.tsx$)/.test(m))).toEqual([]);
  });

  it('pages never name a Yjs root: they read documents through src/model views (useView) only', () => {
    const named = files('src/pages').flatMap((f) =>
      fs
        .readFileSync(path.join(ROOT, f), 'utf8')
        .split('\n')
        .flatMap((line, i) => (/\.(getMap|getArray|getText|getXmlFragment)\(|\.share\b/.test(line) && !/^\s*(\/\/|\*)/.test(line) ? [`${f}:${i + 1}`] : [])),
    );
    expect(named).toEqual([]);
  });
});
