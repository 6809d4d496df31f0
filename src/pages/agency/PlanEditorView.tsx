/**
 * The plan editor's view: pure rendering of a PlanSlice (store, presence, errors) plus the directory.
 * Every control is labelled; validation errors show under their field; other people's focus shows
 * on the field they edit.
 */
import { For, Index, Show, createMemo, createSignal, onCleanup, onMount, type Accessor, type JSX } from 'solid-js';
import { nameOf } from '../../i18n';
import type { Agency, Division, InspectionItem, PlanItem } from '../../domain/schemas';
import type { PlanSlice, Peer } from '../stores/plan';
import { CollabField, UndoButtons } from './CollabField';
import { INDUSTRIES, industryName } from '../../i18n/labels';
import { t } from '../../i18n/dict-plans';

const RISKS = ['low', 'medium', 'high', 'major'] as const;
const METHODS = ['onsite', 'offsite', 'written'] as const;
const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
/** items whose editor is mounted at once; the rest when they scroll near */
const EAGER = 3;

export interface PlanEditorViewProps {
  slice: PlanSlice;
  readOnly: boolean;
  divisions: Division[];
  partners: Agency[];
  /** shown under each item, outside its (possibly disabled) fields: the city agency's opinions */
  itemExtra?: (item: PlanItem) => JSX.Element;
}

function Avatar(p: { peer: Peer }): JSX.Element {
  return (
    <span class="avatar" style={{ 'background-color': p.peer.user.color }} title={p.peer.user.name} aria-hidden="true">
      {p.peer.user.name.slice(0, 1)}
    </span>
  );
}

export function PresenceBar(p: { peers: Peer[] }): JSX.Element {
  return (
    <div class="presence" aria-label={t('plan.presence')} data-testid="presence">
      <span class="muted small">{t('plan.presence')}：</span>
      <ul class="presence-list">
        <For each={p.peers}>
          {(peer) => (
            <li class="presence-user" data-testid="presence-user" data-self={peer.self ? '1' : '0'}>
              <Avatar peer={peer} />
              <span class="presence-name">
                {peer.user.name}
                {peer.self ? t('plan.you') : ''}
              </span>
            </li>
          )}
        </For>
      </ul>
    </div>
  );
}

function Field(p: {
  slice: PlanSlice;
  itemId: string;
  field: string;
  label: string;
  for?: string;
  children: JSX.Element;
  group?: boolean;
  hint?: string;
}): JSX.Element {
  return <CollabField {...p} error={p.slice.errors[`${p.itemId}:${p.field}`]} />;
}

/** one IntersectionObserver for all items (500 items = 500 observers otherwise) */
const nearWatch = new Map<Element, () => void>();
let io: IntersectionObserver | null = null;
function whenNear(el: Element, fn: () => void): () => void {
  if (typeof IntersectionObserver === 'undefined') {
    fn();
    return () => {};
  }
  io ??= new IntersectionObserver(
    (es) => {
      for (const e of es)
        if (e.isIntersecting) {
          const f = nearWatch.get(e.target);
          nearWatch.delete(e.target);
          io?.unobserve(e.target);
          f?.();
        }
    },
    { rootMargin: '800px 0px' },
  );
  nearWatch.set(el, fn);
  io.observe(el);
  return () => {
    nearWatch.delete(el);
    io?.unobserve(el);
  };
}

type ItemProps = { item: PlanItem; index: number; props: PlanEditorViewProps; catalogue: Accessor<Map<string, InspectionItem>> };
const uidOf = (itemId: string) => {
  const base = itemId.replace(/[^A-Za-z0-9_-]/g, '_');
  return (f: string) => `${base}-${f.replace(/[^A-Za-z0-9_-]/g, '_')}`;
};

/**
 * One plan item. The row itself is cheap (a heading and the remove button, no memos): a 500-item plan
 * renders 500 rows at once, while the editor body (dozens of inputs) is mounted only when the row comes
 * near the viewport or takes focus. The first EAGER rows get their body at once (the first screen).
 */
function ItemEditor(p: ItemProps): JSX.Element {
  const uid = uidOf(p.item.id);
  const cat = () => p.catalogue().get(p.item.itemId);
  const title = () => {
    const c = cat();
    return c ? nameOf(c) : t('plan.unknownItem', { id: p.item.itemId });
  };
  const [near, setNear] = createSignal(p.index < EAGER);
  let el!: HTMLElement;
  onMount(() => {
    if (near()) return;
    const stop = whenNear(el, () => setNear(true));
    onCleanup(stop);
  });
  return (
    <article ref={el} class="card plan-item" data-testid="plan-item" data-item-id={p.item.id} aria-labelledby={uid('title')} onFocusIn={() => setNear(true)}>
      <header class="plan-item-head">
        <h3 id={uid('title')} class="plan-item-title">
          <span class="muted small">
            {p.index + 1}. {cat()?.code ?? ''}
          </span>{' '}
          {title()}
        </h3>
        <Show when={!p.props.readOnly}>
          <button
            type="button"
            class="btn btn-ghost btn-danger btn-small"
            onClick={() => p.props.slice.removeItem(p.item.id)}
            aria-label={`${t('plan.remove')}：${title()}`}
            data-testid="remove-item"
          >
            {t('plan.removeShort')}
          </button>
        </Show>
      </header>
      <Show when={near()} fallback={<div class="plan-item-placeholder" aria-hidden="true" />}>
        <ItemBody {...p} />
      </Show>
      <Show when={p.props.itemExtra}>{(f) => f()(p.item)}</Show>
    </article>
  );
}

