/**
 * Every record kind refuses a string or list over its maximum length (schemas.ts `LEN`): ledger records
 * (entry, result, ack, dispute, signed), feedback (rating, complaint), draws, tasks, plans and joint
 * plans, filings, the registry (certificates), the city policy, warnings and their handling.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  AckRecord,
  Certificate,
  ComplaintRecord,
  DisputeRecord,
  Draw,
  EntryRecord,
  Filing,
  LEN,
  PlanItem,
  PlanMeta,
  PolicyConfig,
  RatingRecord,
  ResultRecord,
  SignedRecord,
  Task,
  Text,
  Warning,
  WarningHandling,
  JointContent,
} from '../../../src/domain/schemas';
import { defaultPolicy } from '../../../src/domain/policy-defaults';
import { U1, cert, entry, planItem, result, task } from './fixtures';

const long = (n: number) => 'x'.repeat(n + 1);
const at = '2026-05-10T02:00:00Z';

/** the valid record parses; the same record with `patch` applied does not, and the issue names `path` */
function refuses<T>(schema: z.ZodType<T>, valid: unknown, patch: (r: any) => void, path: string): void {
  expect(schema.safeParse(valid).success).toBe(true);
  const bad = structuredClone(valid) as any;
  patch(bad);
  const r = schema.safeParse(bad);
  expect(r.success, `${path} over its maximum`).toBe(false);
  if (!r.success) expect(r.error.issues.map((i) => i.path.join('.'))).toContain(path);
}

