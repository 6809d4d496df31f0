/**
 * Signed codes and device keys: the service behind server/codes/routes.ts. Each method takes the signed-in
 * principal and the parsed request, returns the response body and throws HttpError (server/http/errors.ts).
 *
 *   GET  /api/keys                    public              → JWKS {keys:[…]} (cacheable 5 min)
 *   GET  /api/enterprises/:uscc/code  that enterprise, any agency or inspector, supervisors
 *                                                         → {uscc, token, url, qrText, qrVersion, kid}
 *   POST /api/check-code              inspector or agency admin of body.agencyId
 *        {taskId, agencyId, uscc, inspectors:[{id,name,cert}], window:{from,to}} → {token, url, qrVersion, kid}
 *        Only for a task of the caller's agency as the server's tasks room holds it: its enterprise and window
 *        must be the request's, the team must be the task's (a triggered task started on the phone: its
 *        starter and colleagues of the agency), and every member's certificate must be valid today.
 *        Otherwise 422 with the reason.
 *   POST /api/devices {publicJwk}     any signed-in user  → {kid} (201 new, 200 already registered)
 *   POST /api/check-code/details {code} the code's enterprise, agencies, inspectors, supervisors → checkCodeDetails
 */
import QRCode from 'qrcode';
import { codeUrl, QR_ECL, type CodeInspector, type CodeKind } from '../../src/domain/codes';
import { Agency, Inspector, type Enterprise, type Principal, type Task } from '../../src/domain/schemas';
import { validateUscc } from '../../src/domain/uscc';
import { rooms } from '../../src/domain/rooms';
import { shanghaiDate } from '../../src/domain/time';
import { planHash } from '../../src/domain/canonical';
import { readAgencyItems, readCertificates, readPlanContent, readPlanMeta, readTask } from '../../src/model';
import { certificateValidOn } from '../../src/model/registry';
import type { Directory } from '../directory/store';
import type { RoomReader } from '../sync/port';
import { errors, HttpError, type Bilingual } from '../http/errors';
import type { DeviceRegistry } from './devices';
import { CheckCodeRequest, RegisterDeviceRequest } from '../../src/protocol/codes';
import type { KeyStore } from './keys';

type MaybePromise<T> = T | Promise<T>;

export interface CodesDeps {
  keys: KeyStore;
  devices: DeviceRegistry;
  getEnterprise(uscc: string): MaybePromise<Pick<Enterprise, 'uscc' | 'name' | 'division'> | null | undefined>;
  /**
   * Optional: the directory's inspector, used to check that every inspector on a check code belongs to
   * the agency and that the certificate number matches. When absent, only the shape is checked.
   */
  getInspector?(id: string): MaybePromise<{ id: string; agencyId: string; name: string; certificateNumber?: string | null } | null | undefined>;
  /** Optional: whether a certificate is valid today (registry); when given, invalid ones are refused. */
  certificateValid?(certNumber: string, inspectorId: string): MaybePromise<boolean>;
  /**
   * The task as the server's `tasks/<agencyId>/<year>` room holds it (null: no such task). Required for
   * check codes: without it none is signed (a code for a task the server cannot see proves nothing).
   */
  getTask?(
    agencyId: string,
    year: number,
    taskId: string,
  ): MaybePromise<Pick<Task, 'id' | 'agencyId' | 'uscc' | 'window' | 'inspectorIds' | 'kind' | 'status'> | null | undefined>;
  /** today (YYYY-MM-DD, Asia/Shanghai) by the server's clock: the year of the tasks room to look in */
  today?(): string;
}

/** Per-request context: the public origin of the platform (e.g. `https://insp.yq.gov.cn`), for the QR URL. */
export interface ReqInfo {
  baseUrl: string;
}

const forbidden = errors.forbidden;
const notFoundEnterprise = (uscc: string) => errors.notFound({ zh: `未找到统一社会信用代码为 ${uscc} 的企业`, en: `No enterprise with USCC ${uscc}` });

