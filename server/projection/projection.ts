/**
 * The projection (DESIGN §3 "docs → SQL rows → warnings", §6 step 6). After the relay has stored and
 * relayed an update to `ledger/<uscc>`, `plan/<agencyId>/<year>`, `feedback/<uscc>` or `tasks/<agencyId>/<year>`
 * (rows for the statistics only), the room is queued; a drain loop
 * (setImmediate, one room at a time) reads the room through the relay, projects the records it has
 * not projected yet into SQL rows, re-runs the rules on the full picture (evaluate.ts) and stores each
 * new warning once, first in the live `supervision/<year>` doc (relay.change: stored, then relayed to
 * the supervisors who have it open), then in the `warnings` table the HTTP API reads.
 *
 * Off the hot path: `notify` only adds a room name to a set; nothing here can throw into the relay.
 * Idempotent: projected record ids are kept per room, warning ids are stable (kind + refs), and a
 * warning already in the doc is never rewritten (handling refers to it). Crash-safe: a room's
 * high-water mark (its highest stored update id) advances only after its rows and warnings are
 * stored, and on start every room with newer updates is projected again (also the seeded ones on
 * first start).
 */
import * as Y from 'yjs';
import { parseRoom, rooms, type RoomRef } from '../../src/domain/rooms';
import {
  Agency,
  Enterprise,
  Warning,
  type Certificate,
  type EntryRecord,
  type FeedbackRecord,
  type LedgerRecord,
  type PlanItem,
  type PlanMeta,
  type PolicyConfig,
  type ResultRecord,
} from '../../src/domain/schemas';
import { defaultPolicy } from '../../src/domain/policy-defaults';
import { planHash } from '../../src/domain/canonical';
import { instantMs, shanghaiDate, shanghaiYear, SHANGHAI_OFFSET_MS } from '../../src/domain/time';
import {
  policyAt,
  readCertificates,
  readFeedback,
  readLedger,
  readPlanItems,
  readPlanMeta,
  readPolicy,
  readPolicySchedule,
  readTasks,
  putWarning,
  supervisionRoots,
  type ScheduledPolicy,
} from '../../src/model';
import { getMeta, type DB } from '../store/db';
import type { Logger } from '../log';
import { evaluateEntry, planChangedWarning, recordWarnings, unfiledPlanWarnings, warningId, yearOfWarning, type PlanInput, type WarningT } from './evaluate';
import { ProjectionTables, type EntryFacts } from './tables';
import { inQuietZone, isQuietDay, quietPeriod } from '../../src/domain/rules/quiet';
import { corrections } from '../../src/domain/corrections';
import type { RoomPort } from '../sync/port';
import type { Directory } from '../directory/store';
import { Signatures } from './signatures';
import { FollowUps } from './followups';

/** What the projection needs of the relay: the room port (server/sync/port.ts). */
export type RoomAccess = RoomPort;

export interface ProjectionOptions {
  db: DB;
  relay: RoomAccess;
  /** agencies and enterprises, read through the directory's store (its tables are its own) */
  dir: Pick<Directory, 'agency' | 'enterprise' | 'enforcementAgencies'>;
  /** the highest stored update id of a room (what a read after this call is guaranteed to include): DocStore.latestId */
  latestUpdateId: (room: string) => number;
  log: Logger;
  /** the clock (tests may pin it); default: the system clock */
  now?: () => Date;
  /** run the daily plan-deadline and follow-up checks and the hourly second-signature check (default true) */
  daily?: boolean;
  /** the inspector a user account stands for (cosigns); default: the `users` table */
  inspectorOf?: (userId: string) => string | undefined;
}

const isEntry = (r: LedgerRecord): r is EntryRecord => r.type === 'entry';
const isResult = (r: LedgerRecord): r is ResultRecord => r.type === 'result';
const isRating = (r: FeedbackRecord): r is Extract<FeedbackRecord, { type: 'rating' }> => r.type === 'rating';
const isComplaint = (r: FeedbackRecord): r is Extract<FeedbackRecord, { type: 'complaint' }> => r.type === 'complaint';
const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

