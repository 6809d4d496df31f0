/**
 * 检查事项清单 editor (agency admins): the agency's inspection items, flexible-enforcement lists
 * (首违不罚 / 减轻 / 从轻) and handbook chapters (一业一册) are a draft in the agency doc, co-edited live
 * over sync; each record is checked with its schema before it is written. The page compares the draft's
 * hash with the latest published version's ("unpublished changes"), publishes the next version
 * (POST /api/catalogue/publish) and lists the versions.
 */
import { For, Show, createMemo, createResource, createSignal, type JSX } from 'solid-js';
import { nameOf } from '../../i18n';
import { t } from '../../i18n/dict-catalogue';
import { industryName } from '../../i18n/labels';
import { principal } from '../../client/app-state';
import { catalogueApi, draftHash } from '../../client/catalogue-api';
import { errorText } from '../../ui/errors';
import { AdminNav } from '../../ui/AdminNav';
import { rooms } from '../../domain/rooms';
import { INDUSTRY_CODES } from '../../domain/industries';
import { shanghaiDate } from '../../domain/time';
import { FlexEntry, FlexList, HandbookChapter, InspectionItem, Method } from '../../domain/schemas';
import { agencyFullView, putFlex, putHandbook, putItem, removeFlex, removeHandbook, removeItem } from '../../model';
import type { CataloguePublished } from '../../protocol/catalogue';
import { useView } from '../stores/useView';
import { ListTable } from '../../ui/ListTable';

const LEVELS = ['city', 'county', 'any'] as const;
const METHODS = Method.options;
const LISTS = FlexList.options;
/** an id from a code: the characters an Id allows */
const idPart = (s: string) =>
  s
    .trim()
    .replace(/[^A-Za-z0-9_.:-]/g, '-')
    .slice(0, 40);

type ItemDraft = {
  id?: string;
  code: string;
  name: string;
  nameEn: string;
  legalBasis: string;
  level: InspectionItem['level'];
  industries: string[];
  defaultMethod: Method;
  published: boolean;
};
type FlexDraft = { id?: string; list: FlexEntry['list']; violationCode: string; itemId: string; description: string; legalBasis: string };
type Risk = HandbookChapter['risks'][number];
type HbDraft = { industry: string; title: string; risks: Risk[] };

const emptyItem = (): ItemDraft => ({ code: '', name: '', nameEn: '', legalBasis: '', level: 'any', industries: [], defaultMethod: 'onsite', published: true });
const emptyFlex = (): FlexDraft => ({ list: 'first_offence_exempt', violationCode: '', itemId: '', description: '', legalBasis: '' });
const emptyHb = (): HbDraft => ({ industry: INDUSTRY_CODES[0], title: '', risks: [{ title: '', basis: '', advice: '' }] });

/** an editor form's end: its error, save, and cancel while an existing entry is being edited (testids `<name>-error`, `<name>-submit`) */
function EditorFooter(p: { error: string | null | undefined; name: string; submit: string; editing: boolean; onCancel: () => void }): JSX.Element {
  return (
    <>
      <Show when={p.error}>
        <p class="error" role="alert" data-testid={`${p.name}-error`}>
          {p.error}
        </p>
      </Show>
      <div class="row">
        <button type="submit" class="btn btn-primary" data-testid={`${p.name}-submit`}>
          {p.submit}
        </button>
        <Show when={p.editing}>
          <button type="button" class="btn" onClick={() => p.onCancel()}>
            {t('cat.cancel')}
          </button>
        </Show>
      </div>
    </>
  );
}