/** QR version for a code's text at the error correction its page renders it with (`QR_ECL`). */
export function qrVersionOf(text: string, kind: CodeKind): number {
  return QRCode.create(text, { errorCorrectionLevel: QR_ECL[kind] }).version;
}

/** GET /api/keys: the public keys (JWKS); the route lets caches keep them 5 minutes */
export function getKeys(deps: Pick<CodesDeps, 'keys'>) {
  return deps.keys.jwks();
}

// codes are deterministic per (kid, uscc, name, division) for the life of the process, so the poster
// and the screen show the same code and re-signing is not repeated on every page view
const entCache = new Map<string, { token: string; url: string; qrVersion: number }>();

export async function enterpriseCode(deps: CodesDeps, principal: Principal, uscc: string, req: ReqInfo) {
  const v = validateUscc(uscc);
  if (!v.ok) throw errors.badRequest('bad_uscc', v.message);
  const allowed =
    principal.role === 'supervisor' ||
    principal.role === 'agency' ||
    principal.role === 'inspector' ||
    (principal.role === 'enterprise' && principal.uscc === uscc);
  if (!allowed) throw forbidden();
  const ent = await deps.getEnterprise(uscc);
  if (!ent) throw notFoundEnterprise(uscc);
  const kid = deps.keys.currentKid;
  const key = JSON.stringify([kid, req.baseUrl, ent.uscc, ent.name, ent.division]);
  let c = entCache.get(key);
  if (!c) {
    const token = await deps.keys.signEnterpriseCode(ent);
    const url = codeUrl(req.baseUrl, token);
    c = { token, url, qrVersion: qrVersionOf(url, 'ent') };
    if (entCache.size > 5000) entCache.clear();
    entCache.set(key, c);
  }
  return { uscc: ent.uscc, token: c.token, url: c.url, qrText: c.url, qrVersion: c.qrVersion, kid };
}

// the request schemas are the wire contract's (src/protocol/codes.ts); re-exported for the service's callers
export { CheckCodeRequest, RegisterDeviceRequest };

/** 422: the server will not sign this check code, and why */
const refuse = (code: string, message: Bilingual) => new HttpError(422, code, message);

