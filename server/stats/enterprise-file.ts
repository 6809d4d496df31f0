/** 一企一档: one enterprise's whole file for supervisors (see service.ts). */
import type { EnterpriseFile } from '../../src/protocol/stats';
import type { StatsDeps } from './service';

export async function enterpriseFile(_d: StatsDeps, _uscc: string): Promise<EnterpriseFile | null> {
  throw new Error('not built yet');
}
