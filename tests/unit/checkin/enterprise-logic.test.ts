/** The enterprise's side (src/pages/enterprise/enterprise-logic.ts): check codes, years, quiet period, feedback. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ZodError } from 'zod';
import { exportJWK, generateKeyPair, calculateJwkThumbprint } from 'jose';
import { signCode, codeUrl } from '../../../src/domain/codes';
import { usccCheckChar } from '../../../src/domain/uscc';
import { defaultPolicy } from '../../../src/domain/policy-defaults';
import { readFeedback } from '../../../src/model';
import {
  checkCheckCode,
  complain,
  complaintsOf,
  dayRuns,
  defaultYear,
  ledgerYears,
  quietStatus,
  rate,
  ratingOf,
} from '../../../src/pages/enterprise/enterprise-logic';

const U17 = '91140371MA0K8QW3P';
const USCC = U17 + usccCheckChar(U17);
const O17 = '91140302MA0K1A2B3';
const OTHER = O17 + usccCheckChar(O17);

describe('checkCheckCode', () => {
  it("accepts a check code about us; refuses an enterprise code, another enterprise's check code and a forged one", async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    const jwks = { keys: [{ ...jwk, kid }] };
    const chk = (uscc: string) => ({
      t: 'chk' as const,
      taskId: 'city-market.t2026-001',
      agencyId: 'city-market',
      uscc,
      inspectors: [{ id: 'i-1', name: '阎晨刚', cert: 'SX-1' }],
      window: { from: '2026-11-25', to: '2026-11-25' },
      iat: 1,
    });
    const good = await signCode(chk(USCC), privateKey, kid);
    const r = await checkCheckCode(codeUrl('https://insp.yq.gov.cn', good), jwks, USCC);
    expect(r).toMatchObject({ ok: true, token: good, payload: { taskId: 'city-market.t2026-001', agencyId: 'city-market' } });

    const ent = await signCode({ t: 'ent', uscc: USCC, name: '康源', division: '140371', iat: 1 }, privateKey, kid);
    const e = await checkCheckCode(ent, jwks, USCC);
    expect(e.ok).toBe(false);
    if (!e.ok) expect(e.message.zh).toContain('不是检查码');

    const other = await checkCheckCode(await signCode(chk(OTHER), privateKey, kid), jwks, USCC);
    expect(other.ok).toBe(false);
    if (!other.ok) expect(other.message.zh).toContain('其他企业');

    const f = await generateKeyPair('ES256');
    const forged = await checkCheckCode(await signCode(chk(USCC), f.privateKey, kid), jwks, USCC);
    expect(forged.ok).toBe(false);
  });
});

describe('years of the ledger', () => {
  const rec = (type: 'entry' | 'ack', at: string) => ({ type, at });
  it('lists the years with entries (newest first, this year included) and starts at the newest', () => {
    const rs = [rec('entry', '2024-05-01T02:00:00Z'), rec('entry', '2026-06-24T02:00:00Z'), rec('ack', '2027-01-01T02:00:00Z')];
    expect(ledgerYears(rs, 2025)).toEqual([2026, 2025, 2024]);
    expect(defaultYear(rs, 2025)).toBe(2026);
    expect(defaultYear([], 2025)).toBe(2025);
    // the year is Shanghai's: 31 Dec 17:00 UTC is already 1 Jan there
    expect(defaultYear([rec('entry', '2026-12-31T17:00:00Z')], 2026)).toBe(2027);
  });
});

describe('quiet period', () => {
  const policy = defaultPolicy();
  it('says whether the enterprise is covered and whether today is quiet (Shanghai date)', () => {
    expect(quietStatus({ quietZone: false }, policy, new Date('2026-11-05T02:00:00Z'))).toEqual({ covered: false });
    const q = quietStatus({ quietZone: true }, policy, new Date('2026-11-05T02:00:00Z'));
    expect(q).toMatchObject({ covered: true, enabled: true, quietToday: true, today: '2026-11-05', nextOpen: 21 });
    const open = quietStatus({ quietZone: true }, policy, new Date('2026-11-24T17:00:00Z')); // 25th in Shanghai
    expect(open).toMatchObject({ quietToday: false, today: '2026-11-25', nextQuiet: null });
    expect(
      quietStatus({ quietZone: true }, { ...policy, quietPeriod: { ...policy.quietPeriod, enabled: false } }, new Date('2026-11-05T02:00:00Z')),
    ).toMatchObject({ enabled: false, quietToday: false });
  });
  it('writes runs of days', () => {
    expect(dayRuns(policy.quietPeriod.quietDays)).toBe('1–20');
    expect(dayRuns([1, 2, 3, 7, 9, 10])).toBe('1–3、7、9–10');
  });
});

describe('ratings and complaints', () => {
  it('appends write-once feedback records; a complaint needs a text; refusals are marked', () => {
    const doc = new Y.Doc();
    const r = rate(doc, { uscc: USCC, by: 'u-enterprise2', entryId: 'entry-1', score: 4, comment: ' 规范 ' });
    expect(r).toMatchObject({ type: 'rating', score: 4, comment: '规范', entryId: 'entry-1' });
    expect(() => rate(doc, { uscc: USCC, by: 'u-enterprise2', entryId: 'entry-1', score: 6, comment: '' })).toThrow(ZodError);
    const c = complain(doc, { uscc: USCC, by: 'u-enterprise2', entryId: 'entry-1', ruleCode: 'E3', refused: false, text: '要求提供无关材料' });
    const refusal = complain(doc, { uscc: USCC, by: 'u-enterprise2', ruleCode: 'F1', refused: true, text: '未扫码即要求进入' });
    expect(refusal.id).toMatch(/^refusal-/);
    expect(refusal.entryId).toBeUndefined();
    expect(() => complain(doc, { uscc: USCC, by: 'u-enterprise2', refused: false, text: '短' })).toThrow(ZodError);
    const all = readFeedback(doc, { uscc: USCC }).items;
    expect(all).toHaveLength(3);
    expect(ratingOf(all, 'entry-1')?.id).toBe(r.id);
    expect(ratingOf(all, 'entry-2')).toBeUndefined();
    expect(complaintsOf(all, 'entry-1').map((x) => x.id)).toEqual([c.id]);
    expect(
      complaintsOf(all)
        .map((x) => x.ruleCode)
        .sort(),
    ).toEqual(['E3', 'F1']);
  });
});
