/**
 * The draw lifecycle routes (server/draws/service.ts). Placeholder: being built.
 */
import type { Router } from '../http/router';
import type { TokenService } from '../auth/tokens';
import type { DrawService } from './service';

export interface DrawRouteDeps {
  tokens: Pick<TokenService, 'verify'>;
  draws: DrawService;
}

export function registerDrawRoutes(_router: Router, _d: DrawRouteDeps): void {}
