/**
 * Every record of the platform as a zod schema: the single source of the types (DESIGN §1–§6).
 * Pure: no DOM, no Yjs, no I/O. Browser and server validate with the same schemas.
 */
import { z } from 'zod';

// ---------- primitives ----------
/**
 * Maximum lengths of the strings and lists of every record (a record is stored for good and sent to every
 * reader of its room: nothing in it may be unbounded). Generous for real use: the longest demo and
 * city-seed values are far below them.
 */
export const LEN = {
  /** names of people */
  person: 50,
  /** names of enterprises, agencies, items, titles */
  name: 200,
  /** codes: violation codes, rule codes, item codes, certificate numbers */
  code: 50,
  /** short references: a trigger's case number, a room name, a hash */
  ref: 200,
  /** reasons, notes, descriptions, legal bases */
  note: 2000,
  /** long texts: a result notice, a complaint, a warning's message */
  text: 8000,
  /** a scanned code kept as evidence (compact JWS or COSE text) */
  token: 2000,
  /** items in a short list (team, items of one inspection, exemptions) */
  few: 50,
  /** items in a long list (plan items, a checklist, a catalogue's industries) */
  many: 1000,
  /** enterprises selected by one draw */
  draw: 100_000,
} as const;
/** A bounded string (every string of a record has a maximum length). */
const str = (max: number) => z.string().max(max);
/** Calendar date in Asia/Shanghai, `YYYY-MM-DD`. */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
/** Instant, ISO 8601 with offset or Z. */
export const IsoDateTime = z.string().max(40).datetime({ offset: true });
export const Id = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'id: letters, digits, _ . : - only');
/** Bilingual text: Chinese first, English second. */
export const Text = z.object({ zh: z.string().max(LEN.text), en: z.string().max(LEN.text) });
export type Text = z.infer<typeof Text>;
/** USCC shape only; the check digit is validated by `validateUscc` in uscc.ts. */
export const UsccShape = z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'USCC: 18 characters from 0-9 A-Z without I O S V Z');

// ---------- people and organisations ----------
export const Role = z.enum(['inspector', 'agency', 'supervisor', 'enterprise']);
export type Role = z.infer<typeof Role>;

export const Level = z.enum(['city', 'county', 'township', 'zone']);
export type Level = z.infer<typeof Level>;

export const Division = z.object({
  /** 6 digits for the city, its counties, districts and zones; 9 for a township (乡镇) or sub-district (街道) */
  code: z.string().regex(/^\d{6}(\d{3})?$/),
  name: str(LEN.name),
  nameEn: str(LEN.name),
  level: Level,
  /** the county-level division a township or zone belongs to, or the city for counties */
  parent: str(12).optional(),
});
export type Division = z.infer<typeof Division>;

export const Sector = z.enum([
  'market',
  'emergency',
  'ecology',
  'housing',
  'transport',
  'culture',
  'health',
  'natural_resources',
  'fire',
  'agriculture',
  'justice',
  /** a township's or sub-district's comprehensive enforcement (乡镇、街道综合行政执法) */
  'comprehensive',
]);
export type Sector = z.infer<typeof Sector>;

export const Agency = z.object({
  id: Id,
  name: str(LEN.name),
  nameEn: str(LEN.name),
  level: Level,
  division: str(12),
  sector: Sector,
  /** `enforcement` agencies inspect; `justice` bureaus supervise (司法行政部门). */
  kind: z.enum(['enforcement', 'justice']),
  /** a county agency's matching city agency, asked for its opinion on the plan (measure 4) */
  cityCounterpartId: Id.optional(),
  /** the justice office plans are filed with (measure 6) */
  filingOfficeId: Id.optional(),
});
export type Agency = z.infer<typeof Agency>;