export class Projection {
  readonly tables: ProjectionTables;
  private readonly pending = new Set<string>();
  private scheduled = false;
  private running: Promise<void> | null = null;
  private closed = false;
  /** the config doc's base policy and scheduled changes (`policyAt` picks a day's) */
  private policyCache: { base: PolicyConfig | null; schedule: ScheduledPolicy[] } | null = null;
  private certCache: Certificate[] | null = null;
  private timer: NodeJS.Timeout | null = null;
  private hourly: NodeJS.Timeout | null = null;
  private readonly now: () => Date;
  /** second signatures: cosign rows and the single-signature check */
  readonly signatures: Signatures;
  /** rectification follow-ups: tasks, rows (`followUps.store`, read by GET /api/followups) and the overdue check */
  readonly followUps: FollowUps;

  constructor(private readonly o: ProjectionOptions) {
    this.tables = new ProjectionTables(o.db);
    this.now = o.now ?? (() => new Date());
    const enterpriseName = (uscc: string) => this.enterprise(uscc)?.name ?? uscc;
    this.signatures = new Signatures({
      db: o.db,
      inspectorOf: o.inspectorOf ?? usersInspectorOf(o.db),
      enterpriseName,
      nowMs: this.now().getTime(),
    });
    this.followUps = new FollowUps({ db: o.db, relay: o.relay, log: o.log, enterpriseName, now: this.now });
  }

  /** Called by the relay after every applied update (RelayOptions.onApplied). Never throws. */
  notify(room: string, ref: RoomRef): void {
    try {
      if (this.closed) return;
      switch (ref.kind) {
        case 'ledger':
        case 'plan':
        case 'feedback':
        case 'tasks':
          this.pending.add(room);
          this.schedule();
          return;
        case 'registry':
          this.certCache = null;
          return;
        case 'config':
          this.policyCache = null;
          return;
        case 'supervision':
          // a warning handled: the statistics' figures of handling change
          this.tables.touch();
          return;
        default:
          return;
      }
    } catch (err) {
      this.o.log.warn('projection notify failed', { room, err });
    }
  }

  /** Catch up on rooms with updates not yet projected, then run the plan-deadline check and schedule it daily. */
  start(): void {
    try {
      for (const room of this.tables.roomsBehind(['ledger/', 'plan/', 'feedback/', 'tasks/'])) this.pending.add(room);
      const rooms = this.pending.size;
      if (rooms) {
        this.o.log.info('projection catching up', { rooms });
        const t0 = Date.now();
        void this.flush().then(() => {
          if (!this.closed) this.o.log.info('projection caught up', { rooms, ms: Date.now() - t0 });
        });
      }
      this.schedule();
    } catch (err) {
      this.o.log.error('projection catch-up failed', { err });
    }
    if (this.o.daily !== false) {
      void this.flush()
        .then(() => this.checkPlanDeadlines())
        .catch((err) => this.o.log.warn('plan deadline check failed', { err }));
      // after the catch-up: follow-ups of results projected before follow-ups existed, then the overdue and single-signature checks
      void this.flush()
        .then(() => this.followUps.backfill(shanghaiDate(this.now())))
        .then(() => this.checkFollowUps())
        .then(() => this.checkSignatures())
        .catch((err) => this.o.log.warn('follow-up or signature check failed', { err }));
      this.scheduleDaily();
      this.hourly = setInterval(() => {
        if (!this.closed) void this.checkSignatures().catch((err) => this.o.log.warn('signature check failed', { err }));
      }, HOUR_MS);
      this.hourly.unref();
    }
  }

  /** Resolves once every queued room has been projected (tests, shutdown). */
  async flush(): Promise<void> {
    for (let i = 0; i < 10_000 && (this.pending.size || this.running || this.scheduled); i++) {
      if (this.running) await this.running;
      else await new Promise((r) => setImmediate(r));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.hourly) {
      clearInterval(this.hourly);
      this.hourly = null;
    }
    // what is still queued is projected again on the next start (its high-water mark did not move)
    this.pending.clear();
    if (this.running) await this.running;
  }

