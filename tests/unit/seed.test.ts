import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  Agency, Certificate, Division, Enterprise, Filing, FlexEntry, HandbookChapter, InspectionItem, Inspector,
  PlanItem, PlanMeta, PolicyConfig, Principal, Task,
} from '../../src/domain/schemas';
import { isValidUscc } from '../../src/domain/uscc';
import { parseRoom } from '../../src/domain/rooms';
import { planHash } from '../../src/domain/canonical';
import {
  readAgency, readCertificates, readDraws, readJoint, readLedger, readPlan, readPolicy, readSupervision, readTasks,
  certificateValidOn,
} from '../../src/model';
import {
  buildSeed, COMPLAINT_TASK_ID, ENTERPRISE1_USCC, ENTERPRISE2_USCC, SEED_TODAY, type Seed,
} from '../../server/seed/index';
import { HITECH as HITECH_FOR_TEST } from '../../server/seed/divisions';

let seed: Seed;
let again: Seed;
beforeAll(() => {
  seed = buildSeed();
  again = buildSeed();
});

const docOf = (room: string) => {
  const u = seed.docs.get(room);
  if (!u) throw new Error(`no doc ${room}`);
  const d = new Y.Doc();
  Y.applyUpdate(d, u);
  return d;
};

describe('seed', () => {
  it('is deterministic: byte-identical docs and equal data', () => {
    const { docs: d1, ...rest1 } = seed;
    const { docs: d2, ...rest2 } = again;
    expect(rest1).toEqual(rest2);
    expect([...d1.keys()]).toEqual([...d2.keys()]);
    for (const [room, u] of d1) expect(Buffer.from(d2.get(room)!).equals(Buffer.from(u)), room).toBe(true);
  });

  it('every record passes its schema', () => {
    const all = <T>(schema: { parse: (x: unknown) => T }, xs: unknown[]) => xs.forEach((x) => schema.parse(x));
    all(Division, seed.divisions);
    all(Agency, seed.agencies);
    all(Inspector, seed.inspectors);
    all(Certificate, seed.certificates);
    all(Enterprise, seed.enterprises);
    all(InspectionItem, seed.items);
    all(FlexEntry, seed.flex);
    all(HandbookChapter, seed.handbooks);
    all(PlanMeta, seed.plans.map((p) => p.meta));
    all(PlanItem, seed.plans.flatMap((p) => p.items));
    all(Filing, seed.filings);
    all(Task, seed.tasks);
    PolicyConfig.parse(seed.config);
    for (const a of seed.accounts) Principal.parse({ userId: a.userId, role: a.role, name: a.name, agencyId: a.agencyId, inspectorId: a.inspectorId, uscc: a.uscc });
  });

  it('enterprises: 2,000 valid, unique USCCs spread over divisions, industries and kinds; quiet zone = high-tech zone', () => {
    const es = seed.enterprises;
    expect(es).toHaveLength(2000);
    expect(es.every((e) => isValidUscc(e.uscc))).toBe(true);
    expect(new Set(es.map((e) => e.uscc)).size).toBe(es.length);
    expect(es.every((e) => e.uscc.slice(2, 8) === e.division)).toBe(true);
    const divisions = new Set(seed.divisions.map((d) => d.code));
    expect(es.every((e) => divisions.has(e.division))).toBe(true);
    expect(new Set(es.map((e) => e.division)).size).toBe(6);
    expect(new Set(es.map((e) => e.industry)).size).toBe(12);
    expect(new Set(es.map((e) => e.kind))).toEqual(new Set(['legal_person', 'unincorporated', 'individual']));
    expect(new Set(es.map((e) => e.riskLevel)).size).toBe(4);
    expect(new Set(es.map((e) => e.creditLevel)).size).toBe(4);
    const quiet = es.filter((e) => e.quietZone);
    expect(quiet.every((e) => e.division === HITECH_FOR_TEST)).toBe(true);
    expect(es.filter((e) => e.division === HITECH_FOR_TEST).every((e) => e.quietZone)).toBe(true);
    expect(quiet.length / es.length).toBeGreaterThanOrEqual(0.05);
    expect(quiet.length / es.length).toBeLessThanOrEqual(0.1);
    expect(es[0]).toMatchObject({ uscc: ENTERPRISE1_USCC, industry: 'catering', division: '140302', quietZone: false });
    expect(es[1]).toMatchObject({ uscc: ENTERPRISE2_USCC, industry: 'food_production', division: HITECH_FOR_TEST, quietZone: true });
  });

  it('divisions and agencies', () => {
    expect(seed.divisions.map((d) => d.code)).toEqual(['140300', '140302', '140303', '140311', '140321', '140322', '140371']);
    const byId = new Map(seed.agencies.map((a) => [a.id, a]));
    const enf = seed.agencies.filter((a) => a.kind === 'enforcement');
    expect(enf.length).toBeGreaterThanOrEqual(10);
    expect(enf.length).toBeLessThanOrEqual(14);
    for (const a of enf) {
      expect(byId.get(a.filingOfficeId!)?.kind, a.id).toBe('justice');
      if (a.level === 'county') {
        expect(byId.get(a.cityCounterpartId!)?.level, a.id).toBe('city');
        expect(byId.get(a.filingOfficeId!)?.division, a.id).toBe(a.division);
      } else {
        expect(a.filingOfficeId).toBe('city-justice');
      }
    }
    expect(byId.get('city-justice')).toMatchObject({ kind: 'justice', level: 'city' });
  });

  it('inspectors and certificates: ~60, ≥2 valid per enforcement agency, exactly one revoked, about five expired', () => {
    expect(seed.inspectors.length).toBeGreaterThanOrEqual(55);
    expect(seed.inspectors.length).toBeLessThanOrEqual(65);
    expect(new Set(seed.certificates.map((c) => c.number)).size).toBe(seed.certificates.length);
    expect(seed.certificates.filter((c) => c.status === 'revoked')).toHaveLength(1);
    const expired = seed.certificates.filter((c) => c.status === 'valid' && c.expiresOn < SEED_TODAY);
    expect(expired.length).toBeGreaterThanOrEqual(4);
    expect(expired.length).toBeLessThanOrEqual(6);
    for (const a of seed.agencies.filter((x) => x.kind === 'enforcement')) {
      const valid = seed.certificates.filter((c) => c.agencyId === a.id && certificateValidOn(c, SEED_TODAY));
      expect(valid.length, a.id).toBeGreaterThanOrEqual(2);
    }
    for (const id of ['insp-city-market-1', 'insp-city-market-2', 'insp-pd-market-1']) {
      const c = seed.certificates.find((x) => x.inspectorId === id)!;
      expect(certificateValidOn(c, SEED_TODAY), id).toBe(true);
    }
    for (const i of seed.inspectors) expect(seed.certificates.some((c) => c.number === i.certificateNumber && c.inspectorId === i.id)).toBe(true);
  });

  it('demo accounts exist with the right agencies', () => {
    const acc = new Map(seed.accounts.map((a) => [a.username, a]));
    const expectAcc = (u: string, role: string, agencyId?: string) => {
      expect(acc.get(u), u).toMatchObject({ role, password: 'demo1234', ...(agencyId ? { agencyId } : {}) });
    };
    expectAcc('inspector1', 'inspector', 'city-market');
    expectAcc('inspector2', 'inspector', 'city-market');
    expectAcc('inspector3', 'inspector', 'pd-market');
    expectAcc('agency1', 'agency', 'city-market');
    expectAcc('agency2', 'agency', 'city-emergency');
    expectAcc('county1', 'agency', 'pd-market');
    expectAcc('supervisor1', 'supervisor', 'city-justice');
    expect(acc.get('enterprise1')).toMatchObject({ role: 'enterprise', uscc: ENTERPRISE1_USCC });
    expect(acc.get('enterprise2')).toMatchObject({ role: 'enterprise', uscc: ENTERPRISE2_USCC });
    expect(acc.get('inspector1')!.inspectorId).toBe('insp-city-market-1');
    expect(acc.get('inspector3')!.inspectorId).toBe('insp-pd-market-1');
    expect(new Set(seed.accounts.map((a) => a.userId)).size).toBe(seed.accounts.length);
  });

  it('catalogues, flexible-enforcement lists, handbooks', () => {
    for (const a of seed.agencies.filter((x) => x.kind === 'enforcement')) {
      const n = seed.items.filter((i) => i.agencyId === a.id).length;
      expect(n, a.id).toBeGreaterThanOrEqual(5);
      expect(n, a.id).toBeLessThanOrEqual(10);
      const lists = new Set(seed.flex.filter((f) => f.agencyId === a.id).map((f) => f.list));
      expect(lists.size, a.id).toBe(3);
    }
    expect(seed.items.every((i) => /《.+》第.+条/.test(i.legalBasis))).toBe(true);
    expect(new Set(seed.handbooks.map((h) => h.industry)).size).toBe(seed.handbooks.length);
    expect(new Set(seed.enterprises.map((e) => e.industry)).size).toBe(seed.handbooks.length);
  });

  it('plans: a filed 2026 and a draft 2027 plan per enforcement agency; filing hashes match the canonical hash', async () => {
    const enf = seed.agencies.filter((x) => x.kind === 'enforcement');
    expect(seed.plans).toHaveLength(enf.length * 2);
    const itemIds = new Set(seed.items.map((i) => i.id));
    for (const p of seed.plans) {
      expect(p.items.length).toBeGreaterThanOrEqual(3);
      expect(p.items.length).toBeLessThanOrEqual(8);
      expect(p.items.every((i) => itemIds.has(i.itemId) && i.itemId.startsWith(`${p.meta.agencyId}.`))).toBe(true);
      if (p.meta.year === 2026) {
        const f = seed.filings.find((x) => x.id === p.meta.filingId)!;
        expect(f).toMatchObject({ status: 'filed', agencyId: p.meta.agencyId, room: `plan/${p.meta.agencyId}/2026` });
        expect(f.officeId).toBe(seed.agencies.find((a) => a.id === p.meta.agencyId)!.filingOfficeId);
        expect(p.meta.filedHash).toBe(f.hash);
        // the doc, read back through the model, hashes to the filed hash: "unchanged since filing"
        const v = readPlan(docOf(`plan/${p.meta.agencyId}/2026`));
        expect(await planHash(v.meta!, v.items)).toBe(f.hash);
      } else {
        expect(p.meta.status).toBe('draft');
        expect(p.meta.filedHash).toBeUndefined();
      }
    }
    expect(seed.plans.some((p) => p.items.some((i) => i.jointPartners.length > 0))).toBe(true);
    // the city counterpart's opinion on a county draft plan (measure 4)
    const opinion = readPlan(docOf('plan/pd-market/2027')).comments;
    expect(opinion).toEqual([expect.objectContaining({ byAgencyId: 'city-market' })]);
  });

  it('tasks: today and this week for the demo inspectors, a complaint case, planned tasks inside planned months', () => {
    const today = seed.tasks.filter((t) => t.window.from <= SEED_TODAY && SEED_TODAY <= t.window.to);
    expect(today.filter((t) => t.inspectorIds.includes('insp-city-market-1')).length).toBeGreaterThanOrEqual(2);
    expect(today.some((t) => t.inspectorIds.includes('insp-pd-market-1'))).toBe(true);
    expect(today.some((t) => t.uscc === ENTERPRISE1_USCC && t.kind.type === 'planned')).toBe(true);
    const c = seed.tasks.find((t) => t.id === COMPLAINT_TASK_ID)!;
    expect(c.kind).toEqual({ type: 'triggered', trigger: { kind: 'complaint', ref: expect.stringMatching(/^12345-2026-\d{4}$/) } });
    const usccs = new Set(seed.enterprises.map((e) => e.uscc));
    const certs = new Map(seed.certificates.map((x) => [x.inspectorId, x]));
    for (const t of seed.tasks) {
      expect(usccs.has(t.uscc)).toBe(true);
      expect(t.inspectorIds.length).toBeGreaterThanOrEqual(2);
      for (const i of t.inspectorIds) expect(certificateValidOn(certs.get(i)!, t.window.from), `${t.id} ${i}`).toBe(true);
      if (t.planItemId) {
        const p = seed.plans.find((x) => x.meta.agencyId === t.agencyId && x.meta.year === 2026)!;
        const pi = p.items.find((x) => x.id === t.planItemId)!;
        expect(pi.months, t.id).toContain(+t.window.from.slice(5, 7));
      }
    }
    expect(new Set(seed.tasks.map((t) => t.id)).size).toBe(seed.tasks.length);
  });

  it('one joint plan led by city-market with city-health', () => {
    expect(seed.joints).toEqual([expect.objectContaining({ leadAgencyId: 'city-market', year: 2027 })]);
    expect(seed.joints[0].memberAgencyIds).toContain('city-health');
    const v = readJoint(docOf(`joint/${seed.joints[0].id}`));
    expect(v.invalid).toEqual([]);
    expect(v.meta?.leadAgencyId).toBe('city-market');
    expect(v.members.map((m) => m.agencyId).sort()).toEqual(['city-health', 'city-market']);
    expect(v.items.length).toBeGreaterThanOrEqual(2);
  });

  it('every doc decodes, has a known room name, and reads back through src/model with no invalid records', () => {
    let ledgers = 0;
    for (const room of seed.docs.keys()) {
      const ref = parseRoom(room);
      expect(ref, room).not.toBeNull();
      const d = docOf(room);
      switch (ref!.kind) {
        case 'agency': {
          const v = readAgency(d);
          expect(v.invalid, room).toEqual([]);
          expect(v.profile?.id).toBe(ref!.agencyId);
          expect(v.staff.length + v.items.length > 0 || v.profile?.kind === 'justice').toBe(true);
          break;
        }
        case 'plan': {
          const v = readPlan(d);
          expect(v.invalid, room).toEqual([]);
          const p = seed.plans.find((x) => x.meta.agencyId === ref!.agencyId && x.meta.year === ref!.year)!;
          expect(v.meta).toEqual(p.meta);
          expect(v.items).toEqual(p.items);
          break;
        }
        case 'tasks': {
          const v = readTasks(d);
          expect(v.invalid, room).toEqual([]);
          expect(v.items.length).toBe(seed.tasks.filter((t) => t.agencyId === ref!.agencyId && t.year === ref!.year).length);
          break;
        }
        case 'ledger': {
          ledgers++;
          const v = readLedger(d, { uscc: ref!.uscc });
          expect(v.invalid, room).toEqual([]);
          expect(v.items.length).toBeGreaterThanOrEqual(2);
          const entries = v.items.filter((s) => s.rec.type === 'entry');
          for (const s of v.items) if (s.rec.type === 'result') expect(entries.some((e) => e.rec.id === (s.rec as { entryId: string }).entryId)).toBe(true);
          break;
        }
        case 'registry': {
          const v = readCertificates(d);
          expect(v.invalid).toEqual([]);
          expect(v.items).toHaveLength(seed.certificates.length);
          break;
        }
        case 'config': {
          const v = readPolicy(d);
          expect(v.invalid).toEqual([]);
          expect(v.policy).toEqual(seed.config);
          break;
        }
        case 'joint': expect(readJoint(d).invalid).toEqual([]); break;
        case 'supervision': expect(readSupervision(d).invalid).toEqual([]); break;
        case 'draws': expect(readDraws(d).invalid).toEqual([]); break;
        default: throw new Error(`unexpected room ${room}`);
      }
    }
    for (const a of seed.agencies) expect(seed.docs.has(`agency/${a.id}`)).toBe(true);
    expect(seed.docs.has('registry/certificates')).toBe(true);
    expect(seed.docs.has('config/city')).toBe(true);
    expect(seed.docs.has(`ledger/${ENTERPRISE1_USCC}`)).toBe(true);
    expect(seed.docs.has(`ledger/${ENTERPRISE2_USCC}`)).toBe(true);
    expect(ledgers).toBeGreaterThanOrEqual(5);
  });

  it('enterprise1 stays within the city-market annual cap before today (the planned task today is allowed)', () => {
    const v = readLedger(docOf(`ledger/${ENTERPRISE1_USCC}`));
    const cm = v.items.filter((s) => s.rec.type === 'entry' && s.rec.agencyId === 'city-market' && s.rec.at < SEED_TODAY);
    expect(cm.length).toBeLessThan(2);
    expect(v.items.some((s) => s.rec.type === 'ack')).toBe(true);
  });
});
