/**
 * Room names (one room = one Y.Doc = one access scope, DESIGN §4) and the layout of each doc:
 * which root types it holds. The model layer (src/model) and the server's seed and projection
 * both read and write docs through these names only.
 */
import { z } from 'zod';

export const ROOM_KINDS = ['agency', 'plan', 'joint', 'tasks', 'ledger', 'feedback', 'registry', 'draws', 'supervision', 'config'] as const;
export type RoomKind = (typeof ROOM_KINDS)[number];

export type RoomRef =
  | { kind: 'agency'; agencyId: string }
  | { kind: 'plan'; agencyId: string; year: number }
  | { kind: 'joint'; jointId: string }
  | { kind: 'tasks'; agencyId: string; year: number }
  | { kind: 'ledger'; uscc: string }
  | { kind: 'feedback'; uscc: string }
  | { kind: 'registry' } // registry/certificates
  | { kind: 'draws'; year: number }
  | { kind: 'supervision'; year: number }
  | { kind: 'config' }; // config/city: policy parameters (DESIGN "Policy parameters are data")

const seg = /^[A-Za-z0-9_.-]{1,80}$/;
const year = /^(20\d\d)$/;
const uscc = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/** Parse a room name; `null` for anything that is not exactly one of the known shapes. */
export function parseRoom(name: string): RoomRef | null {
  const p = name.split('/');
  const [k, a, b] = p;
  switch (k) {
    case 'agency':
      return p.length === 2 && seg.test(a) ? { kind: 'agency', agencyId: a } : null;
    case 'plan':
      return p.length === 3 && seg.test(a) && year.test(b) ? { kind: 'plan', agencyId: a, year: +b } : null;
    case 'tasks':
      return p.length === 3 && seg.test(a) && year.test(b) ? { kind: 'tasks', agencyId: a, year: +b } : null;
    case 'joint':
      return p.length === 2 && seg.test(a) ? { kind: 'joint', jointId: a } : null;
    case 'ledger':
      return p.length === 2 && uscc.test(a) ? { kind: 'ledger', uscc: a } : null;
    case 'feedback':
      return p.length === 2 && uscc.test(a) ? { kind: 'feedback', uscc: a } : null;
    case 'registry':
      return p.length === 2 && a === 'certificates' ? { kind: 'registry' } : null;
    case 'draws':
      return p.length === 2 && year.test(a) ? { kind: 'draws', year: +a } : null;
    case 'supervision':
      return p.length === 2 && year.test(a) ? { kind: 'supervision', year: +a } : null;
    case 'config':
      return p.length === 2 && a === 'city' ? { kind: 'config' } : null;
    default:
      return null;
  }
}

export function roomName(r: RoomRef): string {
  switch (r.kind) {
    case 'agency':
      return `agency/${r.agencyId}`;
    case 'plan':
      return `plan/${r.agencyId}/${r.year}`;
    case 'tasks':
      return `tasks/${r.agencyId}/${r.year}`;
    case 'joint':
      return `joint/${r.jointId}`;
    case 'ledger':
      return `ledger/${r.uscc}`;
    case 'feedback':
      return `feedback/${r.uscc}`;
    case 'registry':
      return 'registry/certificates';
    case 'draws':
      return `draws/${r.year}`;
    case 'supervision':
      return `supervision/${r.year}`;
    case 'config':
      return 'config/city';
  }
}

export const rooms = {
  agency: (agencyId: string) => `agency/${agencyId}`,
  plan: (agencyId: string, y: number) => `plan/${agencyId}/${y}`,
  tasks: (agencyId: string, y: number) => `tasks/${agencyId}/${y}`,
  joint: (jointId: string) => `joint/${jointId}`,
  ledger: (u: string) => `ledger/${u}`,
  feedback: (u: string) => `feedback/${u}`,
  registry: () => 'registry/certificates',
  draws: (y: number) => `draws/${y}`,
  supervision: (y: number) => `supervision/${y}`,
  config: () => 'config/city',
};

/** Rooms whose docs are write-once: the server refuses deletions and key overwrites (DESIGN §4). */
export function isAppendOnly(kind: RoomKind): boolean {
  return kind === 'ledger' || kind === 'feedback';
}

/**
 * Root types of each doc. Every root listed is a Y.Map keyed by record id unless noted.
 * Values: `rec` = a plain JSON object (one immutable record, validated with its zod schema on read);
 * `ymap` = a nested Y.Map of fields (co-edited field by field).
 */
export const LAYOUT = {
  agency: {
    profile: 'Y.Map field → value (Agency fields)',
    items: 'id → rec InspectionItem (catalogue)',
    flex: 'id → rec FlexEntry (从轻/减轻/首违不罚 lists)',
    handbooks: 'industry → rec HandbookChapter (一业一册)',
    staff: 'inspectorId → rec Inspector',
  },
  plan: {
    meta: 'Y.Map field → value (PlanMeta fields)',
    items: 'planItemId → ymap of PlanItem fields (targets as a nested Y.Map with arrays as plain JSON)',
    order: 'Y.Array<string> of planItemIds, display order',
    comments: 'id → rec {id, planItemId?, by, byAgencyId, at, text, resolved?: boolean} (city opinion on county plans)',
  },
  joint: {
    meta: 'Y.Map {id, title, leadAgencyId, year, status, window (nested Y.Map), targets (nested Y.Map)}',
    members: 'agencyId → rec {agencyId, name} (display only; membership is kept by the server)',
    items: 'id → ymap {agencyId, itemId, targets, months, who}',
    comments: 'Y.Array of rec {id, by, agencyId, at, text}',
    team: 'agencyId → rec {agencyId, inspectorIds} (who goes for each member)',
  },
  tasks: { tasks: 'taskId → ymap of Task fields' },
  ledger: { records: 'recordId → rec SignedRecord (write once)' },
  feedback: { records: 'recordId → rec FeedbackRecord (write once)' },
  registry: { certificates: 'number → rec Certificate' },
  draws: { draws: 'drawId → rec Draw (written by the server at each step of the draw)' },
  supervision: { warnings: 'id → rec Warning', handling: 'warningId → rec WarningHandling' },
  config: { policy: 'Y.Map field → value (PolicyConfig fields)' },
} as const satisfies Record<RoomKind, Record<string, string>>;

export const RoomNameSchema = z
  .string()
  .max(200)
  .refine((s) => parseRoom(s) !== null, 'unknown room');
