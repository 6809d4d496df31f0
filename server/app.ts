/**
 * The server: HTTP API + static PWA + the sync relay on one port, SQLite underneath.
 * `startServer(options)` is used by server/main.ts, the tests and the benchmark.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { configFromEnv, type ServerConfig } from './config';
import { startClock, type Clock } from './clock';
import { createLogger, type Logger } from './log';
import { Metrics, metricsAccess } from './metrics';
import { openPlatformDb } from './database';
import { JournalDocStore } from './store/journal';
import { Directory } from './directory/store';
import { seedIfEmpty } from './seed/import';
import { loadOrCreateSecret, RefreshTokens, TokenService, userEpochs } from './auth/tokens';
import { FailureLimiter } from './auth/ratelimit';
import { checkAccountsAtStart } from './auth/production';
import { Accounts } from './auth/accounts';
import { registerAuthRoutes } from './auth/routes';
import { OidcRelyingParty } from './auth/oidc';
import { registerOidcRoutes } from './auth/oidc-routes';
import { TicketStore } from './auth/tickets';
import { clientAddress } from './http/client-ip';
import { Router, sendError, sendJson, setSecurityHeaders } from './http/router';
import { HttpError, errors } from './http/errors';
import { createStaticHandler } from './http/static';
import { registerOpenApiRoute } from './http/openapi';
import { registerApi } from './directory/routes';
import { createHandbooks } from './directory/service';
import { Relay, type VetContext, type VetResult } from './sync/relay';
import { registerCodeRoutes } from './codes/routes';
import { openKeyStore } from './codes/keys';
import { createDeviceRegistry } from './codes/devices';
import { createQuarantine } from './ledger/quarantine';
import { createLedgerVet, createQuarantineAlerts, quarantineWarning } from './ledger/vet';
import { registerLedgerRoutes } from './ledger/routes';
import { Projection } from './projection';
import { lateUploadWarning } from './projection/evaluate';
import { registerWarningRoutes } from './projection/routes';
import { Joints } from './joints/service';
import { JointStore } from './joints/store';
import { registerJointRoutes } from './joints/routes';
import { FilingStore } from './filings/store';
import { FilingService } from './filings/service';
import { registerFilingRoutes } from './filings/routes';
import { vetPlanRoom } from './sync/guards/plan';
import { firstRefusal, vetGuardedRoom } from './sync/guards/rooms';
import { createClientOwners } from './sync/guards/client-ids';
import { AuditLog } from './audit/store';
import { InspectorRecords } from './directory/inspectors';
import { registerAuditRoutes } from './audit/routes';
import { ImportRegistry } from './imports/types';
import { ImportService } from './imports/service';
import { registerImportRoutes } from './imports/routes';
import { enterpriseImporter } from './imports/enterprises';
import { RegistryService } from './registry/service';
import { registerRegistryRoutes } from './registry/routes';
import { PolicyService } from './policy/service';
import { registerPolicyRoutes } from './policy/routes';
import { certificateImporter } from './registry/import';
import { CatalogueStore } from './catalogue/store';
import { CatalogueService } from './catalogue/service';
import { registerCatalogueRoutes } from './catalogue/routes';
import { DrawService } from './draws/service';
import { registerDrawRoutes } from './draws/routes';
import { DrawReads } from './draws/reads';
import { registerDrawReadRoutes } from './draws/read-routes';
import { StatsService } from './stats/service';
import { registerStatsRoutes } from './stats/routes';
import { registerEvidenceRoutes } from './evidence/routes';
import { EvidenceService } from './evidence/service';
import { EvidenceStore } from './evidence/store';
import { registerFollowUpRoutes } from './followups/routes';
import { FollowUpService } from './followups/service';
import { AccountAdmin } from './accounts/service';
import { Activation } from './accounts/activation';
import { registerAccountRoutes } from './accounts/routes';
import { AgencyAdmin } from './agencies/service';
import { registerAgencyRoutes } from './agencies/routes';
import type { RoomRef } from '../src/domain/rooms';

/** `clock`: the server's clock (tests may pass one; default: CLOCK_NOW or the system clock, server/clock.ts) */
export type StartOptions = Partial<ServerConfig> & { logger?: Logger; clock?: Clock };