export default function CataloguePage(): JSX.Element {
  const me = principal;
  const agencyId = () => me()?.agencyId ?? null;
  const canEdit = () => me()?.role === 'agency';
  const agency = useView(() => (agencyId() ? rooms.agency(agencyId()!) : null), agencyFullView);
  const items = () => [...(agency()?.items ?? [])].sort((a, b) => a.code.localeCompare(b.code));
  const flex = () => [...(agency()?.flex ?? [])].sort((a, b) => a.list.localeCompare(b.list) || a.violationCode.localeCompare(b.violationCode));
  const handbooks = () => [...(agency()?.handbooks ?? [])].sort((a, b) => a.industry.localeCompare(b.industry));

  // ---- versions and the unpublished-changes notice ----
  const [versions, { refetch }] = createResource(agencyId, (id) => catalogueApi.versions(id));
  const latest = () => versions()?.items[0];
  // serialised inside the memo so that every field of the store is tracked (an edited name re-hashes)
  const draft = createMemo(() => {
    const v = agency();
    return v ? JSON.stringify({ items: v.items, flex: v.flex, handbooks: v.handbooks }) : null;
  });
  const [hash] = createResource(draft, (d) => draftHash(JSON.parse(d)));
  const changed = () => !!hash() && hash() !== latest()?.hash;
  const invalid = () => (agency()?.invalid ?? []).filter((x) => !x.key.startsWith('staff') && !x.key.startsWith('profile'));

  const [busy, setBusy] = createSignal(false);
  const [published, setPublished] = createSignal<CataloguePublished | null>(null);
  const [publishError, setPublishError] = createSignal<string | null>(null);
  const publish = async () => {
    setBusy(true);
    setPublishError(null);
    setPublished(null);
    try {
      setPublished(await catalogueApi.publish());
      await refetch();
    } catch (err) {
      setPublishError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  // ---- items ----
  const [item, setItem] = createSignal<ItemDraft>(emptyItem());
  const [itemError, setItemError] = createSignal<string | null>(null);
  const [note, setNote] = createSignal<string | null>(null);
  const setI = <K extends keyof ItemDraft>(k: K, v: ItemDraft[K]) => setItem({ ...item(), [k]: v });
  const saveItem = (e: Event) => {
    e.preventDefault();
    setNote(null);
    const d = item();
    const aid = agencyId();
    const h = agency.handle();
    if (!aid || !h) return;
    const id = d.id ?? `${aid}.${idPart(d.code)}`;
    if (!d.id && items().some((x) => x.id === id || x.code === d.code.trim())) {
      setItemError(t('cat.item.duplicate', { code: d.code.trim() }));
      return;
    }
    const parsed = InspectionItem.safeParse({
      id,
      agencyId: aid,
      code: d.code.trim(),
      name: d.name.trim(),
      nameEn: d.nameEn.trim(),
      legalBasis: d.legalBasis.trim(),
      level: d.level,
      industries: d.industries,
      defaultMethod: d.defaultMethod,
      published: d.published,
    });
    const missing = !d.code.trim() ? t('cat.item.code') : !d.name.trim() ? t('cat.item.name') : !d.legalBasis.trim() ? t('cat.item.basis') : null;
    if (missing) {
      setItemError(t('cat.required', { field: missing }));
      return;
    }
    if (!parsed.success) {
      setItemError(errorText(parsed.error));
      return;
    }
    putItem(h.doc, parsed.data, { editor: 'catalogue' });
    setItemError(null);
    setItem(emptyItem());
    setNote(t('cat.saved'));
  };
  const editItem = (x: InspectionItem) => {
    setItemError(null);
    setItem({ ...x, industries: [...x.industries] });
  };
  const dropItem = (x: InspectionItem) => {
    const h = agency.handle();
    if (h && confirm(t('cat.removeConfirm', { name: nameOf(x) }))) removeItem(h.doc, x.id, { editor: 'catalogue' });
  };

  // ---- flexible-enforcement lists ----
  const [fx, setFx] = createSignal<FlexDraft>(emptyFlex());
  const [fxError, setFxError] = createSignal<string | null>(null);
  const setF = <K extends keyof FlexDraft>(k: K, v: FlexDraft[K]) => setFx({ ...fx(), [k]: v });
  const saveFlex = (e: Event) => {
    e.preventDefault();
    setNote(null);
    const d = fx();
    const aid = agencyId();
    const h = agency.handle();
    if (!aid || !h) return;
    const missing = !d.violationCode.trim()
      ? t('cat.flex.code')
      : !d.description.trim()
        ? t('cat.flex.description')
        : !d.legalBasis.trim()
          ? t('cat.flex.basis')
          : null;
    if (missing) {
      setFxError(t('cat.required', { field: missing }));
      return;
    }
    const parsed = FlexEntry.safeParse({
      id: d.id ?? `${aid}.${d.list}.${idPart(d.violationCode)}`,
      agencyId: aid,
      list: d.list,
      violationCode: d.violationCode.trim(),
      ...(d.itemId ? { itemId: d.itemId } : {}),
      description: d.description.trim(),
      legalBasis: d.legalBasis.trim(),
    });
    if (!parsed.success) {
      setFxError(errorText(parsed.error));
      return;
    }
    putFlex(h.doc, parsed.data, { editor: 'catalogue' });
    setFxError(null);
    setFx(emptyFlex());
    setNote(t('cat.saved'));
  };
  const dropFlex = (x: FlexEntry) => {
    const h = agency.handle();
    if (h && confirm(t('cat.removeConfirm', { name: x.violationCode }))) removeFlex(h.doc, x.id, { editor: 'catalogue' });
  };

  // ---- handbooks ----
  const [hb, setHb] = createSignal<HbDraft>(emptyHb());
  const [hbError, setHbError] = createSignal<string | null>(null);
  const setRisk = (k: number, field: keyof Risk, v: string) => setHb({ ...hb(), risks: hb().risks.map((r, i) => (i === k ? { ...r, [field]: v } : r)) });
  const saveHb = (e: Event) => {
    e.preventDefault();
    setNote(null);
    const d = hb();
    const h = agency.handle();
    if (!h) return;
    if (!d.title.trim()) {
      setHbError(t('cat.required', { field: t('cat.hb.title') }));
      return;
    }
    const parsed = HandbookChapter.safeParse({
      industry: d.industry,
      title: d.title.trim(),
      risks: d.risks.filter((r) => r.title.trim() || r.advice.trim()).map((r) => ({ title: r.title.trim(), basis: r.basis.trim(), advice: r.advice.trim() })),
    });
    if (!parsed.success) {
      setHbError(errorText(parsed.error));
      return;
    }
    putHandbook(h.doc, parsed.data, { editor: 'catalogue' });
    setHbError(null);
    setHb(emptyHb());
    setNote(t('cat.saved'));
  };
  const dropHb = (x: HandbookChapter) => {
    const h = agency.handle();
    if (h && confirm(t('cat.removeConfirm', { name: x.title }))) removeHandbook(h.doc, x.industry, { editor: 'catalogue' });
  };

  return (
    <section class="page catalogue">
      <AdminNav />
      <h1>{t('cat.title')}</h1>
      <p class="muted">{t('cat.lead')}</p>
      <Show when={!canEdit()}>
        <p class="notice notice-info">{t('cat.readOnly')}</p>
      </Show>

      {/* ---- publish ---- */}
      <div class="card">
        <Show
          when={changed() || !latest()}
          fallback={
            <p class="ok" data-testid="catalogue-up-to-date">
              {t('cat.upToDate', { v: latest()?.version ?? 0 })}
            </p>
          }
        >
          <p class="notice notice-warn" data-testid="catalogue-unpublished" role="status">
            {latest() ? t('cat.unpublished', { v: latest()!.version }) : t('cat.unpublishedNone')}
          </p>
        </Show>
        <Show when={invalid().length}>
          <p class="error" role="alert">
            {t('cat.invalidDraft', {
              n: invalid().length,
              keys: invalid()
                .slice(0, 5)
                .map((x) => x.key)
                .join('、'),
            })}
          </p>
        </Show>
        <Show when={canEdit()}>
          <div class="row">
            <button type="button" class="btn btn-primary" disabled={busy() || !changed()} onClick={publish} data-testid="catalogue-publish">
              {busy() ? t('cat.publishing') : t('cat.publish')}
            </button>
          </div>
        </Show>
        <Show when={busy()}>
          <div role="progressbar" aria-label={t('cat.publishing')} class="muted small">
            {t('cat.publishing')}
          </div>
        </Show>
        <Show when={published()}>
          {(r) => (
            <p class="ok" role="status" data-testid="catalogue-published">
              {t('cat.published', { v: r().version.version, a: r().changes.added.length, c: r().changes.changed.length, r: r().changes.removed.length })}
            </p>
          )}
        </Show>
        <Show when={publishError()}>
          <p class="error" role="alert" data-testid="catalogue-publish-error">
            {publishError()}
          </p>
        </Show>
        <Show when={note()}>
          <p class="muted small" role="status">
            {note()}
          </p>
        </Show>
      </div>

      {/* ---- items ---- */}
      <h2 class="section-title">{t('cat.tab.items')}</h2>
      <p class="muted small">{t('cat.items.count', { n: items().length })}</p>
      <div class="table-wrap">
        <table class="table stack" data-testid="catalogue-items">
          <thead>
            <tr>
              <th scope="col">{t('cat.item.code')}</th>
              <th scope="col">{t('cat.item.name')}</th>
              <th scope="col">{t('cat.item.basis')}</th>
              <th scope="col">{t('cat.item.level')}</th>
              <th scope="col">{t('cat.item.method')}</th>
              <Show when={canEdit()}>
                <th scope="col" aria-label={t('common.edit')} />
              </Show>
            </tr>
          </thead>
          <tbody>
            <For each={items()}>
              {(x) => (
                <tr data-testid="catalogue-item" data-id={x.id}>
                  <td data-label={t('cat.item.code')}>{x.code}</td>
                  <td data-label={t('cat.item.name')}>
                    {nameOf(x)}
                    <Show when={x.published === false}>
                      {' '}
                      <span class="badge">{t('pubcat.notYet')}</span>
                    </Show>
                  </td>
                  <td data-label={t('cat.item.basis')} class="small">
                    {x.legalBasis}
                  </td>
                  <td data-label={t('cat.item.level')}>{t(`level.${x.level}`)}</td>
                  <td data-label={t('cat.item.method')}>{t(`method.${x.defaultMethod}`)}</td>
                  <Show when={canEdit()}>
                    <td>
                      <div class="row">
                        <button type="button" class="btn btn-small" onClick={() => editItem(x)} data-testid="item-edit">
                          {t('common.edit')}
                        </button>
                        <button type="button" class="btn btn-small btn-danger" onClick={() => dropItem(x)}>
                          {t('cat.remove')}
                        </button>
                      </div>
                    </td>
                  </Show>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
      <Show when={canEdit()}>
        <form class="card" onSubmit={saveItem} data-testid="item-form" aria-labelledby="item-form-title">
          <h3 id="item-form-title">{item().id ? t('cat.item.edit', { code: item().code }) : t('cat.item.new')}</h3>
          <div class="grid2">
            <div class="field">
              <label for="item-code">{t('cat.item.code')}</label>
              <input
                id="item-code"
                maxLength={50}
                value={item().code}
                disabled={!!item().id}
                onInput={(e) => setI('code', e.currentTarget.value)}
                data-testid="item-code"
              />
            </div>
            <div class="field">
              <label for="item-name">{t('cat.item.name')}</label>
              <input id="item-name" maxLength={200} value={item().name} onInput={(e) => setI('name', e.currentTarget.value)} data-testid="item-name" />
            </div>
            <div class="field">
              <label for="item-name-en">{t('cat.item.nameEn')}</label>
              <input
                id="item-name-en"
                maxLength={200}
                value={item().nameEn}
                onInput={(e) => setI('nameEn', e.currentTarget.value)}
                data-testid="item-name-en"
              />
            </div>
            <div class="field">
              <label for="item-level">{t('cat.item.level')}</label>
              <select id="item-level" value={item().level} onChange={(e) => setI('level', e.currentTarget.value as ItemDraft['level'])}>
                <For each={LEVELS}>{(l) => <option value={l}>{t(`level.${l}`)}</option>}</For>
              </select>
            </div>
            <div class="field">
              <label for="item-method">{t('cat.item.method')}</label>
              <select id="item-method" value={item().defaultMethod} onChange={(e) => setI('defaultMethod', e.currentTarget.value as Method)}>
                <For each={METHODS}>{(m) => <option value={m}>{t(`method.${m}`)}</option>}</For>
              </select>
            </div>
            <label class="check">
              <input type="checkbox" checked={item().published} onChange={(e) => setI('published', e.currentTarget.checked)} />
              {t('cat.item.published')}
            </label>
          </div>
          <div class="field">
            <label for="item-basis">{t('cat.item.basis')}</label>
            <textarea
              id="item-basis"
              rows={2}
              maxLength={2000}
              value={item().legalBasis}
              onInput={(e) => setI('legalBasis', e.currentTarget.value)}
              data-testid="item-basis"
            />
          </div>
          <fieldset class="field">
            <legend>{t('cat.item.industries')}</legend>
            <div class="checks">
              <For each={INDUSTRY_CODES}>
                {(code) => (
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={item().industries.includes(code)}
                      onChange={(e) => setI('industries', e.currentTarget.checked ? [...item().industries, code] : item().industries.filter((x) => x !== code))}
                    />
                    {industryName(code)}
                  </label>
                )}
              </For>
            </div>
          </fieldset>
          <EditorFooter error={itemError()} name="item" submit={t('cat.item.submit')} editing={!!item().id} onCancel={() => setItem(emptyItem())} />
        </form>
      </Show>

      {/* ---- flexible-enforcement lists ---- */}
      <h2 class="section-title">{t('cat.tab.flex')}</h2>
      <For each={LISTS}>
        {(list) => (
          <div class="card">
            <h3>{t(`cat.flex.list.${list}`)}</h3>
            <Show when={flex().some((x) => x.list === list)} fallback={<p class="muted small">{t('pubcat.noFlex')}</p>}>
              <ul class="plain">
                <For each={flex().filter((x) => x.list === list)}>
                  {(x) => (
                    <li data-testid="flex-entry">
                      <strong>{x.violationCode}</strong> {x.description} <span class="muted small">（{x.legalBasis}）</span>
                      <Show when={canEdit()}>
                        {' '}
                        <button type="button" class="btn-link" onClick={() => setFx({ ...x, itemId: x.itemId ?? '' })}>
                          {t('common.edit')}
                        </button>
                        <button type="button" class="btn-link" onClick={() => dropFlex(x)}>
                          {t('cat.remove')}
                        </button>
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </div>
        )}
      </For>
      <Show when={canEdit()}>
        <form class="card" onSubmit={saveFlex} data-testid="flex-form" aria-labelledby="flex-form-title">
          <h3 id="flex-form-title">{fx().id ? t('cat.flex.edit', { code: fx().violationCode }) : t('cat.flex.new')}</h3>
          <div class="grid2">
            <div class="field">
              <label for="flex-list">{t('cat.flex.list')}</label>
              <select id="flex-list" value={fx().list} disabled={!!fx().id} onChange={(e) => setF('list', e.currentTarget.value as FlexDraft['list'])}>
                <For each={LISTS}>{(l) => <option value={l}>{t(`cat.flex.list.${l}`)}</option>}</For>
              </select>
            </div>
            <div class="field">
              <label for="flex-code">{t('cat.flex.code')}</label>
              <input
                id="flex-code"
                maxLength={50}
                value={fx().violationCode}
                disabled={!!fx().id}
                onInput={(e) => setF('violationCode', e.currentTarget.value)}
              />
            </div>
            <div class="field">
              <label for="flex-item">{t('cat.flex.item')}</label>
              <select id="flex-item" value={fx().itemId} onChange={(e) => setF('itemId', e.currentTarget.value)}>
                <option value="">{t('cat.flex.noItem')}</option>
                <For each={items()}>{(x) => <option value={x.id}>{`${x.code} ${nameOf(x)}`}</option>}</For>
              </select>
            </div>
          </div>
          <div class="field">
            <label for="flex-description">{t('cat.flex.description')}</label>
            <textarea id="flex-description" rows={2} maxLength={2000} value={fx().description} onInput={(e) => setF('description', e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="flex-basis">{t('cat.flex.basis')}</label>
            <textarea id="flex-basis" rows={2} maxLength={2000} value={fx().legalBasis} onInput={(e) => setF('legalBasis', e.currentTarget.value)} />
          </div>
          <EditorFooter error={fxError()} name="flex" submit={t('cat.flex.submit')} editing={!!fx().id} onCancel={() => setFx(emptyFlex())} />
        </form>
      </Show>

      {/* ---- handbooks ---- */}
      <h2 class="section-title">{t('cat.tab.handbooks')}</h2>
      <For each={handbooks()} fallback={<p class="muted small">{t('common.empty')}</p>}>
        {(x) => (
          <details class="card" data-testid="handbook-chapter">
            <summary>
              {industryName(x.industry)} · {x.title}
            </summary>
            <ol>
              <For each={x.risks}>
                {(r) => (
                  <li>
                    <strong>{r.title}</strong> <span class="muted small">{r.basis}</span>
                    <p class="small">{r.advice}</p>
                  </li>
                )}
              </For>
            </ol>
            <Show when={canEdit()}>
              <div class="row">
                <button
                  type="button"
                  class="btn btn-small"
                  onClick={() => setHb({ industry: x.industry, title: x.title, risks: x.risks.map((r) => ({ ...r })) })}
                >
                  {t('common.edit')}
                </button>
                <button type="button" class="btn btn-small btn-danger" onClick={() => dropHb(x)}>
                  {t('cat.remove')}
                </button>
              </div>
            </Show>
          </details>
        )}
      </For>
      <Show when={canEdit()}>
        <form class="card" onSubmit={saveHb} data-testid="handbook-form" aria-labelledby="hb-form-title">
          <h3 id="hb-form-title">{t('cat.hb.new')}</h3>
          <div class="grid2">
            <div class="field">
              <label for="hb-industry">{t('cat.hb.industry')}</label>
              <select id="hb-industry" value={hb().industry} onChange={(e) => setHb({ ...hb(), industry: e.currentTarget.value })}>
                <For each={INDUSTRY_CODES}>{(c) => <option value={c}>{industryName(c)}</option>}</For>
              </select>
              <Show when={handbooks().some((x) => x.industry === hb().industry)}>
                <p class="hint">{t('cat.hb.exists')}</p>
              </Show>
            </div>
            <div class="field">
              <label for="hb-title">{t('cat.hb.title')}</label>
              <input id="hb-title" maxLength={200} value={hb().title} onInput={(e) => setHb({ ...hb(), title: e.currentTarget.value })} />
            </div>
          </div>
          <For each={hb().risks}>
            {(r, k) => (
              <fieldset class="field">
                <legend>{t('cat.hb.risk', { n: k() + 1 })}</legend>
                <label for={`hb-risk-title-${k()}`}>{t('cat.hb.riskTitle')}</label>
                <input id={`hb-risk-title-${k()}`} maxLength={200} value={r.title} onInput={(e) => setRisk(k(), 'title', e.currentTarget.value)} />
                <label for={`hb-risk-basis-${k()}`}>{t('cat.hb.riskBasis')}</label>
                <input id={`hb-risk-basis-${k()}`} maxLength={2000} value={r.basis} onInput={(e) => setRisk(k(), 'basis', e.currentTarget.value)} />
                <label for={`hb-risk-advice-${k()}`}>{t('cat.hb.riskAdvice')}</label>
                <textarea
                  id={`hb-risk-advice-${k()}`}
                  rows={2}
                  maxLength={8000}
                  value={r.advice}
                  onInput={(e) => setRisk(k(), 'advice', e.currentTarget.value)}
                />
                <button type="button" class="btn-link" onClick={() => setHb({ ...hb(), risks: hb().risks.filter((_, i) => i !== k()) })}>
                  {t('cat.hb.removeRisk')}
                </button>
              </fieldset>
            )}
          </For>
          <Show when={hbError()}>
            <p class="error" role="alert">
              {hbError()}
            </p>
          </Show>
          <div class="row">
            <button
              type="button"
              class="btn"
              disabled={hb().risks.length >= 50}
              onClick={() => setHb({ ...hb(), risks: [...hb().risks, { title: '', basis: '', advice: '' }] })}
            >
              {t('cat.hb.addRisk')}
            </button>
            <button type="submit" class="btn btn-primary" data-testid="handbook-submit">
              {t('cat.hb.submit')}
            </button>
          </div>
        </form>
      </Show>

      {/* ---- versions ---- */}
      <h2 class="section-title">{t('cat.tab.versions')}</h2>
      <Show when={versions.error}>
        <p class="error" role="alert">
          {errorText(versions.error)}
        </p>
      </Show>
      <ListTable
        testid="catalogue-versions"
        headers={[t('cat.version'), t('cat.version.at'), t('cat.version.by'), t('cat.tab.items'), t('cat.version.hash')]}
        items={versions()?.items}
        loading={versions.loading}
        empty={t('cat.versions.none')}
      >
        {(v) => (
          <tr data-testid="catalogue-version" data-version={v.version}>
            <td data-label={t('cat.version')}>{v.version}</td>
            <td data-label={t('cat.version.at')}>{shanghaiDate(v.publishedAt)}</td>
            <td data-label={t('cat.version.by')}>{v.publishedBy}</td>
            <td data-label={t('cat.tab.items')}>{t('cat.version.counts', { i: v.counts.items, f: v.counts.flex, h: v.counts.handbooks })}</td>
            <td data-label={t('cat.version.hash')} class="small">
              <code>{v.hash.slice(0, 12)}</code>
            </td>
          </tr>
        )}
      </ListTable>
    </section>
  );
}