/** valid; suspended (暂扣: may be reinstated); revoked (注销: for good) */
export const CertificateStatus = z.enum(['valid', 'suspended', 'revoked']);
export type CertificateStatus = z.infer<typeof CertificateStatus>;
/** a certificate number: 4–40 letters, digits and dashes */
export const CertificateNumber = z
  .string()
  .min(4)
  .max(40)
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'a certificate number holds letters, digits and dashes');
/** 行政执法证件. Expiry is inclusive: a certificate expiring on D is valid all of D (Asia/Shanghai). */
export const Certificate = z.object({
  number: z.string().min(4).max(40),
  inspectorId: Id,
  agencyId: Id,
  holderName: str(LEN.person),
  issuedOn: IsoDate,
  expiresOn: IsoDate,
  status: CertificateStatus,
  revokedOn: IsoDate.optional(),
  revokedReason: str(LEN.note).optional(),
  /** while suspended: since when and why (cleared when reinstated) */
  suspendedOn: IsoDate.optional(),
  suspendedReason: str(LEN.note).optional(),
});
export type Certificate = z.infer<typeof Certificate>;

export const Inspector = z.object({
  id: Id,
  name: str(LEN.person),
  agencyId: Id,
  certificateNumber: str(LEN.code).optional(),
  active: z.boolean().default(true),
});
export type Inspector = z.infer<typeof Inspector>;

export const EnterpriseKind = z.enum(['legal_person', 'unincorporated', 'individual']); // 法人 / 非法人组织 / 个体工商户
export const RiskLevel = z.enum(['low', 'medium', 'high', 'major']);
export const CreditLevel = z.enum(['A', 'B', 'C', 'D']);
export const EnterpriseStatus = z.enum(['active', 'deregistered']);
export const Enterprise = z.object({
  uscc: UsccShape,
  name: str(LEN.name),
  kind: EnterpriseKind,
  division: str(12),
  industry: str(LEN.name),
  riskLevel: RiskLevel,
  creditLevel: CreditLevel,
  address: str(LEN.ref),
  legalRep: str(LEN.person),
  /** inside the quiet-period zone (企业安静期 pilot, measure 10) */
  quietZone: z.boolean(),
  /** the township or sub-district (9-digit division code) where it operates, when known */
  township: z
    .string()
    .regex(/^\d{9}$/)
    .optional(),
  /** the register's status: `deregistered` (注销) enterprises are kept, marked, never deleted; absent = active */
  status: EnterpriseStatus.optional(),
});
export type Enterprise = z.infer<typeof Enterprise>;

// ---------- catalogue, flexible enforcement, handbooks ----------
export const Method = z.enum(['onsite', 'offsite', 'written']); // 现场 / 非现场 / 书面核查
export type Method = z.infer<typeof Method>;

export const InspectionItem = z.object({
  id: Id,
  agencyId: Id,
  code: str(LEN.code),
  name: str(LEN.name),
  nameEn: str(LEN.name),
  legalBasis: str(LEN.note),
  /** the level that should normally inspect (measure 1); `any` when both may */
  level: z.enum(['city', 'county', 'any']),
  industries: z.array(str(LEN.name)).max(LEN.many),
  defaultMethod: Method,
  published: z.boolean().default(true),
});
export type InspectionItem = z.infer<typeof InspectionItem>;

export const FlexList = z.enum(['lighter', 'mitigated', 'first_offence_exempt']); // 从轻 / 减轻 / 首违不罚
export const FlexEntry = z.object({
  id: Id,
  agencyId: Id,
  list: FlexList,
  violationCode: str(LEN.code),
  itemId: Id.optional(),
  description: str(LEN.note),
  legalBasis: str(LEN.note),
});
export type FlexEntry = z.infer<typeof FlexEntry>;

export const HandbookChapter = z.object({
  industry: str(LEN.name),
  title: str(LEN.name),
  risks: z.array(z.object({ title: str(LEN.name), basis: str(LEN.note), advice: str(LEN.text) })).max(LEN.many),
});
export type HandbookChapter = z.infer<typeof HandbookChapter>;

// ---------- plans and filings ----------
export const Targets = z.object({
  industries: z.array(str(LEN.name)).max(LEN.many).default([]),
  divisions: z.array(str(12)).max(LEN.many).default([]),
  riskLevels: z.array(RiskLevel).max(4).default([]),
  /** random-sampling ratio 0..1 (双随机); absent when targets are by list */
  samplingRatio: z.number().min(0).max(1).optional(),
});
export type Targets = z.infer<typeof Targets>;

