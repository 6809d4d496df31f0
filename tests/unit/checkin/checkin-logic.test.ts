/** Check-in logic (src/pages/inspector/checkin-logic.ts): scan verification for a task, signed records, notice text. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { exportJWK, generateKeyPair, calculateJwkThumbprint, type JWK } from 'jose';
import { signCode, codeUrl } from '../../../src/domain/codes';
import { generateDeviceKey, verifySignedRecord } from '../../../src/domain/record-signing';
import { usccCheckChar } from '../../../src/domain/uscc';
import { readLedger } from '../../../src/model';
import type { Task } from '../../../src/domain/schemas';
import { appendEntry, appendResult, checkScan, noticeText } from '../../../src/pages/inspector/checkin-logic';

const U17 = '91140302MA0K1A2B3';
const USCC = U17 + usccCheckChar(U17);
const O17 = '91140302MA0K1A2B4';
const OTHER = O17 + usccCheckChar(O17);

async function platformKey(): Promise<{ priv: CryptoKey; jwk: JWK; kid: string }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { priv: privateKey as CryptoKey, jwk: { ...jwk, kid }, kid };
}

const task: Task = {
  id: 'city-market.t2026-001',
  agencyId: 'city-market',
  year: 2026,
  uscc: USCC,
  enterpriseName: '晋味轩',
  itemIds: ['city-market.SJ-01'],
  window: { from: '2026-11-25', to: '2026-11-25' },
  inspectorIds: ['i-1', 'i-2'],
  kind: { type: 'planned', planned: 'special' },
  method: 'onsite',
  status: 'assigned',
  createdAt: '2026-11-01T09:00:00+08:00',
};
const team = [
  { inspectorId: 'i-1', name: '阎晨刚', certificateNumber: 'SX-1', certificateValid: true },
  { inspectorId: 'i-2', name: '程燕丹', certificateNumber: 'SX-2', certificateValid: true },
];

describe('checkScan', () => {
  it('accepts the task enterprise’s code (bare or URL form) and refuses forged, altered, wrong-enterprise and check codes', async () => {
    const k = await platformKey();
    const jwks = { keys: [k.jwk] };
    const ent = { t: 'ent' as const, uscc: USCC, name: '晋味轩', division: '140302', iat: 1 };
    const good = await signCode(ent, k.priv, k.kid);
    expect(await checkScan(good, jwks, task)).toMatchObject({ ok: true, token: good, name: '晋味轩' });
    expect(await checkScan(codeUrl('http://127.0.0.1:8080', good), jwks, task)).toMatchObject({ ok: true });

    const f = await platformKey();
    const forged = await signCode(ent, f.priv, k.kid); // claims the platform kid
    expect(await checkScan(forged, jwks, task)).toMatchObject({ ok: false });
    const unknown = await signCode(ent, f.priv, f.kid);
    const u = await checkScan(unknown, jwks, task);
    expect(u.ok).toBe(false);
    if (!u.ok) expect(u.message.zh).toContain('未知');

    const [h, , s] = good.split('.');
    const altered = `${h}.${Buffer.from(JSON.stringify({ t: 'ent', u: USCC, n: '别家', d: '140302', iat: 1 })).toString('base64url')}.${s}`;
    expect(await checkScan(altered, jwks, task)).toMatchObject({ ok: false });

    const other = await signCode({ ...ent, uscc: OTHER, name: '别家公司' }, k.priv, k.kid);
    const w = await checkScan(other, jwks, task);
    expect(w.ok).toBe(false);
    if (!w.ok) expect(w.message.zh).toContain('别家公司');

    const chk = await signCode(
      { t: 'chk', taskId: task.id, agencyId: 'city-market', uscc: USCC, inspectors: [{ id: 'i-1', name: 'a', cert: 'SX-1' }], window: task.window, iat: 1 },
      k.priv,
      k.kid,
    );
    expect(await checkScan(chk, jwks, task)).toMatchObject({ ok: false });
  });
});

describe('entry and result records', () => {
  it('appends device-signed entry and result records to the ledger', async () => {
    const doc = new Y.Doc();
    const key = await generateDeviceKey();
    const entry = await appendEntry(doc, { task, by: 'u-inspector1', team, exemptions: [], token: 'a.b.c', key, device: 'test' });
    expect(entry).toMatchObject({ type: 'entry', via: 'scan', taskId: task.id, conductAcknowledged: true, code: 'a.b.c', uscc: USCC });
    const notice = noticeText(
      {
        agencyName: '市场监管局',
        enterpriseName: '晋味轩',
        date: '2026-11-25',
        team,
        items: ['SJ-01'],
        findings: [{ item: 'SJ-01', description: '健康证未公示' }],
        outcome: 'rectify',
        rectifyBy: '2026-12-10',
        hotline: '12345',
      },
      'zh',
    );
    expect(notice).toContain('健康证未公示');
    expect(notice).toContain('2026-12-10');
    expect(notice).toContain('12345');
    const res = await appendResult(doc, {
      entry,
      by: 'u-inspector1',
      key,
      checklist: [{ itemId: 'city-market.SJ-01', ok: false, note: '' }],
      findings: [{ itemId: 'city-market.SJ-01', description: '健康证未公示', suggestion: 'first_offence_exempt' }],
      outcome: 'rectify',
      rectifyBy: '2026-12-10',
      notice,
    });
    expect(res).toMatchObject({ type: 'result', entryId: entry.id, rectifyBy: '2026-12-10' });
    const stored = readLedger(doc, { uscc: USCC });
    expect(stored.items).toHaveLength(2);
    for (const s of stored.items) expect(await verifySignedRecord(s, key.publicJwk)).toBe(true);
  });

  it('writes an English notice with no findings', () => {
    const n = noticeText(
      { agencyName: 'Market', enterpriseName: 'X', date: '2026-11-25', team, items: ['A'], findings: [], outcome: 'no_problem', hotline: '12345' },
      'en',
    );
    expect(n).toContain('No problem was found');
  });
});
