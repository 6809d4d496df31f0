/**
 * The demo seed is built around the day it starts. At each moment of tests/helpers/moments.ts (the real
 * today, a quiet day, the day after the filing due date, a year boundary) and in January: the data parse,
 * are deterministic for the seed string and day, and the walk-through works: the demo inspectors have
 * work today that the check-in rules allow, agency1 has this year's plan filed and next year's draft,
 * enterprise1 and enterprise2 have records of the last 12 months, supervisors get warnings this year, and
 * the certificate registry has some expiring within a week and some expired.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  Agency,
  Certificate,
  Division,
  Enterprise,
  Filing,
  FlexEntry,
  HandbookChapter,
  InspectionItem,
  Inspector,
  PlanItem,
  PlanMeta,
  PolicyConfig,
  Principal,
  Task,
  type EntryRecord,
  type LedgerRecord,
} from '../../src/domain/schemas';
import { isValidUscc } from '../../src/domain/uscc';
import { parseRoom } from '../../src/domain/rooms';
import { planHash } from '../../src/domain/canonical';
import { addDays, shanghaiDate, shanghaiYear } from '../../src/domain/time';
import { precheck } from '../../src/domain/rules';
import { isQuietDay } from '../../src/domain/rules/quiet';
import {
  readAgency,
  readCertificates,
  readDraws,
  readJoint,
  readLedger,
  readPlan,
  readPolicy,
  readSupervision,
  readTasks,
  certificateValidOn,
} from '../../src/model';
import { buildReference, buildSeed, complaintTaskId, ENTERPRISE1_USCC, ENTERPRISE2_USCC, type Seed } from '../../server/seed/index';
import { HITECH as HITECH_FOR_TEST } from '../../server/seed/divisions';
import { LATE_FILERS, PENDING_FILER } from '../../server/seed/plans';
import { evaluateEntry, unfiledPlanWarnings } from '../../server/projection/evaluate';
import { MOMENTS, momentDate, type Moment } from '../helpers/moments';

const docOf = (seed: Seed, room: string) => {
  const u = seed.docs.get(room);
  if (!u) throw new Error(`no doc ${room}`);
  const d = new Y.Doc();
  Y.applyUpdate(d, u);
  return d;
};
const ledgerOf = (seed: Seed, uscc: string): LedgerRecord[] =>
  seed.docs.has(`ledger/${uscc}`) ? readLedger(docOf(seed, `ledger/${uscc}`), { uscc }).items.map((s) => s.rec) : [];
const isEntry = (r: LedgerRecord): r is EntryRecord => r.type === 'entry';

describe.each([...MOMENTS, { name: 'January, before the filing due date (2027-01-15 10:00)', at: '2027-01-15T10:00:00+08:00' }])(
  'seed at $name',
  (m: Moment) => {
    let seed: Seed;
    let now: Date;
    let today: string;
    let year: number;
    beforeAll(() => {
      now = momentDate(m);
      seed = buildSeed({ now });
      today = shanghaiDate(now);
      year = shanghaiYear(now);
    });

    it('is built around the day: byte-identical docs for the same day and seed string, other tasks on another day', () => {
      expect(seed.today).toBe(today);
      const again = buildSeed({ now: new Date(now.getTime() + 60_000 * 5) });
      const { docs: d1, ...rest1 } = seed;
      const { docs: d2, ...rest2 } = again;
      if (shanghaiDate(new Date(now.getTime() + 60_000 * 5)) === today) {
        expect(rest1.tasks).toEqual(rest2.tasks);
        expect([...d1.keys()]).toEqual([...d2.keys()]);
        for (const [room, u] of d1) expect(Buffer.from(d2.get(room)!).equals(Buffer.from(u)), room).toBe(true);
      }
      const other = buildSeed({ now: new Date(now.getTime() + 3 * 86_400_000) });
      expect(other.tasks.map((t) => t.window.from)).not.toEqual(seed.tasks.map((t) => t.window.from));
      // the structural city does not move with the day: the same enterprises and codes
      expect(other.enterprises).toEqual(seed.enterprises);
      expect(buildSeed({ now, seed: 'another-city' }).enterprises.slice(2)).not.toEqual(seed.enterprises.slice(2));
    });

    it('every record passes its schema', () => {
      const all = <T>(schema: { parse: (x: unknown) => T }, xs: unknown[]) => {
        for (const x of xs) schema.parse(x);
      };
      all(Division, seed.divisions);
      all(Agency, seed.agencies);
      all(Inspector, seed.inspectors);
      all(Certificate, seed.certificates);
      all(Enterprise, seed.enterprises);
      all(InspectionItem, seed.items);
      all(FlexEntry, seed.flex);
      all(HandbookChapter, seed.handbooks);
      all(
        PlanMeta,
        seed.plans.map((p) => p.meta),
      );
      all(
        PlanItem,
        seed.plans.flatMap((p) => p.items),
      );
      all(Filing, seed.filings);
      all(Task, seed.tasks);
      PolicyConfig.parse(seed.config);
      for (const a of seed.accounts)
        Principal.parse({ userId: a.userId, role: a.role, name: a.name, agencyId: a.agencyId, inspectorId: a.inspectorId, uscc: a.uscc });
    });

    it('nothing is dated after now: records, filings, task creation', () => {
      const nowMs = now.getTime();
      for (const room of seed.docs.keys()) {
        if (!room.startsWith('ledger/')) continue;
        for (const r of ledgerOf(seed, room.slice(7))) expect(Date.parse(r.at), r.id).toBeLessThanOrEqual(nowMs);
      }
      for (const f of seed.filings) {
        expect(Date.parse(f.submittedAt), f.id).toBeLessThanOrEqual(nowMs);
        if (f.decidedAt) expect(Date.parse(f.decidedAt), f.id).toBeLessThanOrEqual(nowMs);
      }
      for (const t of seed.tasks) expect(Date.parse(t.createdAt), t.id).toBeLessThanOrEqual(nowMs);
      for (const t of seed.tasks) expect(t.status === 'done' ? t.window.from <= today : t.window.to >= today, t.id).toBe(true);
    });

    it("the demo inspectors have work today that the check-in rules allow, and this week's within this year", () => {
      const cert = (inspectorId: string) => seed.certificates.find((c) => c.inspectorId === inspectorId) ?? null;
      for (const insp of ['insp-city-market-1', 'insp-city-market-2', 'insp-pd-market-1']) {
        expect(certificateValidOn(cert(insp)!, today), insp).toBe(true);
        const mine = seed.tasks.filter((t) => t.inspectorIds.includes(insp) && t.status === 'assigned');
        const todays = mine.filter((t) => t.window.from <= today && today <= t.window.to);
        expect(todays.length, insp).toBeGreaterThanOrEqual(1);
        for (const t of mine) {
          expect(t.year, t.id).toBe(year);
          const e = seed.enterprises.find((x) => x.uscc === t.uscc)!;
          const plan = seed.plans.find((p) => p.meta.agencyId === t.agencyId && p.meta.year === year)!;
          const agency = seed.agencies.find((a) => a.id === t.agencyId)!;
          const day = t.window.from <= today ? today : t.window.from;
          const at = day === today ? now : new Date(`${day}T10:00:00+08:00`);
          const r = precheck({
            policy: seed.config,
            at,
            agency,
            enterprise: e,
            kind: t.kind,
            method: t.method,
            itemIds: t.itemIds,
            team: t.inspectorIds.map((i) => ({ inspectorId: i, certificate: cert(i) })),
            ledger: ledgerOf(seed, t.uscc),
            plan: { meta: plan.meta, items: plan.items },
            taskId: t.id,
            tasks: seed.tasks.filter((x) => x.agencyId === t.agencyId && x.year === year),
            items: seed.items,
          });
          expect(
            r.blocking.map((v) => v.code),
            `${t.id} on ${day}`,
          ).toEqual([]);
        }
      }
      // enterprise1 today: a planned task and the complaint case that can merge with it
      const e1 = seed.tasks.filter((t) => t.uscc === ENTERPRISE1_USCC && t.window.from <= today && today <= t.window.to);
      expect(e1.some((t) => t.kind.type === 'planned')).toBe(true);
      const c = seed.tasks.find((t) => t.id === complaintTaskId(year))!;
      expect(c.kind).toEqual({ type: 'triggered', trigger: { kind: 'complaint', ref: expect.stringMatching(new RegExp(`^12345-${year}-\\d{4}$`)) } });
    });

    it('no planned on-site visit of a quiet-zone enterprise on a quiet day, but the one irregular inspection supervisors are warned about', () => {
      const quiet = new Set(seed.enterprises.filter((e) => e.quietZone).map((e) => e.uscc));
      const breaches = seed.tasks.filter(
        (t) => quiet.has(t.uscc) && t.kind.type === 'planned' && t.method === 'onsite' && isQuietDay(t.window.from, seed.config),
      );
      expect(breaches.length).toBeLessThanOrEqual(1);
      for (const t of breaches) expect(t).toMatchObject({ agencyId: 'city-health', status: 'done', year });
    });

    it("agency1 has this year's plan filed and published and next year's draft", async () => {
      const cur = seed.plans.find((p) => p.meta.agencyId === 'city-market' && p.meta.year === year)!;
      expect(cur.meta.status).toBe('published');
      const f = seed.filings.find((x) => x.id === cur.meta.filingId)!;
      expect(f).toMatchObject({ status: 'filed', room: `plan/city-market/${year}`, officeId: 'city-justice' });
      const v = readPlan(docOf(seed, `plan/city-market/${year}`));
      expect(await planHash(v.meta!, v.items)).toBe(f.hash);
      expect(seed.plans.find((p) => p.meta.agencyId === 'city-market' && p.meta.year === year + 1)!.meta.status).toBe('draft');
      // the city counterpart's opinion on a county's draft for next year (measure 4)
      expect(readPlan(docOf(seed, `plan/pd-market/${year + 1}`)).comments).toEqual([expect.objectContaining({ byAgencyId: 'city-market' })]);
    });

    it('in January some agencies have not filed yet; after the due date one is late and supervisors are warned', () => {
      const due = `${year}-${seed.config.planDue}`;
      const enf = seed.agencies.filter((a) => a.kind === 'enforcement');
      const metas = new Map(enf.map((a) => [a.id, seed.plans.find((p) => p.meta.agencyId === a.id && p.meta.year === year)?.meta ?? null]));
      const unfiled = [...metas]
        .filter(([, mt]) => mt?.status !== 'published')
        .map(([id]) => id)
        .sort();
      if (today <= due) {
        expect(unfiled).toEqual([...LATE_FILERS, PENDING_FILER].sort());
        expect(unfiledPlanWarnings({ today, policy: seed.config, agencies: enf, plans: metas })).toEqual([]);
      } else {
        expect(unfiled).toEqual([LATE_FILERS[0]]);
        expect(unfiledPlanWarnings({ today, policy: seed.config, agencies: enf, plans: metas }).map((w) => w.agencyId)).toEqual([LATE_FILERS[0]]);
      }
    });

    it('enterprise1 and enterprise2 have entry records of the last 12 months, acknowledged', () => {
      for (const uscc of [ENTERPRISE1_USCC, ENTERPRISE2_USCC]) {
        const recs = ledgerOf(seed, uscc);
        const recent = recs.filter(isEntry).filter((e) => shanghaiDate(e.at) >= addDays(today, -365));
        expect(recent.length, uscc).toBeGreaterThanOrEqual(uscc === ENTERPRISE1_USCC ? 2 : 1);
        expect(
          recs.some((r) => r.type === 'ack'),
          uscc,
        ).toBe(true);
      }
      // within the city-market cap before today's planned task at enterprise1
      const cm = ledgerOf(seed, ENTERPRISE1_USCC)
        .filter(isEntry)
        .filter((e) => e.agencyId === 'city-market' && shanghaiYear(e.at) === year);
      expect(cm.length).toBeLessThan(2);
    });

    it('supervisors get warnings this year: a late record, a quiet-day visit, a visit over the cap', () => {
      const kinds = new Set<string>();
      for (const room of seed.docs.keys()) {
        if (!room.startsWith('ledger/')) continue;
        const uscc = room.slice(7);
        const ledger = ledgerOf(seed, uscc);
        for (const e of ledger.filter(isEntry)) {
          if (shanghaiYear(e.at) !== year) continue;
          const plan = seed.plans.find((p) => p.meta.agencyId === e.agencyId && p.meta.year === year) ?? null;
          for (const w of evaluateEntry({
            entry: e,
            ledger,
            policy: seed.config,
            certificates: seed.certificates,
            enterprise: seed.enterprises.find((x) => x.uscc === uscc),
            agency: seed.agencies.find((a) => a.id === e.agencyId),
            plan: plan && { meta: plan.meta, items: plan.items },
          }))
            if (w.severity !== 'info') kinds.add(w.kind);
        }
      }
      expect([...kinds].sort()).toEqual(expect.arrayContaining(['late_record', 'over_cap', 'quiet_period']));
    });

    it('the certificate registry has certificates expiring within a week, some expired, one revoked; every team was certified on its day', () => {
      const valid = seed.certificates.filter((c) => c.status === 'valid');
      expect(valid.filter((c) => c.expiresOn >= today && c.expiresOn <= addDays(today, 7)).length).toBeGreaterThanOrEqual(2);
      expect(valid.filter((c) => c.expiresOn < today).length).toBeGreaterThanOrEqual(4);
      expect(seed.certificates.filter((c) => c.status === 'revoked')).toHaveLength(1);
      const certs = new Map(seed.certificates.map((x) => [x.inspectorId, x]));
      for (const t of seed.tasks) {
        expect(t.inspectorIds.length).toBeGreaterThanOrEqual(2);
        for (const i of t.inspectorIds) expect(certificateValidOn(certs.get(i)!, t.window.from), `${t.id} ${i}`).toBe(true);
      }
    });

    it("planned tasks lie in their plan item's months, and every doc reads back through src/model", () => {
      for (const t of seed.tasks) {
        if (!t.planItemId) continue;
        const p = seed.plans.find((x) => x.meta.agencyId === t.agencyId && x.meta.year === t.year)!;
        expect(p.items.find((x) => x.id === t.planItemId)!.months, t.id).toContain(+t.window.from.slice(5, 7));
      }
      expect(new Set(seed.tasks.map((t) => t.id)).size).toBe(seed.tasks.length);
      for (const room of seed.docs.keys()) {
        const ref = parseRoom(room);
        expect(ref, room).not.toBeNull();
        const d = docOf(seed, room);
        const invalid =
          ref!.kind === 'agency'
            ? readAgency(d).invalid
            : ref!.kind === 'plan'
              ? readPlan(d).invalid
              : ref!.kind === 'tasks'
                ? readTasks(d).invalid
                : ref!.kind === 'ledger'
                  ? readLedger(d, { uscc: ref!.uscc }).invalid
                  : ref!.kind === 'registry'
                    ? readCertificates(d).invalid
                    : ref!.kind === 'config'
                      ? readPolicy(d).invalid
                      : ref!.kind === 'joint'
                        ? readJoint(d).invalid
                        : ref!.kind === 'supervision'
                          ? readSupervision(d).invalid
                          : ref!.kind === 'draws'
                            ? readDraws(d).invalid
                            : ['unexpected room'];
        expect(invalid, room).toEqual([]);
      }
      expect(seed.docs.has(`supervision/${year}`)).toBe(true);
      expect(readJoint(docOf(seed, `joint/${seed.joints[0].id}`)).meta).toMatchObject({ leadAgencyId: 'city-market', year: year + 1 });
    });
  },
);

describe('seed: the demo city', () => {
  let seed: Seed;
  beforeAll(() => {
    seed = buildSeed({ now: new Date('2026-11-25T10:00:00+08:00') });
  });

  it('enterprises: 2,000 valid, unique USCCs spread over divisions, industries and kinds; quiet zone = high-tech zone', () => {
    const es = seed.enterprises;
    expect(es).toHaveLength(2000);
    expect(es.every((e) => isValidUscc(e.uscc))).toBe(true);
    expect(new Set(es.map((e) => e.uscc)).size).toBe(es.length);
    expect(es.every((e) => e.uscc.slice(2, 8) === e.division)).toBe(true);
    expect(new Set(es.map((e) => e.division)).size).toBe(6);
    expect(new Set(es.map((e) => e.industry)).size).toBe(12);
    expect(new Set(es.map((e) => e.kind))).toEqual(new Set(['legal_person', 'unincorporated', 'individual']));
    const quiet = es.filter((e) => e.quietZone);
    expect(quiet.every((e) => e.division === HITECH_FOR_TEST)).toBe(true);
    expect(quiet.length / es.length).toBeGreaterThanOrEqual(0.05);
    expect(quiet.length / es.length).toBeLessThanOrEqual(0.1);
    expect(es[0]).toMatchObject({ uscc: ENTERPRISE1_USCC, industry: 'catering', division: '140302', quietZone: false });
    expect(es[1]).toMatchObject({ uscc: ENTERPRISE2_USCC, industry: 'food_production', division: HITECH_FOR_TEST, quietZone: true });
  });

  it('agencies file with their justice bureau; every agency has a catalogue with all three flexible lists', () => {
    const byId = new Map(seed.agencies.map((a) => [a.id, a]));
    for (const a of seed.agencies.filter((x) => x.kind === 'enforcement')) {
      expect(byId.get(a.filingOfficeId!)?.kind, a.id).toBe('justice');
      if (a.level === 'county') expect(byId.get(a.filingOfficeId!)?.division, a.id).toBe(a.division);
      const n = seed.items.filter((i) => i.agencyId === a.id).length;
      expect(n, a.id).toBeGreaterThanOrEqual(5);
      expect(new Set(seed.flex.filter((f) => f.agencyId === a.id).map((f) => f.list)).size, a.id).toBe(3);
    }
    expect(seed.items.every((i) => /《.+》第.+条/.test(i.legalBasis))).toBe(true);
  });

  it('demo accounts exist with the right agencies', () => {
    const acc = new Map(seed.accounts.map((a) => [a.username, a]));
    for (const [u, role, agencyId] of [
      ['inspector1', 'inspector', 'city-market'],
      ['inspector2', 'inspector', 'city-market'],
      ['inspector3', 'inspector', 'pd-market'],
      ['agency1', 'agency', 'city-market'],
      ['agency2', 'agency', 'city-emergency'],
      ['county1', 'agency', 'pd-market'],
      ['supervisor1', 'supervisor', 'city-justice'],
    ]) {
      expect(acc.get(u), u).toMatchObject({ role, agencyId, password: 'demo1234' });
    }
    expect(acc.get('enterprise1')).toMatchObject({ role: 'enterprise', uscc: ENTERPRISE1_USCC });
    expect(acc.get('enterprise2')).toMatchObject({ role: 'enterprise', uscc: ENTERPRISE2_USCC });
  });
});

describe('production reference data', () => {
  it("holds the city's divisions (down to townships), its agencies and the default policy, and nothing else", () => {
    const ref = buildReference();
    expect(ref.accounts).toEqual([]);
    expect(ref.enterprises).toEqual([]);
    expect(ref.inspectors).toEqual([]);
    expect(ref.tasks).toEqual([]);
    expect(ref.divisions.filter((d) => d.level === 'township').length).toBeGreaterThan(30);
    expect(ref.agencies.some((a) => a.id === 'city-justice' && a.kind === 'justice')).toBe(true);
    expect(ref.agencies.filter((a) => a.level === 'township').length).toBeGreaterThan(30);
    expect([...ref.docs.keys()].filter((r) => !r.startsWith('agency/')).sort()).toEqual(['config/city', 'registry/certificates']);
    expect(readPolicy(docOf(ref, 'config/city')).policy).toEqual(ref.config);
  });
});
