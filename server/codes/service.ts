/**
 * HTTP handlers for codes and device keys, framework-free: each takes parsed inputs (the principal from
 * the bearer token or null, path params, the parsed JSON body) and returns `{status, body, headers?}`.
 * Errors use the server's shape `{error: {code, message: {zh, en}, details?}}`.
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
 */
import QRCode from 'qrcode';
import { z } from 'zod';
import { codeUrl, CodeInspector, QR_ECL, type CodeKind } from '../../src/domain/codes';
import { Id, IsoDate, type Enterprise, type Principal, type Task } from '../../src/domain/schemas';
import { validateUscc } from '../../src/domain/uscc';
import type { DeviceRegistry } from './devices';
import type { KeyStore } from './keys';

export interface ApiResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

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
  getTask?(agencyId: string, year: number, taskId: string): MaybePromise<Pick<Task, 'id' | 'agencyId' | 'uscc' | 'window' | 'inspectorIds' | 'kind' | 'status'> | null | undefined>;
  /** today (YYYY-MM-DD, Asia/Shanghai) by the server's clock: the year of the tasks room to look in */
  today?(): string;
}

/** Per-request context: the public origin of the platform (e.g. `https://insp.yq.gov.cn`), for the QR URL. */
export interface ReqInfo { baseUrl: string }

type Msg = { zh: string; en: string };
const err = (status: number, code: string, message: Msg, details?: unknown): ApiResult =>
  ({ status, body: { error: details === undefined ? { code, message } : { code, message, details } } });
const unauthorized = (): ApiResult => ({ ...err(401, 'unauthorized', { zh: '请先登录', en: 'Sign in first' }), headers: { 'WWW-Authenticate': 'Bearer' } });
const forbidden = (): ApiResult => err(403, 'forbidden', { zh: '无权访问', en: 'You have no access to this' });

/** QR version for a code's text at the error correction its page renders it with (`QR_ECL`). */
export function qrVersionOf(text: string, kind: CodeKind): number {
  return QRCode.create(text, { errorCorrectionLevel: QR_ECL[kind] }).version;
}

export function handleGetKeys(deps: Pick<CodesDeps, 'keys'>): ApiResult {
  return { status: 200, body: deps.keys.jwks(), headers: { 'Cache-Control': 'public, max-age=300' } };
}

// codes are deterministic per (kid, uscc, name, division) for the life of the process, so the poster
// and the screen show the same code and re-signing is not repeated on every page view
const entCache = new Map<string, { token: string; url: string; qrVersion: number }>();

export async function handleEnterpriseCode(deps: CodesDeps, principal: Principal | null, uscc: string, req: ReqInfo): Promise<ApiResult> {
  if (!principal) return unauthorized();
  const v = validateUscc(uscc);
  if (!v.ok) return err(400, 'bad_uscc', v.message);
  const allowed = principal.role === 'supervisor' || principal.role === 'agency' || principal.role === 'inspector'
    || (principal.role === 'enterprise' && principal.uscc === uscc);
  if (!allowed) return forbidden();
  const ent = await deps.getEnterprise(uscc);
  if (!ent) return err(404, 'not_found', { zh: `未找到统一社会信用代码为 ${uscc} 的企业`, en: `No enterprise with USCC ${uscc}` });
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
  return { status: 200, body: { uscc: ent.uscc, token: c.token, url: c.url, qrText: c.url, qrVersion: c.qrVersion, kid } };
}

export const CheckCodeRequest = z.object({
  taskId: Id,
  agencyId: Id,
  uscc: z.string(),
  inspectors: z.array(CodeInspector).min(1).max(10),
  window: z.object({ from: IsoDate, to: IsoDate }).refine((w) => w.from <= w.to, 'window.from must not be after window.to'),
});

const refuse = (code: string, message: Msg): ApiResult => err(422, code, message);

