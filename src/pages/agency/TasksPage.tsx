/**
 * Container of the agency's tasks page, /agency/tasks/:year (?joint=<id> preselects a joint plan):
 * the tasks of `tasks/<agencyId>/<year>`, and task generation. From a plan item the agency writes its
 * own tasks room itself (offline too; check codes are fetched when the server is reachable). From a
 * joint plan the lead asks the server, which checks the rules on every member's data and writes each
 * member's tasks room (an agency may write only its own). Before saving, every rule the task would
 * break is shown (task-plan.ts `checkTask`): blocks stop the save, warnings need a confirmation.
 */
import { createEffect, createMemo, createResource, createSignal, type JSX } from 'solid-js';
import { useParams, useSearchParams } from '@solidjs/router';
import { principal } from '../../client/app-state';
import { api, ApiError } from '../../client/api';
import { errorMessage } from '../../ui/errors';
import { TaskProblems } from '../../protocol/joints';
import { rooms } from '../../domain/rooms';
import { planHash } from '../../domain/canonical';
import { defaultPolicy } from '../../domain/policy-defaults';
import { shanghaiThisYear, shanghaiToday, nowIso } from '../../domain/time';
import type { Enterprise, Exemption, Task, Text, Window } from '../../domain/schemas';
import { checkTask, enterprisesForTargets, generatePlanTasks, taskIdFor, windowOfMonths, type TaskCheck } from '../../domain/task-plan';
import { addTasks, agencyView, certificatesView, jointView, ledgerRecordsView, planView, tasksView } from '../../model';
import { useView, useViews } from '../stores/useView';
import { usePolicy } from '../stores/policy';
import { useDirectory } from '../stores/directory';
import { TasksView, type Source } from './TasksView';

const MAX_PICK = 20;

/** Enterprises a source's targets reach: the directory's pages per industry, then the other targets. */
async function loadCandidates(
  key: { targets: { industries: string[]; divisions: string[]; riskLevels: ('low' | 'medium' | 'high' | 'major')[] }; q: string } | null,
): Promise<{ items: Enterprise[]; error: Text | null }> {
  if (!key) return { items: [], error: null };
  try {
    const inds = key.targets.industries.length ? key.targets.industries : [undefined];
    const pages = await Promise.all(inds.map((industry) => api.enterprises({ industry, q: key.q || undefined, limit: 200 })));
    const all = pages.flatMap((p) => p.items);
    return { items: enterprisesForTargets(key.targets, all), error: null };
  } catch (e) {
    return { items: [], error: errorMessage(e) };
  }
}