export const PlanItem = z.object({
  id: Id,
  itemId: Id,
  method: Method,
  targets: Targets,
  months: z.array(z.number().int().min(1).max(12)).min(1, 'pick at least one month').max(12),
  /** per-enterprise annual frequency cap for this item's inspections */
  cap: z.number().int().min(1).max(12),
  jointPartners: z.array(Id).max(LEN.few).default([]),
  notes: z.string().max(LEN.note).default(''),
});
export type PlanItem = z.infer<typeof PlanItem>;

export const PlanStatus = z.enum(['draft', 'submitted', 'filed', 'returned', 'published']);
export type PlanStatus = z.infer<typeof PlanStatus>;

export const PlanMeta = z.object({
  agencyId: Id,
  year: z.number().int().min(2000).max(2100),
  title: str(LEN.name),
  status: PlanStatus,
  /** the agency-wide cap per enterprise per year (measure 4) */
  capPerEnterprise: z.number().int().min(1).max(12),
  filedHash: str(LEN.ref).optional(),
  filingId: Id.optional(),
  /** why the justice office returned the last filing (written by the server only, like status/filedHash/filingId) */
  returnReason: z.string().max(LEN.note).optional(),
});
export type PlanMeta = z.infer<typeof PlanMeta>;

/** The plan content that is filed and hashed (canonical form in canonical.ts). */
export const PlanContent = z.object({
  meta: PlanMeta.pick({ agencyId: true, year: true, title: true, capPerEnterprise: true }),
  items: z.array(PlanItem).max(LEN.many),
});
export type PlanContent = z.infer<typeof PlanContent>;

/** One item of a joint plan (src/model/joint.ts JointItem), live and as filed. */
export const JointContentItem = z.object({
  id: Id,
  /** the member agency whose catalogue item this is */
  agencyId: Id,
  itemId: Id,
  targets: Targets,
  months: z.array(z.number().int().min(1).max(12)).min(1, 'pick at least one month').max(12),
  /** who carries it out (free text, e.g. 市抽县查: the county office) */
  who: z.string().max(200).default(''),
});
export type JointContentItem = z.infer<typeof JointContentItem>;

/** The joint plan content that the lead agency files (canonical form: canonical.ts `jointContentOf`). */
export const JointContent = z.object({
  meta: z.object({
    id: Id,
    title: str(LEN.name),
    leadAgencyId: Id,
    year: z.number().int().min(2000).max(2100),
    window: z.object({ from: IsoDate, to: IsoDate }).optional(),
    /** the targets shared by every member's items */
    targets: Targets.optional(),
  }),
  /** member agency ids, sorted */
  members: z.array(Id).max(LEN.few),
  items: z.array(JointContentItem).max(LEN.many),
});
export type JointContent = z.infer<typeof JointContent>;

export const Filing = z.object({
  id: Id,
  /** `plan/<agencyId>/<year>` or `joint/<id>` */
  room: str(LEN.ref),
  /** the owning agency: the plan's agency, or a joint plan's lead agency */
  agencyId: Id,
  year: z.number().int(),
  hash: str(LEN.ref),
  /** PlanContent for `plan/` rooms, JointContent for `joint/` rooms */
  content: z.union([PlanContent, JointContent]),
  submittedBy: Id,
  submittedAt: IsoDateTime,
  officeId: Id,
  status: z.enum(['submitted', 'filed', 'returned']),
  decidedBy: Id.optional(),
  decidedAt: IsoDateTime.optional(),
  reason: str(LEN.note).optional(),
});
export type Filing = z.infer<typeof Filing>;

// ---------- inspections ----------
export const TriggerKind = z.enum(['complaint', 'referral', 'data_monitoring', 'enterprise_request']);
export type TriggerKind = z.infer<typeof TriggerKind>;
export const Trigger = z.object({ kind: TriggerKind, ref: z.string().min(1, 'give the reference of the trigger').max(LEN.ref) });
export type Trigger = z.infer<typeof Trigger>;