describe('maximum lengths of every record', () => {
  it('ledger: entry', () => {
    const e = entry({ lateReason: 'ok', code: 'c' });
    refuses(
      EntryRecord,
      e,
      (r) => {
        r.device = long(LEN.ref);
      },
      'device',
    );
    refuses(
      EntryRecord,
      e,
      (r) => {
        r.code = long(LEN.token);
      },
      'code',
    );
    refuses(
      EntryRecord,
      e,
      (r) => {
        r.lateReason = long(LEN.note);
      },
      'lateReason',
    );
    refuses(
      EntryRecord,
      e,
      (r) => {
        r.team[0].name = long(LEN.person);
      },
      'team.0.name',
    );
    refuses(
      EntryRecord,
      e,
      (r) => {
        r.team = Array(LEN.few + 1).fill(r.team[0]);
      },
      'team',
    );
    refuses(
      EntryRecord,
      e,
      (r) => {
        r.itemIds = Array(LEN.few + 1).fill('i');
      },
      'itemIds',
    );
    refuses(
      EntryRecord,
      e,
      (r) => {
        r.exemptions = [{ rule: 'quiet', kind: 'hazard', reason: long(LEN.note) }];
      },
      'exemptions.0.reason',
    );
    refuses(
      EntryRecord,
      e,
      (r) => {
        r.kind = { type: 'triggered', trigger: { kind: 'complaint', ref: long(LEN.ref) } };
      },
      'kind.trigger.ref',
    );
    refuses(
      EntryRecord,
      e,
      (r) => {
        r.id = long(80);
      },
      'id',
    );
    refuses(
      EntryRecord,
      e,
      (r) => {
        r.at = `2026-05-10T02:00:00.${'1'.repeat(60)}Z`;
      },
      'at',
    );
  });
  it('ledger: result, ack, dispute and the signature', () => {
    const r0 = result({
      entryId: 'e1',
      findings: [{ itemId: 'i', description: 'd', violationCode: 'V', suggestion: 'none' }],
      checklist: [{ itemId: 'i', ok: true, note: '' }],
    });
    refuses(
      ResultRecord,
      r0,
      (r) => {
        r.notice = long(LEN.text);
      },
      'notice',
    );
    refuses(
      ResultRecord,
      r0,
      (r) => {
        r.findings[0].description = long(LEN.note);
      },
      'findings.0.description',
    );
    refuses(
      ResultRecord,
      r0,
      (r) => {
        r.findings[0].violationCode = long(LEN.code);
      },
      'findings.0.violationCode',
    );
    refuses(
      ResultRecord,
      r0,
      (r) => {
        r.checklist[0].note = long(LEN.note);
      },
      'checklist.0.note',
    );
    refuses(
      ResultRecord,
      r0,
      (r) => {
        r.checklist = Array(LEN.many + 1).fill(r.checklist[0]);
      },
      'checklist',
    );
    const ack = { id: 'a1', uscc: U1, at, by: 'u-ent1', type: 'ack', refId: 'r1' };
    refuses(
      AckRecord,
      ack,
      (r) => {
        r.refId = long(80);
      },
      'refId',
    );
    const d = { id: 'd1', uscc: U1, at, by: 'u-ent1', type: 'dispute', refId: 'r1', text: '检查时间记录有误' };
    refuses(
      DisputeRecord,
      d,
      (r) => {
        r.text = long(LEN.note);
      },
      'text',
    );
    const signed = { rec: ack, sig: { kid: 'k', alg: 'ES256', value: 'v' } };
    refuses(
      SignedRecord,
      signed,
      (r) => {
        r.sig.value = long(LEN.ref);
      },
      'sig.value',
    );
    refuses(
      SignedRecord,
      signed,
      (r) => {
        r.sig.kid = long(LEN.ref);
      },
      'sig.kid',
    );
  });
  it('feedback: rating and complaint', () => {
    const rating = { id: 'f1', uscc: U1, at, by: 'u-ent1', type: 'rating', entryId: 'e1', score: 5, comment: '' };
    refuses(
      RatingRecord,
      rating,
      (r) => {
        r.comment = long(1000);
      },
      'comment',
    );
    const c = { id: 'c1', uscc: U1, at, by: 'u-ent1', type: 'complaint', text: '检查人员索要财物', ruleCode: 'R1', refused: false };
    refuses(
      ComplaintRecord,
      c,
      (r) => {
        r.text = long(4000);
      },
      'text',
    );
    refuses(
      ComplaintRecord,
      c,
      (r) => {
        r.ruleCode = long(LEN.code);
      },
      'ruleCode',
    );
  });
  it('draws', () => {
    const d = {
      id: 'd1',
      year: 2026,
      kind: 'agency',
      organiserId: 'mkt-city',
      teamAgencyIds: ['mkt-city'],
      title: 't',
      window: { from: '2026-12-01', to: '2026-12-31' },
      status: 'committing',
      paramsHash: 'p',
      populationHash: 'h',
      populationSize: 1,
      ratios: { A: 300, B: 500, C: 1000, D: 2000 },
      parties: [{ party: 'agency:mkt-city' }, { party: 'justice:justice-city' }],
      seed: 's',
      createdBy: 'u1',
      createdAt: at,
      updatedAt: at,
    };
    refuses(
      Draw,
      d,
      (r) => {
        r.title = long(LEN.name);
      },
      'title',
    );
    refuses(
      Draw,
      d,
      (r) => {
        r.seed = long(LEN.ref);
      },
      'seed',
    );
    refuses(
      Draw,
      d,
      (r) => {
        r.parties[0].party = long(LEN.ref);
      },
      'parties.0.party',
    );
    refuses(
      Draw,
      d,
      (r) => {
        r.teamAgencyIds = Array(LEN.few + 1).fill('a');
      },
      'teamAgencyIds',
    );
    refuses(
      Draw,
      d,
      (r) => {
        r.ratios.D = 10001;
      },
      'ratios.D',
    );
  });
  it('tasks', () => {
    const t = task({ checkCode: 'c' });
    refuses(
      Task,
      t,
      (r) => {
        r.enterpriseName = long(LEN.name);
      },
      'enterpriseName',
    );
    refuses(
      Task,
      t,
      (r) => {
        r.checkCode = long(LEN.token);
      },
      'checkCode',
    );
    refuses(
      Task,
      t,
      (r) => {
        r.inspectorIds = Array(LEN.few + 1).fill('a');
      },
      'inspectorIds',
    );
  });
  it('plans, joint plans and filings', () => {
    refuses(
      PlanItem,
      planItem(),
      (r) => {
        r.notes = long(LEN.note);
      },
      'notes',
    );
    refuses(
      PlanItem,
      planItem(),
      (r) => {
        r.targets.industries = [long(LEN.name)];
      },
      'targets.industries.0',
    );
    refuses(
      PlanItem,
      planItem(),
      (r) => {
        r.jointPartners = Array(LEN.few + 1).fill('a');
      },
      'jointPartners',
    );
    const meta = { agencyId: 'mkt-city', year: 2026, title: '计划', status: 'draft', capPerEnterprise: 2 };
    refuses(
      PlanMeta,
      meta,
      (r) => {
        r.title = long(LEN.name);
      },
      'title',
    );
    const joint = { meta: { id: 'j1', title: 't', leadAgencyId: 'a', year: 2026 }, members: ['a'], items: [] };
    refuses(
      JointContent,
      joint,
      (r) => {
        r.meta.title = long(LEN.name);
      },
      'meta.title',
    );
    const filing = {
      id: 'f1',
      room: 'plan/a/2026',
      agencyId: 'a',
      year: 2026,
      hash: 'h',
      content: { meta: { agencyId: 'a', year: 2026, title: 't', capPerEnterprise: 2 }, items: [] },
      submittedBy: 'u',
      submittedAt: at,
      officeId: 'o',
      status: 'submitted',
    };
    refuses(
      Filing,
      filing,
      (r) => {
        r.reason = long(LEN.note);
      },
      'reason',
    );
    refuses(
      Filing,
      filing,
      (r) => {
        r.hash = long(LEN.ref);
      },
      'hash',
    );
  });
  it('registry, policy, warnings and handling, bilingual text', () => {
    refuses(
      Certificate,
      cert(),
      (r) => {
        r.holderName = long(LEN.person);
      },
      'holderName',
    );
    refuses(
      Certificate,
      cert({ status: 'revoked', revokedReason: 'r' }),
      (r) => {
        r.revokedReason = long(LEN.note);
      },
      'revokedReason',
    );
    const p = defaultPolicy();
    refuses(
      PolicyConfig,
      p,
      (r) => {
        r.hotline = long(LEN.code);
      },
      'hotline',
    );
    refuses(
      PolicyConfig,
      p,
      (r) => {
        r.conductRules[0].text.zh = long(LEN.text);
      },
      'conductRules.0.text.zh',
    );
    const w = { id: 'w1', kind: 'exemption', severity: 'warn', at, message: { zh: '中', en: 'en' }, refId: 'e1' };
    refuses(
      Warning,
      w,
      (r) => {
        r.message.en = long(LEN.text);
      },
      'message.en',
    );
    refuses(
      Warning,
      w,
      (r) => {
        r.refId = long(LEN.ref);
      },
      'refId',
    );
    refuses(
      WarningHandling,
      { warningId: 'w1', status: 'open', by: 'u', at, note: '' },
      (r) => {
        r.note = long(LEN.note);
      },
      'note',
    );
    refuses(
      Text,
      { zh: '', en: '' },
      (r) => {
        r.zh = long(LEN.text);
      },
      'zh',
    );
  });
});
