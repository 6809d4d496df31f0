/**
 * Directory reads that need more than the directory's tables: the handbook chapters (一业一册) that the
 * enforcement agencies keep in their `agency/<id>` docs, gathered for one industry.
 */
import { rooms } from '../../src/domain/rooms';
import { readHandbooks } from '../../src/model';
import type { RoomReader } from '../sync/port';
import type { Directory } from './store';

export interface HandbookDeps {
  dir: Pick<Directory, 'enforcementAgencies'>;
  rooms: RoomReader;
  now: () => Date;
}

export type Handbooks = (industry: string) => Promise<{ agencyId: string; chapter: unknown }[]>;

/** every agency doc is read to answer: keep the answer a minute (handbooks change rarely) */
export function createHandbooks(d: HandbookDeps): Handbooks {
  const cache = new Map<string, { at: number; chapters: { agencyId: string; chapter: unknown }[] }>();
  return async (industry) => {
    let hit = cache.get(industry);
    if (!hit || d.now().getTime() - hit.at > 60_000) {
      const chapters: { agencyId: string; chapter: unknown }[] = [];
      for (const a of d.dir.enforcementAgencies()) {
        const found = await d.rooms.read(rooms.agency(a.id), (doc) => readHandbooks(doc).items.filter((h) => h.industry === industry));
        for (const chapter of found) chapters.push({ agencyId: a.id, chapter });
      }
      if (cache.size > 100) cache.clear();
      hit = { at: d.now().getTime(), chapters };
      cache.set(industry, hit);
    }
    return hit.chapters;
  };
}
