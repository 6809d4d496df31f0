/**
 * Integration tests read every API answer through its protocol schema (src/protocol/), so a server that
 * drifts from the wire contract fails the test that receives the drifted body, not only an end-to-end run.
 *
 *   const page = await json(r, EnterprisePage);      // any status: parse the body with the schema
 *   const e = await errorOf(r);                       // an error answer: {code, message: {zh, en}, details?}
 */
import { expect } from 'vitest';
import type { z } from 'zod';
import { ErrorBody } from '../../src/protocol/errors';

/** the response's JSON body, parsed with `schema` (a failed parse fails the test with zod's message and the body) */
export async function json<S extends z.ZodType>(r: Response, schema: S): Promise<z.output<S>> {
  const body: unknown = await r.json();
  const p = schema.safeParse(body);
  if (!p.success) expect.fail(`${r.url} ${r.status}: the body does not match its protocol schema: ${p.error.message}\n${JSON.stringify(body).slice(0, 2000)}`);
  return p.data;
}

/** an error response's `error`, parsed with the one error body schema */
export async function errorOf(r: Response): Promise<ErrorBody['error']> {
  return (await json(r, ErrorBody)).error;
}

/** a plain value (already read from a response) parsed with its schema */
export function parsed<S extends z.ZodType>(body: unknown, schema: S): z.output<S> {
  const p = schema.safeParse(body);
  if (!p.success) expect.fail(`the body does not match its protocol schema: ${p.error.message}\n${JSON.stringify(body).slice(0, 2000)}`);
  return p.data;
}
