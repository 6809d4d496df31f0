import { describe, expect, it } from 'vitest';
import { Agency, Division, FlexList, Method } from '../../src/domain/schemas';
import { INDUSTRY_CODES } from '../../src/domain/industries';
import { DIVISIONS } from '../../server/seed/divisions';
import { AGENCIES } from '../../server/seed/agencies';
import {
  CITY_DIVISIONS,
  COUNTY_CODES,
  COUNTY_LEVEL_CODES,
  ENTERPRISE_SHARE,
  STREETS_BY_TOWNSHIP,
  TOWNSHIPS,
  TOWNSHIPS_BY_COUNTY,
  ZONE_STREETS,
} from '../../server/seed/city-divisions';
import { CITY_AGENCIES, CITY_AGENCY_BY_ID, townshipAgencyId } from '../../server/seed/city-agencies';
import { MORE_TEMPLATES } from '../../server/seed/city-catalogue';

const byCode = new Map(CITY_DIVISIONS.map((d) => [d.code, d]));
const countyLevel = new Set<string>(COUNTY_LEVEL_CODES);
const enforcement = CITY_AGENCIES.filter((a) => a.kind === 'enforcement');

describe('city divisions', () => {
  it('every division parses and codes are unique', () => {
    for (const d of CITY_DIVISIONS) expect(() => Division.parse(d), d.code).not.toThrow();
    expect(new Set(CITY_DIVISIONS.map((d) => d.code)).size).toBe(CITY_DIVISIONS.length);
  });

  it('keeps the seven divisions of divisions.ts exactly', () => {
    for (const d of DIVISIONS) expect(byCode.get(d.code), d.code).toEqual(d);
    expect(CITY_DIVISIONS.filter((d) => d.code.length === 6)).toHaveLength(DIVISIONS.length);
  });

  it('has one city and the county-level divisions under it', () => {
    expect(CITY_DIVISIONS.filter((d) => d.level === 'city').map((d) => d.code)).toEqual(['140300']);
    for (const c of COUNTY_LEVEL_CODES) expect(byCode.get(c)?.parent, c).toBe('140300');
    expect(byCode.get('140371')?.level).toBe('zone');
  });

  it('every township is 9 digits under a county-level division of the city', () => {
    expect(TOWNSHIPS.length).toBeGreaterThanOrEqual(40);
    expect(TOWNSHIPS.length).toBeLessThanOrEqual(50);
    for (const t of CITY_DIVISIONS.filter((d) => d.level === 'township')) {
      expect(t.code, t.name).toMatch(/^\d{9}$/);
      expect(countyLevel.has(t.parent ?? ''), t.name).toBe(true);
      expect(byCode.get(t.parent!)?.level, t.name).toMatch(/^(county|zone)$/);
      expect(t.code.startsWith(t.parent!), t.name).toBe(true);
      expect(t.name).toMatch(/(街道|镇|乡)$/);
      expect(t.nameEn).toMatch(/ (Subdistrict|Town|Township)$/);
    }
    for (const c of COUNTY_CODES) expect(TOWNSHIPS_BY_COUNTY[c].length, c).toBeGreaterThan(0);
  });

  it('every township has streets for addresses, and so does the zone', () => {
    for (const t of TOWNSHIPS) expect(STREETS_BY_TOWNSHIP[t.code]?.length ?? 0, t.name).toBeGreaterThanOrEqual(3);
    for (const code of Object.keys(STREETS_BY_TOWNSHIP)) expect(byCode.get(code)?.level, code).toBe('township');
    expect(ZONE_STREETS.length).toBeGreaterThanOrEqual(3);
  });

  it('enterprise shares cover the county-level divisions and sum to 100', () => {
    expect(Object.keys(ENTERPRISE_SHARE).sort()).toEqual([...COUNTY_LEVEL_CODES].sort());
    expect(Object.values(ENTERPRISE_SHARE).reduce((a, b) => a + b, 0)).toBe(100);
    for (const v of Object.values(ENTERPRISE_SHARE)) expect(v).toBeGreaterThan(0);
  });
});

