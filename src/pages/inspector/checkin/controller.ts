/**
 * The check-in's state (扫码入企, DESIGN §6): the documents it reads, the signals of each stage and the
 * actions that write signed records. The cards (prepare, scan, inspect, result) only render it.
 * Stages: prepare (team, precheck, conduct rules) → scan (camera, photo or a late record 补录 with a reason)
 * → inspect (checklist, findings, result notice) → done (checked out). Every record is signed by the device
 * key and appended to ledger/<uscc> at once (IndexedDB first, so it works offline); reopening the page
 * resumes from the ledger. The scanner module is loaded only when the camera or a photo is used.
 */
import { createEffect, createMemo, createResource, createSignal, onCleanup, type Accessor } from 'solid-js';
import { tx, nameOf, lang } from '../../../i18n';
import { principal } from '../../../client/app-state';
import { api, ApiError } from '../../../client/api';
import { cachedJwks, deviceKey, deviceLabel, refreshJwks } from '../../../client/trust';
import { rooms } from '../../../domain/rooms';
import { QR_ECL } from '../../../domain/codes';
import { shanghaiThisYear, shanghaiToday, now } from '../../../domain/time';
import { precheck, type TeamCert } from '../../../domain/rules';
import { matchFlexible } from '../../../domain/flexible';
import type { DataSource, EntryRecord, Exemption, Finding, LedgerRecord, ResultRecord, TeamMember } from '../../../domain/schemas';
import { agencyFullView, certificatesView, ledgerRecordsView, planItemsView, setTaskStatus, taskView, updateTaskField } from '../../../model';
import { certificateValidOn } from '../../../model/registry';
import type { Scanner } from '../../../scan/scanner';
import { useView } from '../../stores/useView';
import { errorText } from '../../../ui/errors';
import { usePolicy } from '../../stores/policy';
import { loadEnterprise } from '../../stores/enterprise';
import { appendEntry, appendResult, checkScan, noticeText, LATE_REASON_MIN, type EntryInput } from '../checkin-logic';
import { createOffsite } from './offsite';
import { createEvidence } from './evidence-state';
import { createCosign } from './cosign-state';
import { createDocuments } from './documents-state';
import { t } from '../../../i18n/dict-field';

export type Stage = 'prepare' | 'scan' | 'inspect' | 'done';

