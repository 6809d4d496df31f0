/**
 * The narrow port through which services reach the live documents: read a room, or change it as the
 * server (the change is stored and relayed to every open editor). The relay implements it; a service
 * never holds the whole relay, so it cannot open sockets, evict rooms or bypass the guards.
 */
import type * as Y from 'yjs';

export interface RoomPort {
  /** run `fn` over the room's current doc (loaded if needed); its result */
  read<T>(room: string, fn: (doc: Y.Doc) => T): Promise<T>;
  /** apply `fn` to the room's doc as the server; stored before it is relayed */
  change(room: string, fn: (doc: Y.Doc) => void): Promise<unknown>;
}

/** read-only use of the port (codes, ledger details, handbooks) */
export type RoomReader = Pick<RoomPort, 'read'>;