describe('city agencies', () => {
  it('every agency parses, ids are unique, names are bilingual', () => {
    for (const a of CITY_AGENCIES) {
      expect(() => Agency.parse(a), a.id).not.toThrow();
      expect(a.name, a.id).not.toBe('');
      expect(a.nameEn, a.id).toMatch(/^[A-Za-z]/);
      expect(byCode.has(a.division), a.id).toBe(true);
    }
    expect(CITY_AGENCY_BY_ID.size).toBe(CITY_AGENCIES.length);
  });

  it('justice bureaus: the city and one per district/county', () => {
    const justice = CITY_AGENCIES.filter((a) => a.kind === 'justice');
    expect(justice.map((a) => a.id).sort()).toEqual(['city-justice', 'cq-justice', 'jq-justice', 'kq-justice', 'pd-justice', 'yx-justice']);
    for (const a of justice) expect(a.sector).toBe('justice');
    for (const c of COUNTY_CODES)
      expect(
        justice.filter((a) => a.division === c),
        c,
      ).toHaveLength(1);
  });

  it('every enforcement agency files with a justice bureau: the city\u2019s, or its own county\u2019s', () => {
    const countyOf = (a: Agency) => (a.level === 'township' ? byCode.get(a.division)!.parent! : a.division);
    for (const a of enforcement) {
      const office = CITY_AGENCY_BY_ID.get(a.filingOfficeId ?? '');
      expect(office?.kind, a.id).toBe('justice');
      if (a.level === 'city' || a.level === 'zone') expect(a.filingOfficeId, a.id).toBe('city-justice');
      else expect(office!.division, a.id).toBe(countyOf(a));
      if (a.level === 'county' || a.level === 'township') expect(office!.level, a.id).toBe('county');
    }
  });

  it('every county and zone agency has a city counterpart of the same sector', () => {
    for (const a of enforcement.filter((x) => x.level === 'county' || x.level === 'zone')) {
      const cp = CITY_AGENCY_BY_ID.get(a.cityCounterpartId ?? '');
      expect(cp?.level, a.id).toBe('city');
      expect(cp?.sector, a.id).toBe(a.sector);
    }
    for (const a of enforcement.filter((x) => x.level === 'city' || x.level === 'township')) expect(a.cityCounterpartId, a.id).toBeUndefined();
  });

  it('every district and county has the ten sectors; the city too', () => {
    const sectors = ['market', 'emergency', 'ecology', 'housing', 'transport', 'culture', 'health', 'natural_resources', 'agriculture', 'fire'];
    const cityS = enforcement
      .filter((a) => a.level === 'city')
      .map((a) => a.sector)
      .sort();
    expect(cityS).toEqual([...sectors].sort());
    for (const c of COUNTY_CODES) {
      const s = enforcement
        .filter((a) => a.level === 'county' && a.division === c)
        .map((a) => a.sector)
        .sort();
      expect(s, c).toEqual([...sectors].sort());
    }
    expect(
      enforcement
        .filter((a) => a.level === 'zone')
        .map((a) => a.sector)
        .sort(),
    ).toEqual(['emergency', 'market']);
  });

  it('every township has exactly one agency, of sector comprehensive', () => {
    const twp = enforcement.filter((a) => a.level === 'township');
    expect(twp).toHaveLength(TOWNSHIPS.length);
    for (const t of TOWNSHIPS) {
      const mine = CITY_AGENCIES.filter((a) => a.division === t.code);
      expect(mine, t.name).toHaveLength(1);
      expect(mine[0].id).toBe(townshipAgencyId(t.code));
      expect(mine[0].sector).toBe('comprehensive');
      expect(mine[0].name, t.name).toContain(t.name);
    }
    for (const a of CITY_AGENCIES) expect(a.sector === 'comprehensive', a.id).toBe(a.level === 'township');
  });

  it('keeps the 17 agencies of agencies.ts (id, names, level, division, sector, filing office)', () => {
    expect(AGENCIES).toHaveLength(17);
    for (const a of AGENCIES) {
      const b = CITY_AGENCY_BY_ID.get(a.id);
      expect(b, a.id).toBeDefined();
      const pick = (x: Agency) => ({
        name: x.name,
        nameEn: x.nameEn,
        level: x.level,
        division: x.division,
        sector: x.sector,
        kind: x.kind,
        filingOfficeId: x.filingOfficeId,
        cityCounterpartId: x.cityCounterpartId,
      });
      expect(pick(b!), a.id).toEqual(pick(a));
    }
  });
});

describe('more catalogue templates', () => {
  const known = new Set<string>(INDUSTRY_CODES);
  const all = Object.entries(MORE_TEMPLATES).flatMap(([sector, ts]) => ts.map((t) => ({ sector, t })));

  it('has 5–7 items for each of agriculture, fire and comprehensive', () => {
    expect(Object.keys(MORE_TEMPLATES).sort()).toEqual(['agriculture', 'comprehensive', 'fire']);
    for (const ts of Object.values(MORE_TEMPLATES)) {
      expect(ts.length).toBeGreaterThanOrEqual(5);
      expect(ts.length).toBeLessThanOrEqual(7);
    }
  });

  it('legal bases cite an article; industries are known; codes unique', () => {
    for (const { t } of all) {
      expect(t.legalBasis, t.code).toMatch(/《.+》第.+条/);
      expect(
        t.industries.every((i) => known.has(i)),
        t.code,
      ).toBe(true);
      expect(['city', 'county', 'any']).toContain(t.level);
      expect(() => Method.parse(t.method), t.code).not.toThrow();
      for (const v of t.violations) {
        expect(v.code.startsWith(`${t.code}-V`), v.code).toBe(true);
        expect(() => FlexList.parse(v.list), v.code).not.toThrow();
        expect(v.description.length).toBeGreaterThan(0);
      }
    }
    const codes = all.flatMap(({ t }) => [t.code, ...t.violations.map((v) => v.code)]);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('township items are for the township or county level (any / county)', () => {
    for (const t of MORE_TEMPLATES.comprehensive) expect(['any', 'county'], t.code).toContain(t.level);
  });

  it('each sector has a flexible-enforcement violation', () => {
    for (const ts of Object.values(MORE_TEMPLATES)) expect(ts.some((t) => t.violations.length > 0)).toBe(true);
  });
});
