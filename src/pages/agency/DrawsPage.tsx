/**
 * 双随机 for an agency's admins, /agency/draws: the sampling items of its filed plan (targets with a sampling
 * ratio), each drawn from here; the draw form (its own, for a county 市抽县查, or a joint plan it leads) with a
 * preview of what the draw would be made of before anything is stored; the year's draws, live (the server
 * writes `draws/<year>` at each step); and how far sampling has come against the plan and the yearly floor.
 */
import { For, Show, createEffect, createMemo, createResource, createSignal, on, type JSX } from 'solid-js';
import { useNavigate } from '@solidjs/router';
import { nameOf } from '../../i18n';
import { t } from '../../i18n/dict-draws';
import { principal } from '../../client/app-state';
import { api } from '../../client/api';
import { ApiError } from '../../client/agent';
import { drawsApi } from '../../client/draws-api';
import { rooms } from '../../domain/rooms';
import { addDays, shanghaiThisYear, shanghaiToday } from '../../domain/time';
import type { ClassRatios, DrawKind, PlanItem } from '../../domain/schemas';
import { DrawPreview, type DrawCreateRequest } from '../../protocol/draws';
import { agencyView, planItemsView } from '../../model';
import { AdminNav } from '../../ui/AdminNav';
import { ListTable } from '../../ui/ListTable';
import { errorText } from '../../ui/errors';
import { useView } from '../stores/useView';
import { usePolicy } from '../stores/policy';
import { useDirectory } from '../stores/directory';
import { CLASSES, bpToPercent, defaultRatios, defaultWindow, laterDate, percent, percentToBp, shareOf, type Cls } from '../draws/draw-logic';
import { DrawRows, ShareBar, YearPick, useYearDraws } from '../draws/parts';
import { PreviewPanel } from '../draws/PreviewPanel';
import { DateRange } from '../draws/common';

