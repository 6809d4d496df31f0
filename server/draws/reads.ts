/**
 * What draws show besides their lifecycle (server/draws/service.ts writes; this only reads):
 * - the public views (一公开): every draw's summary and commitments at once; its population, statement,
 *   reveals and picks once published; each inspection's result as soon as it is recorded;
 * - an enterprise's own results (it never sees a draw before its inspection);
 * - sampling coverage of each agency against its filed plan's sampling items and the policy's yearly floor.
 *
 * Results come from server/draws/results.ts (the draw's tasks joined with the projection's tables).
 */
import type { Agency, Draw, PlanItem, Text } from '../../src/domain/schemas';
import { enterpriseMatchesTargets } from '../../src/domain/joint-suggest';
import { resultText } from '../../src/domain/draw';
import { rooms } from '../../src/domain/rooms';
import { policyOn, readPlan } from '../../src/model';
import { DEFAULT_POLICY } from '../../src/domain/policy-defaults';
import type { AgencyCoverage, Coverage, DrawResultWire, MyDrawResults, PublicDraw, PublicDrawSummary } from '../../src/protocol/draws';
import type { DB } from '../store/db';
import { drawResults } from './results';
import type { DrawStore } from './store';
import type { Directory } from '../directory/store';
import type { RoomPort } from '../sync/port';
import type { Clock } from '../clock';
import type { CatalogueStore } from '../catalogue/store';

export interface DrawReadsDeps {
  db: DB;
  /** the lifecycle's tables (server/draws/store.ts), read here */
  store: DrawStore;
  dir: Directory;
  rooms: Pick<RoomPort, 'read'>;
  clock: Clock;
  catalogues: Pick<CatalogueStore, 'latest'>;
  /** brings lapses and publications up to date before answering */
  sweep: () => Promise<void>;
}

export class DrawReads {
  constructor(readonly d: DrawReadsDeps) {}

  private results(where: string, ...args: unknown[]): (DrawResultWire & { drawId: string })[] {
    return drawResults(this.d.db, where, ...args);
  }

  private summary(d: Draw, resultsPublished: number): PublicDrawSummary {
    const a = this.d.dir.agency(d.organiserId);
    const published = d.status === 'published';
    return {
      id: d.id,
      year: d.year,
      kind: d.kind,
      organiserId: d.organiserId,
      organiserName: a?.name ?? d.organiserId,
      organiserNameEn: a?.nameEn ?? d.organiserId,
      teamAgencyIds: d.teamAgencyIds,
      title: d.title,
      window: d.window,
      status: d.status,
      paramsHash: d.paramsHash,
      populationHash: d.populationHash,
      populationSize: d.populationSize,
      ratios: d.ratios,
      parties: d.parties,
      ...(d.revealBy ? { revealBy: d.revealBy } : {}),
      ...(d.replaces ? { replaces: d.replaces } : {}),
      createdAt: d.createdAt,
      ...(published && d.seed ? { seed: d.seed } : {}),
      ...(published && d.resultHash ? { resultHash: d.resultHash } : {}),
      ...(published && d.selectedCount !== undefined ? { selectedCount: d.selectedCount } : {}),
      resultsPublished,
    };
  }

  /** GET /api/public/draws?year= */
  async publicList(year?: number): Promise<{ items: PublicDrawSummary[] }> {
    await this.d.sweep();
    const list = year === undefined ? this.d.store.all() : this.d.store.list(year);
    const counts = new Map<string, number>();
    for (const r of this.results(year === undefined ? '1 = 1' : 'dt.draw_id IN (SELECT id FROM draws WHERE year = ?)', ...(year === undefined ? [] : [year]))) {
      counts.set(r.drawId, (counts.get(r.drawId) ?? 0) + 1);
    }
    return { items: list.map((d) => this.summary(d, counts.get(d.id) ?? 0)) };
  }

  /** GET /api/public/draws/:id (null: no such draw) */
  async publicDraw(id: string): Promise<PublicDraw | null> {
    await this.d.sweep();
    const d = this.d.store.get(id);
    if (!d) return null;
    const results = this.results('dt.draw_id = ?', id).map(({ drawId: _, ...r }) => r);
    const out: PublicDraw = { ...this.summary(d, results.length), results };
    if (d.status !== 'published') return out;
    const st = this.d.store.statement(id);
    const secrets = this.d.store.parties(id).flatMap((x) => (x.secret ? [[x.party, x.secret] as const] : []));
    // the public does not see the credit-risk class of each pick (the population text has it)
    const picks = this.d.store.picks(id).map(({ cls: _, ...p }) => p);
    const named = new Set(picks.flatMap((p) => Object.values(p.teams).flat()));
    const inspectors: Record<string, string> = {};
    for (const a of d.teamAgencyIds) {
      for (const x of this.d.dir.inspectors(a) as { id: string; name: string }[]) if (named.has(x.id)) inspectors[x.id] = x.name;
    }
    return {
      ...out,
      inspectors,
      ...(st ? { statement: st.statement, statementText: st.statementText } : {}),
      reveals: Object.fromEntries(secrets),
      picks,
      resultText: resultText(picks),
    };
  }

