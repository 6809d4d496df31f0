/**
 * The enterprise file's time line (src/pages/supervisor/file/timeline.ts): every event under its inspection,
 * inspections newest first and each one's story forwards, lone events at their own time, and the filters by
 * type (the inspection kept as context) and agency.
 */
import { describe, expect, it } from 'vitest';
import { agenciesOf, entryShown, groupEvents, shanghaiMinute } from '../../../src/pages/supervisor/file/timeline';
import type { FileEvent } from '../../../src/protocol/stats';

const ev = (id: string, type: FileEvent['type'], at: string, agencyId: string | null, entryId: string | null): FileEvent => ({
  id,
  type,
  at,
  agencyId,
  agencyName: agencyId ? `名-${agencyId}` : null,
  agencyNameEn: agencyId ? `N-${agencyId}` : null,
  entryId,
  title: { zh: id, en: id },
  details: [],
});

// newest first, as the server sends them
const events: FileEvent[] = [
  ev('w-plan', 'warning', '2026-11-01T00:00:00Z', 'b', null),
  ev('rating-2', 'rating', '2026-10-03T00:00:00Z', 'b', 'entry-2'),
  ev('ack-2', 'ack', '2026-10-02T00:00:00Z', 'b', 'entry-2'),
  ev('result-2', 'result', '2026-10-01T12:00:00Z', 'b', 'entry-2'),
  ev('entry-2', 'entry', '2026-10-01T10:00:00Z', 'b', 'entry-2'),
  ev('complaint-1', 'complaint', '2026-06-01T00:00:00Z', 'a', 'entry-1'),
  ev('result-1', 'result', '2026-05-30T12:00:00Z', 'a', 'entry-1'),
  ev('entry-1', 'entry', '2026-05-30T10:00:00Z', 'a', 'entry-1'),
  ev('orphan', 'complaint', '2026-03-01T00:00:00Z', null, 'gone'),
];

describe('the time line', () => {
  it('groups each event under its inspection: inspections newest first, each story forwards, lone events at their time', () => {
    const g = groupEvents(events);
    expect(g.map((x) => x.entry?.id ?? x.events[0].id)).toEqual(['w-plan', 'entry-2', 'entry-1', 'orphan']);
    expect(g[1].events.map((e) => e.id)).toEqual(['result-2', 'ack-2', 'rating-2']);
    expect(g[2].events.map((e) => e.id)).toEqual(['result-1', 'complaint-1']);
    expect(g[3].entry).toBeNull();
    // every event once
    expect(g.flatMap((x) => [...(x.entry ? [x.entry.id] : []), ...x.events.map((e) => e.id)]).sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('a type filter keeps the inspection as context only, and drops inspections without a match', () => {
    const f = { type: 'rating' as const, agencyId: '' };
    const g = groupEvents(events, f);
    expect(g).toHaveLength(1);
    expect(g[0].entry?.id).toBe('entry-2');
    expect(g[0].events.map((e) => e.id)).toEqual(['rating-2']);
    expect(entryShown(g[0], f)).toBe(false);
    const entries = groupEvents(events, { type: 'entry', agencyId: '' });
    expect(entries.map((x) => x.entry?.id)).toEqual(['entry-2', 'entry-1']);
    expect(entries.every((x) => x.events.length === 0 && entryShown(x, { type: 'entry', agencyId: '' }))).toBe(true);
  });

  it('an agency filter keeps that agency’s inspections and events', () => {
    const g = groupEvents(events, { type: '', agencyId: 'a' });
    expect(g.map((x) => x.entry?.id ?? x.events[0].id)).toEqual(['entry-1']);
    expect(g[0].events.map((e) => e.id)).toEqual(['result-1', 'complaint-1']);
  });

  it('the agencies to filter by, and Shanghai times', () => {
    expect(agenciesOf(events).map((a) => a.id)).toEqual(['a', 'b']);
    expect(shanghaiMinute('2026-05-30T02:00:00Z')).toBe('2026-05-30 10:00');
    expect(shanghaiMinute('2026-05-30T23:30:00+08:00')).toBe('2026-05-30 23:30');
  });
});