export const PlannedKind = z.enum(['special', 'routine', 'other']); // 专项 / 日常 / 其他有计划
export const InspectionKind = z.discriminatedUnion('type', [
  z.object({ type: z.literal('planned'), planned: PlannedKind }),
  z.object({ type: z.literal('triggered'), trigger: Trigger }),
]);
export type InspectionKind = z.infer<typeof InspectionKind>;

export const Window = z.object({ from: IsoDate, to: IsoDate });
export type Window = z.infer<typeof Window>;

export const TaskStatus = z.enum(['assigned', 'in_progress', 'done', 'cancelled']);
export const Task = z.object({
  id: Id,
  agencyId: Id,
  year: z.number().int(),
  uscc: UsccShape,
  /** denormalised so the task works offline without the directory */
  enterpriseName: str(LEN.name),
  itemIds: z.array(Id).min(1).max(LEN.few),
  window: Window,
  inspectorIds: z.array(Id).max(LEN.few),
  kind: InspectionKind,
  method: Method.default('onsite'),
  planItemId: Id.optional(),
  jointId: Id.optional(),
  /** the 双随机 draw the task was drawn by */
  drawId: Id.optional(),
  /** the agency's published catalogue version the plan was filed against (its item names and bases) */
  catalogueVersion: z.number().int().positive().optional(),
  status: TaskStatus,
  checkCode: str(LEN.token).optional(),
  createdAt: IsoDateTime,
  /**
   * a follow-up (整改复查) made by the server when a result orders rectification: the result's id. Its window
   * starts on the deadline (`rectifyBy`); it is done when the agency accepts the enterprise's report.
   */
  followUpOf: Id.optional(),
  /** the follow-up's enterprise ledger entry (the inspection that ordered rectification) */
  followUpEntryId: Id.optional(),
});
export type Task = z.infer<typeof Task>;

export const QuietExceptionKind = z.enum(['higher_level_campaign', 'hazard', 'complaint_case_media', 'statutory_deadline', 'tax_evasion', 'other']);
export type QuietExceptionKind = z.infer<typeof QuietExceptionKind>;

export const Exemption = z.object({
  /** the rule code that was overridden */
  rule: str(LEN.code),
  kind: z.union([TriggerKind, QuietExceptionKind]),
  reason: z.string().min(2, 'give the reason').max(LEN.note),
});
export type Exemption = z.infer<typeof Exemption>;

export const TeamMember = z.object({
  inspectorId: Id,
  name: str(LEN.person),
  certificateNumber: str(LEN.code),
  /** certificate status as known to the device at check-in */
  certificateValid: z.boolean(),
});
export type TeamMember = z.infer<typeof TeamMember>;

// ---------- evidence (photos, files, signatures, documents) ----------
/** a SHA-256 digest as 64 lowercase hex digits: the name of an evidence file on the server (content-addressed) */
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 digest: 64 lowercase hex digits');
export type Sha256Hex = z.infer<typeof Sha256Hex>;
/** what an evidence file is: a photo taken in the flow, an attached file, a handwritten signature, a generated PDF document */
export const EvidenceKind = z.enum(['photo', 'file', 'signature', 'document']);
export type EvidenceKind = z.infer<typeof EvidenceKind>;
/** the media types accepted as evidence (src/domain/evidence.ts EVIDENCE_LIMITS gives each kind's types and sizes) */
export const EvidenceType = z.enum(['image/jpeg', 'image/png', 'image/webp', 'application/pdf']);
export type EvidenceType = z.infer<typeof EvidenceType>;
/**
 * A file a record points at. The bytes live on the server under DATA_DIR, named by their SHA-256 (outside the
 * Yjs documents); the digest is part of the signed record, so the file cannot be swapped later.
 */
export const EvidenceRef = z.object({
  sha256: Sha256Hex,
  kind: EvidenceKind,
  type: EvidenceType,
  /** bytes (src/domain/evidence.ts limits each kind) */
  size: z
    .number()
    .int()
    .min(1)
    .max(50 * 1024 * 1024),
  /** the file's name as shown (a photo: its time) */
  name: str(LEN.name),
  /** a small JPEG of a photo, made on the phone (itself content-addressed) */
  thumb: Sha256Hex.optional(),
});
export type EvidenceRef = z.infer<typeof EvidenceRef>;

