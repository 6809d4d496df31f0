/**
 * Supervision statistics (measure 15) over the projection's SQL tables: the sections of the statistics page
 * and the yearly report, the ledger's rows for export, one enterprise's whole file. Reads only: the
 * projection (server/projection/) writes every table read here, the directory its own.
 *   inspections.ts      summary, monthly, agencies, enterprises, records (inspections and results)
 *   supervision.ts      warnings, feedback (ratings, complaints), plans
 *   enterprise-file.ts  一企一档
 */
import type { DB } from '../store/db';
import type { Directory } from '../directory/store';
import type { RoomPort } from '../sync/port';
import type { Clock } from '../clock';
import type { ProjectionTables } from '../projection/tables';
import type { DrawReads } from '../draws/reads';
import type { StatsScope } from './scope';
import * as inspections from './inspections';
import * as supervision from './supervision';
import { enterpriseFile } from './enterprise-file';

export interface StatsDeps {
  db: DB;
  dir: Directory;
  rooms: Pick<RoomPort, 'read'>;
  clock: Clock;
  tables: ProjectionTables;
  /** 双随机 coverage of the plans' sampling items (server/draws/reads.ts) */
  draws: Pick<DrawReads, 'coverage'>;
}

export class StatsService {
  constructor(readonly d: StatsDeps) {}

  /** changes whenever a figure may have (the projection's generation): the ETag's root */
  version(): string {
    return String(this.d.tables.generation);
  }

  summary = (s: StatsScope) => inspections.summary(this.d, s);
  monthly = (s: StatsScope) => inspections.monthly(this.d, s);
  agencies = (s: StatsScope) => inspections.agencies(this.d, s);
  enterprises = (s: StatsScope) => inspections.enterprises(this.d, s);
  records = (s: StatsScope, after: string | undefined, limit: number) => inspections.records(this.d, s, after, limit);
  warnings = (s: StatsScope) => supervision.warnings(this.d, s);
  feedback = (s: StatsScope) => supervision.feedback(this.d, s);
  plans = (s: StatsScope) => supervision.plans(this.d, s);
  enterpriseFile = (uscc: string) => enterpriseFile(this.d, uscc);
}
