/**
 * Every error a screen shows, in Chinese and English: `errorMessage(err)` gives `{zh, en}` for any kind of
 * error, `errorText(err)` the current language's words. The kinds: the server's error body (an ApiError
 * carries its bilingual message; a network failure has its own), a WebSocket close code (src/protocol/sync.ts
 * CLOSE), zod issues (the schemas' own messages are English: common codes are translated), anything that
 * already carries `text: {zh, en}` (the scanner's errors), the browser's storage and camera errors, and at
 * last any other Error, whose English message is kept beside a Chinese "operation failed".
 */
import type { z } from 'zod';
import { tx } from '../i18n';
import type { Text } from '../domain/schemas';
import { ApiError, NETWORK_ERROR } from '../client/agent';
import { CLOSE } from '../protocol/sync';

type Issue = z.core.$ZodIssue;

function zhOf(i: Issue): string {
  const x = i as unknown as { code: string; minimum?: number | bigint; maximum?: number | bigint; origin?: string; expected?: string; message: string };
  switch (x.code) {
    case 'too_small':
      if (x.origin === 'array' || x.origin === 'set') return `至少选择 ${String(x.minimum)} 项`;
      if (x.origin === 'string') return Number(x.minimum) <= 1 ? '不能为空' : `至少 ${String(x.minimum)} 个字`;
      return `不能小于 ${String(x.minimum)}`;
    case 'too_big':
      if (x.origin === 'array' || x.origin === 'set') return `最多选择 ${String(x.maximum)} 项`;
      if (x.origin === 'string') return `不能超过 ${String(x.maximum)} 个字`;
      return `不能大于 ${String(x.maximum)}`;
    case 'invalid_type':
      return x.expected === 'number' || x.expected === 'int' ? '请输入数字' : '格式不正确';
    case 'invalid_value':
      return '请从列表中选择';
    case 'invalid_format':
      return '格式不正确';
    default:
      // a schema's own (English) message, kept for the specifics
      return `内容不符合要求（${x.message}）`;
  }
}

function enOf(i: Issue): string {
  const x = i as unknown as { code: string; minimum?: number | bigint; maximum?: number | bigint; origin?: string; message: string };
  if (x.code === 'too_small' && (x.origin === 'number' || x.origin === 'int')) return `Must be at least ${String(x.minimum)}`;
  if (x.code === 'too_big' && (x.origin === 'number' || x.origin === 'int')) return `Must be at most ${String(x.maximum)}`;
  if (x.code === 'too_small' && x.origin === 'array') return `Pick at least ${String(x.minimum)}`;
  if (x.code === 'invalid_type') return 'Enter a number';
  return x.message;
}

/** the first zod issue in both languages */
export function zodMessage(e: { issues: readonly Issue[] }): Text {
  const first = e.issues[0];
  return first ? { zh: zhOf(first), en: enOf(first) } : { zh: '内容不符合要求', en: 'Invalid input' };
}

/** why the server ended a sync socket, by its close code */
export function closeMessage(code: number): Text {
  switch (code) {
    case CLOSE.unauthorized:
      return { zh: '登录已过期，请重新登录', en: 'Your session has expired: sign in again' };
    case CLOSE.forbidden:
      return { zh: '无权访问此文档，或修改被服务器拒绝', en: 'No access to this document, or the server refused the change' };
    case CLOSE.badRoom:
      return { zh: '服务器上没有此文档', en: 'The server has no such document' };
    case CLOSE.roomFull:
      return {
        zh: '文档已达容量上限，无法再保存，请联系管理员',
        en: 'This document has reached its size limit: nothing more can be saved. Contact your administrator',
      };
    case CLOSE.policy:
      return { zh: '服务器多次拒绝本设备的修改，连接已断开', en: 'The server refused too many changes from this device and closed the connection' };
    case CLOSE.tooBig:
      return { zh: '修改过大，服务器拒绝接收', en: 'The change is too large for the server' };
    case CLOSE.tryAgain:
      return { zh: '服务器繁忙，请稍后重试', en: 'The server is busy: try again shortly' };
    default:
      return { zh: `与服务器的连接已断开（${code}）`, en: `The connection to the server closed (${code})` };
  }
}

const isText = (x: unknown): x is Text => !!x && typeof x === 'object' && typeof (x as Text).zh === 'string' && typeof (x as Text).en === 'string';

/** Any error as `{zh, en}`. */
export function errorMessage(err: unknown): Text {
  if (err instanceof ApiError) return err.text;
  if (isText(err)) return err;
  if (err && typeof err === 'object') {
    const o = err as { name?: unknown; issues?: unknown; text?: unknown; code?: unknown; message?: unknown; type?: unknown };
    if (o.name === 'ZodError' && Array.isArray(o.issues)) return zodMessage(o as { issues: Issue[] });
    if (isText(o.text)) return o.text;
    // a CloseEvent, or `{code}` from the pool's status
    if (typeof o.code === 'number' && (o.type === 'close' || !(err instanceof Error))) return closeMessage(o.code);
    if (o.name === 'QuotaExceededError') return { zh: '手机存储空间不足，无法保存', en: 'The device is out of storage: nothing could be saved' };
    if (o.name === 'NotAllowedError')
      return { zh: '未获得权限（相机或存储），请在浏览器设置中允许', en: 'Permission denied (camera or storage): allow it in the browser settings' };
    // fetch outside the agent: the browser's own words differ, the cause is the network
    if (err instanceof TypeError && /fetch|network/i.test(String(o.message))) return NETWORK_ERROR;
  }
  const msg = err instanceof Error ? err.message : String(err);
  return { zh: `操作失败：${msg}`, en: `Something went wrong: ${msg}` };
}

/** Any error in the user's language. */
export function errorText(err: unknown): string {
  return tx(errorMessage(err));
}