  /** GET /api/public/draws/:id/population: the text once published, else null */
  async publicPopulation(id: string): Promise<string | null> {
    await this.d.sweep();
    if (this.d.store.get(id)?.status !== 'published') return null;
    return this.d.store.populationText(id) ?? null;
  }

  /** GET /api/draws/mine: an enterprise's results under draws, once inspected */
  async mine(uscc: string): Promise<MyDrawResults> {
    await this.d.sweep();
    const rows = this.results('dt.uscc = ?', uscc);
    return {
      items: rows.map((r) => {
        const a = this.d.dir.agency(r.agencyId);
        return { ...r, title: this.d.store.get(r.drawId)?.title ?? r.drawId, agencyName: a?.name ?? r.agencyId, agencyNameEn: a?.nameEn ?? r.agencyId };
      }),
    };
  }

  /** GET /api/draws/coverage: the given agencies' sampling against their filed plans and the yearly floor */
  async coverage(year: number, agencies: readonly Agency[]): Promise<Coverage> {
    await this.d.sweep();
    const today = this.d.clock.today();
    const policy = (await this.d.rooms.read(rooms.config(), (doc) => policyOn(doc, today))) ?? DEFAULT_POLICY;
    const minRatio = policy.draw.minRatio;
    // enterprises grouped by what targets look at: a few thousand groups instead of 100,000 rows per item
    const groups = this.d.db
      .prepare(
        'SELECT industry, division, risk_level AS riskLevel, COUNT(*) AS n FROM enterprises WHERE deregistered = 0 GROUP BY industry, division, risk_level',
      )
      .all() as { industry: string; division: string; riskLevel: 'low' | 'medium' | 'high' | 'major'; n: number }[];
    const reach = (items: PlanItem[]) => groups.reduce((sum, g) => sum + (items.some((it) => enterpriseMatchesTargets(g, it.targets)) ? g.n : 0), 0);
    const out: AgencyCoverage[] = [];
    for (const a of agencies) {
      const plan = await this.d.rooms.read(rooms.plan(a.id, year), (doc) => readPlan(doc));
      const filed = plan.meta && (plan.meta.status === 'filed' || plan.meta.status === 'published');
      const sampling = filed ? plan.items.filter((it) => it.targets.samplingRatio !== undefined) : [];
      const names = new Map((this.d.catalogues.latest(a.id)?.content.items ?? []).map((i): [string, Text] => [i.id, { zh: i.name, en: i.nameEn }]));
      const counts = (extra: string, ...args: unknown[]) =>
        this.d.db
          .prepare(
            `SELECT COUNT(DISTINCT dt.uscc) AS n FROM draw_tasks dt JOIN draws d ON d.id = dt.draw_id
             WHERE dt.agency_id = ? AND d.year = ? AND d.status IN ('drawn', 'published') ${extra}`,
          )
          .get(a.id, year, ...args) as { n: number };
      const inspected = (extra: string, ...args: unknown[]) =>
        this.d.db
          .prepare(
            `SELECT COUNT(DISTINCT dt.uscc) AS n FROM draw_tasks dt JOIN draws d ON d.id = dt.draw_id
             JOIN inspections i ON i.task_id = dt.task_id
             WHERE dt.agency_id = ? AND d.year = ? ${extra}`,
          )
          .get(a.id, year, ...args) as { n: number };
      const drawCount = (planItemId: string) =>
        (
          this.d.db
            .prepare("SELECT COUNT(*) AS n FROM draws WHERE year = ? AND plan_item_id = ? AND status IN ('drawn', 'published')")
            .get(year, planItemId) as {
            n: number;
          }
        ).n;
      const items = sampling.map((it) => ({
        planItemId: it.id,
        itemId: it.itemId,
        itemName: names.get(it.itemId) ?? { zh: it.itemId, en: it.itemId },
        targetRatio: it.targets.samplingRatio ?? 0,
        population: reach([it]),
        drawn: counts('AND d.plan_item_id = ?', it.id).n,
        inspected: inspected('AND d.plan_item_id = ?', it.id).n,
        draws: drawCount(it.id),
      }));
      const population = reach(sampling);
      const drawn = counts('').n;
      const share = population ? drawn / population : 0;
      out.push({
        agencyId: a.id,
        name: a.name,
        nameEn: a.nameEn,
        population,
        drawn,
        inspected: inspected('').n,
        resultsPublished: this.results('dt.agency_id = ? AND dt.draw_id IN (SELECT id FROM draws WHERE year = ?)', a.id, year).length,
        share,
        meetsFloor: population > 0 && share >= minRatio,
        items,
      });
    }
    return { year, minRatio, agencies: out };
  }
}
