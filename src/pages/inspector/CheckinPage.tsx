/**
 * Check-in (扫码入企, DESIGN §6) for one task: team → precheck → conduct rules → scan the enterprise code
 * (verified offline) → entry record → checklist and findings with the flexible-enforcement match →
 * result notice → check-out (result record). Every record is signed by the device key and appended to
 * ledger/<uscc> at once (IndexedDB first, so it works offline). The scanner module is loaded only here.
 * No scan, no entry: the only other way in is a late record (补录) with a reason, marked `via: 'late'`.
 * The check code (检查码) is fetched once online, kept in the task and shown as a QR for the enterprise.
 */
import { For, Show, createEffect, createMemo, createResource, createSignal, onCleanup, type JSX } from 'solid-js';
import { useParams, A } from '@solidjs/router';
import * as Y from 'yjs';
import { t, tx, nameOf, lang } from '../../i18n';
import { cacheGet, cacheSet, currentSession, principal, useDoc } from '../../client/app-state';
import { api, ApiError } from '../../client/api';
import { rooms } from '../../domain/rooms';
import { QR_ECL } from '../../domain/codes';
import { shanghaiThisYear, shanghaiToday, now } from '../../domain/time';
import { precheck, type TeamCert } from '../../domain/rules';
import { matchFlexible } from '../../domain/flexible';
import { DEFAULT_POLICY, exemptionLabel } from '../../domain/policy-defaults';
import { Enterprise, type EntryRecord, type Exemption, type Finding, type LedgerRecord, type ResultRecord, type TeamMember } from '../../domain/schemas';
import { readAgency, readCertificates, readLedger, readPlanItems, readPlanMeta, readPolicy, readTask, readTasks, setTaskStatus, updateTaskField, ledgerRoot, tasksRoot, agencyRoots, certificatesRoot, planRoots, policyRoot } from '../../model';
import { certificateValidOn } from '../../model/registry';
import { createYStore } from '../../client/solid-bridge';
import { cachedJwks, deviceKey, deviceLabel, refreshJwks } from '../../client/trust';
import { DocHeader } from '../../ui/DocHeader';
import { appendEntry, appendResult, checkScan, noticeText, LATE_REASON_MIN } from './checkin-logic';
import { DisputeList } from '../enterprise/Disputes';
import { disputesOf } from '../../model';
import type { Scanner } from '../../scan/scanner';
import { ConductRules, TeamList, VerdictList } from './CheckinView';

type Stage = 'prepare' | 'scan' | 'inspect' | 'done';

const hhmm = (iso: string) => new Date(iso).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, hour: '2-digit', minute: '2-digit' });

function useStore<T extends object>(h: () => { doc: Y.Doc } | null, read: (d: Y.Doc) => T, roots: (d: Y.Doc) => Y.AbstractType<any>[]) {
  return createMemo(() => { const x = h(); return x ? createYStore<T>(x.doc, read, roots as never) : null; });
}

async function loadEnterprise(uscc: string): Promise<Enterprise | null> {
  const token = currentSession()?.token;
  try {
    if (!token) throw new Error('no token');
    const e = await api.enterprise(uscc, token);
    cacheSet(`enterprise.${uscc}`, e);
    return e;
  } catch {
    const c = Enterprise.safeParse(cacheGet(`enterprise.${uscc}`));
    return c.success ? c.data : null;
  }
}

