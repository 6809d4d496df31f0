/**
 * Who may read and write which room (DESIGN §4), as one table. The server decides at the WebSocket
 * upgrade with `access()`; readers' write messages are dropped; `append` rooms are write-once.
 * Facts the table needs that live outside the room name (publication, joint membership) come in `facts`.
 */
import type { Principal } from './schemas';
import type { RoomRef } from './rooms';

export type Access = 'none' | 'read' | 'write' | 'append';

export interface RoomFacts {
  /** plan rooms: the plan has been published (一公开) */
  planPublished?: boolean;
  /** joint rooms: agency ids of the members (kept by the server) */
  jointMembers?: readonly string[];
  /** plan rooms: the plan owner's matching city agency, which comments on a county plan (measure 4) */
  cityCounterpartId?: string;
}

export function access(p: Principal | null, room: RoomRef, facts: RoomFacts = {}): Access {
  if (!p) return 'none'; // the public reads through the HTTP API, never a socket
  const own = (agencyId: string) => p.agencyId === agencyId;
  switch (room.kind) {
    case 'agency':
      return p.role === 'agency' && own(room.agencyId) ? 'write' : 'read';
    case 'plan':
      if (p.role === 'agency' && own(room.agencyId)) return 'write';
      // the matching city agency writes its item-by-item opinion into the county plan's comments
      if (p.role === 'agency' && facts.cityCounterpartId && own(facts.cityCounterpartId)) return 'write';
      if (p.role === 'supervisor' || facts.planPublished) return 'read';
      return 'none';
    case 'joint':
      if (p.role === 'agency' && p.agencyId && facts.jointMembers?.includes(p.agencyId)) return 'write';
      if (p.role === 'supervisor') return 'read';
      return 'none';
    case 'tasks':
      if (!own(room.agencyId)) return 'none';
      return p.role === 'agency' || p.role === 'inspector' ? 'write' : 'none';
    case 'ledger':
      if (p.role === 'inspector') return 'append';
      if (p.role === 'enterprise') return p.uscc === room.uscc ? 'append' : 'none';
      // agency admins append their reviews of rectification reports (server/ledger/record-rules.ts refuses
      // every other record by them); supervisors read
      return p.role === 'agency' ? 'append' : 'read';
    case 'feedback':
      if (p.role === 'enterprise') return p.uscc === room.uscc ? 'append' : 'none';
      return p.role === 'supervisor' ? 'read' : 'none';
    case 'registry':
      // written by the server only (issue, renew, suspend, revoke, clean-up, import: validated and
      // audited through /api/certificates); supervisors included, every client only reads
      return 'read';
    case 'draws':
      // a draw names the enterprises selected before the visit: agencies and supervisors follow draws
      // live; the server writes every step (POST /api/draws…: validated, audited). Enterprises and
      // inspectors never read it (inspectors learn their assignments from their tasks); the public sees a
      // draw through /api/public/draws, whole only once it is published
      return p.role === 'agency' || p.role === 'supervisor' ? 'read' : 'none';
    case 'supervision':
      return p.role === 'supervisor' ? 'write' : 'none';
    case 'config':
      // written by the server only (POST /api/policy: validated, scheduled, audited); every client reads
      return 'read';
  }
}

export const canRead = (a: Access) => a !== 'none';
export const canWrite = (a: Access) => a === 'write' || a === 'append';