export default function DrawsPage(): JSX.Element {
  const navigate = useNavigate();
  const agencyId = () => principal()?.agencyId ?? null;
  const thisYear = shanghaiThisYear();
  const [year, setYear] = createSignal(thisYear);
  const plan = useView(() => (agencyId() ? rooms.plan(agencyId()!, year()) : null), planItemsView);
  const agency = useView(() => (agencyId() ? rooms.agency(agencyId()!) : null), agencyView);
  const policy = usePolicy();
  const dir = useDirectory();

  const filed = () => {
    const s = plan()?.meta?.status;
    return s === 'filed' || s === 'published';
  };
  const sampling = () => (plan()?.items ?? []).filter((i) => i.targets.samplingRatio !== undefined);
  const itemName = (pi: PlanItem) => {
    const it = agency()?.items.find((x) => x.id === pi.itemId);
    return it ? nameOf(it) : pi.itemId;
  };
  const counties = () => (dir.data()?.agencies ?? []).filter((a) => a.cityCounterpartId && a.cityCounterpartId === agencyId());
  const [joints] = createResource(
    () => (agencyId() ? { y: year(), a: agencyId()! } : null),
    async ({ y, a }) => {
      try {
        return (await api.joints(y)).items.filter((j) => j.leadAgencyId === a && j.status === 'filed');
      } catch {
        return [];
      }
    },
  );

  const { draws, coverage } = useYearDraws(year);
  const myCoverage = () => coverage()?.agencies.find((a) => a.agencyId === agencyId()) ?? coverage()?.agencies[0] ?? null;

  // ---------- the form ----------
  const [itemId, setItemId] = createSignal<string | null>(null);
  const item = () => sampling().find((i) => i.id === itemId()) ?? null;
  const [kind, setKind] = createSignal<DrawKind>('agency');
  const [countyId, setCountyId] = createSignal('');
  const [jointId, setJointId] = createSignal('');
  const [from, setFrom] = createSignal('');
  const [to, setTo] = createSignal('');
  const [ratios, setRatios] = createSignal<Record<Cls, string>>({ A: '', B: '', C: '', D: '' });
  const [perTask, setPerTask] = createSignal('2');
  const [preview, setPreview] = createSignal<DrawPreview | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal<'preview' | 'create' | null>(null);
  let formRef: HTMLFormElement | undefined;

  const start = (pi: PlanItem) => {
    setItemId(pi.id);
    setKind('agency');
    const w = defaultWindow(shanghaiToday(), year(), pi.months);
    setFrom(w.from);
    setTo(w.to);
    const r = defaultRatios(policy().draw.classRatios, pi.targets.samplingRatio);
    setRatios({ A: bpToPercent(r.A), B: bpToPercent(r.B), C: bpToPercent(r.C), D: bpToPercent(r.D) });
    setPerTask(String(policy().draw.minInspectors));
    setPreview(null);
    setError(null);
    queueMicrotask(() => formRef?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
  };
  const pickKind = (k: DrawKind) => {
    setKind(k);
    setPreview(null);
    setError(null);
    if (k === 'county' && !countyId()) setCountyId(counties()[0]?.id ?? '');
    if (k === 'joint') {
      const j = joints()?.find((x) => x.id === jointId()) ?? joints()?.[0];
      if (j) {
        setJointId(j.id);
        if (j.window) {
          setFrom(laterDate(j.window.from, addDays(shanghaiToday(), 1)));
          setTo(j.window.to);
        }
      }
    }
  };

  /** the request, or the reason it cannot be made yet */
  const request = createMemo((): { body: DrawCreateRequest } | { problem: string } => {
    const pi = item();
    if (!pi) return { problem: t('draws.form.pickItem') };
    const r = {} as ClassRatios;
    for (const c of CLASSES) {
      const bp = percentToBp(ratios()[c]);
      if (bp === null) return { problem: t('draws.form.badRatio', { c }) };
      r[c] = bp;
    }
    const n = Number(perTask());
    if (!Number.isInteger(n) || n < 1 || n > 10) return { problem: t('draws.form.badPerTask') };
    if (!from() || !to() || from() > to()) return { problem: t('draws.form.badWindow') };
    if (kind() === 'county' && !countyId()) return { problem: t('draws.form.pickCounty') };
    if (kind() === 'joint' && !jointId()) return { problem: t('draws.form.pickJoint') };
    return {
      body: {
        year: year(),
        kind: kind(),
        source: kind() === 'joint' ? { type: 'joint', jointId: jointId() } : { type: 'plan', planItemId: pi.id },
        countyAgencyId: kind() === 'county' ? countyId() : undefined,
        window: { from: from(), to: to() },
        ratios: r,
        perTask: n,
      },
    };
  });
  const problem = () => {
    const r = request();
    return 'problem' in r ? r.problem : null;
  };
  // any change of the inputs makes the last preview stale
  createEffect(on(request, () => setPreview(null), { defer: true }));

  const fail = (e: unknown) => {
    setError(errorText(e));
    // a refused draw says why with the counts it would have had
    if (e instanceof ApiError && e.details) {
      const p = DrawPreview.safeParse(e.details);
      if (p.success) setPreview(p.data);
    }
  };
  const doPreview = async () => {
    const r = request();
    if (!('body' in r)) return;
    setBusy('preview');
    setError(null);
    try {
      setPreview(await drawsApi.preview(r.body));
    } catch (e) {
      fail(e);
    } finally {
      setBusy(null);
    }
  };
  const doCreate = async (e: Event) => {
    e.preventDefault();
    const r = request();
    if (!('body' in r)) return;
    setBusy('create');
    setError(null);
    try {
      const d = await drawsApi.create(r.body);
      navigate(`/draws/${encodeURIComponent(d.draw.id)}`);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(null);
    }
  };

  const setRatio = (c: Cls, v: string) => setRatios((r) => ({ ...r, [c]: v }));

  return (
    <section class="page draws-page">
      <AdminNav />
      <div class="draws-head">
        <div>
          <h1 class="doc-title">{t('draws.title')}</h1>
          <p class="muted">{t('draws.agency.lead')}</p>
        </div>
        <YearPick year={year()} onChange={setYear} thisYear={thisYear} />
      </div>

      <h2 class="section-title">{t('draws.items')}</h2>
      <Show when={plan.loaded() && !filed()}>
        <p class="notice notice-warn" data-testid="draws-plan-not-filed">
          {t('draws.planNotFiled', { y: year() })}
        </p>
      </Show>
      <div class="draw-items">
        <For each={sampling()} fallback={<p class="muted card">{plan.loaded() ? t('draws.noItems') : t('app.loading')}</p>}>
          {(pi) => (
            <article class="card draw-item" classList={{ 'draw-item-active': itemId() === pi.id }} data-testid="draw-item" data-plan-item-id={pi.id}>
              <div class="draw-item-text">
                <h3 class="task-title">{itemName(pi)}</h3>
                <p class="muted small">
                  {t('draws.itemRatio', { r: percent(pi.targets.samplingRatio ?? 0) })} · {t('draws.itemMonths', { m: pi.months.join('、') })}
                </p>
              </div>
              <button type="button" class="btn btn-primary" onClick={() => start(pi)} data-testid="draw-start" data-plan-item-id={pi.id}>
                {t('draws.start')}
              </button>
            </article>
          )}
        </For>
      </div>

      <Show when={item()}>
        {(pi) => (
          <form class="card draw-form" ref={formRef} onSubmit={doCreate} data-testid="draw-form" novalidate>
            <div class="row between">
              <h2 class="section-title">{t('draws.form.title', { item: itemName(pi()) })}</h2>
              <button type="button" class="btn btn-ghost btn-small" onClick={() => setItemId(null)}>
                {t('draws.form.close')}
              </button>
            </div>
            <div class="draw-form-grid">
              <div class="field">
                <label for="draw-kind">{t('draws.form.kind')}</label>
                <select id="draw-kind" value={kind()} onChange={(e) => pickKind(e.currentTarget.value as DrawKind)} data-testid="draw-kind">
                  <option value="agency">{t('draws.kind.agency')}</option>
                  <option value="county" disabled={!counties().length}>
                    {t('draws.kind.county')}
                  </option>
                  <option value="joint" disabled={!joints()?.length}>
                    {t('draws.kind.joint')}
                  </option>
                </select>
                <span class="hint">{t(`draws.kind.${kind()}.hint`)}</span>
              </div>
              <Show when={kind() === 'county'}>
                <div class="field">
                  <label for="draw-county">{t('draws.form.county')}</label>
                  <select id="draw-county" value={countyId()} onChange={(e) => setCountyId(e.currentTarget.value)} data-testid="draw-county">
                    <For each={counties()}>{(a) => <option value={a.id}>{nameOf(a)}</option>}</For>
                  </select>
                </div>
              </Show>
              <Show when={kind() === 'joint'}>
                <div class="field">
                  <label for="draw-joint">{t('draws.form.joint')}</label>
                  <select id="draw-joint" value={jointId()} onChange={(e) => setJointId(e.currentTarget.value)} data-testid="draw-joint">
                    <For each={joints() ?? []}>{(j) => <option value={j.id}>{j.title}</option>}</For>
                  </select>
                </div>
              </Show>
            </div>
            <fieldset class="field">
              <legend class="sublabel">{t('draws.form.window')}</legend>
              <DateRange from={from()} to={to()} onFrom={setFrom} onTo={setTo} testids={['draw-from', 'draw-to']} />
              <span class="hint">{t('draws.form.windowHint', { m: pi().months.join('、') })}</span>
            </fieldset>
            <fieldset class="field">
              <legend class="sublabel">{t('draws.form.ratios')}</legend>
              <div class="draw-ratios">
                <For each={CLASSES}>
                  {(c) => (
                    <label class="draw-ratio">
                      <span class="draw-class">{t(`draws.class.${c}`)}</span>
                      <span class="draw-pct">
                        <input
                          inputmode="decimal"
                          value={ratios()[c]}
                          onInput={(e) => setRatio(c, e.currentTarget.value)}
                          aria-label={t('draws.form.ratioOf', { c })}
                          data-testid={`draw-ratio-${c}`}
                        />
                        <span aria-hidden="true">%</span>
                      </span>
                    </label>
                  )}
                </For>
              </div>
              <span class="hint">{t('draws.form.ratiosHint', { r: percent(pi().targets.samplingRatio ?? 0), min: percent(policy().draw.minRatio) })}</span>
            </fieldset>
            <div class="field draw-per-task">
              <label for="draw-per-task">{t('draws.form.perTask')}</label>
              <input
                id="draw-per-task"
                type="number"
                min={1}
                max={10}
                value={perTask()}
                onInput={(e) => setPerTask(e.currentTarget.value)}
                data-testid="draw-per-task"
              />
              <span class="hint">{t('draws.form.perTaskHint', { n: policy().draw.minInspectors })}</span>
            </div>
            <Show when={problem()}>
              <p class="hint" data-testid="draw-form-problem">
                {problem()}
              </p>
            </Show>
            <Show when={error()}>
              <p class="error" role="alert" data-testid="draw-error">
                {error()}
              </p>
            </Show>
            <Show when={preview()}>{(p) => <PreviewPanel preview={p()} />}</Show>
            <div class="row draw-form-actions">
              <button type="button" class="btn" disabled={!!problem() || !!busy()} onClick={() => void doPreview()} data-testid="draw-preview">
                {busy() === 'preview' ? t('draws.busy') : t('draws.form.preview')}
              </button>
              <button type="submit" class="btn btn-primary" disabled={!!problem() || !!busy()} data-testid="draw-create">
                {busy() === 'create' ? t('draws.busy') : t('draws.form.create')}
              </button>
            </div>
            <p class="muted small">{t('draws.form.createHint')}</p>
          </form>
        )}
      </Show>

      <DrawRows title={t('draws.listTitle', { y: year() })} error={draws.error} items={draws()?.items} loading={draws.loading} agencyName={dir.agencyName} />

      <h2 class="section-title">{t('draws.coverage')}</h2>
      <Show when={coverage()}>
        {(c) => (
          <Show when={myCoverage()}>
            {(a) => (
              <p class="muted small" data-testid="coverage-summary">
                {t('draws.coverage.summary', {
                  drawn: a().drawn,
                  population: a().population,
                  share: percent(shareOf(a())),
                  min: percent(c().minRatio),
                })}{' '}
                <Show when={!a().meetsFloor}>
                  <span class="badge draw-badge-err">{t('draws.coverage.below')}</span>
                </Show>
              </p>
            )}
          </Show>
        )}
      </Show>
      <Show when={coverage.error}>
        <p class="error" role="alert">
          {errorText(coverage.error)}
        </p>
      </Show>
      <ListTable
        testid="coverage-table"
        headers={[t('draws.cov.item'), t('draws.cov.target'), t('draws.cov.population'), t('draws.cov.drawn'), t('draws.cov.inspected'), t('draws.cov.ratio')]}
        items={coverage.error ? [] : myCoverage()?.items}
        loading={coverage.loading}
        empty={t('draws.cov.none')}
      >
        {(ci) => {
          const share = () => shareOf(ci);
          const below = () => share() < (coverage()?.minRatio ?? 0.05);
          return (
            <tr data-testid="coverage-row" data-plan-item-id={ci.planItemId} data-below={below() ? 'true' : 'false'}>
              <td data-label={t('draws.cov.item')}>{nameOf({ name: ci.itemName.zh, nameEn: ci.itemName.en })}</td>
              <td data-label={t('draws.cov.target')}>{percent(ci.targetRatio)}</td>
              <td data-label={t('draws.cov.population')}>{ci.population}</td>
              <td data-label={t('draws.cov.drawn')}>{ci.drawn}</td>
              <td data-label={t('draws.cov.inspected')}>{ci.inspected}</td>
              <td data-label={t('draws.cov.ratio')}>
                <ShareBar value={share()} min={coverage()?.minRatio ?? 0.05} target={ci.targetRatio} />
                <Show when={below()}>
                  <span class="badge draw-badge-err" data-testid="coverage-below">
                    {t('draws.coverage.below')}
                  </span>
                </Show>
              </td>
            </tr>
          );
        }}
      </ListTable>
    </section>
  );
}