/** Call inside the page component: the docs it opens live as long as the page. */
export function createCheckin(taskId: Accessor<string>) {
  const me = () => principal();
  const year = shanghaiThisYear();
  const today = shanghaiToday();
  const agencyId = () => me()?.agencyId ?? null;

  // ---- documents ----
  const tasks = useView(
    () => (agencyId() ? rooms.tasks(agencyId()!, year) : null),
    () => taskView(taskId()),
  );
  const task = () => tasks()?.task ?? null;
  const ledger = useView(
    () => (task() ? rooms.ledger(task()!.uscc) : null),
    () => ledgerRecordsView(task()?.uscc),
  );
  const agency = useView(() => (agencyId() ? rooms.agency(agencyId()!) : null), agencyFullView);
  const certs = useView(() => (me() ? rooms.registry() : null), certificatesView);
  const plan = useView(() => (agencyId() ? rooms.plan(agencyId()!, year) : null), planItemsView);
  // the policy (and the conduct-rule wording) in force on the day of the check-in
  const policy = usePolicy(me, undefined, () => today);
  const [enterprise] = createResource(
    () => task()?.uscc,
    async (u) => (await loadEnterprise(u)).profile,
  );

  const staff = () => agency()?.staff ?? [];
  const items = () => agency()?.items ?? [];
  const itemName = (id: string) => {
    const it = items().find((x) => x.id === id);
    return it ? nameOf(it) : id;
  };
  const certOf = (inspectorId: string) => {
    const s = staff().find((x) => x.id === inspectorId);
    const all = certs()?.items ?? [];
    return all.find((c) => c.number === s?.certificateNumber && c.inspectorId === inspectorId) ?? all.find((c) => c.inspectorId === inspectorId) ?? null;
  };
  const history = (): LedgerRecord[] => (ledger()?.items ?? []) as LedgerRecord[];
  /** mark the task (a failure, e.g. not allowed, changes nothing on this page) */
  const markTask = (id: string, status: 'in_progress' | 'done') => {
    const td = tasks.handle();
    if (td) {
      try {
        setTaskStatus(td.doc, id, status);
      } catch {
        /* not allowed: fine */
      }
    }
  };

  // ---- team ----
  const [second, setSecond] = createSignal<string>('');
  createEffect(() => {
    const tk = task();
    const mine = me()?.inspectorId;
    if (tk && mine && !second()) {
      const o = tk.inspectorIds.find((x) => x !== mine);
      if (o) setSecond(o);
    }
  });
  const teamIds = () => [me()?.inspectorId ?? '', second()].filter(Boolean);
  const teamCerts = (): TeamCert[] => teamIds().map((id) => ({ inspectorId: id, name: staff().find((s) => s.id === id)?.name, certificate: certOf(id) }));
  const team = (): TeamMember[] =>
    teamIds().map((id) => {
      const c = certOf(id);
      return {
        inspectorId: id,
        name: staff().find((s) => s.id === id)?.name ?? id,
        certificateNumber: c?.number ?? '',
        certificateValid: !!c && certificateValidOn(c, today),
      };
    });

  // ---- exemptions ----
  const [exKind, setExKind] = createSignal<Record<string, string>>({});
  const [exReason, setExReason] = createSignal<Record<string, string>>({});
  const exemptions = (): Exemption[] =>
    Object.entries(exKind())
      .filter(([, k]) => k)
      .map(([rule, kind]) => ({ rule, kind: kind as Exemption['kind'], reason: exReason()[rule] ?? '' }))
      .filter((e) => e.reason.trim().length >= 2);

  const check = createMemo(() => {
    const tk = task();
    if (!tk) return null;
    const e = enterprise();
    const p = plan();
    return precheck({
      policy: policy(),
      at: now(),
      agency: { id: tk.agencyId, level: agency()?.profile?.level ?? 'city' },
      enterprise: e ?? { uscc: tk.uscc, quietZone: false, riskLevel: 'medium', industry: '', division: '' },
      kind: tk.kind,
      method: tk.method,
      itemIds: tk.itemIds,
      team: teamCerts(),
      ledger: history(),
      plan: p?.meta ? { meta: p.meta, items: p.items } : null,
      tasks: tasks()?.all ?? [],
      items: items(),
      taskId: tk.id,
      exemptions: exemptions(),
    });
  });
  const lifted = () => new Set((check()?.lifted ?? []).map((l) => l.verdict.code));
  const [conduct, setConduct] = createSignal(false);
  const canScan = () => !!check() && !check()!.blocked && conduct() && teamIds().length >= 2;

  // ---- entry (resumed from the ledger when the page reopens) ----
  const [stage, setStage] = createSignal<Stage>('prepare');
  const [entry, setEntry] = createSignal<EntryRecord | null>(null);
  const [result, setResult] = createSignal<ResultRecord | null>(null);
  createEffect(() => {
    if (entry()) return;
    const tk = task();
    const uid = me()?.userId;
    const mine = history().filter((r): r is EntryRecord => r.type === 'entry' && r.taskId === tk?.id && r.by === uid);
    const resultOf = (id: string) => history().find((r): r is ResultRecord => r.type === 'result' && r.entryId === id);
    const open = mine.find((en) => !resultOf(en.id));
    if (open) {
      setEntry(open);
      setStage('inspect');
      return;
    }
    // checked out already (this device or another): show it instead of offering a second entry
    const last = mine[mine.length - 1];
    if (last && stage() === 'prepare') {
      setEntry(last);
      setResult(resultOf(last.id) ?? null);
      setStage('done');
    }
  });

  // ---- scanning ----
  const [scanMsg, setScanMsg] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  let scanner: Scanner | null = null;
  let viewfinder: HTMLDivElement | undefined;
  onCleanup(() => {
    void scanner?.dispose();
  });
  void refreshJwks();

  async function onScanned(text: string): Promise<void> {
    const tk = task();
    const pr = me();
    const h = ledger.handle();
    if (!tk || !pr || !h || busy()) return;
    setBusy(true);
    try {
      let jwks = cachedJwks();
      let r = await checkScan(text, jwks, tk);
      if (!r.ok && navigator.onLine) {
        jwks = await refreshJwks();
        r = await checkScan(text, jwks, tk);
      }
      if (!r.ok) {
        setScanMsg(tx(r.message));
        return;
      }
      const key = await deviceKey(pr.userId);
      const en = await appendEntry(h.doc, { task: tk, by: pr.userId, team: team(), exemptions: exemptions(), token: r.token, key, device: deviceLabel(key) });
      setEntry(en);
      setScanMsg(null);
      setStage('inspect');
      markTask(tk.id, 'in_progress');
      void scanner?.stop();
    } catch (e) {
      setScanMsg(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  async function startCamera(): Promise<void> {
    setStage('scan');
    setScanMsg(null);
    try {
      const { createScanner } = await import('../../../scan/scanner');
      scanner ??= createScanner({ boxRatio: 0.9, onError: (e) => setScanMsg(tx(e.text)) });
      await scanner.start(viewfinder!, (text) => {
        void onScanned(text);
      });
    } catch (e) {
      setScanMsg(errorText(e));
    }
  }

  async function onPhoto(f: File): Promise<void> {
    try {
      const { createScanner } = await import('../../../scan/scanner');
      scanner ??= createScanner({});
      const text = await scanner.scanFile(f);
      await onScanned(text);
    } catch (e) {
      setScanMsg(errorText(e));
    }
  }

  const triggerOf = () => {
    const k = task()?.kind;
    return k?.type === 'triggered' ? k.trigger : null;
  };

  /** an entry without a scan: a late record (补录) with its reason, or an off-site one with its sources */
  async function enterWithout(extra: Pick<EntryInput, 'lateReason' | 'sources'>): Promise<void> {
    const tk = task();
    const pr = me();
    const h = ledger.handle();
    if (!tk || !pr || !h || !canScan() || busy()) return;
    setBusy(true);
    try {
      const key = await deviceKey(pr.userId);
      const en = await appendEntry(h.doc, { task: tk, by: pr.userId, team: team(), exemptions: exemptions(), ...extra, key, device: deviceLabel(key) });
      setEntry(en);
      setStage('inspect');
      void scanner?.stop();
      markTask(tk.id, 'in_progress');
    } catch (e) {
      setScanMsg(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  // ---- late record (补录): no scan, a reason, flagged ----
  const [lateReason, setLateReason] = createSignal('');
  const canLate = () => canScan() && !busy() && lateReason().trim().length >= LATE_REASON_MIN;
  const onLate = () => (canLate() ? enterWithout({ lateReason: lateReason() }) : Promise.resolve());

  // ---- off-site or written task (measure 12): data sources instead of a scan ----
  const offsite = createOffsite({ canStart: canScan, busy, enter: (sources: DataSource[]) => enterWithout({ sources }) });

  // ---- check code (检查码): made online once, kept in the task for offline use ----
  const [codeOpen, setCodeOpen] = createSignal(false);
  const [codeMsg, setCodeMsg] = createSignal<string | null>(null);
  const [codeSvg, setCodeSvg] = createSignal<string | null>(null);
  async function showCheckCode(): Promise<void> {
    const tk = task();
    if (!tk) return;
    const members = entry()?.team ?? team();
    if (members.length < 2) {
      setCodeMsg(t('checkin.checkCodeNeedTeam'));
      setCodeOpen(true);
      return;
    }
    setCodeMsg(null);
    let text: string | null = null;
    try {
      const r = await api.checkCode({
        taskId: tk.id,
        agencyId: tk.agencyId,
        uscc: tk.uscc,
        window: tk.window,
        inspectors: members.map((m) => ({ id: m.inspectorId, name: m.name, cert: m.certificateNumber })),
      });
      text = r.url;
      const td = tasks.handle();
      if (td && tk.checkCode !== r.url) {
        try {
          updateTaskField(td.doc, tk.id, 'checkCode', r.url);
        } catch {
          /* kept for this view only */
        }
      }
    } catch (e) {
      // a refusal by the server (422: not this agency's task, another team, a certificate not valid today) is
      // shown, and an older code kept in the task is not: it may name a certificate that is no longer valid.
      // Offline: the code kept in the task (made earlier) still verifies.
      const refused = e instanceof ApiError && (e.status === 422 || e.status === 403);
      text = refused ? null : (tk.checkCode ?? null);
      if (!text) setCodeMsg(e instanceof ApiError && !e.network ? tx(e.text) : t('checkin.checkCodeOffline'));
    }
    if (text) {
      const QR = (await import('qrcode')).default;
      setCodeSvg(await QR.toString(text, { type: 'svg', errorCorrectionLevel: QR_ECL.chk, margin: 2 }));
    }
    setCodeOpen(true);
  }
  const toggleCheckCode = () => {
    if (codeOpen()) setCodeOpen(false);
    else void showCheckCode();
  };

  // ---- inspection ----
  const [checklist, setChecklist] = createSignal<Record<string, boolean>>({});
  const [findings, setFindings] = createSignal<Finding[]>([]);
  const [fItem, setFItem] = createSignal('');
  const [fDesc, setFDesc] = createSignal('');
  const [fCode, setFCode] = createSignal('');
  const flexList = () => agency()?.flex ?? [];
  const flex = () => {
    const tk = task();
    return fCode().trim() ? matchFlexible({ itemId: fItem() || tk?.itemIds[0] || '', violationCode: fCode().trim() }, flexList(), history()) : null;
  };
  function addFinding(): void {
    const tk = task();
    if (!tk || !fDesc().trim()) return;
    const itemId = fItem() || tk.itemIds[0];
    const m = flex();
    setFindings([
      ...findings(),
      { itemId, description: fDesc().trim(), ...(fCode().trim() ? { violationCode: fCode().trim() } : {}), suggestion: m?.suggestion ?? 'none' },
    ]);
    setChecklist({ ...checklist(), [itemId]: false });
    setFDesc('');
    setFCode('');
  }
  const [outcome, setOutcome] = createSignal<ResultRecord['outcome']>('no_problem');
  createEffect(() => {
    if (findings().length && outcome() === 'no_problem') setOutcome('rectify');
  });
  const [rectifyBy, setRectifyBy] = createSignal('');
  const [noticeEdited, setNoticeEdited] = createSignal<string | null>(null);
  const generated = () => {
    const tk = task();
    if (!tk) return '';
    const profile = agency()?.profile;
    return noticeText(
      {
        agencyName: profile ? nameOf(profile) : tk.agencyId,
        enterpriseName: tk.enterpriseName,
        date: today,
        team: entry()?.team ?? team(),
        items: tk.itemIds.map(itemName),
        findings: findings().map((f) => ({ item: itemName(f.itemId), description: f.description })),
        outcome: outcome(),
        rectifyBy: rectifyBy() || undefined,
        hotline: policy().hotline,
      },
      lang(),
    );
  };
  const notice = () => noticeEdited() ?? generated();
  const canCheckout = () => !!entry() && notice().trim().length > 0 && (outcome() !== 'rectify' || !!rectifyBy());

  async function checkout(): Promise<void> {
    const en = entry();
    const pr = me();
    const h = ledger.handle();
    const tk = task();
    if (!en || !pr || !h || !tk) return;
    setBusy(true);
    try {
      const key = await deviceKey(pr.userId);
      const res = await appendResult(h.doc, {
        entry: en,
        by: pr.userId,
        key,
        findings: findings(),
        outcome: outcome(),
        rectifyBy: rectifyBy() || undefined,
        notice: notice(),
        checklist: tk.itemIds.map((id) => ({ itemId: id, ok: checklist()[id] ?? true, note: '' })),
        evidence: evidence.refs(),
      });
      evidence.clear();
      setResult(res);
      setStage('done');
      markTask(tk.id, 'done');
    } finally {
      setBusy(false);
    }
  }

  // ---- evidence, the second signature, documents (their own modules) ----
  const evidence = createEvidence(() => entry()?.id ?? null);
  const enterpriseName = () => enterprise()?.name ?? task()?.enterpriseName ?? '';
  const cosign = createCosign({ entry, history, enterpriseName, authorInspectorId: () => me()?.inspectorId ?? null });
  const documents = createDocuments({
    me,
    entry,
    result,
    history,
    ledger: () => ledger.handle()?.doc ?? null,
    agencyName: () => {
      const pf = agency()?.profile;
      return pf?.name ?? task()?.agencyId ?? '';
    },
    catalogue: items,
    enterprise,
    enterpriseName,
    hotline: () => policy().hotline,
  });

  return {
    today,
    me,
    task,
    tasks,
    ledger,
    policy,
    staff,
    itemName,
    history,
    triggerOf,
    stage,
    busy,
    // prepare
    second,
    setSecond,
    team,
    check,
    lifted,
    exKind,
    setExKind,
    exReason,
    setExReason,
    conduct,
    setConduct,
    canScan,
    // scan
    scanMsg,
    startCamera,
    onPhoto,
    setViewfinder: (el: HTMLDivElement) => {
      viewfinder = el;
    },
    lateReason,
    setLateReason,
    canLate,
    onLate,
    decoder: () => scanner?.decoder ?? undefined,
    // check code
    codeOpen,
    codeMsg,
    codeSvg,
    toggleCheckCode,
    // inspect
    entry,
    checklist,
    setChecklist,
    findings,
    fItem,
    setFItem,
    fDesc,
    setFDesc,
    fCode,
    setFCode,
    flexList,
    flex,
    addFinding,
    outcome,
    setOutcome,
    rectifyBy,
    setRectifyBy,
    notice,
    noticeEdited,
    setNoticeEdited,
    canCheckout,
    checkout,
    // done
    result,
    offsite,
    evidence,
    cosign,
    documents,
    markTask,
  };
}

export type Checkin = ReturnType<typeof createCheckin>;