export async function handleCheckCode(deps: CodesDeps, principal: Principal | null, body: unknown, req: ReqInfo): Promise<ApiResult> {
  if (!principal) return unauthorized();
  const b = CheckCodeRequest.safeParse(body);
  if (!b.success) return err(400, 'bad_request', { zh: '请求内容不正确', en: 'The request is not valid' }, b.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  const v = validateUscc(b.data.uscc);
  if (!v.ok) return err(400, 'bad_uscc', v.message);
  if (!(principal.role === 'inspector' || principal.role === 'agency') || principal.agencyId !== b.data.agencyId) return forbidden();
  const ids = b.data.inspectors.map((i) => i.id);
  if (new Set(ids).size !== ids.length) return err(400, 'duplicate_inspector', { zh: '检查人员重复', en: 'An inspector is listed twice' });

  // the task as the server holds it: the request only names it (its year: the request's window, else this year)
  if (!deps.getTask) return refuse('unknown_task', { zh: '服务器无法核对该任务，不能生成检查码', en: 'The server cannot check this task, so no check code is made' });
  const years = [...new Set([Number(b.data.window.from.slice(0, 4)), Number(b.data.window.to.slice(0, 4)), ...(deps.today ? [Number(deps.today().slice(0, 4))] : [])])];
  let task: Awaited<ReturnType<NonNullable<CodesDeps['getTask']>>> = null;
  for (const y of years) { task = await deps.getTask(b.data.agencyId, y, b.data.taskId); if (task) break; }
  if (!task || task.agencyId !== b.data.agencyId) {
    return refuse('unknown_task', { zh: `本部门没有编号为 ${b.data.taskId} 的检查任务`, en: `Your agency has no inspection task ${b.data.taskId}` });
  }
  if (task.status === 'cancelled') return refuse('task_cancelled', { zh: '该任务已取消，不能生成检查码', en: 'This task was cancelled; no check code is made for it' });
  if (task.uscc !== b.data.uscc) {
    return refuse('task_mismatch', { zh: `该任务检查的是企业 ${task.uscc}，不是 ${b.data.uscc}`, en: `This task inspects enterprise ${task.uscc}, not ${b.data.uscc}` });
  }
  if (task.window.from !== b.data.window.from || task.window.to !== b.data.window.to) {
    return refuse('task_mismatch', {
      zh: `该任务的检查时间为 ${task.window.from} 至 ${task.window.to}，与请求不符`,
      en: `This task's window is ${task.window.from} to ${task.window.to}, not the one requested`,
    });
  }
  // the team: the task's assigned inspectors; a triggered task is started on the phone by one inspector,
  // who brings a colleague of the agency, so there the team must include one of the task's inspectors
  const triggered = task.kind.type === 'triggered';
  if (principal.role === 'inspector' && !(principal.inspectorId && task.inspectorIds.includes(principal.inspectorId))) {
    return refuse('not_on_team', { zh: '你不在该任务的检查组中', en: 'You are not on this task\'s team' });
  }
  for (const i of b.data.inspectors) {
    if (!triggered && !task.inspectorIds.includes(i.id)) {
      return refuse('not_on_team', { zh: `${i.name}（${i.id}）不在该任务的检查组中`, en: `${i.name} (${i.id}) is not on this task's team` });
    }
  }
  if (triggered && !b.data.inspectors.some((i) => task.inspectorIds.includes(i.id))) {
    return refuse('not_on_team', { zh: '检查组中没有该任务的执法人员', en: 'The team has none of this task\'s inspectors' });
  }

  // names and certificate numbers as the directory has them; the request's must match
  const inspectors: CodeInspector[] = [];
  for (const i of b.data.inspectors) {
    const d = deps.getInspector ? await deps.getInspector(i.id) : null;
    if (deps.getInspector && (!d || d.agencyId !== b.data.agencyId)) {
      return refuse('not_agency_inspector', { zh: `${i.name}（${i.id}）不是本部门的执法人员`, en: `${i.name} (${i.id}) is not an inspector of this agency` });
    }
    if (d?.certificateNumber && d.certificateNumber !== i.cert) {
      return refuse('certificate_mismatch', { zh: `${i.name} 的执法证号与登记不符`, en: `${i.name}'s certificate number does not match the registry` });
    }
    inspectors.push({ id: i.id, name: (d?.name || i.name).slice(0, 40), cert: d?.certificateNumber || i.cert });
  }
  if (!deps.certificateValid) return refuse('certificate_invalid', { zh: '服务器无法核对执法证件，不能生成检查码', en: 'The server cannot check the certificates, so no check code is made' });
  for (const i of inspectors) {
    if (!(await deps.certificateValid(i.cert, i.id))) {
      return refuse('certificate_invalid', { zh: `${i.name} 的执法证件无效或已过期（${i.cert}）`, en: `${i.name}'s certificate ${i.cert} is not valid today` });
    }
  }
  const token = await deps.keys.signCheckCode({ id: task.id, agencyId: task.agencyId, uscc: task.uscc, window: task.window }, inspectors);
  const url = codeUrl(req.baseUrl, token);
  return { status: 200, body: { token, url, qrVersion: qrVersionOf(url, 'chk'), kid: deps.keys.currentKid } };
}

export const RegisterDeviceRequest = z.object({ publicJwk: z.unknown() });

export async function handleRegisterDevice(deps: Pick<CodesDeps, 'devices'>, principal: Principal | null, body: unknown): Promise<ApiResult> {
  if (!principal) return unauthorized();
  const b = RegisterDeviceRequest.safeParse(body);
  if (!b.success || b.data.publicJwk === undefined) return err(400, 'bad_request', { zh: '缺少设备公钥 publicJwk', en: 'publicJwk is missing' });
  const r = await deps.devices.register(principal.userId, b.data.publicJwk);
  if (!r.ok) return err(r.code === 'taken' ? 409 : 400, r.code, r.message);
  return { status: r.created ? 201 : 200, body: { kid: r.kid } };
}