export async function checkCode(deps: CodesDeps, principal: Principal, body: CheckCodeRequest, req: ReqInfo) {
  const v = validateUscc(body.uscc);
  if (!v.ok) throw errors.badRequest('bad_uscc', v.message);
  if (!(principal.role === 'inspector' || principal.role === 'agency') || principal.agencyId !== body.agencyId) throw forbidden();
  const ids = body.inspectors.map((i) => i.id);
  if (new Set(ids).size !== ids.length) throw errors.badRequest('duplicate_inspector', { zh: '检查人员重复', en: 'An inspector is listed twice' });

  // the task as the server holds it: the request only names it (its year: the request's window, else this year)
  if (!deps.getTask)
    throw refuse('unknown_task', { zh: '服务器无法核对该任务，不能生成检查码', en: 'The server cannot check this task, so no check code is made' });
  const years = [
    ...new Set([Number(body.window.from.slice(0, 4)), Number(body.window.to.slice(0, 4)), ...(deps.today ? [Number(deps.today().slice(0, 4))] : [])]),
  ];
  let task: Awaited<ReturnType<NonNullable<CodesDeps['getTask']>>> = null;
  for (const y of years) {
    task = await deps.getTask(body.agencyId, y, body.taskId);
    if (task) break;
  }
  if (!task || task.agencyId !== body.agencyId) {
    throw refuse('unknown_task', { zh: `本部门没有编号为 ${body.taskId} 的检查任务`, en: `Your agency has no inspection task ${body.taskId}` });
  }
  if (task.status === 'cancelled')
    throw refuse('task_cancelled', { zh: '该任务已取消，不能生成检查码', en: 'This task was cancelled; no check code is made for it' });
  if (task.uscc !== body.uscc) {
    throw refuse('task_mismatch', {
      zh: `该任务检查的是企业 ${task.uscc}，不是 ${body.uscc}`,
      en: `This task inspects enterprise ${task.uscc}, not ${body.uscc}`,
    });
  }
  if (task.window.from !== body.window.from || task.window.to !== body.window.to) {
    throw refuse('task_mismatch', {
      zh: `该任务的检查时间为 ${task.window.from} 至 ${task.window.to}，与请求不符`,
      en: `This task's window is ${task.window.from} to ${task.window.to}, not the one requested`,
    });
  }
  // the team: the task's assigned inspectors; a triggered task is started on the phone by one inspector,
  // who brings a colleague of the agency, so there the team must include one of the task's inspectors
  const triggered = task.kind.type === 'triggered';
  if (principal.role === 'inspector' && !(principal.inspectorId && task.inspectorIds.includes(principal.inspectorId))) {
    throw refuse('not_on_team', { zh: '你不在该任务的检查组中', en: "You are not on this task's team" });
  }
  for (const i of body.inspectors) {
    if (!triggered && !task.inspectorIds.includes(i.id)) {
      throw refuse('not_on_team', { zh: `${i.name}（${i.id}）不在该任务的检查组中`, en: `${i.name} (${i.id}) is not on this task's team` });
    }
  }
  if (triggered && !body.inspectors.some((i) => task.inspectorIds.includes(i.id))) {
    throw refuse('not_on_team', { zh: '检查组中没有该任务的执法人员', en: "The team has none of this task's inspectors" });
  }

  // names and certificate numbers as the directory has them; the request's must match
  const inspectors: CodeInspector[] = [];
  for (const i of body.inspectors) {
    const d = deps.getInspector ? await deps.getInspector(i.id) : null;
    if (deps.getInspector && (!d || d.agencyId !== body.agencyId)) {
      throw refuse('not_agency_inspector', { zh: `${i.name}（${i.id}）不是本部门的执法人员`, en: `${i.name} (${i.id}) is not an inspector of this agency` });
    }
    if (d?.certificateNumber && d.certificateNumber !== i.cert) {
      throw refuse('certificate_mismatch', { zh: `${i.name} 的执法证号与登记不符`, en: `${i.name}'s certificate number does not match the registry` });
    }
    inspectors.push({ id: i.id, name: (d?.name || i.name).slice(0, 40), cert: d?.certificateNumber || i.cert });
  }
  if (!deps.certificateValid)
    throw refuse('certificate_invalid', {
      zh: '服务器无法核对执法证件，不能生成检查码',
      en: 'The server cannot check the certificates, so no check code is made',
    });
  for (const i of inspectors) {
    if (!(await deps.certificateValid(i.cert, i.id))) {
      throw refuse('certificate_invalid', { zh: `${i.name} 的执法证件无效或已过期（${i.cert}）`, en: `${i.name}'s certificate ${i.cert} is not valid today` });
    }
  }
  const token = await deps.keys.signCheckCode({ id: task.id, agencyId: task.agencyId, uscc: task.uscc, window: task.window }, inspectors);
  const url = codeUrl(req.baseUrl, token);
  return { token, url, qrVersion: qrVersionOf(url, 'chk'), kid: deps.keys.currentKid };
}

/** register the caller's device key: `created` false when it was registered already (the route answers 200, else 201) */
export async function registerDevice(deps: Pick<CodesDeps, 'devices'>, principal: Principal, publicJwk: unknown): Promise<{ created: boolean; kid: string }> {
  const r = await deps.devices.register(principal.userId, publicJwk);
  if (!r.ok) throw new HttpError(r.code === 'taken' ? 409 : 400, r.code, r.message);
  return { created: r.created, kid: r.kid };
}

export type CertState = 'valid' | 'expired' | 'revoked' | 'unknown';

export interface DetailsDeps {
  keys: Pick<KeyStore, 'verify'>;
  dir: Pick<Directory, 'agencies' | 'inspectors'>;
  rooms: RoomReader;
  now: () => Date;
}