/** what an off-site or written inspection looked at (measure 12): documents asked for, remote video, other systems' data */
export const DataSourceKind = z.enum(['documents', 'remote_video', 'other_system', 'other']);
export type DataSourceKind = z.infer<typeof DataSourceKind>;
export const DataSource = z.object({
  kind: DataSourceKind,
  /** which documents, which call, which system and what it showed */
  note: z.string().trim().min(2, 'say what was checked').max(LEN.note),
});
export type DataSource = z.infer<typeof DataSource>;

// ---------- ledger records (append-only, ledger/<uscc>) ----------
const recordBase = {
  id: Id,
  uscc: UsccShape,
  at: IsoDateTime,
  /** user id of the author */
  by: Id,
  /** a correction points at the record it corrects; records are never changed */
  corrects: Id.optional(),
};

export const EntryRecord = z.object({
  ...recordBase,
  type: z.literal('entry'),
  agencyId: Id,
  taskId: Id.optional(),
  kind: InspectionKind,
  team: z.array(TeamMember).min(1).max(LEN.few),
  itemIds: z.array(Id).max(LEN.few),
  /** how the inspection was done; absent = on-site. Off-site/written ones are recorded without entry (measure 12). */
  method: Method.optional(),
  /**
   * `scan`: the enterprise code was scanned; `late`: 补录, flagged to supervisors; `offsite`: an off-site or
   * written inspection (method ≠ onsite, measure 12), recorded without entering and without a scan
   */
  via: z.enum(['scan', 'late', 'offsite']),
  /** an off-site or written inspection: what was checked (at least one) */
  sources: z.array(DataSource).max(LEN.few).optional(),
  lateReason: str(LEN.note).optional(),
  exemptions: z.array(Exemption).max(LEN.few).default([]),
  device: str(LEN.ref),
  /** the scanned enterprise code (compact JWS), kept as evidence */
  code: str(LEN.token).optional(),
  conductAcknowledged: z.boolean(),
});
export type EntryRecord = z.infer<typeof EntryRecord>;

export const Finding = z.object({
  itemId: Id,
  description: z.string().min(1).max(LEN.note),
  violationCode: str(LEN.code).optional(),
  /** the flexible-enforcement suggestion shown to the inspector */
  suggestion: z.enum(['none', 'lighter', 'mitigated', 'first_offence_exempt']).default('none'),
});
export type Finding = z.infer<typeof Finding>;

export const ResultRecord = z.object({
  ...recordBase,
  type: z.literal('result'),
  entryId: Id,
  agencyId: Id,
  checklist: z.array(z.object({ itemId: Id, ok: z.boolean(), note: z.string().max(LEN.note).default('') })).max(LEN.many),
  findings: z.array(Finding).max(LEN.few),
  outcome: z.enum(['no_problem', 'rectify', 'case_filed']),
  rectifyBy: IsoDate.optional(),
  /** 检查结果告知书 text given to the enterprise */
  notice: str(LEN.text),
  checkedOutAt: IsoDateTime,
  /** photos and files taken during the inspection (absent in records made before evidence existed) */
  evidence: z.array(EvidenceRef).max(20).optional(),
});
export type ResultRecord = z.infer<typeof ResultRecord>;

export const AckRecord = z.object({
  ...recordBase,
  type: z.literal('ack'),
  /** the result record acknowledged */
  refId: Id,
});
export type AckRecord = z.infer<typeof AckRecord>;

/**
 * The enterprise's objection to an inspector's record (an entry or a result): a record of its own, shown
 * beside the disputed one to the enterprise, the inspector, the agency and supervisors. It never hides
 * or changes the disputed record.
 */
export const DisputeRecord = z.object({
  ...recordBase,
  type: z.literal('dispute'),
  /** the entry or result record disputed */
  refId: Id,
  text: z.string().trim().min(5, 'say what is wrong with the record').max(LEN.note),
});
export type DisputeRecord = z.infer<typeof DisputeRecord>;

