/**
 * Integration tests read every API answer through its protocol schema (src/protocol/), so a server that
 * drifts from the wire contract fails the test that receives the drifted body, not only an end-to-end run.
 *
 *   const page = await json(r, EnterprisePage);      // the body, checked against the schema
 *   const e = await errorOf(r);                       // an error answer: {code, message: {zh, en}, details?}
 *   const body = await routeJson('GET', '/api/joints/j1', r);   // checked against the route's schema for r.status
 *
 * Each returns the body as the server sent it once it passed the check (not zod's output), so a test that
 * asserts a field is absent still sees every field the server sent.
 */
import { expect } from 'vitest';
import type { z } from 'zod';
import { ErrorBody } from '../../src/protocol/errors';
import { operations } from '../../src/protocol/api';

function check<S extends z.ZodType>(body: unknown, schema: S, where: string): z.output<S> {
  const p = schema.safeParse(body);
  if (!p.success) expect.fail(`${where}: the body does not match its protocol schema: ${p.error.message}\n${JSON.stringify(body).slice(0, 2000)}`);
  return body as z.output<S>;
}

/** the response's JSON body, checked against `schema` (a mismatch fails the test with zod's message and the body) */
export async function json<S extends z.ZodType>(r: Response, schema: S): Promise<z.output<S>> {
  return check(await r.json(), schema, `${r.url} ${r.status}`);
}

/** an error response's `error`, checked against the one error body schema */
export async function errorOf(r: Response): Promise<ErrorBody['error']> {
  return (await json(r, ErrorBody)).error;
}

/** a body already read, checked against `schema` */
export const parsed = <S extends z.ZodType>(body: unknown, schema: S): z.output<S> => check(body, schema, 'body');

/**
 * The schema of the answer `status` of the route `method path` (the protocol's table, src/protocol/api.ts):
 * ErrorBody for a 4xx/5xx, the route's declared schema otherwise; a route or status the table does not
 * declare fails the test.
 */
export function responseSchema(method: string, path: string, status: number): z.ZodType {
  if (status >= 400) return ErrorBody;
  const pathname = path.split('?')[0];
  const op = operations.find((o) => o.method === method && new RegExp('^' + o.path.replace(/:[A-Za-z][A-Za-z0-9]*/g, '[^/]+') + '/?$').test(pathname));
  if (!op) expect.fail(`${method} ${pathname}: not in the protocol's route table (src/protocol/api.ts)`);
  const s = op.responses[status];
  if (!s || s === 'text') expect.fail(`${method} ${op.path}: status ${status} is not declared in src/protocol/api.ts`);
  return s;
}

/** the JSON body of a response to `method path`, checked against that route's schema for its status */
export async function routeJson(method: string, path: string, r: Response): Promise<unknown> {
  return check(await r.json(), responseSchema(method, path, r.status), `${method} ${path} ${r.status}`);
}

/**
 * A drop-in for `r.json()` on an API response: the body, checked against the schema the protocol's table
 * declares for this route (by the response's URL) and status. `method`: the request's (GET unless given).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function apiJson(r: Response, method = 'GET'): Promise<any> {
  return routeJson(method, new URL(r.url).pathname, r);
}
