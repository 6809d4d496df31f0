/**
 * The sync WebSocket (`/sync/<room>?ticket=…`, y-websocket framing): message types and the close codes the
 * relay (server/sync/relay.ts) ends a session with, which the app (src/client/docpool.ts) acts on.
 */

/** the first varuint of every frame */
export const MSG_SYNC = 0;
export const MSG_AWARENESS = 1;
export const MSG_QUERY_AWARENESS = 3;

/** y-protocols sync sub-types (the second varuint of a MSG_SYNC frame) */
export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

export const CLOSE = {
  /** the ticket or token is missing, invalid or expired, or the session ended: ask for a new token */
  unauthorized: 4401,
  /** no right to this room, or a refused write: the app shows "no access" */
  forbidden: 4403,
  /** the room names nothing the server knows */
  badRoom: 4400,
  protocol: 1002,
  policy: 1008,
  tooBig: 1009,
  internal: 1011,
  tryAgain: 1013,
  goingAway: 1001,
  /** the room reached its size cap (MAX_ROOM_BYTES): nothing more can be written to it */
  roomFull: 4413,
} as const;
export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];
