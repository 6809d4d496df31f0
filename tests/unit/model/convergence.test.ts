/**
 * Seeded convergence fuzz over the model's write operations: several replicas of a plan, a joint
 * plan and a tasks document edit concurrently through src/model only; updates are delivered in random order,
 * some replicas go offline for a while and come back. At the end every replica holds the same state, and every
 * record reads valid (no `invalid` entries): concurrent edits through the model never leave a record that its
 * own schema refuses. The seed is printed; MODEL_FUZZ_SEED=<seed> replays a run.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { prng, type Prng } from '../../../src/domain/prng';
import {
  addComment,
  createPlanItem,
  moveItem,
  readPlan,
  removePlanItem,
  resolveComment,
  setPlanMeta,
  updatePlanItemField,
  updatePlanItemTarget,
} from '../../../src/model/plan';
import {
  addJointComment,
  createJointItem,
  readJoint,
  removeJointItem,
  setJointMeta,
  setJointTarget,
  setJointTeam,
  setJointWindow,
  updateJointItemField,
} from '../../../src/model/joint';
import { assignTask, createTask, readTasks, removeTask, setTaskStatus, updateTaskField } from '../../../src/model/tasks';

const SEED = process.env.MODEL_FUZZ_SEED ?? `model-${Date.now().toString(36)}`;
const AGENCIES = ['city-market', 'city-emergency', 'city-ecology'];
const USCCS = ['91140302MA0L2RXA6K', '91140371MA0K8QW3PX'];
const AT = '2026-11-25T10:00:00+08:00';

/** A replica: its doc, the updates it made and has not sent yet, whether it is offline. */
interface Replica {
  doc: Y.Doc;
  outbox: Uint8Array[];
  offline: boolean;
}

/**
 * Run `steps` random operations over `n` replicas; `op(r, doc)` makes one local edit (through the model, which
 * may refuse it by throwing: a refusal is a valid outcome). Delivery: each update goes to each other replica
 * later, in random order (Yjs keeps what arrives early pending); offline replicas neither send nor receive.
 */
function run(r: Prng, n: number, steps: number, init: (doc: Y.Doc) => void, op: (r: Prng, doc: Y.Doc, i: number) => void): Y.Doc[] {
  const origin = new Y.Doc();
  init(origin);
  const replicas: Replica[] = Array.from({ length: n }, () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(origin));
    const rep: Replica = { doc, outbox: [], offline: false };
    doc.on('update', (u: Uint8Array, o: unknown) => {
      if (o !== 'remote') rep.outbox.push(u);
    });
    return rep;
  });
  /** in flight: [to, update] */
  const wire: [number, Uint8Array][] = [];
  for (let s = 0; s < steps; s++) {
    const i = r.int(0, n - 1);
    const rep = replicas[i];
    const roll = r.next();
    if (roll < 0.6) {
      try {
        op(r, rep.doc, s);
      } catch {
        /* the model refused an invalid edit: fine */
      }
    } else if (roll < 0.7) {
      rep.offline = !rep.offline;
    }
    // send what online replicas made; deliver a random part of what is in flight to online replicas
    for (let k = 0; k < n; k++) {
      const x = replicas[k];
      if (x.offline || x.outbox.length === 0) continue;
      for (const u of x.outbox.splice(0)) for (let to = 0; to < n; to++) if (to !== k) wire.push([to, u]);
    }
    for (let m = r.int(0, Math.min(6, wire.length)); m > 0; m--) {
      const j = r.int(0, wire.length - 1);
      const [to, u] = wire[j];
      if (replicas[to].offline) continue;
      wire.splice(j, 1);
      Y.applyUpdate(replicas[to].doc, u, 'remote');
    }
  }
  // everyone back online: flush outboxes and the wire (in random order), then a full state exchange
  for (const x of replicas) x.offline = false;
  for (let k = 0; k < n; k++) for (const u of replicas[k].outbox.splice(0)) for (let to = 0; to < n; to++) if (to !== k) wire.push([to, u]);
  for (const [to, u] of r.shuffle(wire)) Y.applyUpdate(replicas[to].doc, u, 'remote');
  for (const a of replicas) for (const b of replicas) if (a !== b) Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)), 'remote');
  return replicas.map((x) => x.doc);
}

const pickKey = (r: Prng, keys: Iterable<string>): string | undefined => {
  const ks = [...keys];
  return ks.length ? r.pick(ks) : undefined;
};

function expectConverged(docs: Y.Doc[], read: (d: Y.Doc) => { invalid: unknown[] }): void {
  const first = JSON.stringify(read(docs[0]));
  for (const d of docs) {
    expect(Y.encodeStateVector(d)).toEqual(Y.encodeStateVector(docs[0]));
    expect(JSON.stringify(read(d))).toBe(first);
    expect(read(d).invalid).toEqual([]);
  }
}

