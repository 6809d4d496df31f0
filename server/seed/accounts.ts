/** Demo accounts (password `demo1234` for all), listed in README. */
import type { Enterprise, Inspector } from '../../src/domain/schemas';
import type { SeedAccount } from './types';
import { DEMO_PASSWORD, ENTERPRISE1_USCC, ENTERPRISE2_USCC } from './constants';

export function buildAccounts(inspectors: Inspector[], enterprises: Enterprise[]): SeedAccount[] {
  const ins = (id: string) => inspectors.find((i) => i.id === id)!;
  const ent = (u: string) => enterprises.find((e) => e.uscc === u)!;
  const inspector = (username: string, id: string): SeedAccount => ({
    username,
    password: DEMO_PASSWORD,
    userId: `u-${username}`,
    role: 'inspector',
    name: ins(id).name,
    agencyId: ins(id).agencyId,
    inspectorId: id,
  });
  const admin = (username: string, name: string, agencyId: string, role: 'agency' | 'supervisor' = 'agency'): SeedAccount => ({
    username,
    password: DEMO_PASSWORD,
    userId: `u-${username}`,
    role,
    name,
    agencyId,
  });
  const enterprise = (username: string, uscc: string): SeedAccount => ({
    username,
    password: DEMO_PASSWORD,
    userId: `u-${username}`,
    role: 'enterprise',
    name: ent(uscc).name,
    uscc,
  });
  return [
    inspector('inspector1', 'insp-city-market-1'),
    inspector('inspector2', 'insp-city-market-2'),
    inspector('inspector3', 'insp-pd-market-1'),
    admin('agency1', '市市场监管局管理员', 'city-market'),
    admin('agency2', '市应急管理局管理员', 'city-emergency'),
    admin('county1', '平定县市场监管局管理员', 'pd-market'),
    admin('supervisor1', '市司法局执法监督员', 'city-justice', 'supervisor'),
    enterprise('enterprise1', ENTERPRISE1_USCC),
    enterprise('enterprise2', ENTERPRISE2_USCC),
  ];
}
