/**
 * The draw lifecycle (双随机): create (snapshot the population, pool and recusals; publish the statement),
 * commit, reveal (the last reveal runs the draw and makes the tasks), cancel, and the sweep that lapses draws
 * whose parties did not reveal in time and publishes draws whose inspections are over.
 * Placeholder: being built.
 */
import type { DB } from '../store/db';
import type { Directory } from '../directory/store';
import type { RoomPort } from '../sync/port';
import type { InspectorRecords } from '../directory/inspectors';
import type { FilingStore } from '../filings/store';
import type { CatalogueStore } from '../catalogue/store';
import type { AuditLog } from '../audit/store';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Task } from '../../src/domain/schemas';

export interface DrawServiceDeps {
  db: DB;
  dir: Directory;
  rooms: RoomPort;
  inspectors: InspectorRecords;
  filings: FilingStore;
  catalogues: Pick<CatalogueStore, 'latest'>;
  audit: AuditLog;
  clock: Clock;
  log: Logger;
  signCheckCode?: (task: Task, inspectors: { id: string; name: string; cert: string }[]) => Promise<string>;
}

export class DrawService {
  constructor(readonly d: DrawServiceDeps) {}

  /** lapse draws past their reveal deadline, publish draws whose inspections are over */
  async sweep(): Promise<void> {}
}
