/**
 * What the deterministic seed produces (server/seed/index.ts `buildSeed()`), and what the server
 * stores on first start: directory tables, accounts, and the initial state of every seeded room.
 */
import type {
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
  Role,
  Task,
} from '../../src/domain/schemas';
import type { SeedDraw } from './draws';

export interface SeedAccount {
  username: string;
  /** plain demo password; the server stores only its scrypt hash */
  password: string;
  userId: string;
  role: Role;
  name: string;
  agencyId?: string;
  inspectorId?: string;
  uscc?: string;
}

export interface SeedJoint {
  id: string;
  title: string;
  year: number;
  leadAgencyId: string;
  memberAgencyIds: string[];
}

export interface Seed {
  /** the day (Asia/Shanghai) the demo was built around; absent for the production reference data */
  today?: string;
  divisions: Division[];
  agencies: Agency[];
  inspectors: Inspector[];
  certificates: Certificate[];
  enterprises: Enterprise[];
  items: InspectionItem[];
  flex: FlexEntry[];
  handbooks: HandbookChapter[];
  plans: { meta: PlanMeta; items: PlanItem[] }[];
  filings: Filing[];
  tasks: Task[];
  joints: SeedJoint[];
  config: PolicyConfig;
  accounts: SeedAccount[];
  /** room name → the doc's full state as one Yjs V1 update (Y.encodeStateAsUpdate) */
  docs: Map<string, Uint8Array>;
  /** the demo's published draws (server/seed/draws.ts); none in production */
  draws?: SeedDraw[];
}