/**
 * The second inspector's own signature of an entry (measure 2): written and signed on the second inspector's
 * phone with its device key, after scanning the join code on the first inspector's screen (or the
 * enterprise's code). `entryHash` binds it to the entry exactly as signed. An entry without one is marked
 * single-signature and warned to supervisors.
 */
export const CosignRecord = z.object({
  ...recordBase,
  type: z.literal('cosign'),
  entryId: Id,
  agencyId: Id,
  /** SHA-256 (hex) of the entry's canonical JSON (src/domain/evidence.ts `recordHash`) */
  entryHash: Sha256Hex,
  /** how the second inspector joined: the code on the first inspector's screen, or the enterprise's own code */
  via: z.enum(['screen', 'enterprise_code']),
  /** the enterprise code scanned, when joined that way */
  code: str(LEN.token).optional(),
});
export type CosignRecord = z.infer<typeof CosignRecord>;

/** one handwritten signature on a document (an image kept as evidence) */
export const DocumentSignature = z.object({
  party: z.enum(['inspector', 'enterprise']),
  /** the signer's printed name */
  name: str(LEN.person),
  inspectorId: Id.optional(),
  /** the signature image (PNG), content-addressed */
  image: EvidenceRef,
});
export type DocumentSignature = z.infer<typeof DocumentSignature>;

/**
 * A formal document made from the records on the phone as PDF: the on-site record (现场检查笔录) or the result
 * notice (检查结果告知书). Signed by hand (signature pad) by both inspectors and the enterprise's representative;
 * the PDF's and the signatures' digests are part of this signed record. The enterprise downloads it.
 */
export const DocumentRecord = z.object({
  ...recordBase,
  type: z.literal('document'),
  docKind: z.enum(['onsite_record', 'result_notice']),
  entryId: Id,
  resultId: Id.optional(),
  agencyId: Id,
  pdf: EvidenceRef,
  signatures: z.array(DocumentSignature).max(6),
  /** the enterprise's representative declined to sign (the document says so) */
  enterpriseDeclined: z.boolean().optional(),
});
export type DocumentRecord = z.infer<typeof DocumentRecord>;

/** The enterprise's report that it has rectified what a result ordered (整改报告), with evidence. */
export const RectificationRecord = z.object({
  ...recordBase,
  type: z.literal('rectification'),
  /** the result that ordered rectification */
  resultId: Id,
  text: z.string().trim().min(5, 'say what was done').max(LEN.note),
  evidence: z.array(EvidenceRef).max(20),
});
export type RectificationRecord = z.infer<typeof RectificationRecord>;

/** The agency's decision on a rectification report: accepted (the follow-up is done) or not (the enterprise reports again). */
export const ReviewRecord = z.object({
  ...recordBase,
  type: z.literal('review'),
  reportId: Id,
  resultId: Id,
  agencyId: Id,
  accepted: z.boolean(),
  note: z.string().max(LEN.note).default(''),
});
export type ReviewRecord = z.infer<typeof ReviewRecord>;

export const LedgerRecord = z.discriminatedUnion('type', [
  EntryRecord,
  ResultRecord,
  AckRecord,
  DisputeRecord,
  CosignRecord,
  DocumentRecord,
  RectificationRecord,
  ReviewRecord,
]);
export type LedgerRecord = z.infer<typeof LedgerRecord>;

/** A ledger record as stored: the record and its device signature (ECDSA P-256 over canonical JSON). */
export const SignedRecord = z.object({
  rec: LedgerRecord,
  sig: z.object({ kid: str(LEN.ref), alg: z.literal('ES256'), value: str(LEN.ref) }).optional(),
});
export type SignedRecord = z.infer<typeof SignedRecord>;

// ---------- feedback (append-only, feedback/<uscc>) ----------
export const RatingRecord = z.object({
  ...recordBase,
  type: z.literal('rating'),
  entryId: Id,
  score: z.number().int().min(1).max(5),
  comment: z.string().max(1000).default(''),
});
export const ComplaintRecord = z.object({
  ...recordBase,
  type: z.literal('complaint'),
  entryId: Id.optional(),
  /** conduct rule code cited (五个严禁 / 八个不得) */
  ruleCode: str(LEN.code).optional(),
  refused: z.boolean().default(false),
  text: z.string().min(5, 'describe what happened').max(4000),
});
export const FeedbackRecord = z.discriminatedUnion('type', [RatingRecord, ComplaintRecord]);
export type FeedbackRecord = z.infer<typeof FeedbackRecord>;

