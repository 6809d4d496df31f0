/**
 * Build each seeded room's Y.Doc through the src/model writers and encode it as one V1 update.
 * Every doc gets a fixed clientID derived from its room name, so two builds are byte-identical.
 */
import * as Y from 'yjs';
import type { Agency, Certificate, FlexEntry, HandbookChapter, InspectionItem, Inspector, PolicyConfig, SignedRecord, Task } from '../../src/domain/schemas';
import { rooms } from '../../src/domain/rooms';
import {
  addComment,
  addJointComment,
  appendRecord,
  createJointItem,
  createPlanItem,
  createTask,
  putCertificate,
  putFlex,
  putHandbook,
  putItem,
  putJointMember,
  putStaff,
  setAgencyProfile,
  setJointMeta,
  setPlanMeta,
  setPolicy,
} from '../../src/model';
import { adminUserId, type SeedPlan } from './plans';
import type { SeedJointDoc } from './joint';
import type { SeedCalendar } from './calendar';

/** FNV-1a of the room name → a stable non-zero 30-bit client id. */
export function seedClientId(room: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < room.length; i++) {
    h ^= room.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & 0x3fffffff || 1;
}

function newDoc(room: string): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  doc.clientID = seedClientId(room);
  return doc;
}

export interface DocInputs {
  agencies: Agency[];
  inspectors: Inspector[];
  certificates: Certificate[];
  items: InspectionItem[];
  flex: FlexEntry[];
  handbooks: { agencyId: string; chapter: HandbookChapter }[];
  plans: SeedPlan[];
  tasks: Task[];
  joint: SeedJointDoc;
  config: PolicyConfig;
  ledgers: Map<string, SignedRecord[]>;
  cal: SeedCalendar;
}

type Emit = (room: string, fill: (doc: Y.Doc) => void) => void;

function emitter(): { out: Map<string, Uint8Array>; emit: Emit } {
  const out = new Map<string, Uint8Array>();
  const emit: Emit = (room, fill) => {
    const doc = newDoc(room);
    doc.transact(() => fill(doc));
    out.set(room, Y.encodeStateAsUpdate(doc));
    doc.destroy();
  };
  return { out, emit };
}

/** A production installation's rooms: each agency's profile, the city's policy, an empty certificate registry. */
export function buildReferenceDocs(agencies: readonly Agency[], config: PolicyConfig): Map<string, Uint8Array> {
  const { out, emit } = emitter();
  for (const a of agencies) emit(rooms.agency(a.id), (d) => setAgencyProfile(d, a));
  emit(rooms.config(), (d) => {
    setPolicy(d, config);
  });
  emit(rooms.registry(), () => {});
  return out;
}

export function buildDocs(x: DocInputs): Map<string, Uint8Array> {
  const { out, emit } = emitter();
  for (const a of x.agencies) {
    emit(rooms.agency(a.id), (d) => {
      setAgencyProfile(d, a);
      for (const i of x.items) if (i.agencyId === a.id) putItem(d, i);
      for (const f of x.flex) if (f.agencyId === a.id) putFlex(d, f);
      for (const h of x.handbooks) if (h.agencyId === a.id) putHandbook(d, h.chapter);
      for (const s of x.inspectors) if (s.agencyId === a.id) putStaff(d, s);
    });
  }
  for (const p of x.plans) {
    emit(rooms.plan(p.meta.agencyId, p.meta.year), (d) => {
      setPlanMeta(d, p.meta);
      for (const it of p.items) createPlanItem(d, it);
      // measure 4: a county plan solicits the city agency's opinion; the counterpart has commented on the draft
      const a = x.agencies.find((g) => g.id === p.meta.agencyId);
      if (a?.cityCounterpartId && p.meta.status === 'draft' && p.meta.year > x.cal.year && p.items[0]) {
        addComment(d, {
          id: `opinion-${a.cityCounterpartId}-01`,
          planItemId: p.items[0].id,
          by: adminUserId(a.cityCounterpartId),
          byAgencyId: a.cityCounterpartId,
          at: x.cal.instant(x.cal.addDays(x.cal.today, -7), 16, 0),
          text: '建议与市级“双随机”抽查计划统筹安排，避免对同一企业重复检查；高风险企业可适当提高抽查比例。',
        });
      }
    });
  }
  const taskRooms = new Map<string, Task[]>();
  for (const t of x.tasks) {
    const room = rooms.tasks(t.agencyId, t.year);
    const list = taskRooms.get(room);
    if (list) list.push(t);
    else taskRooms.set(room, [t]);
  }
  for (const [room, list] of taskRooms)
    emit(room, (d) => {
      for (const t of list) createTask(d, t);
    });
  emit(rooms.registry(), (d) => {
    for (const c of x.certificates) putCertificate(d, c);
  });
  emit(rooms.config(), (d) => {
    setPolicy(d, x.config);
  });
  emit(rooms.joint(x.joint.meta.id), (d) => {
    setJointMeta(d, x.joint.meta);
    for (const m of x.joint.members) putJointMember(d, m);
    for (const i of x.joint.items) createJointItem(d, i);
    for (const c of x.joint.comments) addJointComment(d, c);
  });
  for (const [uscc, recs] of [...x.ledgers].sort(([a], [b]) => (a < b ? -1 : 1))) {
    emit(rooms.ledger(uscc), (d) => {
      for (const s of recs) appendRecord(d, s);
    });
  }
  emit(rooms.supervision(x.cal.year), () => {});
  emit(rooms.draws(x.cal.year), () => {});
  return out;
}