export interface RunningServer {
  port: number;
  url: string;
  close(): Promise<void>;
  metrics: Metrics;
  relay: Relay;
  /** docs → SQL rows → supervisors' warnings (`raiseWarning`, `checkPlanDeadlines`, `flush`) */
  projection: Projection;
  clock: Clock;
  /** every registered HTTP route (`GET /api/joints/:id`): the OpenAPI test checks each is documented */
  routes(): { method: string; path: string }[];
}

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const defaults = configFromEnv({});
  const cfg: ServerConfig = { ...defaults, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) } as ServerConfig;
  const log = opts.logger ?? createLogger(cfg.logLevel);
  const metrics = new Metrics();
  log.info(
    cfg.mode === 'production' ? 'production mode: no demo data, no demo accounts' : 'demo mode: an empty DATA_DIR gets the demo city and its demo accounts',
    { mode: cfg.mode },
  );
  const clock = opts.clock ?? startClock(cfg.clockNow);
  if (clock.startedAt)
    log.warn(
      "CLOCK_NOW is set: the server's clock started at a fixed instant and runs from there; dates, deadlines and the demo data follow it, not the real date",
      { clockNow: clock.startedAt, today: clock.today() },
    );

  const db = openPlatformDb(cfg.dataDir, cfg.sqliteSynchronous);
  await seedIfEmpty(db, log, { mode: cfg.mode, now: clock.now(), scale: cfg.seedScale });
  // production refuses demo passwords; no administrator yet: how to create one
  await checkAccountsAtStart(db, cfg.mode, log);
  // after the seed: from here on only the journal's worker writes doc_updates
  const store = await JournalDocStore.open(db, { dataDir: cfg.dataDir, synchronous: cfg.sqliteSynchronous, foldDelayMs: cfg.journalFoldMs, log });
  const dir = new Directory(db);
  const tokens = new TokenService(loadOrCreateSecret(cfg.dataDir), cfg.tokenTtlSeconds, userEpochs(db));
  const refresh = new RefreshTokens(db, cfg.refreshTtlSeconds);
  // every administrative action, append-only (server/audit/store.ts); services record inside their transactions
  const audit = new AuditLog(db, clock.ms);
  // device keys and the quarantine of ledger records whose device signature or record rules fail
  const devices = createDeviceRegistry(db);
  const quarantine = createQuarantine(db, { now: clock.ms });
  // who may write which record (server/ledger/record-rules.ts): tasks read through the relay, scanned codes
  // verified with the platform's keys, times against the server's clock; late uploads reach supervisors
  const ledgerVet = createLedgerVet({
    devices,
    quarantine,
    rules: { read: (room, fn) => relay.read(room, fn), verifyCode: (text) => keys.verify(text), now: clock.ms },
    onLate: (uscc, late, p) => {
      const w = lateUploadWarning({ uscc, userId: p.userId, at: clock.iso(), records: late });
      if (w) void projection?.raiseWarning(w).catch((err: unknown) => log.warn('late upload warning failed', { err }));
    },
  });

  // created right after the relay (it reads and writes rooms through it); fed by onApplied
  let projection: Projection | null = null;
  const VET_OK = { ok: true } as const;
  const alerts = createQuarantineAlerts({
    raise: (a) => projection?.raiseWarning(quarantineWarning(a, clock.iso())) ?? Promise.resolve(),
    onError: (err) => log.warn('quarantine warning failed', { err }),
  });
  const vetLedger = async (c: VetContext): Promise<VetResult> => {
    const r = await ledgerVet(c);
    if (!r.ok && c.ref.kind === 'ledger') alerts.failed(c.principal.userId, c.ref.uscc, r.records);
    return r;
  };

  // a room must name something that exists: an agency, a year near this one, an enterprise of the directory
  const roomExists = (ref: RoomRef): boolean => {
    if ('year' in ref && (ref.year < clock.year() - 5 || ref.year > clock.year() + 2)) return false;
    if ('agencyId' in ref && !dir.hasAgency(ref.agencyId)) return false;
    if ('uscc' in ref && !dir.hasEnterprise(ref.uscc)) return false;
    if (ref.kind === 'joint' && !dir.hasJoint(ref.jointId)) return false;
    return true;
  };

  const relay = new Relay({
    store,
    log,
    metrics,
    owners: createClientOwners(db),
    roomExists,
    clientIp: (req) => clientIp(req),
    maxSocketsPerUser: cfg.maxSocketsPerUser,
    maxSocketsPerIp: cfg.maxSocketsPerIp,
    maxRoomBytes: cfg.maxRoomBytes,
    appendQuotaPerDay: cfg.appendQuotaPerDay,
    // the upgrade passes the ?ticket= of the URL: it stands for an access token, once (server/auth/tickets.ts)
    verifyToken: (ticket) => tokens.verify(tickets.consume(ticket)),
    facts: (ref) => dir.facts(ref),
    // plan and joint rooms: filing status keys are the server's; a county plan's city counterpart writes comments only
    // synchronous for every room but ledgers (a signature check is async): see Relay.acceptUpdate
    // config, registry, an inspector's tasks, joint items (room-guards.ts): parsed with their schemas, owners only
    vet: (c) =>
      firstRefusal(vetPlanRoom(c), () => vetGuardedRoom(c, () => dir.facts(c.ref).jointMembers ?? [])) ?? (c.ref.kind === 'ledger' ? vetLedger(c) : VET_OK),
    onApplied: (room, ref, doc) => {
      // queued only: projected after this update is relayed, off the hot path, never throwing here
      // (a plan room matters to it only once filed: its one warning is "changed since filing")
      if (ref.kind !== 'plan' || doc.getMap('meta').get('filedHash') !== undefined) projection?.notify(room, ref);
      if (ref.kind !== 'plan') return;
      // publication (一公开) opens the plan to every signed-in reader; it is not withdrawn automatically
      if (doc.getMap('meta').get('status') === 'published' && !dir.facts(ref).planPublished) dir.setPlanPublished(ref.agencyId, ref.year, true);
    },
    maxDocs: cfg.maxDocs,
    idleEvictMs: cfg.idleEvictMs,
    msgRate: cfg.msgRate,
    msgBurst: cfg.msgBurst,
    compactUpdates: cfg.compactUpdates,
    compactBytes: cfg.compactBytes,
  });
  // inspector records: the directory's row and the agency doc's staff entry, written together
  const inspectorRecords = new InspectorRecords({ db, rooms: relay });
  void inspectorRecords; // used by the account and registry routes
  projection = new Projection({ db, relay, dir, log, latestUpdateId: (room) => store.latestId(room), now: clock.now });

  const router = new Router();
  router.get('/healthz', (ctx) => sendJson(ctx.res, 200, { ok: true }));
  registerOpenApiRoute(router);
  router.get('/metrics', (ctx) => {
    // METRICS_TOKEN (Bearer) or nothing: unset, /metrics does not exist (404); a wrong token is 401
    const access = metricsAccess(ctx.req.headers.authorization, cfg.metricsToken);
    if (access === 'disabled') throw errors.notFound();
    if (access === 'unauthorized') throw errors.unauthorized();
    metrics.docsLoaded.set(relay.loadedDocs);
    metrics.journalBacklog.set(store.backlog);
    const body = metrics.render();
    ctx.res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' });
    ctx.res.end(body);
  });
  const tickets = new TicketStore(clock.ms);
  const accounts = new Accounts({ db, refresh, now: clock.ms });
  // enterprises' sign-in through the province's unified sign-in (OpenID Connect), when OIDC_* is set
  const oidc = cfg.oidc ? new OidcRelyingParty({ cfg: cfg.oidc, db, accounts, audit, log, now: clock.ms }) : null;
  registerOidcRoutes(router, { oidc, refresh, log });
  registerAuthRoutes(router, {
    oidcLabel: oidc?.label,
    accounts,
    tokens,
    refresh,
    metrics,
    log,
    mode: cfg.mode,
    clock,
    sessions: relay,
    db,
    tickets,
    limits: {
      accountIp: new FailureLimiter(cfg.loginMaxFailsAccount, cfg.loginWindowMs),
      ip: new FailureLimiter(cfg.loginMaxFailsIp, cfg.loginWindowMs),
      account: new FailureLimiter(cfg.loginMaxFailsAccountTotal, cfg.loginWindowMs),
    },
  });
  // published catalogue versions: filings pin them, handbooks and the public pages read them
  const catalogueVersions = new CatalogueStore(db);
  const handbooks = createHandbooks({
    dir,
    published: (agencyId) => catalogueVersions.latest(agencyId)?.content.handbooks ?? [],
    generation: () => catalogueVersions.generation(),
    now: clock.now,
  });
  registerApi(router, { dir, tokens, handbooks });
  registerCatalogueRoutes(router, { tokens, catalogues: new CatalogueService({ db, store: catalogueVersions, rooms: relay, dir, audit, clock }) });
  const keys = await openKeyStore(cfg.dataDir, { now: clock.now });
  registerCodeRoutes(router, {
    keys,
    devices,
    dir,
    tokens,
    publicUrl: cfg.publicUrl,
    trustProxy: cfg.trustProxy,
    rooms: relay,
    clock,
  });
  const filings = new FilingStore(db);
  registerFilingRoutes(router, { tokens, filings: new FilingService({ dir, rooms: relay, filings, catalogues: catalogueVersions, log, clock }) });
  registerJointRoutes(router, {
    tokens,
    joints: new Joints({
      store: new JointStore(db, dir),
      dir,
      rooms: relay,
      log,
      clock,
      filings,
      signCheckCode: (task, inspectors) => keys.signCheckCode(task, inspectors),
    }),
  });
  registerWarningRoutes(router, { tokens, projection, rooms: relay, dir, clock });
  registerLedgerRoutes(router, { tokens, quarantine });
  registerAuditRoutes(router, { tokens, audit });
  // table-file imports (server/imports/): importers by kind, jobs in memory
  const importers = new ImportRegistry();
  importers.register(enterpriseImporter({ db, dir, audit }));
  importers.register(certificateImporter({ rooms: relay, inspectors: inspectorRecords, audit, clock }));
  registerImportRoutes(router, { tokens, imports: new ImportService({ importers, now: clock.ms, log }) });
  // the certificate registry and the city policy: server-written docs, changed only through these routes
  registerRegistryRoutes(router, { tokens, registry: new RegistryService({ db, rooms: relay, inspectors: inspectorRecords, audit, clock }) });
  registerPolicyRoutes(router, { tokens, policy: new PolicyService({ rooms: relay, audit, clock }) });
  registerAccountRoutes(router, {
    tokens,
    refresh,
    log,
    admin: new AccountAdmin({ db, accounts, inspectors: inspectorRecords, audit, sessions: relay }),
    activation: new Activation({
      db,
      accounts,
      audit,
      clock,
      limits: { ip: new FailureLimiter(cfg.loginMaxFailsIp, cfg.loginWindowMs), uscc: new FailureLimiter(cfg.loginMaxFailsAccountTotal, cfg.loginWindowMs) },
    }),
  });
  registerAgencyRoutes(router, { tokens, agencies: new AgencyAdmin({ db, rooms: relay, audit }) });
  // 双随机 draws: the reads first (their static paths before /api/draws/:id), then the lifecycle
  const draws = new DrawService({
    db,
    dir,
    rooms: relay,
    inspectors: inspectorRecords,
    filings,
    catalogues: catalogueVersions,
    audit,
    clock,
    log,
    signCheckCode: (task, inspectors) => keys.signCheckCode(task, inspectors),
    raiseWarning: (w) => projection.raiseWarning(w),
  });
  const drawReads = new DrawReads({ db, store: draws.store, dir, rooms: relay, clock, catalogues: catalogueVersions, sweep: () => draws.sweep() });
  registerDrawReadRoutes(router, { tokens, reads: drawReads });
  registerDrawRoutes(router, { tokens, draws });
  // measure 15: statistics, exports, one enterprise's whole file
  registerStatsRoutes(router, { tokens, stats: new StatsService({ db, dir, rooms: relay, clock, tables: projection.tables, draws: drawReads }) });
  // evidence files: content-addressed under DATA_DIR/evidence, read with the ledger's rights
  const evidence = new EvidenceService({ store: new EvidenceStore(db, cfg.dataDir), dir, rooms: relay, clock, log });
  registerEvidenceRoutes(router, { tokens, evidence });
  registerFollowUpRoutes(router, { tokens, followUps: new FollowUpService({ store: projection.followUps.store, today: clock.today }) });
  const serveStatic = createStaticHandler(cfg.staticDir);

  // TRUST_PROXY hops counted from the right of X-Forwarded-For (server/http/client-ip.ts)
  const clientIp = (req: http.IncomingMessage): string => clientAddress(req, cfg.trustProxyHops);

  const server = http.createServer((req, res) => {
    setSecurityHeaders(res, { hsts: cfg.publicUrl?.startsWith('https:') });
    res.on('finish', () => metrics.httpRequests.inc({ code: `${Math.floor(res.statusCode / 100)}xx` }));
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      sendError(res, errors.badRequest('bad_url', { zh: '无效的地址', en: 'Bad URL' }));
      return;
    }
    const method = req.method ?? 'GET';
    void (async () => {
      const m = router.match(method, url.pathname);
      if (m) {
        await m.handler({ req, res, url, params: m.params, ip: clientIp(req) });
        return;
      }
      if (url.pathname === '/api' || url.pathname.startsWith('/api/') || url.pathname.startsWith('/sync'))
        throw errors.notFound({ zh: '没有这个接口', en: 'No such endpoint' });
      if (!serveStatic(req, res, url.pathname)) throw errors.notFound();
    })().catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof HttpError) {
        sendError(res, err);
        return;
      }
      log.error('request failed', { method, path: url.pathname, err });
      sendError(res, new HttpError(500, 'internal', { zh: '服务器内部错误', en: 'Internal server error' }));
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;

  const wss = new WebSocketServer({ noServer: true, maxPayload: cfg.maxPayload, perMessageDeflate: false });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      socket.destroy();
      return;
    }
    if (!url.pathname.startsWith('/sync/')) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    let room: string;
    try {
      room = decodeURIComponent(url.pathname.slice('/sync/'.length));
    } catch {
      room = '';
    }
    // a single-use ticket (POST /api/sync/ticket), never an access token in the URL: ?token= is refused (4401)
    const ticket = url.searchParams.has('token') ? null : url.searchParams.get('ticket');
    wss.handleUpgrade(req, socket, head, (ws) => relay.handleConnection(ws, req, room, ticket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : cfg.port;
  const hostForUrl = cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host;
  const url = `http://${hostForUrl}:${port}`;
  log.info('listening', { port, url, dataDir: cfg.dataDir, staticDir: cfg.staticDir });
  projection.start();

  let closed: Promise<void> | null = null;
  const close = () => {
    closed ??= (async () => {
      log.info('shutting down');
      server.close();
      alerts.close();
      draws.stop();
      await projection?.close();
      await relay.close();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await store.close();
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        /* ignore */
      }
      db.close();
      log.info('stopped');
    })();
    return closed;
  };
  return { port, url, close, metrics, relay, projection, clock, routes: () => router.list() };
}
