/**
 * The draws' read routes (server/draws/reads.ts): public views, coverage, an enterprise's own results.
 * Registered before the lifecycle routes: `/api/draws/coverage` and `/api/draws/mine` must not be taken for
 * `/api/draws/:id`. Placeholder: being built.
 */
import type { Router } from '../http/router';
import type { TokenService } from '../auth/tokens';
import type { DrawReads } from './reads';

export interface DrawReadRouteDeps {
  tokens: Pick<TokenService, 'verify'>;
  reads: DrawReads;
}

export function registerDrawReadRoutes(_router: Router, _d: DrawReadRouteDeps): void {}
