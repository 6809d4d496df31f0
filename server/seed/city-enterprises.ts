/** About 100,000 enterprises for the city-sized seed, spread over counties by ENTERPRISE_SHARE and over each county's townships. */
import type { Enterprise } from '../../src/domain/schemas';
import type { Prng } from '../../src/domain/prng';
import { buildEnterprises } from './enterprises';
import { ENTERPRISE_SHARE, STREETS_BY_TOWNSHIP, TOWNSHIPS_BY_COUNTY, ZONE_STREETS, type CountyLevelCode } from './city-divisions';

export const CITY_ENTERPRISE_COUNT = 100_000;

export function buildCityEnterprises(r: Prng, count = CITY_ENTERPRISE_COUNT): Enterprise[] {
  return buildEnterprises(r, count, {
    divisions: Object.entries(ENTERPRISE_SHARE) as [string, number][],
    townships: (division) =>
      (TOWNSHIPS_BY_COUNTY[division as CountyLevelCode] ?? []).map((t) => ({
        code: t.code,
        name: t.name,
        streets: STREETS_BY_TOWNSHIP[t.code] ?? ZONE_STREETS,
      })),
  });
}
