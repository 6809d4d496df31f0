/**
 * The demo city (DESIGN §7): Yangquan's divisions, agencies, inspectors and certificates, enterprises,
 * catalogues, plans and filings, tasks and ledgers, a joint plan, the city's policy, demo accounts, and
 * every seeded room's initial Y.Doc state, built around the instant it is given (the server's clock on
 * first start, Asia/Shanghai). Deterministic: same seed string, same day, same bytes.
 *
 * Two sizes: `demo` (2,000 enterprises, a dozen agencies, ~60 inspectors: fast, what the tests use) and
 * `city` (Yangquan at real size: ~100,000 enterprises, every agency down to townships and sub-districts,
 * ~3,000 inspectors, ~30,000 tasks this year, ~100,000 ledger records: for benchmarks).
 * `buildReference()` is what a production installation starts with: divisions, agencies and the default
 * policy, nothing else.
 */
import { buildDemoDraw } from './draws';
import { prng } from '../../src/domain/prng';
import { defaultPolicy } from '../../src/domain/policy-defaults';
import type { Agency, Division } from '../../src/domain/schemas';
import type { Seed } from './types';
import { buildAccounts } from './accounts';
import { AGENCIES } from './agencies';
import { CITY_AGENCIES } from './city-agencies';
import { CITY_DIVISIONS } from './city-divisions';
import { buildCatalogue, HANDBOOK_OWNER, HANDBOOKS } from './catalogue';
import { SeedCalendar } from './calendar';
import { SEED_STRING } from './constants';
import { DIVISIONS } from './divisions';
import { buildDocs, buildReferenceDocs } from './docs';
import { buildEnterprises, ENTERPRISE_COUNT } from './enterprises';
import { buildCityEnterprises } from './city-enterprises';
import { buildJoint } from './joint';
import { buildPeople, INSPECTORS_PER_AGENCY } from './people';
import { buildPlans } from './plans';
import { buildTasks } from './tasks';

export * from './constants';
export { INDUSTRIES, INDUSTRY_CODES, type IndustryCode } from './enterprises';
export { REVOKED_INSPECTOR } from './people';
export type { Seed, SeedAccount, SeedJoint } from './types';

export type SeedScale = 'demo' | 'city';

export interface SeedOptions {
  /** the instant the demo is built around (the server's clock) */
  now: Date;
  /** the PRNG seed string (default SEED_STRING) */
  seed?: string;
  scale?: SeedScale;
}

interface Profile {
  divisions: Division[];
  agencies: Agency[];
  inspectorsPerAgency: (a: Agency) => number;
  tasksPerAgency: (a: Agency, year: number, cal: SeedCalendar) => number;
}

/** inspectors per agency at city size: about 3,000 in all */
const CITY_STAFF: Record<Agency['level'], number> = { city: 120, county: 30, zone: 25, township: 12 };

const PROFILES: Record<SeedScale, Profile> = {
  demo: {
    divisions: DIVISIONS,
    agencies: AGENCIES,
    inspectorsPerAgency: () => INSPECTORS_PER_AGENCY,
    tasksPerAgency: (_a, year, cal) => (year < cal.year ? 3 : 4),
  },
  city: {
    divisions: CITY_DIVISIONS,
    agencies: CITY_AGENCIES,
    inspectorsPerAgency: (a) => CITY_STAFF[a.level],
    // about ten tasks a year per inspector: ~30,000 this year; last year's are as many as keep the ledgers
    // at about 100,000 records (two per inspection done) whatever the day
    tasksPerAgency: (a, year, cal) => Math.round(CITY_STAFF[a.level] * 10 * (year < cal.year ? 1.6 - cal.yearElapsed : 1)),
  },
};

export function buildSeed(o: SeedOptions): Seed {
  const s = o.seed ?? SEED_STRING;
  const scale = o.scale ?? 'demo';
  const p = PROFILES[scale];
  const cal = new SeedCalendar(o.now);
  // structural parts do not depend on the day (the same enterprises, codes and people every day);
  // independent streams per part, so changing one part does not reshuffle the others
  const dated = (part: string) => prng(`${s}/${scale}/${part}@${cal.today}`);
  const enterprises = scale === 'demo' ? buildEnterprises(prng(`${s}/enterprises`), ENTERPRISE_COUNT) : buildCityEnterprises(prng(`${s}/city/enterprises`));
  const people = buildPeople(prng(`${s}/people`), dated('people'), { agencies: p.agencies, perAgency: p.inspectorsPerAgency, cal });
  const { items, flex } = buildCatalogue(p.agencies);
  const { plans, filings } = buildPlans(dated('plans'), p.agencies, items, cal);
  const { tasks, ledgers } = buildTasks({
    r: dated('tasks'),
    cal,
    agencies: p.agencies,
    enterprises,
    items: new Map(items.map((i) => [i.id, i])),
    inspectors: people.inspectors,
    certs: new Map(people.certificates.map((c) => [c.number, c])),
    plans,
    flex,
    perAgency: (a, year) => p.tasksPerAgency(a, year, cal),
  });
  const joint = buildJoint(items, cal);
  const config = defaultPolicy();
  const handbooks = HANDBOOKS.map((chapter) => ({ agencyId: HANDBOOK_OWNER[chapter.industry as keyof typeof HANDBOOK_OWNER], chapter }));
  const docs = buildDocs({
    agencies: p.agencies,
    inspectors: people.inspectors,
    certificates: people.certificates,
    items,
    flex,
    handbooks,
    plans,
    tasks,
    joint,
    config,
    ledgers,
    cal,
  });
  // a published draw of last year, to verify on the public page (demo scale only: the city seed is for benchmarks)
  const demoDraw =
    scale === 'demo' ? buildDemoDraw({ r: dated('draws'), cal, enterprises, inspectors: people.inspectors, certificates: people.certificates }) : null;
  if (demoDraw) docs.set(demoDraw.doc[0], demoDraw.doc[1]);
  return {
    today: cal.today,
    divisions: p.divisions.map((d) => ({ ...d })),
    agencies: p.agencies.map((a) => ({ ...a })),
    inspectors: people.inspectors,
    certificates: people.certificates,
    enterprises,
    items,
    flex,
    handbooks: HANDBOOKS,
    plans,
    filings,
    tasks,
    joints: [joint.joint],
    config,
    accounts: buildAccounts(people.inspectors, enterprises),
    docs,
    draws: demoDraw ? [demoDraw.draw] : [],
  };
}

/**
 * A real installation's first start (NODE_ENV=production): the city's divisions (down to townships and
 * sub-districts), its agencies and justice bureaus, and the default policy. No people, no enterprises, no
 * accounts, no records: those come from the administrators.
 */
export function buildReference(): Seed {
  const config = defaultPolicy();
  return {
    divisions: CITY_DIVISIONS.map((d) => ({ ...d })),
    agencies: CITY_AGENCIES.map((a) => ({ ...a })),
    inspectors: [],
    certificates: [],
    enterprises: [],
    items: [],
    flex: [],
    handbooks: [],
    plans: [],
    filings: [],
    tasks: [],
    joints: [],
    accounts: [],
    config,
    docs: buildReferenceDocs(CITY_AGENCIES, config),
  };
}