  /**
   * Raise one warning (other server code calls this too, e.g. the quarantine of badly signed ledger
   * records with kind `quarantined`). Stored once by id; resolves true when it is new.
   */
  readonly raiseWarning = async (w: WarningT): Promise<boolean> => {
    const parsed = Warning.parse(w);
    const fresh = await this.storeWarnings([parsed]);
    return fresh.length === 1;
  };

  /**
   * Measure 4: agencies without a filed plan for this year after its due date (31 January by default).
   * Runs at start and daily; `today` (YYYY-MM-DD, Asia/Shanghai) defaults to the clock.
   */
  readonly checkPlanDeadlines = async (today: string = shanghaiDate(this.now())): Promise<WarningT[]> => {
    const policy = await this.policy(shanghaiDate(today));
    const year = shanghaiYear(today);
    const due = `${year}-${policy.planDue}`;
    if (shanghaiDate(today) <= due) return [];
    // a due date that passed before the platform kept records (a city installing it in June) is not a breach
    const since = getMeta(this.o.db, 'records_since');
    if (since && due < since) return [];
    const agencies = this.o.dir.enforcementAgencies().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const plans = new Map<string, PlanMeta | null>();
    for (const a of agencies) plans.set(a.id, await this.o.relay.read(rooms.plan(a.id, year), (d) => readPlanMeta(d).meta));
    const ws = unfiledPlanWarnings({ today, policy, agencies, plans });
    const fresh = await this.storeWarnings(ws);
    if (fresh.length) this.o.log.info('unfiled plans', { year, agencies: fresh.map((w) => w.agencyId) });
    return ws;
  };

  /**
   * Measure 2: entries made at least 24 hours before `nowMs` (and since this server version first ran) by a
   * team of two or more that no teammate cosigned → `single_signature`, once per entry. Runs at start and hourly.
   */
  readonly checkSignatures = async (nowMs: number = this.now().getTime()): Promise<WarningT[]> => {
    const { warnings, entryIds } = this.signatures.due(nowMs);
    if (!warnings.length) return [];
    const fresh = await this.storeWarnings(warnings);
    this.signatures.markWarned(entryIds);
    return fresh;
  };

  /**
   * Follow-ups past their deadline (before `today`, YYYY-MM-DD Asia/Shanghai) without an accepted report →
   * `rectification_overdue` for the agency and supervisors, once per follow-up. Runs at start, daily, and
   * after a ledger's follow-ups change.
   */
  readonly checkFollowUps = async (today: string = shanghaiDate(this.now())): Promise<WarningT[]> => {
    const ws = this.followUps.due(today);
    if (!ws.length) return [];
    const fresh = await this.storeWarnings(ws);
    this.followUps.store.markWarned(ws.map((w) => w.refId!));
    return fresh;
  };

