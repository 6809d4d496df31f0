/**
 * Who may administer what, over HTTP: the two checks every administration service makes (the rooms' rights
 * are src/domain/rights.ts). A leaf module: services import it without the router or the token service.
 */
import type { Principal } from '../../src/domain/schemas';
import { errors } from '../http/errors';

/** 403 unless the caller is a supervisor (the justice bureau, the platform's administrators) */
export function requireSupervisor(p: Principal): void {
  if (p.role !== 'supervisor') throw errors.forbidden();
}

/**
 * The agency whose administration the caller sees: `undefined` for a supervisor (every agency), an agency
 * admin's own agency; 403 for every other role.
 */
export function adminScope(p: Principal): string | undefined {
  if (p.role === 'supervisor') return undefined;
  if (p.role === 'agency' && p.agencyId) return p.agencyId;
  throw errors.forbidden();
}
