/**
 * The room table of DESIGN §4, written out independently of src/domain/rights.ts: every role
 * (and the anonymous public) × every room kind × read/write, with the facts that decide plan and
 * joint rooms (planPublished, jointMembers, cityCounterpartId).
 */
import { describe, expect, it } from 'vitest';
import {
  ROOM_KINDS,
  access,
  canRead,
  canWrite,
  isAppendOnly,
  parseRoom,
  type Access,
  type Principal,
  type RoomFacts,
  type RoomKind,
} from '../../../src/domain';
import { U1, U2 } from './fixtures';

const who = {
  inspA: { userId: 'u-i1', role: 'inspector', name: '张三', agencyId: 'A', inspectorId: 'i1' },
  inspB: { userId: 'u-i2', role: 'inspector', name: '李四', agencyId: 'B', inspectorId: 'i2' },
  agencyA: { userId: 'u-a', role: 'agency', name: '市场监管局', agencyId: 'A' },
  agencyB: { userId: 'u-b', role: 'agency', name: '生态环境局', agencyId: 'B' },
  agencyC: { userId: 'u-c', role: 'agency', name: '应急管理局', agencyId: 'C' },
  supervisor: { userId: 'u-s', role: 'supervisor', name: '司法局' },
  ent1: { userId: 'u-e1', role: 'enterprise', name: '企业一', uscc: U1 },
  ent2: { userId: 'u-e2', role: 'enterprise', name: '企业二', uscc: U2 },
  public: null,
} satisfies Record<string, Principal | null>;
type Who = keyof typeof who;
const WHO = Object.keys(who) as Who[];

interface Case {
  kind: RoomKind;
  room: string;
  facts?: RoomFacts;
  label: string;
  expect: Partial<Record<Who, Access>>;
}
// unlisted principals expect 'none'
const N: Case[] = [
  {
    kind: 'agency',
    room: 'agency/A',
    label: 'agency profile: all signed in read, the agency writes',
    expect: { inspA: 'read', inspB: 'read', agencyA: 'write', agencyB: 'read', agencyC: 'read', supervisor: 'read', ent1: 'read', ent2: 'read' },
  },
  {
    kind: 'plan',
    room: 'plan/A/2026',
    facts: {},
    label: 'plan before publication: the agency and the supervisor',
    expect: { agencyA: 'write', supervisor: 'read' },
  },
  {
    kind: 'plan',
    room: 'plan/A/2026',
    facts: { planPublished: true },
    label: 'published plan: everyone signed in reads',
    expect: { inspA: 'read', inspB: 'read', agencyA: 'write', agencyB: 'read', agencyC: 'read', supervisor: 'read', ent1: 'read', ent2: 'read' },
  },
  {
    kind: 'plan',
    room: 'plan/A/2026',
    facts: { cityCounterpartId: 'B' },
    label: 'county plan: the city counterpart writes its opinion',
    expect: { agencyA: 'write', agencyB: 'write', supervisor: 'read' },
  },
  {
    kind: 'plan',
    room: 'plan/A/2026',
    facts: { cityCounterpartId: 'B', planPublished: true },
    label: 'published county plan with counterpart',
    expect: { inspA: 'read', inspB: 'read', agencyA: 'write', agencyB: 'write', agencyC: 'read', supervisor: 'read', ent1: 'read', ent2: 'read' },
  },
  {
    kind: 'joint',
    room: 'joint/J1',
    facts: { jointMembers: ['A', 'B'] },
    label: 'joint plan: members write, supervisors read',
    expect: { agencyA: 'write', agencyB: 'write', supervisor: 'read' },
  },
  {
    kind: 'joint',
    room: 'joint/J1',
    facts: { jointMembers: ['B'] },
    label: 'joint plan: a non-member agency has no access',
    expect: { agencyB: 'write', supervisor: 'read' },
  },
  { kind: 'joint', room: 'joint/J1', facts: {}, label: 'joint plan without known members: nobody writes', expect: { supervisor: 'read' } },
  { kind: 'tasks', room: 'tasks/A/2026', label: 'tasks: the agency and its inspectors', expect: { inspA: 'write', agencyA: 'write' } },
  {
    kind: 'ledger',
    room: `ledger/${U1}`,
    label: 'ledger: enterprise, inspectors and agency admins (reviews only: record rules) append; supervisors read',
    expect: { inspA: 'append', inspB: 'append', agencyA: 'append', agencyB: 'append', agencyC: 'append', supervisor: 'read', ent1: 'append' },
  },
  {
    kind: 'feedback',
    room: `feedback/${U1}`,
    label: 'feedback: the enterprise appends, supervisors read, agencies nothing',
    expect: { supervisor: 'read', ent1: 'append' },
  },
  {
    kind: 'registry',
    room: 'registry/certificates',
    label: 'certificate registry: written by the server only (the API), all signed in read',
    expect: { inspA: 'read', inspB: 'read', agencyA: 'read', agencyB: 'read', agencyC: 'read', supervisor: 'read', ent1: 'read', ent2: 'read' },
  },
  {
    kind: 'draws',
    room: 'draws/2026',
    label:
      'draws: written by the server only; agencies and supervisors read; inspectors, enterprises and the public nothing (a draw names who is visited, and by whom)',
    expect: { agencyA: 'read', agencyB: 'read', agencyC: 'read', supervisor: 'read' },
  },
  {
    kind: 'supervision',
    room: 'supervision/2026',
    label: 'supervision: supervisors only (agencies see theirs through the API)',
    expect: { supervisor: 'write' },
  },
  {
    kind: 'config',
    room: 'config/city',
    label: 'city policy: written by the server only (the API), all signed in read',
    expect: { inspA: 'read', inspB: 'read', agencyA: 'read', agencyB: 'read', agencyC: 'read', supervisor: 'read', ent1: 'read', ent2: 'read' },
  },
];

describe('rights table (DESIGN §4)', () => {
  it('covers every room kind', () => {
    expect(new Set(N.map((c) => c.kind))).toEqual(new Set(ROOM_KINDS));
    for (const c of N) expect(parseRoom(c.room)?.kind).toBe(c.kind);
  });

  const rows = N.flatMap((c) => WHO.flatMap((w) => (['read', 'write'] as const).map((op) => ({ c, w, op }))));
  it.each(rows.map((r) => [`${r.c.label} — ${r.w} ${r.op}`, r] as const))('%s', (_n, { c, w, op }) => {
    const want = c.expect[w] ?? 'none';
    const got = access(who[w], parseRoom(c.room)!, c.facts);
    expect(got).toBe(want);
    if (op === 'read') expect(canRead(got)).toBe(want !== 'none');
    else expect(canWrite(got)).toBe(want === 'write' || want === 'append');
  });

  it('writers of append-only rooms get append, never write; other rooms never append', () => {
    for (const c of N)
      for (const w of WHO) {
        const a = access(who[w], parseRoom(c.room)!, c.facts);
        if (isAppendOnly(c.kind)) expect(a).not.toBe('write');
        else expect(a).not.toBe('append');
      }
  });
});