  // ---------------------------------------------------------------- queue

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    if (this.running || this.closed) return;
    this.running = (async () => {
      while (this.pending.size && !this.closed) {
        const room = this.pending.values().next().value as string;
        this.pending.delete(room);
        try {
          await this.project(room);
        } catch (err) {
          // the room stays behind its high-water mark: projected again on the next update or start
          this.o.log.warn('projection failed', { room, err });
        }
      }
    })().finally(() => {
      this.running = null;
      if (this.pending.size) this.schedule();
    });
  }

  private scheduleDaily(): void {
    // at 00:05 Asia/Shanghai every day
    const nowMs = this.now().getTime();
    const shanghaiMs = nowMs + SHANGHAI_OFFSET_MS;
    const next = Math.floor(shanghaiMs / DAY_MS) * DAY_MS + DAY_MS + 5 * 60 * 1000 - SHANGHAI_OFFSET_MS;
    this.timer = setTimeout(
      () => {
        void this.checkPlanDeadlines().catch((err) => this.o.log.warn('plan deadline check failed', { err }));
        void this.checkFollowUps().catch((err) => this.o.log.warn('follow-up check failed', { err }));
        if (!this.closed) this.scheduleDaily();
      },
      Math.max(1000, next - nowMs),
    );
    this.timer.unref();
  }

  private async project(room: string): Promise<void> {
    const ref = parseRoom(room);
    if (ref?.kind === 'ledger') await this.projectLedger(room, ref.uscc);
    else if (ref?.kind === 'plan') await this.projectPlan(room, ref.agencyId, ref.year);
    else if (ref?.kind === 'feedback') await this.projectFeedback(room, ref.uscc);
    else if (ref?.kind === 'tasks') await this.projectTasks(room, ref.agencyId, ref.year);
  }

  // ---------------------------------------------------------------- task rooms

  /** the room's tasks as they are now, for the statistics (joint, drawn, planned and done) */
  private async projectTasks(room: string, agencyId: string, year: number): Promise<void> {
    const upTo = this.o.latestUpdateId(room);
    const tasks = await this.o.relay.read(room, (d) =>
      readTasks(d).items.map((t) => ({ id: t.id, jointId: t.jointId, drawId: t.drawId, planItemId: t.planItemId, method: t.method, status: t.status })),
    );
    this.tables.commitTasks(room, upTo, agencyId, year, tasks);
  }

  // ---------------------------------------------------------------- feedback rooms

  /**
   * Ratings become rows (agencies see only anonymised aggregates, `ratingSummary`); each complaint is a
   * warning for supervisors, against the agency of the inspection it is about (the warnings API hides
   * the enterprise and record from that agency).
   */
  private async projectFeedback(room: string, uscc: string): Promise<void> {
    const upTo = this.o.latestUpdateId(room);
    const recs = await this.o.relay.read(room, (d) => readFeedback(d, { uscc }).items);
    const done = this.tables.projectedIds(room);
    const fresh = recs.filter((r) => !done.has(r.id));
    if (!fresh.length) {
      this.tables.setHwm(room, upTo);
      return;
    }
    const ratings = fresh.filter(isRating).map((r) => ({ id: r.id, uscc: r.uscc, entryId: r.entryId, score: r.score, at: r.at }));
    const complaints = fresh.filter(isComplaint);
    // the inspection a complaint is about, from the ledger itself (its projection may still be queued)
    const agencyOf = complaints.some((c) => c.entryId)
      ? await this.o.relay.read(
          rooms.ledger(uscc),
          (d) => new Map(readLedger(d, { uscc }).items.flatMap((s) => (isEntry(s.rec) ? [[s.rec.id, s.rec.agencyId] as const] : []))),
        )
      : new Map<string, string>();
    const name = this.enterprise(uscc)?.name ?? uscc;
    const warnings: WarningT[] = [];
    for (const c of complaints) {
      const agencyId = c.entryId ? agencyOf.get(c.entryId) : undefined;
      warnings.push({
        id: warningId('complaint', uscc, c.id),
        kind: 'complaint',
        severity: 'warn',
        ...(agencyId ? { agencyId } : {}),
        uscc,
        refId: c.id,
        at: c.at,
        message: c.refused
          ? {
              zh: `${name} 拒绝了一次检查并投诉${c.ruleCode ? `（违反 ${c.ruleCode}）` : ''}：${c.text}`,
              en: `${name} refused an inspection and complained${c.ruleCode ? ` (rule ${c.ruleCode})` : ''}: ${c.text}`,
            }
          : {
              zh: `${name} 投诉了一次检查${c.ruleCode ? `（违反 ${c.ruleCode}）` : ''}：${c.text}`,
              en: `${name} complained about an inspection${c.ruleCode ? ` (rule ${c.ruleCode})` : ''}: ${c.text}`,
            },
      });
    }
    await this.storeWarnings(warnings);
    this.tables.commitRatings(
      room,
      upTo,
      ratings,
      fresh.map((r) => r.id),
      this.now(),
    );
  }

  // ---------------------------------------------------------------- ledger rooms

  private async projectLedger(room: string, uscc: string): Promise<void> {
    // every update stored before this read is applied when the read runs (the relay stores, then applies, in the room's queue)
    const upTo = this.o.latestUpdateId(room);
    const done = this.tables.projectedIds(room);
    const { recs, raw } = await this.o.relay.read(room, (d) => {
      const recs = readLedger(d, { uscc }).items.map((s) => s.rec);
      // the entries a cosign names, exactly as stored (what its entryHash is taken of)
      const raw = new Map<string, unknown>();
      const map = d.getMap('records');
      for (const r of recs) if (r.type === 'cosign') raw.set(r.entryId, (map.get(r.entryId) as { rec?: unknown } | undefined)?.rec);
      return { recs, raw };
    });
    const fresh = recs.filter((r) => !done.has(r.id));
    if (!fresh.length) {
      this.tables.setHwm(room, upTo);
      return;
    }

    // a record arriving late (an offline phone) changes the picture for the entries after it, too
    const entries = recs.filter(isEntry);
    const entryAt = new Map(entries.map((e) => [e.id, instantMs(e.at)]));
    let since = Infinity;
    for (const r of fresh) {
      if (isEntry(r)) since = Math.min(since, instantMs(r.at));
      else if (isResult(r)) since = Math.min(since, entryAt.get(r.entryId) ?? instantMs(r.at));
    }
    const toEvaluate = entries.filter((e) => !done.has(e.id) || instantMs(e.at) >= since);
    const warnings: WarningT[] = [];
    const plans = new Map<string, PlanInput | null>();
    for (const e of toEvaluate) warnings.push(...evaluateEntry(await this.contextOf(e, recs, plans)));
    // every correction and dispute reaches supervisors (and the agency concerned)
    warnings.push(...recordWarnings(fresh, recs, { enterprise: this.enterprise(uscc) }));
    // second signatures: a cosign that does not match its entry is warned at once
    warnings.push(...(await this.signatures.project(uscc, fresh, recs, raw)));
    await this.storeWarnings(warnings);
    const superseded = corrections(recs).superseded;
    // follow-ups: before the rows are committed, so that a crash makes them again (idempotent by result id)
    const today = shanghaiDate(this.now());
    if (fresh.some((r) => r.type === 'result' || r.type === 'rectification' || r.type === 'review') || superseded.size) {
      await this.followUps.project(fresh, recs, superseded, today);
      await this.checkFollowUps(today);
    }
    const facts = new Map<string, EntryFacts>();
    for (const e of fresh.filter(isEntry)) facts.set(e.id, await this.factsOf(e));
    this.tables.commit(
      room,
      upTo,
      fresh.filter(isEntry),
      fresh.filter(isResult),
      fresh.map((r) => r.id),
      { facts, superseded },
    );
  }

  /** measure 10 for the statistics: was the entry an on-site visit on a quiet day of a covered enterprise, under a listed exception? */
  private async factsOf(e: EntryRecord): Promise<EntryFacts> {
    const ent = this.enterprise(e.uscc);
    if (!ent || (e.method ?? 'onsite') !== 'onsite') return { quiet: false, quietException: false };
    const policy = await this.policy(shanghaiDate(e.at));
    if (!inQuietZone(ent, policy) || !isQuietDay(e.at, policy)) return { quiet: false, quietException: false };
    // the exception the rules take (precheck.ts): the first exemption of a quiet rule
    const exception = e.exemptions.find((x) => x.rule === 'quiet' || x.rule.startsWith('quiet.'));
    const v = quietPeriod({ enterprise: ent, at: e.at, kind: e.kind, method: e.method, exception }, policy);
    return { quiet: true, quietException: v.code === 'quiet.exception' };
  }

  private async contextOf(e: EntryRecord, ledger: LedgerRecord[], plans: Map<string, PlanInput | null>) {
    const year = shanghaiYear(e.at);
    const planRoom = rooms.plan(e.agencyId, year);
    if (!plans.has(planRoom)) plans.set(planRoom, parseRoom(planRoom) ? await this.planOf(planRoom) : null);
    return {
      entry: e,
      ledger,
      // the policy in force on the day of the inspection
      policy: await this.policy(shanghaiDate(e.at)),
      certificates: await this.certificates(),
      enterprise: this.enterprise(e.uscc),
      agency: this.agency(e.agencyId),
      plan: plans.get(planRoom) ?? null,
    };
  }

  private async planOf(room: string): Promise<PlanInput | null> {
    const p = await this.o.relay.read(room, (d) => ({ meta: readPlanMeta(d).meta, items: readPlanItems(d).items }));
    if (!p.meta) return null;
    return { meta: p.meta, items: p.items, currentHash: await this.hashOf(p.meta, p.items) };
  }

  private async hashOf(meta: PlanMeta, items: PlanItem[]): Promise<string | undefined> {
    try {
      return await planHash(meta, items);
    } catch {
      return undefined;
    }
  }

  // ---------------------------------------------------------------- plan rooms

  private async projectPlan(room: string, agencyId: string, year: number): Promise<void> {
    const upTo = this.o.latestUpdateId(room);
    const p = await this.o.relay.read(room, (d) => ({ meta: readPlanMeta(d).meta, items: readPlanItems(d).items }));
    if (p.meta?.filedHash) {
      const currentHash = await this.hashOf(p.meta, p.items);
      const w =
        currentHash === undefined
          ? null
          : planChangedWarning({
              room,
              agencyId,
              year,
              meta: p.meta,
              currentHash,
              at: this.now().toISOString(),
              agency: this.agency(agencyId),
            });
      if (w) await this.storeWarnings([w]);
    }
    this.tables.setHwm(room, upTo);
  }

  // ---------------------------------------------------------------- warnings

  /** Store the warnings not stored yet: the live doc first, then SQL. Returns the new ones. */
  private async storeWarnings(ws: readonly WarningT[]): Promise<WarningT[]> {
    const byId = new Map<string, WarningT>();
    for (const w of ws) if (!byId.has(w.id) && !this.tables.hasWarning(w.id)) byId.set(w.id, w);
    if (!byId.size) return [];
    const byYear = new Map<number, WarningT[]>();
    for (const w of byId.values()) {
      const y = yearOfWarning(w);
      byYear.set(y, [...(byYear.get(y) ?? []), w]);
    }
    const stored: WarningT[] = [];
    for (const [year, list] of byYear) {
      const room = rooms.supervision(year);
      if (!parseRoom(room)) {
        this.o.log.warn('warning year out of range', { year, ids: list.map((w) => w.id) });
        continue;
      }
      await this.o.relay.change(room, (doc) => {
        const map = supervisionRoots(doc).warnings;
        for (const w of list) if (!map.has(w.id)) putWarning(doc, w, 'projection');
      });
      this.tables.insertWarnings(list, this.now().getTime());
      stored.push(...list);
    }
    if (stored.length) this.o.log.info('warnings raised', { n: stored.length, kinds: [...new Set(stored.map((w) => w.kind))] });
    return stored;
  }

  // ---------------------------------------------------------------- inputs

  /** the policy in force on `date` (YYYY-MM-DD); the defaults when the doc holds none */
  private async policy(date: string): Promise<PolicyConfig> {
    if (!this.policyCache) {
      this.policyCache = await this.o.relay.read(rooms.config(), (d) => ({ base: readPolicy(d).policy, schedule: readPolicySchedule(d).items }));
    }
    return policyAt(this.policyCache.base, this.policyCache.schedule, date) ?? defaultPolicy();
  }

  private async certificates(): Promise<Certificate[]> {
    if (!this.certCache) this.certCache = await this.o.relay.read(rooms.registry(), (d) => readCertificates(d).items);
    return this.certCache;
  }

  private agency(id: string): Agency | null {
    return this.o.dir.agency(id) ?? null;
  }

  private enterprise(uscc: string): Enterprise | null {
    const p = Enterprise.safeParse(this.o.dir.enterprise(uscc));
    return p.success ? p.data : null;
  }
}

/** the inspector behind a user account, from the accounts' `users` table (absent: no inspector) */
function usersInspectorOf(db: DB): (userId: string) => string | undefined {
  let q: ReturnType<DB['prepare']> | null = null;
  return (userId) => {
    try {
      q ??= db.prepare('SELECT inspector_id AS id FROM users WHERE id = ?');
      return (q.get(userId) as { id: string | null } | undefined)?.id ?? undefined;
    } catch {
      return undefined;
    }
  };
}