export default function TasksPage(): JSX.Element {
  const params = useParams<{ year: string }>();
  const [search, setSearch] = useSearchParams<{ joint?: string }>();
  const me = () => principal();
  const agencyId = () => me()?.agencyId ?? null;
  const year = () => Number(params.year);
  const valid = () => !!agencyId() && Number.isInteger(year()) && year() >= 2000 && year() <= 2100;
  const today = shanghaiToday();

  const tasks = useView(() => (valid() ? rooms.tasks(agencyId()!, year()) : null), tasksView);
  const plan = useView(() => (valid() ? rooms.plan(agencyId()!, year()) : null), planView);
  const agency = useView(() => (agencyId() ? rooms.agency(agencyId()!) : null), agencyView);
  const certs = useView(() => rooms.registry(), certificatesView);
  const policy = usePolicy(() => true, defaultPolicy);
  const dir = useDirectory();
  const [joints] = createResource(
    () => (valid() ? year() : null),
    async (y) => {
      try {
        return (await api.joints(y)).items;
      } catch {
        return [];
      }
    },
  );

  // ---- the source ----
  const [source, setSourceRaw] = createSignal<Source | null>(search.joint ? { kind: 'joint', id: search.joint } : null);
  const planItem = () => {
    const s = source();
    return s?.kind === 'plan' ? (plan()?.items.find((x) => x.id === s.id) ?? null) : null;
  };
  const jointId = () => {
    const s = source();
    return s?.kind === 'joint' ? s.id : null;
  };
  const joint = useView(() => (jointId() ? rooms.joint(jointId()!) : null), jointView);
  const defaultWindow = (w: Window): Window => {
    // not in the past: from today when the window has started
    const from = w.from < today && today <= w.to ? today : w.from;
    return { from, to: w.to };
  };
  const [win, setWin] = createSignal<Window>({ from: `${params.year}-01-01`, to: `${params.year}-12-31` });
  const [picked, setPicked] = createSignal<Enterprise[]>([]);
  const [inspectorIds, setInspectorIds] = createSignal<string[]>([]);
  const [exemption, setExemption] = createSignal<{ kind: string; reason: string }>({ kind: '', reason: '' });
  const [confirmed, setConfirmed] = createSignal(false);
  const [q, setQ] = createSignal('');
  const [result, setResult] = createSignal<{ ok: boolean; text: Text; problems?: TaskProblems; needConfirm?: boolean; created?: string[] } | null>(null);
  const setSource = (s: Source | null) => {
    setSourceRaw(s);
    setPicked([]);
    setConfirmed(false);
    setResult(null);
    setSearch({ joint: s?.kind === 'joint' ? s.id : undefined });
    const pi = s?.kind === 'plan' ? plan()?.items.find((x) => x.id === s.id) : null;
    if (pi) setWin(defaultWindow(windowOfMonths(year(), pi.months)));
  };
  // a joint plan's window arrives with its doc
  let jointWindowSet = '';
  createEffect(() => {
    const m = joint()?.meta;
    if (m?.window && jointWindowSet !== m.id) {
      jointWindowSet = m.id;
      setWin(defaultWindow(m.window));
    }
  });

  const targets = () => {
    const pi = planItem();
    if (pi) return pi.targets;
    const t = joint()?.meta?.targets;
    return t ?? (jointId() ? { industries: [], divisions: [], riskLevels: [] } : null);
  };
  const [candidates] = createResource(() => {
    const t = targets();
    return t ? { targets: { industries: [...t.industries], divisions: [...t.divisions], riskLevels: [...t.riskLevels] }, q: q() } : null;
  }, loadCandidates);

  // ---- the rules, per picked enterprise ----
  const ledgers = useViews(() => picked().map((e) => rooms.ledger(e.uscc)), ledgerRecordsView());
  const [currentHash] = createResource(
    () => {
      const p = plan();
      return p?.meta ? { meta: p.meta, items: p.items } : null;
    },
    (x) => planHash(x.meta, x.items),
  );
  const staff = () => (agency()?.staff ?? []).filter((i) => i.active !== false);
  const teamCerts = () =>
    inspectorIds().map((id) => {
      const ins = staff().find((s) => s.id === id);
      const cert = (certs()?.items ?? []).find((c) => c.inspectorId === id && (!ins?.certificateNumber || c.number === ins.certificateNumber)) ?? null;
      return { inspectorId: id, name: ins?.name, certificate: cert };
    });
  const exemptions = (): Exemption[] =>
    exemption().kind && exemption().reason.trim().length >= 2
      ? [{ rule: 'quiet', kind: exemption().kind as Exemption['kind'], reason: exemption().reason.trim() }]
      : [];
  const checks = createMemo((): { e: Enterprise; check: TaskCheck }[] => {
    const pi = planItem();
    const p = plan();
    const aid = agencyId();
    if (!pi || !p || !aid) return [];
    const kind = { type: 'planned' as const, planned: pi.targets.samplingRatio !== undefined ? ('routine' as const) : ('special' as const) };
    return picked().map((e) => ({
      e,
      check: checkTask({
        policy: policy(),
        agencyId: aid,
        task: {
          id: taskIdFor(aid, year(), { planItemId: pi.id }, e.uscc, win().from),
          uscc: e.uscc,
          window: win(),
          kind,
          method: pi.method,
          planItemId: pi.id,
        },
        enterprise: e,
        plan: p.meta ? { meta: p.meta, currentHash: currentHash() } : null,
        months: pi.months,
        team: teamCerts(),
        ledger: ledgers().get(rooms.ledger(e.uscc))?.items ?? [],
        tasks: tasks()?.items ?? [],
        cap: p.meta?.capPerEnterprise ?? policy().capPerEnterpriseDefault,
        exemptions: exemptions(),
      }),
    }));
  });

  const pick = (e: Enterprise, on: boolean) => {
    setConfirmed(false);
    setResult(null);
    setPicked((xs) => (on ? (xs.some((x) => x.uscc === e.uscc) || xs.length >= MAX_PICK ? xs : [...xs, e]) : xs.filter((x) => x.uscc !== e.uscc)));
  };

  // ---- save ----
  const [busy, setBusy] = createSignal(false);
  const savePlanTasks = async () => {
    const pi = planItem();
    const h = tasks.handle();
    const aid = agencyId();
    if (!pi || !h || !aid) return;
    const cs = checks();
    if (cs.some((c) => c.check.blocking.length) || (cs.some((c) => c.check.toConfirm.length) && !confirmed())) return;
    setBusy(true);
    try {
      // the catalogue version the plan was filed against (offline: the tasks are saved without it)
      const filingId = plan()?.meta?.filingId;
      const catalogueVersion = filingId
        ? await api.filing(filingId).then(
            (f) => f.catalogueVersions?.[aid],
            () => undefined,
          )
        : undefined;
      const generated: Task[] = generatePlanTasks({
        agencyId: aid,
        year: year(),
        planItem: pi,
        enterprises: picked().map((e) => ({ uscc: e.uscc, name: e.name })),
        window: win(),
        inspectorIds: inspectorIds(),
        createdAt: nowIso(),
        catalogueVersion,
      });
      // the check code (检查码) is signed by the server; offline the task is saved without one
      let codesMissing = 0;
      const inspectors = teamCerts().flatMap((m) => (m.certificate && m.name ? [{ id: m.inspectorId, name: m.name, cert: m.certificate.number }] : []));
      for (const task of generated) {
        try {
          task.checkCode = (await api.checkCode({ taskId: task.id, agencyId: aid, uscc: task.uscc, window: task.window, inspectors })).token;
        } catch {
          codesMissing++;
        }
      }
      const r = addTasks(h.doc, generated, { editor: 'tasks' });
      setResult({
        ok: true,
        created: r.created.map((x) => x.id),
        text: {
          zh:
            `已生成 ${r.created.length} 项任务` +
            (r.existing.length ? `，${r.existing.length} 项已存在` : '') +
            (codesMissing ? `；${codesMissing} 项暂无检查码（联网后可补发）` : ''),
          en:
            `${r.created.length} tasks generated` +
            (r.existing.length ? `, ${r.existing.length} already existed` : '') +
            (codesMissing ? `; ${codesMissing} without a check code yet (reissue when online)` : ''),
        },
      });
      setPicked([]);
      setConfirmed(false);
    } finally {
      setBusy(false);
    }
  };
  const saveJointTasks = async () => {
    const id = jointId();
    if (!id) return;
    setBusy(true);
    try {
      const r = await api.jointTasks(id, { usccs: picked().map((e) => e.uscc), window: win(), confirm: confirmed(), exemptions: exemptions() });
      const n = r.created.reduce((k, c) => k + c.taskIds.length, 0);
      setResult({
        ok: true,
        created: r.created.flatMap((c) => c.taskIds),
        text: { zh: `已为 ${r.created.length} 个成员部门生成 ${n} 项联合检查任务`, en: `${n} joint tasks generated for ${r.created.length} member agencies` },
      });
      setPicked([]);
      setConfirmed(false);
    } catch (e) {
      if (e instanceof ApiError) {
        const ps = TaskProblems.safeParse(e.details);
        setResult({
          ok: false,
          text: e.network
            ? { zh: '联合检查任务由服务器写入各成员部门，需要联网', en: "Joint tasks are written by the server into every member's room: go online" }
            : e.text,
          problems: ps.success ? ps.data : undefined,
          needConfirm: e.code === 'confirm_required',
        });
      } else setResult({ ok: false, text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <TasksView
      year={year()}
      today={today}
      tasksStatus={tasks.status()}
      tasksLoaded={tasks.loaded()}
      tasks={tasks()?.items ?? []}
      catalogue={agency()?.items ?? []}
      staff={staff()}
      certificates={certs()?.items ?? []}
      planMeta={plan()?.meta ?? null}
      planItems={plan()?.items ?? []}
      joints={(joints() ?? []).filter((j) => j.leadAgencyId === agencyId())}
      joint={joint() ? { meta: joint()!.meta, items: joint()!.items, team: joint()!.team, members: joint()!.members } : null}
      agencies={dir.data()?.agencies ?? []}
      policy={policy()}
      source={source()}
      setSource={setSource}
      window={win()}
      setWindow={(w) => {
        setWin(w);
        setConfirmed(false);
      }}
      q={q()}
      setQ={setQ}
      candidates={candidates()?.items ?? []}
      candidatesLoading={candidates.loading}
      candidatesError={candidates()?.error ?? null}
      picked={picked()}
      pick={pick}
      maxPick={MAX_PICK}
      inspectorIds={inspectorIds()}
      setInspectorIds={(ids) => {
        setInspectorIds(ids);
        setConfirmed(false);
      }}
      checks={checks()}
      exemption={exemption()}
      setExemption={setExemption}
      confirmed={confirmed()}
      setConfirmed={setConfirmed}
      busy={busy()}
      onSave={() => void (source()?.kind === 'joint' ? saveJointTasks() : savePlanTasks())}
      result={result()}
      currentYear={shanghaiThisYear()}
    />
  );
}
