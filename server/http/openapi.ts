/**
 * `GET /api/openapi.json` (public): an OpenAPI 3.1 document generated from the protocol's table of routes
 * (src/protocol/api.ts) with zod 4's JSON Schema output. Every exported protocol schema becomes a named
 * component; requests are described as the client sends them (zod's input side: defaults optional,
 * coerced query numbers), responses as the server sends them. Built once, on the first request.
 */
import { z } from 'zod';
import * as api from '../../src/protocol/api';
import * as auth from '../../src/protocol/auth';
import * as codes from '../../src/protocol/codes';
import * as directory from '../../src/protocol/directory';
import * as errorsProtocol from '../../src/protocol/errors';
import * as filings from '../../src/protocol/filings';
import * as imports from '../../src/protocol/imports';
import * as joints from '../../src/protocol/joints';
import * as ledger from '../../src/protocol/ledger';
import * as warnings from '../../src/protocol/warnings';
import { sendJson, type Router } from './router';

type Json = Record<string, unknown>;
type Io = 'input' | 'output';

/** a schema's exported name, so each appears once under components/schemas */
function schemaNames(): Map<z.ZodType, string> {
  const names = new Map<z.ZodType, string>();
  for (const mod of [errorsProtocol, auth, directory, codes, ledger, filings, joints, warnings, imports, api] as Record<string, unknown>[]) {
    for (const [name, v] of Object.entries(mod)) {
      // an alias (JointAccepted = JointSummary) gives way to the shorter, plainer name
      if (v instanceof z.ZodType && (!names.has(v) || name.length < names.get(v)!.length)) names.set(v, name);
    }
  }
  return names;
}

const jsonSchema = (s: z.ZodType, io: Io): Json => {
  const out = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Json;
  delete out.$schema;
  return out;
};

/** `/api/joints/:id` → `/api/joints/{id}` and its path parameters */
function openApiPath(path: string): { path: string; params: string[] } {
  const params: string[] = [];
  return {
    path: path.replace(/:([A-Za-z][A-Za-z0-9]*)/g, (_m, k: string) => {
      params.push(k);
      return `{${k}}`;
    }),
    params,
  };
}

export function buildOpenApi(version = '1'): Json {
  const names = schemaNames();
  const components: Record<string, Json> = {};
  // schemas the server sends: a request schema that is also one of these, and reads differently on input, is `FooInput`
  const sent = new Set<z.ZodType>([errorsProtocol.ErrorBody]);
  for (const op of api.operations) {
    for (const r of Object.values(op.responses)) if (r !== 'text') sent.add(r);
    for (const e of Object.values({ ...api.commonErrors, ...op.errors })) if (e.details) sent.add(e.details);
  }
  /** a $ref to a named schema, or the schema inline */
  const ref = (s: z.ZodType, io: Io): Json => {
    const name = names.get(s);
    if (!name) return jsonSchema(s, io);
    const schema = jsonSchema(s, io);
    const key = io === 'input' && sent.has(s) && JSON.stringify(schema) !== JSON.stringify(jsonSchema(s, 'output')) ? `${name}Input` : name;
    components[key] ??= schema;
    return { $ref: `#/components/schemas/${key}` };
  };

  const paths: Record<string, Record<string, Json>> = {};
  for (const op of api.operations) {
    const { path, params } = openApiPath(op.path);
    const parameters: Json[] = params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    if (op.query instanceof z.ZodObject) {
      for (const [name, field] of Object.entries(op.query.shape as Record<string, z.ZodType>)) {
        parameters.push({ name, in: 'query', required: !field.safeParse(undefined).success, schema: jsonSchema(field, 'input') });
      }
    }
    const responses: Record<string, Json> = {};
    for (const [status, s] of Object.entries(op.responses)) {
      responses[status] =
        s === 'text'
          ? { description: 'text', content: { 'text/plain': { schema: { type: 'string' } } } }
          : { description: 'OK', content: { 'application/json': { schema: ref(s, 'output') } } };
    }
    for (const [status, e] of Object.entries({ ...api.commonErrors, ...op.errors })) {
      const base = ref(errorsProtocol.ErrorBody, 'output');
      const schema = e.details
        ? { allOf: [base, { type: 'object', properties: { error: { type: 'object', properties: { details: ref(e.details, 'output') } } } }] }
        : base;
      responses[status] = { description: `error: ${e.codes.join(', ')}`, content: { 'application/json': { schema } } };
    }
    const security = op.access === 'public' ? [] : op.access === 'refresh' ? [{ refreshCookie: [] }] : [{ bearer: [] }];
    (paths[path] ??= {})[op.method.toLowerCase()] = {
      summary: op.summary,
      operationId: `${op.method.toLowerCase()} ${op.path}`,
      security,
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(op.body, 'input') } } } } : {}),
      ...(op.rawBody
        ? {
            requestBody: {
              required: true,
              description: `at most ${op.rawBody.maxBytes} bytes`,
              content: Object.fromEntries(op.rawBody.mediaTypes.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Enterprise inspection platform API',
      version,
      description:
        'Errors are `{error: {code, message: {zh, en}, details?}}`. The sync WebSocket (`/sync/<room>?ticket=…`, y-websocket framing) is described in src/protocol/sync.ts.',
    },
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        refreshCookie: { type: 'apiKey', in: 'cookie', name: 'eicp_rt' },
      },
    },
  };
}

export function registerOpenApiRoute(router: Router): void {
  let doc: string | null = null;
  router.get('/api/openapi.json', (ctx) => {
    doc ??= JSON.stringify(buildOpenApi());
    sendJson(ctx.res, 200, JSON.parse(doc), { 'Cache-Control': 'public, max-age=300' });
  });
}
