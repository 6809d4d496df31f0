/**
 * The enterprise file's time line (一企一档), pure: events grouped under the inspection they belong to, the
 * filters by type and agency, the agencies to filter by. The page (EnterpriseFilePage) only draws this.
 *
 * Groups are newest first by the time of their inspection; inside a group the result, acknowledgements,
 * disputes, ratings, complaints and warnings follow in the order they happened (the story of one
 * inspection reads forwards). An event with no inspection in the file (a warning about a plan, a complaint
 * without a record) is a group of its own at its own time.
 */
import type { FileEvent, FileEventType } from '../../../protocol/stats';

export interface FileGroup {
  /** the inspection (entry) the group is about; null for a lone event */
  entry: FileEvent | null;
  /** the events shown under it (the entry itself not included), oldest first */
  events: FileEvent[];
  /** the time the group sorts by */
  at: string;
}

export interface FileFilter {
  /** '' = every type */
  type: FileEventType | '';
  /** '' = every agency */
  agencyId: string;
}

const ms = (e: FileEvent) => Date.parse(e.at);

/** every agency named in the file, by name (for the filter) */
export function agenciesOf(events: readonly FileEvent[]): { id: string; name: string; nameEn: string }[] {
  const out = new Map<string, { id: string; name: string; nameEn: string }>();
  for (const e of events)
    if (e.agencyId && !out.has(e.agencyId)) out.set(e.agencyId, { id: e.agencyId, name: e.agencyName ?? e.agencyId, nameEn: e.agencyNameEn ?? e.agencyId });
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh'));
}

/**
 * The groups to show under a filter. With a type other than 'entry', a group keeps its inspection as context
 * (`entry`) but lists only events of that type; groups left with nothing are dropped. The agency filter
 * keeps the events of that agency.
 */
export function groupEvents(events: readonly FileEvent[], f: FileFilter = { type: '', agencyId: '' }): FileGroup[] {
  const entries = new Map(events.filter((e) => e.type === 'entry').map((e) => [e.id, e]));
  const under = new Map<string, FileEvent[]>();
  const lone: FileEvent[] = [];
  const keep = (e: FileEvent) => (!f.type || e.type === f.type) && (!f.agencyId || e.agencyId === f.agencyId);
  for (const e of events) {
    if (e.type === 'entry') continue;
    if (!keep(e)) continue;
    if (e.entryId && entries.has(e.entryId)) {
      const list = under.get(e.entryId) ?? [];
      list.push(e);
      under.set(e.entryId, list);
    } else lone.push(e);
  }
  const groups: FileGroup[] = [];
  for (const entry of entries.values()) {
    const list = (under.get(entry.id) ?? []).sort((a, b) => ms(a) - ms(b) || (a.id < b.id ? -1 : 1));
    const entryKept = (!f.type || f.type === 'entry') && (!f.agencyId || entry.agencyId === f.agencyId);
    if (!entryKept && !list.length) continue;
    // with the 'entry' type, the inspections alone
    groups.push({ entry, events: f.type === 'entry' ? [] : list, at: entry.at });
  }
  for (const e of lone) groups.push({ entry: null, events: [e], at: e.at });
  return groups.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}

/** does the group's inspection itself match the filter (shown as an event), or is it only context? */
export function entryShown(g: FileGroup, f: FileFilter): boolean {
  return !!g.entry && (!f.type || f.type === 'entry') && (!f.agencyId || g.entry.agencyId === f.agencyId);
}

/** an instant as the Shanghai date and time, `2026-05-30 15:40` */
export function shanghaiMinute(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}
