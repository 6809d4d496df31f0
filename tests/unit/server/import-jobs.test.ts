/**
 * The import machinery with a small importer of its own (what a certificate importer plugs into): header aliases
 * in any case, a required column, the dry run's counts and sorted invalid rows, apply with the prepared audit
 * entry, one running job per user, owner-only reads, an importer that throws at apply (the job fails, applied false).
 */
import { describe, expect, it } from 'vitest';
import { ImportService } from '../../../server/imports/service';
import { ImportRegistry, type Importer } from '../../../server/imports/types';
import type { AuditInput } from '../../../server/audit/store';
import { createLogger } from '../../../server/log';
import type { Principal } from '../../../src/domain/schemas';

const alice = { userId: 'u-alice', name: '甲', role: 'supervisor' } as Principal;
const bob = { userId: 'u-bob', name: '乙', role: 'supervisor' } as Principal;
const carol = { userId: 'u-carol', name: '丙', role: 'agency', agencyId: 'a1' } as Principal;

function setup(failApply = false) {
  const store = new Map<string, string>([['K1', 'old']]);
  const audits: AuditInput[] = [];
  const importer: Importer<{ key: string; value: string }> = {
    kind: 'things',
    mayRun: (p) => p.role === 'supervisor',
    headers: { 编号: 'key', Key: 'key', 内容: 'value', value: 'value' },
    required: ['key'],
    async plan(rows, _present, progress) {
      progress(rows.length, rows.length);
      const out: Awaited<ReturnType<Importer<{ key: string; value: string }>['plan']>> = { rows: [], invalid: [] };
      for (const r of [...rows].reverse()) {
        const key = r.fields.key ?? '';
        if (!/^K\d+$/.test(key)) {
          out.invalid.push({ line: r.line, column: 'key', reason: { zh: '编号错误', en: 'bad key' } });
          continue;
        }
        const value = r.fields.value ?? '';
        const status = !store.has(key) ? 'new' : store.get(key) === value ? 'unchanged' : 'changed';
        out.rows.push({ line: r.line, status, key, value: { key, value } });
      }
      return out;
    },
    apply(plan, ctx) {
      if (failApply) throw new Error('disk full');
      for (const r of plan.rows) store.set(r.key, r.value.value);
      audits.push(ctx.audit);
    },
  };
  const importers = new ImportRegistry();
  importers.register(importer);
  const svc = new ImportService({ importers, now: () => 0, log: createLogger('silent') });
  return { svc, store, audits };
}

const settle = async (svc: ImportService, id: string, p: Principal) => {
  for (let i = 0; i < 200; i++) {
    const j = svc.view(id, p);
    if (j.phase === 'done' || j.phase === 'failed') return j;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('not settled');
};
const file = Buffer.from(' KEY ,内容（备注）\nK1,old\nK2,new\nbad,x\nK1x,y\n');

describe('the generic import machinery', () => {
  it('dry run, then apply with the audit entry the machinery prepared', async () => {
    const { svc, store, audits } = setup();
    const j = svc.start('things', alice, file, 'things.csv', true);
    const dry = await settle(svc, j.id, alice);
    expect(dry.result).toEqual({
      new: 1,
      changed: 0,
      unchanged: 1,
      invalid: 2,
      invalidRows: [
        { line: 4, column: 'key', reason: { zh: '编号错误', en: 'bad key' } },
        { line: 5, column: 'key', reason: { zh: '编号错误', en: 'bad key' } },
      ],
    });
    expect(store.has('K2')).toBe(false);
    svc.apply(j.id, alice);
    const done = await settle(svc, j.id, alice);
    expect(done).toMatchObject({ phase: 'done', applied: true });
    expect(store.get('K2')).toBe('new');
    expect(audits).toEqual([
      {
        actor: { userId: 'u-alice', name: '甲', role: 'supervisor' },
        action: 'import.things',
        target: `import:${j.id}`,
        agencyId: undefined,
        after: expect.objectContaining({ file: 'things.csv', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), new: 1, invalid: 2 }),
      },
    ]);
    expect(() => svc.apply(j.id, alice)).toThrow(/already/);
  });

  it('rights: the importer decides who runs it; only the owner reads a job; one running job per user', async () => {
    const { svc } = setup();
    expect(() => svc.start('things', carol, file, 'x.csv', true)).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => svc.start('nothing', alice, file, 'x.csv', true)).toThrow(expect.objectContaining({ status: 404 }));
    const j = svc.start('things', alice, file, 'x.csv', true);
    expect(() => svc.start('things', alice, file, 'x.csv', true)).toThrow(expect.objectContaining({ status: 409, code: 'import_running' }));
    expect(() => svc.view(j.id, bob)).toThrow(expect.objectContaining({ status: 404 }));
    await settle(svc, j.id, alice);
  });

  it('a file without the required column, and an importer that throws at apply, fail the job', async () => {
    const { svc, store } = setup(true);
    const nocol = svc.start('things', alice, Buffer.from('内容\nx\n'), 'x.csv', true);
    expect(await settle(svc, nocol.id, alice)).toMatchObject({ phase: 'failed', error: { code: 'missing_column' } });
    const j = svc.start('things', alice, file, 'x.csv', false);
    expect(await settle(svc, j.id, alice)).toMatchObject({ phase: 'failed', applied: false, error: { code: 'import_failed' } });
    expect(store.has('K2')).toBe(false);
  });
});