export default function CheckinPage(): JSX.Element {
  const params = useParams<{ taskId: string }>();
  const me = () => principal();
  const year = shanghaiThisYear();
  const today = shanghaiToday();
  const agencyId = () => me()?.agencyId ?? null;
  const tasksDoc = useDoc(() => (agencyId() ? rooms.tasks(agencyId()!, year) : null));
  const agencyDoc = useDoc(() => (agencyId() ? rooms.agency(agencyId()!) : null));
  const registryDoc = useDoc(() => (me() ? rooms.registry() : null));
  const planDoc = useDoc(() => (agencyId() ? rooms.plan(agencyId()!, year) : null));
  const configDoc = useDoc(() => (me() ? rooms.config() : null));

  const taskStore = useStore(tasksDoc.handle, (d) => ({ task: readTask(d, params.taskId) ?? null, all: readTasks(d).items }), (d) => [tasksRoot(d)]);
  const task = () => taskStore()?.task ?? null;
  const ledgerDoc = useDoc(() => (task() ? rooms.ledger(task()!.uscc) : null));
  const agencyStore = useStore(agencyDoc.handle, (d) => readAgency(d), (d) => Object.values(agencyRoots(d)));
  const certStore = useStore(registryDoc.handle, (d) => ({ items: readCertificates(d).items }), (d) => [certificatesRoot(d)]);
  const planStore = useStore(planDoc.handle, (d) => ({ meta: readPlanMeta(d).meta, items: readPlanItems(d).items }), (d) => { const r = planRoots(d); return [r.meta, r.items]; });
  const policyStore = useStore(configDoc.handle, (d) => ({ policy: readPolicy(d).policy }), (d) => [policyRoot(d)]);
  const ledgerStore = useStore(ledgerDoc.handle, (d) => ({ items: readLedger(d, { uscc: task()?.uscc }).items.map((s) => ({ ...s.rec })) }), (d) => [ledgerRoot(d)]);
  const [enterprise] = createResource(() => task()?.uscc, loadEnterprise);

  const policy = () => policyStore()?.policy ?? DEFAULT_POLICY;
  const staff = () => agencyStore()?.staff ?? [];
  const items = () => agencyStore()?.items ?? [];
  const itemName = (id: string) => { const it = items().find((x) => x.id === id); return it ? nameOf(it) : id; };
  const certOf = (inspectorId: string) => {
    const s = staff().find((x) => x.id === inspectorId);
    const all = certStore()?.items ?? [];
    return all.find((c) => c.number === s?.certificateNumber && c.inspectorId === inspectorId) ?? all.find((c) => c.inspectorId === inspectorId) ?? null;
  };
  const history = (): LedgerRecord[] => (ledgerStore()?.items ?? []) as LedgerRecord[];

  // ---- team ----
  const [second, setSecond] = createSignal<string>('');
  createEffect(() => {
    const tk = task(); const mine = me()?.inspectorId;
    if (tk && mine && !second()) { const o = tk.inspectorIds.find((x) => x !== mine); if (o) setSecond(o); }
  });
  const teamIds = () => [me()?.inspectorId ?? '', second()].filter(Boolean);
  const teamCerts = (): TeamCert[] => teamIds().map((id) => ({ inspectorId: id, name: staff().find((s) => s.id === id)?.name, certificate: certOf(id) }));
  const team = (): TeamMember[] => teamIds().map((id) => {
    const c = certOf(id);
    return { inspectorId: id, name: staff().find((s) => s.id === id)?.name ?? id, certificateNumber: c?.number ?? '', certificateValid: !!c && certificateValidOn(c, today) };
  });

  // ---- exemptions ----
  const [exKind, setExKind] = createSignal<Record<string, string>>({});
  const [exReason, setExReason] = createSignal<Record<string, string>>({});
  const exemptions = (): Exemption[] => Object.entries(exKind()).filter(([, k]) => k).map(([rule, kind]) => ({ rule, kind: kind as Exemption['kind'], reason: exReason()[rule] ?? '' })).filter((e) => e.reason.trim().length >= 2);

  const check = createMemo(() => {
    const tk = task();
    if (!tk) return null;
    const e = enterprise();
    return precheck({
      policy: policy(), at: now(), agency: { id: tk.agencyId, level: agencyStore()?.profile?.level ?? 'city' },
      enterprise: e ?? { uscc: tk.uscc, quietZone: false, riskLevel: 'medium', industry: '', division: '' },
      kind: tk.kind, method: tk.method, itemIds: tk.itemIds, team: teamCerts(), ledger: history(),
      plan: planStore()?.meta ? { meta: planStore()!.meta!, items: planStore()!.items } : null,
      tasks: taskStore()?.all ?? [], items: items(), taskId: tk.id, exemptions: exemptions(),
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
    const tk = task(); const uid = me()?.userId;
    const mine = history().filter((r): r is EntryRecord => r.type === 'entry' && r.taskId === tk?.id && r.by === uid);
    const resultOf = (id: string) => history().find((r): r is ResultRecord => r.type === 'result' && r.entryId === id);
    const open = mine.find((en) => !resultOf(en.id));
    if (open) { setEntry(open); setStage('inspect'); return; }
    // checked out already (this device or another): show it instead of offering a second entry
    const last = mine[mine.length - 1];
    if (last && stage() === 'prepare') { setEntry(last); setResult(resultOf(last.id) ?? null); setStage('done'); }
  });

  // ---- scanning ----
  const [scanMsg, setScanMsg] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  let scanner: Scanner | null = null;
  let viewfinder!: HTMLDivElement;
  onCleanup(() => { void scanner?.dispose(); });
  void refreshJwks();

  async function onScanned(text: string): Promise<void> {
    const tk = task(); const pr = me(); const h = ledgerDoc.handle();
    if (!tk || !pr || !h || busy()) return;
    setBusy(true);
    try {
      let jwks = cachedJwks();
      let r = await checkScan(text, jwks, tk);
      if (!r.ok && navigator.onLine) { jwks = await refreshJwks(); r = await checkScan(text, jwks, tk); }
      if (!r.ok) { setScanMsg(tx(r.message)); return; }
      const key = await deviceKey(pr.userId, currentSession()?.token);
      const en = await appendEntry(h.doc, { task: tk, by: pr.userId, team: team(), exemptions: exemptions(), token: r.token, key, device: deviceLabel(key) });
      setEntry(en);
      setScanMsg(null);
      setStage('inspect');
      const td = tasksDoc.handle();
      if (td) { try { setTaskStatus(td.doc, tk.id, 'in_progress'); } catch { /* not allowed: fine */ } }
      void scanner?.stop();
    } catch (e) {
      setScanMsg(String((e as Error).message ?? e));
    } finally { setBusy(false); }
  }

  async function startCamera(): Promise<void> {
    setStage('scan');
    setScanMsg(null);
    try {
      const { createScanner } = await import('../../scan/scanner');
      scanner ??= createScanner({ boxRatio: 0.9, onError: (e) => setScanMsg(tx(e.text)) });
      await scanner.start(viewfinder, (text) => { void onScanned(text); });
    } catch (e) {
      const te = (e as { text?: { zh: string; en: string } }).text;
      setScanMsg(te ? tx(te) : String(e));
    }
  }

  async function onPhoto(ev: Event): Promise<void> {
    const f = (ev.currentTarget as HTMLInputElement).files?.[0];
    if (!f) return;
    try {
      const { createScanner } = await import('../../scan/scanner');
      scanner ??= createScanner({});
      const text = await scanner.scanFile(f);
      await onScanned(text);
    } catch (e) {
      const te = (e as { text?: { zh: string; en: string } }).text;
      setScanMsg(te ? tx(te) : String(e));
    }
  }

  const triggerOf = () => { const k = task()?.kind; return k?.type === 'triggered' ? k.trigger : null; };

  // ---- late record (补录): no scan, a reason, flagged ----
  const [lateReason, setLateReason] = createSignal('');
  async function onLate(): Promise<void> {
    const tk = task(); const pr = me(); const h = ledgerDoc.handle();
    if (!tk || !pr || !h || busy() || !canScan() || lateReason().trim().length < LATE_REASON_MIN) return;
    setBusy(true);
    try {
      const key = await deviceKey(pr.userId, currentSession()?.token);
      const en = await appendEntry(h.doc, { task: tk, by: pr.userId, team: team(), exemptions: exemptions(), lateReason: lateReason(), key, device: deviceLabel(key) });
      setEntry(en);
      setStage('inspect');
      void scanner?.stop();
      const td = tasksDoc.handle();
      if (td) { try { setTaskStatus(td.doc, tk.id, 'in_progress'); } catch { /* not allowed: fine */ } }
    } catch (e) {
      setScanMsg(String((e as Error).message ?? e));
    } finally { setBusy(false); }
  }

  // ---- check code (检查码): made online once, kept in the task for offline use ----
  const [codeOpen, setCodeOpen] = createSignal(false);
  const [codeMsg, setCodeMsg] = createSignal<string | null>(null);
  const [codeSvg, setCodeSvg] = createSignal<string | null>(null);
  async function showCheckCode(): Promise<void> {
    const tk = task(); const token = currentSession()?.token;
    if (!tk) return;
    const members = entry()?.team ?? team();
    if (members.length < 2) { setCodeMsg(t('checkin.checkCodeNeedTeam')); setCodeOpen(true); return; }
    setCodeMsg(null);
    let text: string | null = null;
    try {
      if (!token) throw new Error('offline');
      const r = await api.checkCode({ taskId: tk.id, agencyId: tk.agencyId, uscc: tk.uscc, window: tk.window, inspectors: members.map((m) => ({ id: m.inspectorId, name: m.name, cert: m.certificateNumber })) }, token);
      text = r.url;
      const td = tasksDoc.handle();
      if (td && tk.checkCode !== r.url) { try { updateTaskField(td.doc, tk.id, 'checkCode', r.url); } catch { /* kept for this view only */ } }
    } catch (e) {
      // a refusal by the server (422: not this agency's task, another team, a certificate not valid today) is
      // shown, and an older code kept in the task is not: it may name a certificate that is no longer valid.
      // Offline: the code kept in the task (made earlier) still verifies.
      const refused = e instanceof ApiError && (e.status === 422 || e.status === 403);
      text = refused ? null : tk.checkCode ?? null;
      if (!text) setCodeMsg(e instanceof ApiError && !e.network ? tx(e.text) : t('checkin.checkCodeOffline'));
    }
    if (text) {
      const QR = (await import('qrcode')).default;
      setCodeSvg(await QR.toString(text, { type: 'svg', errorCorrectionLevel: QR_ECL.chk, margin: 2 }));
    }
    setCodeOpen(true);
  }

  // ---- inspection ----
  const [checklist, setChecklist] = createSignal<Record<string, boolean>>({});
  const [findings, setFindings] = createSignal<Finding[]>([]);
  const [fItem, setFItem] = createSignal('');
  const [fDesc, setFDesc] = createSignal('');
  const [fCode, setFCode] = createSignal('');
  const flex = () => {
    const tk = task();
    return fCode().trim() ? matchFlexible({ itemId: fItem() || tk?.itemIds[0] || '', violationCode: fCode().trim() }, agencyStore()?.flex ?? [], history()) : null;
  };
  function addFinding(): void {
    const tk = task(); if (!tk || !fDesc().trim()) return;
    const itemId = fItem() || tk.itemIds[0];
    const m = flex();
    setFindings([...findings(), { itemId, description: fDesc().trim(), ...(fCode().trim() ? { violationCode: fCode().trim() } : {}), suggestion: m?.suggestion ?? 'none' }]);
    setChecklist({ ...checklist(), [itemId]: false });
    setFDesc(''); setFCode('');
  }
  const [outcome, setOutcome] = createSignal<ResultRecord['outcome']>('no_problem');
  createEffect(() => { if (findings().length && outcome() === 'no_problem') setOutcome('rectify'); });
  const [rectifyBy, setRectifyBy] = createSignal('');
  const [noticeEdited, setNoticeEdited] = createSignal<string | null>(null);
  const generated = () => {
    const tk = task(); if (!tk) return '';
    return noticeText({
      agencyName: agencyStore()?.profile ? nameOf(agencyStore()!.profile!) : tk.agencyId, enterpriseName: tk.enterpriseName, date: today,
      team: entry()?.team ?? team(), items: tk.itemIds.map(itemName), findings: findings().map((f) => ({ item: itemName(f.itemId), description: f.description })),
      outcome: outcome(), rectifyBy: rectifyBy() || undefined, hotline: policy().hotline,
    }, lang());
  };
  const notice = () => noticeEdited() ?? generated();
  const canCheckout = () => !!entry() && notice().trim().length > 0 && (outcome() !== 'rectify' || !!rectifyBy());

  async function checkout(): Promise<void> {
    const en = entry(); const pr = me(); const h = ledgerDoc.handle(); const tk = task();
    if (!en || !pr || !h || !tk) return;
    setBusy(true);
    try {
      const key = await deviceKey(pr.userId, currentSession()?.token);
      const res = await appendResult(h.doc, {
        entry: en, by: pr.userId, key, findings: findings(), outcome: outcome(), rectifyBy: rectifyBy() || undefined, notice: notice(),
        checklist: tk.itemIds.map((id) => ({ itemId: id, ok: checklist()[id] ?? true, note: '' })),
      });
      setResult(res);
      setStage('done');
      const td = tasksDoc.handle();
      if (td) { try { setTaskStatus(td.doc, tk.id, 'done'); } catch { /* not allowed */ } }
    } finally { setBusy(false); }
  }

  return (
    <section class="page checkin">
      <DocHeader title={t('checkin.title')} status={ledgerDoc.status() ?? tasksDoc.status()} />
      <p><A href="/inspector">{t('checkin.back')}</A></p>
      <Show when={task()} fallback={<p class="muted">{tasksDoc.loaded() ? t('checkin.noTask') : t('app.loading')}</p>}>
        {(tk) => (
          <>
            <article class="card" data-testid="checkin-task">
              <h2 class="task-title">{tk().enterpriseName}</h2>
              <dl class="kv">
                <dt>{t('enterprise.uscc')}</dt><dd><code>{tk().uscc}</code></dd>
                <dt>{t('inspector.items')}</dt><dd>{tk().itemIds.map(itemName).join('、')}</dd>
                <dt>{t('inspector.window')}</dt><dd>{tk().window.from}{tk().window.to !== tk().window.from ? ` – ${tk().window.to}` : ''}</dd>
                <Show when={triggerOf()}>{(tr) => <><dt>{t('checkin.triggerRef')}</dt><dd data-testid="task-trigger">{t(`trigger.${tr().kind}`)} · {tr().ref}</dd></>}</Show>
              </dl>
            </article>

            <Show when={stage() !== 'done'}>
              <section class="card check-code" aria-labelledby="cc-h">
                <h3 id="cc-h">{t('checkin.checkCode')}</h3>
                <button class="btn btn-secondary" data-testid="check-code-show" onClick={() => { if (codeOpen()) setCodeOpen(false); else void showCheckCode(); }}>{codeOpen() ? t('checkin.checkCodeHide') : t('checkin.checkCodeShow')}</button>
                <Show when={codeOpen()}>
                  <Show when={codeMsg()}><p class="notice notice-warn" role="status">{codeMsg()}</p></Show>
                  <Show when={codeSvg() && !codeMsg()}>
                    <p class="muted">{t('checkin.checkCodeLead')}</p>
                    {/* eslint-disable-next-line solid/no-innerhtml -- SVG made by the qrcode package from the platform's own code */}
                    <div class="qr" data-testid="check-code-qr" innerHTML={codeSvg()!} />
                  </Show>
                </Show>
              </section>
            </Show>

            <Show when={stage() === 'prepare' || stage() === 'scan'}>
              <section class="card" aria-labelledby="team-h">
                <h3 id="team-h">{t('checkin.team')}</h3>
                <label class="field">{t('checkin.second')}
                  <select data-testid="second-inspector" value={second()} onChange={(e) => setSecond(e.currentTarget.value)}>
                    <option value="">{t('checkin.choose')}</option>
                    <For each={staff().filter((s) => s.id !== me()?.inspectorId && s.active)}>
                      {(s) => <option value={s.id}>{s.name}{s.certificateNumber ? `（${s.certificateNumber}）` : ''}</option>}
                    </For>
                  </select>
                </label>
                <TeamList team={team()} />
              </section>

              <section class="card" aria-labelledby="pre-h">
                <h3 id="pre-h">{t('checkin.precheck')}</h3>
                <Show when={check()}>
                  {(c) => (
                    <>
                      <VerdictList verdicts={c().verdicts} lifted={lifted()} />
                      <For each={c().verdicts.filter((v) => v.verdict === 'block' && v.exemptBy?.length)}>
                        {(v) => (
                          <div class="exemption" data-testid="exemption">
                            <label class="field">{t('checkin.exemptKind')}
                              <select value={exKind()[v.code] ?? ''} onChange={(e) => setExKind({ ...exKind(), [v.code]: e.currentTarget.value })}>
                                <option value="">{t('checkin.choose')}</option>
                                <For each={v.exemptBy}>{(k) => <option value={k}>{tx(exemptionLabel(k))}</option>}</For>
                              </select>
                            </label>
                            <label class="field">{t('checkin.exemptReason')}
                              <input value={exReason()[v.code] ?? ''} onInput={(e) => setExReason({ ...exReason(), [v.code]: e.currentTarget.value })} />
                            </label>
                          </div>
                        )}
                      </For>
                      <Show when={c().blocked}><p class="notice notice-error" role="alert" data-testid="blocked">{t('checkin.blocked')}</p></Show>
                    </>
                  )}
                </Show>
              </section>

              <section class="card conduct" aria-labelledby="conduct-h">
                <h3 id="conduct-h">{t('checkin.conduct')}</h3>
                <ConductRules rules={policy().conductRules} acknowledged={conduct()} onAcknowledge={setConduct} />
              </section>

              <section class="card scan" aria-labelledby="scan-h">
                <h3 id="scan-h">{t('checkin.scanTitle')}</h3>
                <button class="btn btn-primary btn-wide" data-testid="scan-start" disabled={!canScan() || stage() === 'scan'} onClick={() => void startCamera()}>{t('checkin.scan')}</button>
                <div ref={viewfinder} id="viewfinder" class="viewfinder" classList={{ active: stage() === 'scan' }} />
                <label class="btn btn-secondary photo" classList={{ disabled: !canScan() }}>
                  {t('checkin.photo')}
                  <input type="file" accept="image/*" capture="environment" class="visually-hidden" disabled={!canScan()} onChange={(e) => void onPhoto(e)} />
                </label>
                <Show when={scanMsg()}><p class="notice notice-error" role="alert" data-testid="scan-error">{scanMsg()}</p></Show>
                <details class="late" data-testid="late">
                  <summary>{t('checkin.late')}</summary>
                  <p class="muted">{t('checkin.lateLead')}</p>
                  <label class="field">{t('checkin.lateReason', { n: LATE_REASON_MIN })}
                    <textarea data-testid="late-reason" rows={3} value={lateReason()} onInput={(e) => setLateReason(e.currentTarget.value)} />
                  </label>
                  <button class="btn btn-secondary" data-testid="late-submit" disabled={!canScan() || busy() || lateReason().trim().length < LATE_REASON_MIN} onClick={() => void onLate()}>{t('checkin.lateSubmit')}</button>
                </details>
              </section>
            </Show>

            <Show when={stage() === 'inspect' && entry()}>
              {(en) => (
                <>
                  <p class={`notice ${en().via === 'late' ? 'notice-warn' : 'notice-ok'}`} role="status" data-testid="entered" data-via={en().via} data-entry={en().id} data-decoder={scanner?.decoder ?? undefined}>{en().via === 'late' ? t('checkin.enteredLate', { time: hhmm(en().at) }) : t('checkin.entered', { time: hhmm(en().at) })}</p>
                  <section class="card" aria-labelledby="cl-h">
                    <h3 id="cl-h">{t('checkin.checklist')}</h3>
                    <For each={tk().itemIds}>{(id) => (
                      <label class="check"><input type="checkbox" checked={checklist()[id] ?? true} onChange={(e) => setChecklist({ ...checklist(), [id]: e.currentTarget.checked })} /> {itemName(id)} — {t('checkin.itemOk')}</label>
                    )}</For>
                  </section>
                  <section class="card" aria-labelledby="f-h">
                    <h3 id="f-h">{t('checkin.findings')}</h3>
                    <ul data-testid="findings"><For each={findings()}>{(f) => <li>{itemName(f.itemId)}：{f.description}{f.violationCode ? ` [${f.violationCode}]` : ''} · {t(`checkin.flex.${f.suggestion}`)}</li>}</For></ul>
                    <Show when={tk().itemIds.length > 1}>
                      <label class="field">{t('inspector.items')}
                        <select value={fItem()} onChange={(e) => setFItem(e.currentTarget.value)}><For each={tk().itemIds}>{(id) => <option value={id}>{itemName(id)}</option>}</For></select>
                      </label>
                    </Show>
                    <label class="field">{t('checkin.findingDesc')}<textarea data-testid="finding-desc" value={fDesc()} onInput={(e) => setFDesc(e.currentTarget.value)} /></label>
                    <label class="field">{t('checkin.violationCode')}
                      <input data-testid="finding-code" list="flex-codes" value={fCode()} onInput={(e) => setFCode(e.currentTarget.value)} />
                      <datalist id="flex-codes"><For each={agencyStore()?.flex ?? []}>{(x) => <option value={x.violationCode}>{x.description}</option>}</For></datalist>
                    </label>
                    <Show when={flex()}>{(m) => <p class={`notice ${m().suggestion === 'none' ? 'notice-info' : 'notice-ok'}`} data-testid="flex-suggestion">{t(`checkin.flex.${m().suggestion}`)} — {tx(m().message)}</p>}</Show>
                    <button class="btn btn-secondary" data-testid="finding-add" disabled={!fDesc().trim()} onClick={addFinding}>{t('checkin.addFinding')}</button>
                  </section>
                  <section class="card" aria-labelledby="o-h">
                    <h3 id="o-h">{t('checkin.outcome')}</h3>
                    <For each={['no_problem', 'rectify', 'case_filed'] as const}>{(o) => (
                      <label class="check"><input type="radio" name="outcome" data-testid={`outcome-${o}`} checked={outcome() === o} onChange={() => setOutcome(o)} /> {t(`ledger.outcome.${o}`)}</label>
                    )}</For>
                    <Show when={outcome() === 'rectify'}>
                      <label class="field">{t('checkin.rectifyBy')}<input type="date" data-testid="rectify-by" value={rectifyBy()} min={today} onInput={(e) => setRectifyBy(e.currentTarget.value)} /></label>
                    </Show>
                    <label class="field">{t('checkin.notice')}
                      <textarea class="notice-text" rows={10} data-testid="notice-text" value={notice()} onInput={(e) => setNoticeEdited(e.currentTarget.value)} />
                    </label>
                    <Show when={noticeEdited() !== null}><button class="btn btn-link" onClick={() => setNoticeEdited(null)}>{t('checkin.regenerate')}</button></Show>
                    <button class="btn btn-primary btn-wide" data-testid="checkout" disabled={!canCheckout() || busy()} onClick={() => void checkout()}>{t('checkin.checkout')}</button>
                  </section>
                </>
              )}
            </Show>

            <Show when={stage() === 'done' && result()}>
              {(r) => <p class="notice notice-ok" role="status" data-testid="checked-out">{t('checkin.done', { time: hhmm(r().checkedOutAt) })}</p>}
            </Show>
            {/* the enterprise's disputes of this entry or its result (its own records: they change nothing here) */}
            <Show when={entry()}>{(en) => <DisputeList items={[en().id, result()?.id].flatMap((id) => (id ? disputesOf(history(), id) : []))} />}</Show>
          </>
        )}
      </Show>
    </section>
  );
}
