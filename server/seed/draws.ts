/**
 * The demo's published 双随机 draw: last November the city market regulator drew its food-safety inspections
 * with the justice bureau, so that a newcomer finds on /public/draws a whole draw, its commitments and reveals,
 * and can verify it in the browser. Built with the same code as a real draw (src/domain/draw.ts) from the
 * demo's enterprises and inspectors; the parties' secrets come from the seed's dice (a real party's come
 * from its browser). No tasks: last year's inspections are the seed's own.
 */
import * as Y from 'yjs';
import { commitmentOf, digestStatement, runDraw, seedOf, statementWithoutPopulation, type CreditClass, type DrawStatement } from '../../src/domain/draw';
import type { DrawStatementWire } from '../../src/protocol/draws';
import { enterpriseMatchesTargets } from '../../src/domain/joint-suggest';
import { putDraw } from '../../src/model';
import { rooms } from '../../src/domain/rooms';
import type { Prng } from '../../src/domain/prng';
import type { Certificate, Draw, Enterprise, Inspector } from '../../src/domain/schemas';
import type { SeedCalendar } from './calendar';
import { seedClientId } from './docs';

/** what the server stores of a seeded draw (server/draws/store.ts tables) */
export interface SeedDraw {
  draw: Draw;
  statement: DrawStatementWire;
  statementText: string;
  populationText: string;
  parties: { party: string; commitment: string; secret: string; at: string }[];
  picks: { uscc: string; name: string; cls: CreditClass; teams: Record<string, string[]> }[];
}

const ORGANISER = 'city-market';
const JUSTICE = 'city-justice';
const INDUSTRIES = ['food_production', 'catering', 'retail'];

export function buildDemoDraw(o: {
  r: Prng;
  cal: SeedCalendar;
  enterprises: readonly Enterprise[];
  inspectors: readonly Inspector[];
  certificates: readonly Certificate[];
}): { draw: SeedDraw; doc: [string, Uint8Array] } | null {
  const year = o.cal.year - 1;
  const window = { from: `${year}-11-02`, to: `${year}-11-13` };
  const population = o.enterprises
    .filter((e) => enterpriseMatchesTargets(e, { industries: INDUSTRIES }))
    .map((e) => ({ uscc: e.uscc, cls: e.creditLevel as CreditClass }));
  const certified = (i: Inspector) =>
    o.certificates.some((c) => c.inspectorId === i.id && c.status === 'valid' && c.issuedOn <= window.from && c.expiresOn >= window.to);
  const pool = o.inspectors.filter((i) => i.agencyId === ORGANISER && i.active !== false && certified(i)).map((i) => i.id);
  if (population.length === 0 || pool.length < 2) return null;
  const id = `${ORGANISER}.d${year}-1`;
  const parties = [`agency:${ORGANISER}`, `justice:${JUSTICE}`];
  const statement: DrawStatement = {
    drawId: id,
    population,
    ratios: { A: 300, B: 500, C: 1000, D: 2000 },
    teams: [{ agencyId: ORGANISER, perTask: 2, pool }],
    recusals: {},
    parties,
  };
  const hex = () => Array.from({ length: 64 }, () => o.r.int(0, 15).toString(16)).join('');
  const secrets = Object.fromEntries(parties.map((p) => [p, hex()]));
  const at = (day: string, h: number) => o.cal.instant(day, h, 0);
  const created = at(`${year}-10-26`, 9);
  const committed = at(`${year}-10-27`, 10);
  const revealed = at(`${year}-10-28`, 10);
  // the seed from the reveals, as the server makes it; then the draw itself
  const run = runDraw(statement, seedOf(digestStatement(statement).paramsHash, secrets));
  const byUscc = new Map(o.enterprises.map((e) => [e.uscc, e]));
  const draw: Draw = {
    id,
    year,
    kind: 'agency',
    organiserId: ORGANISER,
    teamAgencyIds: [ORGANISER],
    title: `${year}年11月食品安全“双随机、一公开”抽查`,
    window,
    status: 'published',
    paramsHash: run.paramsHash,
    populationHash: run.populationHash,
    populationSize: population.length,
    ratios: statement.ratios,
    parties: parties.map((p) => ({
      party: p,
      commitment: commitmentOf(run.paramsHash, p, secrets[p]),
      committedAt: committed,
      revealedAt: revealed,
    })),
    revealBy: at(`${year}-10-29`, 23),
    seed: run.seed,
    resultHash: run.resultHash,
    selectedCount: run.picks.length,
    createdBy: 'u-agency1',
    createdAt: created,
    updatedAt: at(window.to, 18),
  };
  const doc = new Y.Doc({ gc: true });
  const room = rooms.draws(year);
  doc.clientID = seedClientId(room);
  putDraw(doc, draw);
  return {
    draw: {
      draw,
      // the statement as the server stores it: normalised, without its population (served as text)
      statement: statementWithoutPopulation(statement),
      statementText: run.statementText,
      populationText: run.populationText,
      parties: parties.map((p) => ({ party: p, commitment: commitmentOf(run.paramsHash, p, secrets[p]), secret: secrets[p], at: committed })),
      picks: run.picks.map((p) => {
        const e = byUscc.get(p.uscc)!;
        return { uscc: p.uscc, name: e.name, cls: e.creditLevel as CreditClass, teams: p.teams };
      }),
    },
    doc: [room, Y.encodeStateAsUpdate(doc)],
  };
}