function ItemBody(p: ItemProps): JSX.Element {
  const s = p.props.slice;
  const id = () => p.item.id;
  const uid = uidOf(p.item.id);
  const sampling = () => p.item.targets.samplingRatio !== undefined;
  const [pctError, setPctError] = createSignal<string | null>(null);
  const toggle = <T,>(list: readonly T[], v: T) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
  const ro = () => p.props.readOnly;
  return (
    <fieldset class="plan-item-body" disabled={ro()}>
      <div class="grid2">
        <Field slice={s} itemId={id()} field="method" label={t('plan.method')} for={uid('method')}>
          <select id={uid('method')} value={p.item.method} onChange={(e) => s.setField(id(), 'method', e.currentTarget.value)} data-testid="method">
            <For each={METHODS}>{(m) => <option value={m}>{t(`method.${m}`)}</option>}</For>
          </select>
        </Field>
        <Field slice={s} itemId={id()} field="cap" label={t('plan.cap')} for={uid('cap')}>
          <input
            id={uid('cap')}
            type="number"
            inputmode="numeric"
            min="1"
            max="12"
            step="1"
            value={p.item.cap}
            aria-invalid={s.errors[`${id()}:cap`] ? 'true' : undefined}
            onInput={(e) => s.setField(id(), 'cap', e.currentTarget.value === '' ? NaN : Number(e.currentTarget.value))}
            data-testid="cap"
          />
        </Field>
      </div>

      <Field slice={s} itemId={id()} field="targets" label={t('plan.targetMode')} group>
        <div class="seg" role="radiogroup" aria-label={t('plan.targetMode')}>
          <label class="seg-opt">
            <input type="radio" name={uid('mode')} checked={!sampling()} onChange={() => s.setTarget(id(), 'samplingRatio', undefined)} />{' '}
            {t('plan.target.list')}
          </label>
          <label class="seg-opt">
            <input type="radio" name={uid('mode')} checked={sampling()} onChange={() => s.setTarget(id(), 'samplingRatio', 0.05)} /> {t('plan.target.sampling')}
          </label>
        </div>
        <Show when={sampling()}>
          <div class="field inline">
            <label for={uid('pct')}>{t('plan.sampling')}</label>
            <input
              id={uid('pct')}
              type="number"
              min="0"
              max="100"
              step="1"
              inputmode="decimal"
              value={Math.round((p.item.targets.samplingRatio ?? 0) * 1000) / 10}
              onInput={(e) => {
                const v = e.currentTarget.value === '' ? NaN : Number(e.currentTarget.value);
                if (!Number.isFinite(v) || v < 0 || v > 100) {
                  setPctError(t('plan.samplingRange'));
                  return;
                }
                setPctError(null);
                s.setTarget(id(), 'samplingRatio', v / 100);
              }}
              data-testid="sampling"
              aria-invalid={pctError() ? 'true' : undefined}
            />
            <Show when={pctError()}>
              <p class="error" role="alert" data-testid="field-error">
                {pctError()}
              </p>
            </Show>
          </div>
        </Show>
        <div class="subgroup" role="group" aria-label={t('plan.industries')}>
          <span class="sublabel">{t('plan.industries')}</span>
          <div class="checks">
            <For each={[...new Set([...Object.keys(INDUSTRIES), ...p.item.targets.industries])]}>
              {(code) => (
                <label class="check">
                  <input
                    type="checkbox"
                    checked={p.item.targets.industries.includes(code)}
                    onChange={() => s.setTarget(id(), 'industries', toggle(p.item.targets.industries, code))}
                    data-industry={code}
                  />{' '}
                  {industryName(code)}
                </label>
              )}
            </For>
          </div>
        </div>
        <div class="subgroup" role="group" aria-label={t('plan.riskLevels')}>
          <span class="sublabel">{t('plan.riskLevels')}</span>
          <div class="checks">
            <For each={RISKS}>
              {(r) => (
                <label class="check">
                  <input
                    type="checkbox"
                    checked={p.item.targets.riskLevels.includes(r)}
                    onChange={() => s.setTarget(id(), 'riskLevels', toggle(p.item.targets.riskLevels, r))}
                  />{' '}
                  {t(`risk.${r}`)}
                </label>
              )}
            </For>
          </div>
        </div>
        <Show when={p.props.divisions.length > 0}>
          <div class="subgroup" role="group" aria-label={t('plan.divisions')}>
            <span class="sublabel">{t('plan.divisions')}</span>
            <div class="checks">
              <For each={p.props.divisions}>
                {(d) => (
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={p.item.targets.divisions.includes(d.code)}
                      onChange={() => s.setTarget(id(), 'divisions', toggle(p.item.targets.divisions, d.code))}
                    />{' '}
                    {nameOf(d)}
                  </label>
                )}
              </For>
            </div>
          </div>
        </Show>
        <Show
          when={
            s.errors[`${id()}:targets.industries`] ||
            s.errors[`${id()}:targets.divisions`] ||
            s.errors[`${id()}:targets.riskLevels`] ||
            s.errors[`${id()}:targets.samplingRatio`]
          }
        >
          {(m) => (
            <p class="error" role="alert" data-testid="field-error">
              {m()}
            </p>
          )}
        </Show>
      </Field>

      <Field slice={s} itemId={id()} field="months" label={t('plan.months')} group>
        <div class="months" data-testid="months">
          <Index each={MONTHS}>
            {(m) => (
              <button
                type="button"
                class="month"
                aria-pressed={p.item.months.includes(m()) ? 'true' : 'false'}
                data-month={m()}
                aria-label={t('plan.month', { m: m() })}
                onClick={() =>
                  s.setField(
                    id(),
                    'months',
                    toggle(p.item.months, m()).sort((a, b) => a - b),
                  )
                }
              >
                {m()}
              </button>
            )}
          </Index>
        </div>
      </Field>

      <Field slice={s} itemId={id()} field="jointPartners" label={t('plan.joint')} group>
        <details class="partners">
          <summary>
            {p.item.jointPartners.length
              ? p.item.jointPartners.map((a) => nameOf(p.props.partners.find((x) => x.id === a) ?? { name: a })).join('、')
              : t('common.none')}
          </summary>
          <div class="checks checks-col">
            <For each={p.props.partners}>
              {(a) => (
                <label class="check">
                  <input
                    type="checkbox"
                    checked={p.item.jointPartners.includes(a.id)}
                    onChange={() => s.setField(id(), 'jointPartners', toggle(p.item.jointPartners, a.id))}
                  />{' '}
                  {nameOf(a)}
                </label>
              )}
            </For>
          </div>
        </details>
      </Field>

      <Field slice={s} itemId={id()} field="notes" label={t('plan.notes')} for={uid('notes')}>
        <textarea id={uid('notes')} rows="2" value={p.item.notes} onInput={(e) => s.setField(id(), 'notes', e.currentTarget.value)} data-testid="notes" />
      </Field>
    </fieldset>
  );
}

