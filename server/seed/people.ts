/** Inspectors (行政执法人员) and their certificates (行政执法证件), and plausible Chinese names. */
import type { Certificate, Inspector } from '../../src/domain/schemas';
import type { Prng } from '../../src/domain/prng';
import { ENFORCEMENT_AGENCIES } from './agencies';
import { SEED_TODAY } from './constants';

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国志宏海波斌宇浩凯健俊帆帅旭宁龙林欣晨瑞博文雪琳晶颖慧丹蕾婷倩璐佳琪鑫晓东亮峰春梅兰凤云飞鹰';

/** A plausible Chinese name: surname + one or two given characters. */
export function chineseName(r: Prng): string {
  const s = r.pick([...SURNAMES]);
  const g = [...GIVEN];
  return r.chance(0.7) ? s + r.pick(g) + r.pick(g) : s + r.pick(g);
}

export const INSPECTORS_PER_AGENCY = 5;

/** Certificates that are expired on SEED_TODAY (年度清理 candidates); never a demo inspector's. */
const EXPIRED = new Set(['insp-city-market-5', 'insp-city-ecology-5', 'insp-pd-market-5', 'insp-city-transport-4', 'insp-yx-market-5']);
/** The one revoked certificate (left the enforcement post). */
export const REVOKED_INSPECTOR = 'insp-city-emergency-5';
/** Valid, but expiring within a week of SEED_TODAY (shows in the clean-up view). */
const EXPIRING_SOON = 'insp-city-housing-5';

/** Certificate number: SX-<division>-<4 digits>, stable. */
export const certNumber = (division: string, seq: number) => `SX-${division}-${String(seq).padStart(4, '0')}`;

export function buildPeople(r: Prng): { inspectors: Inspector[]; certificates: Certificate[] } {
  const inspectors: Inspector[] = [];
  const certificates: Certificate[] = [];
  const used = new Set<string>();
  let seq = 1;
  for (const a of ENFORCEMENT_AGENCIES) {
    for (let n = 1; n <= INSPECTORS_PER_AGENCY; n++) {
      const id = `insp-${a.id}-${n}`;
      let name = chineseName(r);
      while (used.has(name)) name = chineseName(r);
      used.add(name);
      const number = certNumber(a.division, seq++);
      const issuedYear = r.int(2019, 2024);
      const issuedOn = `${issuedYear}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;
      let expiresOn: string;
      if (EXPIRED.has(id)) expiresOn = `${r.pick([2025, 2026])}-${String(r.int(1, 10)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;
      else if (id === EXPIRING_SOON) expiresOn = '2026-11-30';
      else expiresOn = `${r.int(2027, 2029)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;
      if (expiresOn <= issuedOn) expiresOn = `${issuedYear + 3}-12-31`;
      const cert: Certificate = { number, inspectorId: id, agencyId: a.id, holderName: name, issuedOn, expiresOn, status: 'valid' };
      if (id === REVOKED_INSPECTOR) {
        cert.status = 'revoked';
        cert.revokedOn = '2026-09-15';
        cert.revokedReason = '调离行政执法岗位，依法收回并注销执法证件';
      }
      certificates.push(cert);
      inspectors.push({ id, name, agencyId: a.id, certificateNumber: number, active: id !== REVOKED_INSPECTOR });
    }
  }
  void SEED_TODAY;
  return { inspectors, certificates };
}
