/**
 * What draws show besides their lifecycle: the public views, each inspection's result, an enterprise's own
 * results, and sampling coverage. Placeholder: being built.
 */
import type { DB } from '../store/db';
import type { Directory } from '../directory/store';
import type { RoomPort } from '../sync/port';
import type { Clock } from '../clock';

export interface DrawReadsDeps {
  db: DB;
  dir: Directory;
  rooms: Pick<RoomPort, 'read'>;
  clock: Clock;
  /** brings lapses and publications up to date before answering */
  sweep: () => Promise<void>;
}

export class DrawReads {
  constructor(readonly d: DrawReadsDeps) {}
}
