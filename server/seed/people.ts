/** Inspectors (行政执法人员) and their certificates (行政执法证件), and plausible Chinese names. */
import type { Agency, Certificate, Inspector } from '../../src/domain/schemas';
import type { Prng } from '../../src/domain/prng';
import type { SeedCalendar } from './calendar';

const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国志宏海波斌宇浩凯健俊帆帅旭宁龙林欣晨瑞博文雪琳晶颖慧丹蕾婷倩璐佳琪鑫晓东亮峰春梅兰凤云飞鹰';

/** A plausible Chinese name: surname + one or two given characters. */
export function chineseName(r: Prng): string {
  const s = r.pick([...SURNAMES]);
  const g = [...GIVEN];
  return r.chance(0.7) ? s + r.pick(g) + r.pick(g) : s + r.pick(g);
}

export const INSPECTORS_PER_AGENCY = 5;

/** Certificates that expired before today (年度清理 candidates); never a demo inspector's. */
const EXPIRED = new Set(['insp-city-market-5', 'insp-city-ecology-5', 'insp-pd-market-5', 'insp-city-transport-4', 'insp-yx-market-5']);
/** The one revoked certificate (left the enforcement post). */
export const REVOKED_INSPECTOR = 'insp-city-emergency-5';
/** Valid, but expiring within a week of today (they show in the clean-up view): inspector id → days left. */
const EXPIRING_SOON: Record<string, number> = { 'insp-city-housing-5': 3, 'insp-city-culture-5': 6 };

/** Certificate number: SX-<division>-<4 digits>, stable. */
export const certNumber = (division: string, seq: number) => `SX-${division}-${String(seq).padStart(4, '0')}`;

export interface PeopleOptions {
  agencies: readonly Agency[];
  /** how many inspectors an agency has */
  perAgency: (a: Agency) => number;
  cal: SeedCalendar;
}

/**
 * Inspectors and their certificates, dated around today: issued two to seven years ago, valid for one to
 * three more years, except a few that expired in the last year, two that expire within a week and one
 * revoked a few months ago.
 */
export function buildPeople(names: Prng, r: Prng, o: PeopleOptions): { inspectors: Inspector[]; certificates: Certificate[] } {
  const inspectors: Inspector[] = [];
  const certificates: Certificate[] = [];
  const used = new Set<string>();
  const { cal } = o;
  let seq = 1;
  for (const a of o.agencies) {
    if (a.kind !== 'enforcement') continue;
    for (let n = 1, count = o.perAgency(a); n <= count; n++) {
      const id = `insp-${a.id}-${n}`;
      // names from their own stream: the same people whatever the day
      let name = chineseName(names);
      for (let tries = 0; used.has(name) && tries < 20; tries++) name = chineseName(names);
      used.add(name);
      const number = certNumber(a.division.slice(0, 6), seq++);
      // issued over two years ago: valid on every day of the seed's history (last year and this year)
      const issuedOn = cal.addDays(cal.today, -r.int(740, 2500));
      const expiresOn = EXPIRED.has(id)
        ? cal.addDays(cal.today, -r.int(10, 300))
        : id in EXPIRING_SOON
          ? cal.addDays(cal.today, EXPIRING_SOON[id])
          : cal.addDays(cal.today, r.int(400, 1100));
      const cert: Certificate = { number, inspectorId: id, agencyId: a.id, holderName: name, issuedOn, expiresOn, status: 'valid' };
      if (id === REVOKED_INSPECTOR) {
        cert.status = 'revoked';
        cert.revokedOn = cal.addDays(cal.today, -r.int(30, 120));
        cert.revokedReason = '调离行政执法岗位，依法收回并注销执法证件';
      }
      certificates.push(cert);
      inspectors.push({ id, name, agencyId: a.id, certificateNumber: number, active: id !== REVOKED_INSPECTOR });
    }
  }
  return { inspectors, certificates };
}
