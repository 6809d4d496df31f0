/**
 * GET /api/openapi.json: an OpenAPI 3.1 document generated from the protocol schemas (src/protocol/api.ts),
 * served without sign-in, and naming every route the server registers (and no route it does not), so a
 * new route cannot ship without its schemas.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startServer, type RunningServer } from '../../../server/app';
import { fixedClock } from '../../../server/clock';
import { createLogger } from '../../../server/log';
import { operations } from '../../../src/protocol/api';
import { E2E_NOW } from '../../helpers/moments';
import { json, responseSchema } from '../../helpers/api';

const OpenApiDoc = z.object({
  openapi: z.string().regex(/^3\.1\./),
  info: z.object({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.object({ summary: z.string(), responses: z.record(z.string(), z.unknown()) }).loose())),
  components: z.object({ schemas: z.record(z.string(), z.record(z.string(), z.unknown())) }).loose(),
});

let srv: RunningServer;
let dataDir: string;
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eicp-openapi-'));
  srv = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    staticDir: path.join(dataDir, 'no-dist'),
    logger: createLogger('silent'),
    clock: fixedClock(E2E_NOW),
  });
}, 60_000);
afterAll(async () => {
  await srv?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const key = (method: string, p: string) => `${method} ${p.replace(/:([A-Za-z][A-Za-z0-9]*)/g, '{$1}')}`;

describe('GET /api/openapi.json', () => {
  it('is public, OpenAPI 3.1, and documents exactly the routes the server registers', async () => {
    const r = await fetch(`${srv.url}/api/openapi.json`);
    expect(r.status).toBe(200);
    const doc = await json(r, OpenApiDoc);
    const documented = Object.entries(doc.paths)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
      .sort();
    const registered = srv
      .routes()
      .map((x) => key(x.method, x.path))
      .sort();
    expect(registered.length).toBeGreaterThan(30);
    expect(
      registered.filter((x) => !documented.includes(x)),
      'registered routes missing from the document',
    ).toEqual([]);
    expect(
      documented.filter((x) => !registered.includes(x)),
      'documented routes the server does not have',
    ).toEqual([]);
    expect(new Set(registered).size).toBe(registered.length);
  });

  it('gives every JSON answer a schema, every request body and every $ref a component', async () => {
    const doc = await json(await fetch(`${srv.url}/api/openapi.json`), OpenApiDoc);
    const text = JSON.stringify(doc);
    for (const m of text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) expect(doc.components.schemas, m[1]).toHaveProperty(m[1]);
    for (const op of operations) {
      const o = doc.paths[op.path.replace(/:([A-Za-z][A-Za-z0-9]*)/g, '{$1}')][op.method.toLowerCase()] as {
        requestBody?: unknown;
        responses: Record<string, unknown>;
      };
      for (const status of Object.keys(op.responses)) expect(o.responses, `${op.method} ${op.path}`).toHaveProperty(status);
      expect(o.responses, `${op.method} ${op.path}: the error body`).toHaveProperty('400');
      if (op.body) expect(o.requestBody, `${op.method} ${op.path}`).toBeDefined();
    }
    // the one error body: {error: {code, message: {zh, en}, details?}}
    expect(doc.components.schemas.ErrorBody).toMatchObject({ properties: { error: { required: ['code', 'message'] } } });
  });

  it("the test helpers find each route's schema, and a drifted answer does not pass it", async () => {
    const joint = { id: 'j1', title: 't', year: 2026, leadAgencyId: 'a', memberAgencyIds: ['a'], invitedAgencyIds: [], status: 'draft' };
    expect(responseSchema('GET', '/api/joints/j1', 200).safeParse(joint).success).toBe(true);
    // a field renamed on the server (memberAgencyIds → members) fails the check the integration tests run
    const { memberAgencyIds: _m, ...drifted } = joint;
    expect(responseSchema('GET', '/api/joints/j1', 200).safeParse({ ...drifted, members: ['a'] }).success).toBe(false);
    expect(
      responseSchema('POST', '/api/joints/j1/tasks', 422).safeParse({ error: { code: 'task_rules', message: { zh: '规则', en: 'rules' }, details: [] } })
        .success,
    ).toBe(true);
    expect(responseSchema('GET', '/api/nope', 404).safeParse({ error: { code: 'not_found' } }).success).toBe(false);
  });
});
