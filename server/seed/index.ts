/**
 * The deterministic seed (DESIGN §7, issue 2): Yangquan's divisions, agencies, inspectors and
 * certificates, 2,000 enterprises, catalogues, plans and filings, tasks, a joint plan, the city's
 * policy, demo accounts, and every seeded room's initial Y.Doc state. Same code, same bytes.
 */
import { prng } from '../../src/domain/prng';
import { defaultPolicy } from '../../src/domain/policy-defaults';
import type { Seed } from './types';
import { buildAccounts } from './accounts';
import { AGENCIES } from './agencies';
import { buildCatalogue, HANDBOOK_OWNER, HANDBOOKS } from './catalogue';
import { SEED_STRING } from './constants';
import { DIVISIONS } from './divisions';
import { buildDocs } from './docs';
import { buildEnterprises } from './enterprises';
import { buildJoint } from './joint';
import { buildPeople } from './people';
import { buildPlans } from './plans';
import { buildTasks } from './tasks';

export * from './constants';
export { INDUSTRIES, INDUSTRY_CODES, type IndustryCode } from './enterprises';
export { COMPLAINT_REF, COMPLAINT_TASK_ID } from './tasks';
export { JOINT_ID } from './joint';
export { REVOKED_INSPECTOR } from './people';
export type { Seed, SeedAccount, SeedJoint } from './types';

export function buildSeed(): Seed {
  // independent streams per part, so changing one part does not reshuffle the others
  const people = buildPeople(prng(`${SEED_STRING}/people`));
  const enterprises = buildEnterprises(prng(`${SEED_STRING}/enterprises`));
  const { items, flex } = buildCatalogue();
  const { plans, filings } = buildPlans(prng(`${SEED_STRING}/plans`), items);
  const { tasks, ledgers } = buildTasks({
    r: prng(`${SEED_STRING}/tasks`), enterprises, items: new Map(items.map((i) => [i.id, i])),
    inspectors: people.inspectors, certs: new Map(people.certificates.map((c) => [c.number, c])), plans, flex,
  });
  const joint = buildJoint(items);
  const config = defaultPolicy();
  const handbooks = HANDBOOKS.map((chapter) => ({ agencyId: HANDBOOK_OWNER[chapter.industry as keyof typeof HANDBOOK_OWNER], chapter }));
  const docs = buildDocs({
    agencies: AGENCIES, inspectors: people.inspectors, certificates: people.certificates, items, flex, handbooks,
    plans, tasks, joint, config, ledgers,
  });
  return {
    divisions: DIVISIONS.map((d) => ({ ...d })),
    agencies: AGENCIES.map((a) => ({ ...a })),
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
  };
}