describe(`model convergence fuzz (MODEL_FUZZ_SEED=${SEED})`, () => {
  it('plans: items, fields, targets, order, comments and meta edited on 4 replicas converge and read valid', () => {
    const r = prng(`${SEED}/plan`);
    const docs = run(
      r,
      4,
      1500,
      (d) => {
        setPlanMeta(d, { agencyId: 'city-market', year: 2027, title: '2027 plan', status: 'draft', capPerEnterprise: 2 });
      },
      (r, d, s) => {
        const items = [...d.getMap('items').keys()];
        switch (r.int(0, 8)) {
          case 0:
          case 1:
            createPlanItem(
              d,
              {
                id: `pi-${s}`,
                itemId: `item-${r.int(1, 9)}`,
                method: r.pick(['onsite', 'offsite', 'written'] as const),
                targets: {},
                months: [r.int(1, 12)],
                cap: r.int(1, 3),
              },
              undefined,
              r.int(0, items.length),
            );
            break;
          case 2: {
            const id = pickKey(r, items);
            if (id) updatePlanItemField(d, id, 'cap', r.int(1, 4));
            break;
          }
          case 3: {
            const id = pickKey(r, items);
            if (id) updatePlanItemField(d, id, 'months', r.shuffle([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]).slice(0, r.int(1, 4)));
            break;
          }
          case 4: {
            const id = pickKey(r, items);
            if (id) updatePlanItemTarget(d, id, 'industries', r.shuffle(['food', 'retail', 'chemicals', 'mining']).slice(0, r.int(0, 3)));
            break;
          }
          case 5: {
            const id = pickKey(r, items);
            if (id) removePlanItem(d, id);
            break;
          }
          case 6: {
            const id = pickKey(r, items);
            if (id) moveItem(d, id, r.int(0, Math.max(0, items.length - 1)));
            break;
          }
          case 7: {
            const c = addComment(d, { id: `c-${s}`, planItemId: pickKey(r, items), by: 'u-agency1', byAgencyId: 'city-market', at: AT, text: `comment ${s}` });
            if (r.chance(0.3)) resolveComment(d, c.id);
            break;
          }
          default:
            setPlanMeta(d, { title: `plan title ${r.int(0, 99)}`, capPerEnterprise: r.int(1, 4) });
        }
      },
    );
    expectConverged(docs, readPlan);
    expect(readPlan(docs[0]).items.length).toBeGreaterThan(0);
  });

  it('joint plans: items, fields, window, targets, team and comments edited by 3 members converge and read valid', () => {
    const r = prng(`${SEED}/joint`);
    const docs = run(
      r,
      3,
      1200,
      (d) => {
        setJointMeta(d, {
          id: 'joint-fuzz',
          title: 'joint',
          leadAgencyId: 'city-market',
          year: 2027,
          status: 'draft',
          window: { from: '2027-01-01', to: '2027-12-31' },
          targets: { industries: [], divisions: [], riskLevels: [] },
        });
      },
      (r, d, s) => {
        const items = [...d.getMap('items').keys()];
        switch (r.int(0, 7)) {
          case 0:
          case 1:
            createJointItem(d, { id: `ji-${s}`, agencyId: r.pick(AGENCIES), itemId: `item-${r.int(1, 9)}`, targets: {}, months: [r.int(1, 12)] });
            break;
          case 2: {
            const id = pickKey(r, items);
            if (id) updateJointItemField(d, id, 'months', [r.int(1, 12)]);
            break;
          }
          case 3: {
            const id = pickKey(r, items);
            if (id) updateJointItemField(d, id, 'who', `team ${r.int(0, 9)}`);
            break;
          }
          case 4: {
            const id = pickKey(r, items);
            if (id) removeJointItem(d, id);
            break;
          }
          case 5:
            setJointWindow(d, r.pick(['from', 'to'] as const), `2027-0${r.int(1, 9)}-1${r.int(0, 9)}`);
            break;
          case 6:
            setJointTarget(d, 'riskLevels', r.shuffle(['low', 'medium', 'high', 'major'] as const).slice(0, r.int(0, 2)));
            break;
          default:
            if (r.chance(0.5)) setJointTeam(d, r.pick(AGENCIES), [`insp-${r.int(1, 5)}`]);
            else addJointComment(d, { id: `jc-${s}`, by: 'u-agency1', agencyId: r.pick(AGENCIES), at: AT, text: `comment ${s}` });
        }
      },
    );
    expectConverged(docs, readJoint);
  });

  it('tasks: created, re-assigned, re-dated, moved through their statuses and removed on 3 replicas converge and read valid', () => {
    const r = prng(`${SEED}/tasks`);
    const docs = run(
      r,
      3,
      1200,
      () => {},
      (r, d, s) => {
        const tasks = [...d.getMap('tasks').keys()];
        switch (r.int(0, 5)) {
          case 0:
          case 1:
            createTask(d, {
              id: `t-${s}`,
              agencyId: 'city-market',
              year: 2027,
              uscc: r.pick(USCCS),
              enterpriseName: '企业',
              itemIds: ['item-1'],
              window: { from: '2027-03-01', to: '2027-03-31' },
              inspectorIds: [`insp-${r.int(1, 5)}`],
              kind: { type: 'planned', planned: 'routine' },
              status: 'assigned',
              createdAt: AT,
            });
            break;
          case 2: {
            const id = pickKey(r, tasks);
            if (id) setTaskStatus(d, id, r.pick(['assigned', 'in_progress', 'done', 'cancelled'] as const));
            break;
          }
          case 3: {
            const id = pickKey(r, tasks);
            if (id) assignTask(d, id, [`insp-${r.int(1, 5)}`, `insp-${r.int(6, 9)}`]);
            break;
          }
          case 4: {
            const id = pickKey(r, tasks);
            if (id) updateTaskField(d, id, 'window', { from: `2027-0${r.int(1, 9)}-01`, to: '2027-09-30' });
            break;
          }
          default: {
            const id = pickKey(r, tasks);
            if (id) removeTask(d, id);
          }
        }
      },
    );
    expectConverged(docs, readTasks);
  });
});
