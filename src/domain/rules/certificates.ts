/**
 * Measure 2 and 行政处罚法 Art. 42: only holders of a valid law-enforcement certificate inspect, and
 * at least two of them together.
 */
import type { Certificate, Verdict } from '../schemas';
import { shanghaiDate, type DateLike } from '../time';
import { block, ok, zhList, enList } from './verdict';

/** Minimum number of certified inspectors per inspection (行政处罚法 Art. 42 — statutory, not a city setting). */
export const MIN_TEAM_SIZE = 2;

/**
 * Is `cert` valid on the Shanghai day of `on`? Valid from `issuedOn` through `expiresOn`, both
 * inclusive. A revoked certificate is invalid from its `revokedOn` day on (from the start of time when
 * no date is recorded); on days before `revokedOn` it was still valid, so re-running the rule on an
 * old record gives the verdict of that day.
 * A suspended certificate is invalid from its `suspendedOn` day while the suspension lasts.
 * Codes: cert.ok · cert.missing · cert.revoked · cert.suspended · cert.not_yet_valid · cert.expired (block).
 */
export function certificateValidity(cert: Certificate | undefined | null, on: DateLike): Verdict {
  const day = shanghaiDate(on);
  if (!cert) {
    return block('cert.missing', '未登记有效的行政执法证件', 'No law-enforcement certificate on record');
  }
  const n = cert.number;
  if (cert.status === 'revoked' && (!cert.revokedOn || cert.revokedOn <= day)) {
    return block(
      'cert.revoked',
      `执法证件 ${n} 已于${cert.revokedOn ?? ''}注销${cert.revokedReason ? `（${cert.revokedReason}）` : ''}`,
      `Certificate ${n} was revoked${cert.revokedOn ? ` on ${cert.revokedOn}` : ''}${cert.revokedReason ? ` (${cert.revokedReason})` : ''}`,
      { refs: [n] },
    );
  }
  if (cert.status === 'suspended' && (!cert.suspendedOn || cert.suspendedOn <= day)) {
    return block(
      'cert.suspended',
      `执法证件 ${n} 已于${cert.suspendedOn ?? ''}暂停使用${cert.suspendedReason ? `（${cert.suspendedReason}）` : ''}`,
      `Certificate ${n} is suspended${cert.suspendedOn ? ` since ${cert.suspendedOn}` : ''}${cert.suspendedReason ? ` (${cert.suspendedReason})` : ''}`,
      { refs: [n] },
    );
  }
  if (day < cert.issuedOn) {
    return block(
      'cert.not_yet_valid',
      `执法证件 ${n} 自${cert.issuedOn}起生效，${day}尚未生效`,
      `Certificate ${n} is valid from ${cert.issuedOn}, not yet on ${day}`,
      { refs: [n] },
    );
  }
  if (day > cert.expiresOn) {
    return block('cert.expired', `执法证件 ${n} 已于${cert.expiresOn}到期`, `Certificate ${n} expired on ${cert.expiresOn}`, { refs: [n] });
  }
  return ok('cert.ok', `执法证件 ${n} 有效（至${cert.expiresOn}）`, `Certificate ${n} is valid through ${cert.expiresOn}`, { refs: [n] });
}

/** One member of an inspection team with the certificate the device knows for them. */
export interface TeamCert {
  inspectorId: string;
  name?: string;
  certificate?: Certificate | null;
}

export interface MemberCheck {
  inspectorId: string;
  name?: string;
  verdict: Verdict;
}

export type TeamVerdict = Verdict & { members: MemberCheck[] };

/**
 * At least `MIN_TEAM_SIZE` distinct inspectors, each with a certificate that is valid on the day and
 * issued to that inspector; one certificate counts once. Codes: team.ok · team.too_few (block,
 * naming each member who fails and why; `refs` = their inspector ids).
 */
export function teamRule(team: readonly TeamCert[], on: DateLike, minSize: number = MIN_TEAM_SIZE): TeamVerdict {
  const members: MemberCheck[] = [];
  const seenInspectors = new Set<string>();
  const seenCerts = new Set<string>();
  for (const m of team) {
    let v: Verdict;
    if (seenInspectors.has(m.inspectorId)) {
      v = block('cert.duplicate_member', '同一执法人员重复列入', 'The same inspector is listed twice', { refs: [m.inspectorId] });
    } else if (m.certificate && m.certificate.inspectorId !== m.inspectorId) {
      v = block('cert.mismatch', `执法证件 ${m.certificate.number} 不属于该执法人员`, `Certificate ${m.certificate.number} belongs to someone else`, {
        refs: [m.certificate.number],
      });
    } else if (m.certificate && seenCerts.has(m.certificate.number)) {
      v = block(
        'cert.duplicate_member',
        `执法证件 ${m.certificate.number} 已被他人使用`,
        `Certificate ${m.certificate.number} is already used by another member`,
        { refs: [m.certificate.number] },
      );
    } else {
      v = certificateValidity(m.certificate ?? undefined, on);
    }
    seenInspectors.add(m.inspectorId);
    if (m.certificate) seenCerts.add(m.certificate.number);
    members.push({ inspectorId: m.inspectorId, name: m.name, verdict: v });
  }
  const good = members.filter((m) => m.verdict.verdict === 'ok');
  const bad = members.filter((m) => m.verdict.verdict !== 'ok');
  const who = (m: MemberCheck) => m.name ?? m.inspectorId;
  if (good.length >= minSize) {
    return {
      ...ok(
        'team.ok',
        `${good.length}名持有效执法证件的执法人员：${zhList(good.map(who))}`,
        `${good.length} inspectors with valid certificates: ${enList(good.map(who))}`,
      ),
      members,
    };
  }
  const reasonsZh = bad.map((m) => `${who(m)}：${m.verdict.message.zh}`);
  const reasonsEn = bad.map((m) => `${who(m)}: ${m.verdict.message.en}`);
  return {
    ...block(
      'team.too_few',
      `至少需要${minSize}名持有效执法证件的执法人员（《行政处罚法》第四十二条），现有${good.length}名` + (reasonsZh.length ? `。${reasonsZh.join('；')}` : ''),
      `At least ${minSize} inspectors with valid certificates are required (Administrative Penalty Law Art. 42); ` +
        `${good.length} present` +
        (reasonsEn.length ? `. ${reasonsEn.join('; ')}` : ''),
      { refs: bad.map((m) => m.inspectorId) },
    ),
    members,
  };
}
