/**
 * Directory reads that need more than the directory's tables: the handbook chapters (一业一册) of one
 * industry, from each enforcement agency's latest published catalogue version (server/catalogue), never
 * from the draft the agency is still editing.
 */
import type { HandbookChapter } from '../../src/domain/schemas';
import type { Directory } from './store';

export interface HandbookDeps {
  dir: Pick<Directory, 'enforcementAgencies'>;
  /** an agency's handbook chapters in its latest published version (none when it has not published) */
  published: (agencyId: string) => readonly HandbookChapter[];
  /** changes whenever any agency publishes: a cached answer older than the latest publish is recomputed */
  generation: () => number;
  now: () => Date;
}

export type Handbooks = (industry: string) => Promise<{ agencyId: string; chapter: HandbookChapter }[]>;

/** every agency's latest version is read to answer: keep the answer a minute, or until the next publish */
export function createHandbooks(d: HandbookDeps): Handbooks {
  const cache = new Map<string, { at: number; gen: number; chapters: { agencyId: string; chapter: HandbookChapter }[] }>();
  return async (industry) => {
    const gen = d.generation();
    let hit = cache.get(industry);
    if (!hit || hit.gen !== gen || d.now().getTime() - hit.at > 60_000) {
      const chapters: { agencyId: string; chapter: HandbookChapter }[] = [];
      for (const a of d.dir.enforcementAgencies())
        for (const chapter of d.published(a.id)) if (chapter.industry === industry) chapters.push({ agencyId: a.id, chapter });
      if (cache.size > 100) cache.clear();
      hit = { at: d.now().getTime(), gen, chapters };
      cache.set(industry, hit);
    }
    return hit.chapters;
  };
}