// ---------- supervision ----------
export const WarningKind = z.enum([
  'over_cap',
  'uncertified',
  'quiet_period',
  'unfiled_plan',
  'changed_since_filing',
  'late_record',
  'duplicate',
  'quarantined',
  'complaint',
  'offsite_then_onsite',
  /** a record that corrects (supersedes) an earlier one; `block` when the correction is not allowed and ignored */
  'correction',
  /** an enterprise disputes an inspector's record */
  'dispute',
  /** an inspector declared an exemption that lifted a block (cap, quiet period, …) */
  'exemption',
  /** a ledger record reached the server more than 24 h after its time (a phone offline, or back-dated) */
  'late_upload',
  /** a party to a 双随机 draw did not reveal its secret in time: the draw lapsed */
  'draw_lapsed',
  /** an entry that only one inspector signed with a device key a day after it was made (measure 2) */
  'single_signature',
  /** an order to rectify past its deadline without an accepted report (follow-up overdue) */
  'rectification_overdue',
]);
export const Warning = z.object({
  id: Id,
  kind: WarningKind,
  severity: z.enum(['info', 'warn', 'block']),
  agencyId: Id.optional(),
  uscc: UsccShape.optional(),
  refId: str(LEN.ref).optional(),
  at: IsoDateTime,
  message: Text,
});
export type Warning = z.infer<typeof Warning>;
export const WarningHandling = z.object({
  warningId: Id,
  status: z.enum(['open', 'acknowledged', 'resolved', 'dismissed']),
  by: Id,
  at: IsoDateTime,
  note: z.string().max(LEN.note).default(''),
});

// ---------- draws (双随机) ----------
/** basis points (1/10,000) drawn per credit-risk class A–D (draw.ts, docs/draw-spec.md) */
export const ClassRatios = z.object({
  A: z.number().int().min(0).max(10000),
  B: z.number().int().min(0).max(10000),
  C: z.number().int().min(0).max(10000),
  D: z.number().int().min(0).max(10000),
});
export type ClassRatios = z.infer<typeof ClassRatios>;
/**
 * committing: the statement is public, parties commit · revealing: every commitment is in, parties reveal ·
 * drawn: the seed and result are known and the tasks made · published: every task done or the window over,
 * so the whole draw (population, reveals, result) is public · lapsed: a party did not reveal in time ·
 * cancelled: withdrawn by its organiser before every commitment was in
 */
export const DrawStatus = z.enum(['committing', 'revealing', 'drawn', 'published', 'lapsed', 'cancelled']);
export type DrawStatus = z.infer<typeof DrawStatus>;
/** agency: one agency draws for itself · county: the city draws for a county (市抽县查) · joint: several agencies (部门联合抽查) */
export const DrawKind = z.enum(['agency', 'county', 'joint']);
export type DrawKind = z.infer<typeof DrawKind>;
export const DrawParty = z.object({
  /** `agency:<agencyId>` or `justice:<agencyId>` */
  party: str(LEN.ref),
  commitment: str(LEN.ref).optional(),
  committedAt: IsoDateTime.optional(),
  revealedAt: IsoDateTime.optional(),
});
export type DrawParty = z.infer<typeof DrawParty>;
/**
 * A draw as its parties and supervisors follow it live (`draws/<year>`, written by the server only). The
 * population list, the secrets and the picks are served by the API to those who may see them.
 */
