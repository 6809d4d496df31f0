/**
 * Presence (y-protocols awareness) as it crosses the wire: who is in a co-edited document and which field
 * each is editing. The relay parses every state a session sends with this schema, refuses larger ones, and
 * writes the sender's own identity into `user`; the app parses its peers' states with it too.
 */
import { z } from 'zod';

/** the largest awareness state (JSON) a session may send, in bytes */
export const MAX_PRESENCE_BYTES = 1024;
/** awareness client ids one session may use in one room */
export const MAX_PRESENCE_IDS = 4;

export const PresenceUser = z.object({
  name: z.string().max(80),
  agencyId: z.string().max(80).optional(),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  userId: z.string().max(80).optional(),
});
export const PresenceFocus = z.object({ itemId: z.string().max(80), field: z.string().max(40) });
export const PresenceState = z.object({
  user: PresenceUser,
  focus: PresenceFocus.nullable().optional(),
});
export type PresenceState = z.infer<typeof PresenceState>;
