/**
 * Invitations to joint plans (issue 13 item 15): an agency joins a joint plan only when its admin
 * accepts. GET /api/joint-invitations, POST /api/joints/:id/accept|decline (server/api/joint-routes.ts),
 * and the joint's invited-but-not-yet-member agencies (GET /api/joints/:id `invitedAgencyIds`).
 * Same-origin JSON calls with the session's token, errors as ApiError like src/client/api.ts.
 */
import { z } from 'zod';
import { ApiError, ErrorBody, NETWORK_ERROR } from '../../client/api';
import { withToken } from '../slices/joint';

export const JointInvitation = z.object({
  jointId: z.string(), title: z.string(), year: z.number().int(), leadAgencyId: z.string(),
  invitedBy: z.string(), invitedAt: z.string(), status: z.enum(['invited', 'declined']), planItemIds: z.array(z.string()),
});
export type JointInvitation = z.infer<typeof JointInvitation>;

async function call<S extends z.ZodType>(schema: S, path: string, method: 'GET' | 'POST'): Promise<z.output<S>> {
  return withToken(async (token) => {
    let res: Response;
    try {
      res = await fetch(path, { method, headers: { accept: 'application/json', authorization: `Bearer ${token}` }, cache: 'no-store', credentials: 'same-origin' });
    } catch { throw new ApiError(0, 'network', NETWORK_ERROR); }
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const e = ErrorBody.safeParse(body);
      throw e.success ? new ApiError(res.status, e.data.error.code, e.data.error.message, e.data.error.details)
        : new ApiError(res.status, `http_${res.status}`, { zh: `服务器错误（${res.status}）`, en: `Server error (${res.status})` });
    }
    const r = schema.safeParse(body);
    if (!r.success) throw new ApiError(res.status, 'bad_response', { zh: '服务器返回了无法识别的数据', en: 'The server sent a response the app does not understand' });
    return r.data;
  });
}

export const jointInvitations = () => call(z.object({ items: z.array(JointInvitation) }), '/api/joint-invitations', 'GET').then((r) => r.items);
export const answerInvitation = (jointId: string, accept: boolean) =>
  call(z.unknown(), `/api/joints/${encodeURIComponent(jointId)}/${accept ? 'accept' : 'decline'}`, 'POST');
/** agencies invited to a joint plan that have not accepted yet */
export const invitedAgencies = (jointId: string) =>
  call(z.object({ invitedAgencyIds: z.array(z.string()).default([]) }), `/api/joints/${encodeURIComponent(jointId)}`, 'GET').then((r) => r.invitedAgencyIds);