export const Draw = z.object({
  id: Id,
  year: z.number().int(),
  kind: DrawKind,
  /** the agency that creates the draw (the plan's agency, the joint plan's lead, the city agency) */
  organiserId: Id,
  /** agencies whose inspectors go, each with its own team */
  teamAgencyIds: z.array(Id).min(1).max(LEN.few),
  title: str(LEN.name),
  planItemId: Id.optional(),
  jointId: Id.optional(),
  window: z.object({ from: IsoDate, to: IsoDate }),
  status: DrawStatus,
  paramsHash: str(LEN.ref),
  populationHash: str(LEN.ref),
  populationSize: z.number().int().min(0),
  ratios: ClassRatios,
  parties: z.array(DrawParty).min(2).max(LEN.few),
  /** the last moment to reveal once every commitment is in; past it the draw lapses */
  revealBy: IsoDateTime.optional(),
  seed: str(LEN.ref).optional(),
  resultHash: str(LEN.ref).optional(),
  selectedCount: z.number().int().min(0).optional(),
  /** the draw this one replaces after it lapsed */
  replaces: Id.optional(),
  createdBy: Id,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Draw = z.infer<typeof Draw>;

// ---------- city configuration (policy parameters are data) ----------
export const ConductRule = z.object({
  code: str(LEN.code),
  group: z.enum(['five_prohibitions', 'eight_musts_not']), // 五个严禁 / 八个不得
  text: Text,
});
export type ConductRule = z.infer<typeof ConductRule>;

export const PolicyConfig = z.object({
  timezone: str(LEN.code).default('Asia/Shanghai'),
  capPerEnterpriseDefault: z.number().int().min(1).max(100).default(2),
  exemptTriggers: z.array(TriggerKind).max(LEN.few),
  quietPeriod: z.object({
    enabled: z.boolean(),
    /** quiet days a month for covered enterprises; `quietDays` lists the days of month (1..31) */
    daysPerMonth: z.number().int().min(0).max(31),
    quietDays: z.array(z.number().int().min(1).max(31)).max(31),
    exceptionKinds: z.array(QuietExceptionKind).max(LEN.few),
    /** division codes (6 or 9 digits) whose enterprises are all covered, besides those marked `quietZone`; empty: none */
    zones: z
      .array(z.string().regex(/^\d{6}(\d{3})?$/, 'a division code of 6 or 9 digits'))
      .max(LEN.many)
      .default([]),
  }),
  /** planned inspections announced N working days ahead; null = off */
  announceWorkingDaysAhead: z.number().int().min(0).max(60).nullable(),
  conductRules: z.array(ConductRule).max(LEN.many),
  draw: z.object({
    minRatio: z.number().min(0).max(1),
    minInspectors: z.number().int().min(1).max(20),
    recuseLastInspector: z.boolean(),
    /** default share drawn per credit-risk class (basis points): higher risk, higher ratio */
    classRatios: ClassRatios.default({ A: 300, B: 500, C: 1000, D: 2000 }),
    /** working days a party has to reveal once every commitment is in */
    revealWorkingDays: z.number().int().min(1).max(20).default(2),
  }),
  hotline: z.string().min(1).max(LEN.code).default('12345'),
  /** the date plans are due each year, MM-DD */
  planDue: z
    .string()
    .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a month and day MM-DD')
    .default('01-31'),
});
export type PolicyConfig = z.infer<typeof PolicyConfig>;

// ---------- auth ----------
export const LoginRequest = z.object({
  username: z.string().min(1, 'enter your user name').max(64),
  password: z.string().min(1, 'enter your password').max(256),
});
export const Principal = z.object({
  userId: Id,
  role: Role,
  name: str(LEN.name),
  agencyId: Id.optional(),
  inspectorId: Id.optional(),
  uscc: UsccShape.optional(),
});
export type Principal = z.infer<typeof Principal>;
/** The sign-in answer is `SessionResponse` in src/protocol/auth.ts (the refresh token is a cookie, never in a body). */

/** A rule's verdict (rules.ts): `block` stops a check-in unless an allowed exemption is recorded. */
export const Verdict = z.object({
  verdict: z.enum(['ok', 'warn', 'block']),
  code: z.string(),
  message: Text,
  /** exemption kinds that may override a block */
  exemptBy: z.array(z.string()).optional(),
  /** ids the verdict is about (tasks, plan items, records, inspectors), for links and warnings */
  refs: z.array(z.string()).optional(),
});
export type Verdict = z.infer<typeof Verdict>;