export function PlanEditorView(props: PlanEditorViewProps): JSX.Element {
  const s = props.slice;
  const [pick, setPick] = createSignal('');
  const add = () => {
    if (!pick()) {
      setAddError(t('plan.pickFirst'));
      return;
    }
    setAddError(null);
    if (s.addItem(pick())) setPick('');
  };
  const [addError, setAddError] = createSignal<string | null>(null);
  // one lookup table for all rows (a search of the catalogue store per row costs ~100 ms for 500 rows at 4× CPU)
  const catById = createMemo(() => new Map(s.catalogue.items.map((x) => [x.id, x] as const)));
  return (
    <div class="plan-editor">
      <div class="toolbar" role="toolbar" aria-label={t('plan.undo')}>
        <PresenceBar peers={s.peers()} />
        <Show when={!props.readOnly}>
          <UndoButtons slice={s} />
        </Show>
      </div>
      <p class="muted" data-testid="item-count">
        {t('plan.itemsCount', { n: s.plan.items.length })}
      </p>
      <Show when={s.plan.invalid.length > 0}>
        <div class="notice notice-warn" role="status">
          {t('plan.invalid', { n: s.plan.invalid.length })}
          <ul>
            <For each={s.plan.invalid}>
              {(x) => (
                <li>
                  <code>{x.key}</code>: {x.error}
                </li>
              )}
            </For>
          </ul>
        </div>
      </Show>
      <div class="plan-items">
        <For each={s.plan.items}>{(item, i) => <ItemEditor item={item} index={i()} props={props} catalogue={catById} />}</For>
      </div>
      <Show when={!props.readOnly}>
        <section class="card add-item" aria-labelledby="add-title">
          <h2 id="add-title" class="section-title">
            {t('plan.add')}
          </h2>
          <div class="field">
            <label for="add-item">{t('plan.addPick')}</label>
            <div class="row">
              <select
                id="add-item"
                value={pick()}
                onChange={(e) => setPick(e.currentTarget.value)}
                data-testid="add-select"
                aria-invalid={addError() ? 'true' : undefined}
              >
                <option value="">—</option>
                <For each={s.catalogue.items}>
                  {(it) => (
                    <option value={it.id}>
                      {it.code} {nameOf(it)}
                    </option>
                  )}
                </For>
              </select>
              <button type="button" class="btn btn-primary" onClick={add} data-testid="add-button">
                {t('plan.addButton')}
              </button>
            </div>
            <Show when={addError()}>
              <p class="error" role="alert" data-testid="field-error">
                {addError()}
              </p>
            </Show>
          </div>
        </section>
      </Show>
    </div>
  );
}