/**
 * What a check code (检查码) stands for, from the server's documents: the agency, each inspector's
 * certificate status today, the task's items and kind, and whether the agency's plan is filed and
 * unchanged since. 400 when the code does not verify or is not a check code.
 */
export async function checkCodeDetails(d: DetailsDeps, p: Principal, code: string) {
  const v = await d.keys.verify(code);
  if (!v.ok) throw errors.badRequest(`code_${v.code}`, v.message);
  if (v.kind !== 'chk') throw errors.badRequest('not_check_code', { zh: '这是企业专属二维码，不是检查码', en: 'This is an enterprise code, not a check code' });
  const c = v.payload;
  if (p.role === 'enterprise' && p.uscc !== c.uscc) {
    throw new HttpError(403, 'other_enterprise', {
      zh: '这张检查码是给其他企业的，不是对本企业的检查',
      en: 'This check code is for another enterprise, not an inspection of yours',
    });
  }
  const agency =
    d.dir
      .agencies()
      .map((a) => Agency.safeParse(a))
      .flatMap((r) => (r.success ? [r.data] : []))
      .find((a) => a.id === c.agencyId) ?? null;
  const today = shanghaiDate(d.now());
  const certs = await d.rooms.read(rooms.registry(), (doc) => readCertificates(doc).items);
  // the code names inspectors by certificate; the holder must be one of the code's agency's inspectors
  // (codes of the first form also carry the holder's id, which must match)
  const staff = new Map(
    d.dir.inspectors(c.agencyId).flatMap((x) => {
      const r = Inspector.safeParse(x);
      return r.success ? [[r.data.id, r.data] as const] : [];
    }),
  );
  const inspectors = c.inspectors.map((i) => {
    const cert = certs.find((x) => x.number === i.cert);
    const holder = cert ? staff.get(cert.inspectorId) : undefined;
    const state: CertState =
      !cert || !holder || (i.id !== undefined && cert.inspectorId !== i.id)
        ? 'unknown'
        : cert.status === 'revoked'
          ? 'revoked'
          : certificateValidOn(cert, today)
            ? 'valid'
            : 'expired';
    return { id: holder?.id ?? i.id ?? null, name: holder?.name ?? i.name ?? null, cert: i.cert, state, expiresOn: cert?.expiresOn ?? null };
  });
  const year = Number(c.window.from.slice(0, 4));
  const task = await d.rooms.read(rooms.tasks(c.agencyId, year), (doc) => readTask(doc, c.taskId) ?? null);
  const catalogue = await d.rooms.read(rooms.agency(c.agencyId), (doc) => readAgencyItems(doc).items);
  const items = (task?.itemIds ?? []).map((id) => {
    const it = catalogue.find((x) => x.id === id);
    return { id, name: it?.name ?? id, nameEn: it?.nameEn ?? id, legalBasis: it?.legalBasis ?? '' };
  });
  const plan = await d.rooms.read(rooms.plan(c.agencyId, year), (doc) => ({ meta: readPlanMeta(doc).meta, content: readPlanContent(doc) }));
  let changed: boolean | null = null;
  if (plan.meta?.filedHash && plan.content) {
    try {
      changed = (await planHash(plan.content.meta, plan.content.items)) !== plan.meta.filedHash;
    } catch {
      changed = null;
    }
  }
  const filed = !!plan.meta?.filedHash && (plan.meta.status === 'filed' || plan.meta.status === 'published');
  return {
    taskId: c.taskId,
    uscc: c.uscc,
    window: c.window,
    issuedAt: new Date(c.iat * 1000).toISOString(),
    agency: agency ? { id: agency.id, name: agency.name, nameEn: agency.nameEn } : { id: c.agencyId, name: c.agencyId, nameEn: c.agencyId },
    inspectors,
    task: task ? { found: true, kind: task.kind, method: task.method, status: task.status, items } : { found: false, items },
    plan: { year, status: plan.meta?.status ?? null, filed, changedSinceFiling: changed },
  };
}
