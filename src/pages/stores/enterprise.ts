/**
 * An enterprise's profile (GET /api/enterprises/<uscc>), kept per user in the local cache so that the
 * enterprise's own home and an inspector's check-in still show it offline.
 */
import { api } from '../../client/api';
import { cacheGet, cacheSet } from '../../client/app-state';
import { Enterprise } from '../../domain/schemas';

/** The profile from the server (then cached), else the cached one (`cached: true`), else `null`. */
export async function loadEnterprise(uscc: string): Promise<{ profile: Enterprise | null; cached: boolean }> {
  try {
    const e = await api.enterprise(uscc);
    cacheSet(`enterprise.${uscc}`, e);
    return { profile: e, cached: false };
  } catch {
    const c = Enterprise.safeParse(cacheGet(`enterprise.${uscc}`));
    return { profile: c.success ? c.data : null, cached: true };
  }
}
