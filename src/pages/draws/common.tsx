/**
 * The pieces of a draw's pages that need no sign-in (the public pages use them too, so nothing here loads
 * Yjs or the session): the status badge, the stages, a party's name, a hash with its copy button, a share
 * against the floor, and the table of published results.
 */
import { For, Show, createMemo, createSignal, type JSX } from 'solid-js';
import { tx } from '../../i18n';
import { t } from '../../i18n/dict-draws';
import type { Draw, DrawParty, DrawStatus } from '../../domain/schemas';
import { DrawStatusName, type DrawResultWire } from '../../protocol/draws';
import { fmtTime } from '../../ui/WarningsView';
import { CLASSES, bpToPercent, parseParty, percent, statusTone } from './draw-logic';

export function StatusBadge(p: { status: DrawStatus; testid?: string }): JSX.Element {
  return (
    <span class={`badge draw-badge draw-badge-${statusTone(p.status)}`} data-testid={p.testid} data-status={p.status}>
      {tx(DrawStatusName[p.status])}
    </span>
  );
}

export type AgencyNames = (id: string) => string;

/** a party in words: "市市场监管局" / "司法局（监督方）" */
export function partyName(party: string, agencyName: AgencyNames): string {
  const { kind, id } = parseParty(party);
  const name = agencyName(id) || id;
  return kind === 'justice' ? t('draws.party.justice', { name }) : kind === 'agency' ? name : party;
}

/** a hash: shortened with the whole in its title (or whole, wrapping), and a copy button */
export function Hash(p: { value: string; testid?: string; full?: boolean }): JSX.Element {
  return (
    <span class="hash-wrap">
      <code class="hash" classList={{ 'hash-full': !!p.full }} title={p.value} data-testid={p.testid} data-value={p.value}>
        {p.full ? p.value : `${p.value.slice(0, 12)}…${p.value.slice(-6)}`}
      </code>
    </span>
  );
}

/** copies a text to the clipboard and says so for two seconds */
export function CopyButton(p: { text: string; testid?: string; label?: string }): JSX.Element {
  const [done, setDone] = createSignal(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(p.text);
      setDone(true);
      setTimeout(() => setDone(false), 2000);
    } catch {
      setDone(false);
    }
  };
  return (
    <button type="button" class="btn btn-small" onClick={() => void copy()} data-testid={p.testid}>
      {done() ? t('draws.copied') : (p.label ?? t('draws.copy'))}
    </button>
  );
}

/** the stages of a draw, the current one marked */
const STEPS = ['committing', 'revealing', 'drawn', 'published'] as const;

export function DrawSteps(p: { status: DrawStatus }): JSX.Element {
  const at = () => (STEPS as readonly string[]).indexOf(p.status);
  return (
    <Show when={at() >= 0}>
      <ol class="draw-steps" aria-label={t('draws.stages')}>
        <For each={STEPS}>
          {(s, i) => (
            <li classList={{ done: i() < at(), current: i() === at() }} aria-current={i() === at() ? 'step' : undefined}>
              {t(`draws.step.${s}`)}
            </li>
          )}
        </For>
      </ol>
    </Show>
  );
}

/** 抽查结果: enterprise, agency, outcome in words, inspected on, published on, due by */
export function ResultsTable(p: { results: readonly DrawResultWire[]; agencyName: (id: string) => string; testid: string }): JSX.Element {
  return (
    <div class="table-wrap">
      <table class="table stack">
        <thead>
          <tr>
            <th scope="col">{t('draws.col.enterprise')}</th>
            <th scope="col">{t('draws.col.agency')}</th>
            <th scope="col">{t('draws.col.outcome')}</th>
            <th scope="col">{t('draws.col.inspectedAt')}</th>
            <th scope="col">{t('draws.col.publishedAt')}</th>
            <th scope="col">{t('draws.col.dueBy')}</th>
          </tr>
        </thead>
        <tbody>
          <For each={p.results}>
            {(r) => (
              <tr data-testid={p.testid} data-uscc={r.uscc} data-outcome={r.outcome}>
                <td data-label={t('draws.col.enterprise')}>
                  {r.name}
                  <br />
                  <code class="small muted">{r.uscc}</code>
                </td>
                <td data-label={t('draws.col.agency')}>{p.agencyName(r.agencyId)}</td>
                <td data-label={t('draws.col.outcome')}>
                  <span class={`badge draw-outcome-${r.outcome}`}>{t(`draws.outcome.${r.outcome}`)}</span>
                </td>
                <td data-label={t('draws.col.inspectedAt')}>{fmtTime(r.inspectedAt).slice(0, 10)}</td>
                <td data-label={t('draws.col.publishedAt')}>{fmtTime(r.publishedAt).slice(0, 10)}</td>
                <td data-label={t('draws.col.dueBy')}>{r.dueBy}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}

/** a share against the floor (and the plan's target): the bar, the floor's tick, the number */
export function ShareBar(p: { value: number; min: number; target?: number }): JSX.Element {
  const w = (x: number) => `${Math.min(100, Math.max(0, x * 100 * 4))}%`; // the bar spans 0–25%
  return (
    <div class="share" classList={{ 'share-below': p.value < p.min }}>
      <span class="share-num">{percent(p.value)}</span>
      <span class="share-track" aria-hidden="true">
        <span class="share-fill" style={{ width: w(p.value) }} />
        <span class="share-floor" style={{ left: w(p.min) }} title={percent(p.min)} />
        <Show when={p.target !== undefined}>
          <span class="share-target" style={{ left: w(p.target!) }} />
        </Show>
      </span>
    </div>
  );
}

/** a draw's title, status, organiser, kind and dates, and its stages */
export function DrawHeader(p: { draw: Pick<Draw, 'title' | 'status' | 'kind' | 'window'>; organiser: string; statusTestid: string }): JSX.Element {
  return (
    <header class="draw-header">
      <div class="doc-title-row">
        <h1 class="doc-title" data-testid="draw-title">
          {p.draw.title}
        </h1>
        <StatusBadge status={p.draw.status} testid={p.statusTestid} />
      </div>
      <p class="muted">
        {p.organiser} · {t(`draws.kind.${p.draw.kind}`)} · {t('draws.windowText', { from: p.draw.window.from, to: p.draw.window.to })}
      </p>
      <DrawSteps status={p.draw.status} />
    </header>
  );
}

/** one party: its commitment and reveal with their times; `children` adds what the viewer may do for it */
export function PartyCard(p: { party: DrawParty; name: string; reveal?: string; mine?: boolean; testid: string; children?: JSX.Element }): JSX.Element {
  return (
    <li class="draw-party" classList={{ 'draw-party-mine': !!p.mine }} data-testid={p.testid} data-party={p.party.party}>
      <div class="draw-party-head">
        <strong>{p.name}</strong>
        <Show when={p.mine}>
          <span class="badge">{t('draws.party.you')}</span>
        </Show>
      </div>
      <ol class="draw-party-steps">
        <li classList={{ done: !!p.party.committedAt }} data-testid="draw-party-committed" data-done={p.party.committedAt ? 'true' : 'false'}>
          {p.party.committedAt ? t('draws.committedAt', { at: fmtTime(p.party.committedAt) }) : t('draws.notCommitted')}
          <Show when={p.party.commitment}>
            <Hash value={p.party.commitment!} />
          </Show>
        </li>
        <li classList={{ done: !!p.party.revealedAt }} data-testid="draw-party-revealed" data-done={p.party.revealedAt ? 'true' : 'false'}>
          {p.party.revealedAt ? t('draws.revealedAt', { at: fmtTime(p.party.revealedAt) }) : t('draws.notRevealed')}
          <Show when={p.reveal}>
            <Hash value={p.reveal!} />
          </Show>
        </li>
      </ol>
      {p.children}
    </li>
  );
}

/** what a draw is made of: population, shares, (`children`: teams…), and its hashes */
export function DrawFacts(p: {
  draw: Pick<Draw, 'populationSize' | 'ratios' | 'paramsHash' | 'populationHash' | 'seed' | 'resultHash'>;
  testids: { params: string; seed: string };
  children?: JSX.Element;
}): JSX.Element {
  return (
    <dl class="kv draw-kv">
      <dt>{t('draws.population')}</dt>
      <dd data-testid="draw-population-size">{t('draws.populationN', { n: p.draw.populationSize })}</dd>
      <dt>{t('draws.ratios')}</dt>
      <dd>{CLASSES.map((c) => `${c} ${bpToPercent(p.draw.ratios[c])}%`).join(' · ')}</dd>
      {p.children}
      <dt>{t('draws.paramsHash')}</dt>
      <dd>
        <Hash value={p.draw.paramsHash} testid={p.testids.params} full />
      </dd>
      <dt>{t('draws.populationHash')}</dt>
      <dd>
        <Hash value={p.draw.populationHash} full />
      </dd>
      <Show when={p.draw.seed}>
        <dt>{t('draws.seed')}</dt>
        <dd>
          <Hash value={p.draw.seed!} testid={p.testids.seed} full />
        </dd>
      </Show>
      <Show when={p.draw.resultHash}>
        <dt>{t('draws.resultHash')}</dt>
        <dd>
          <Hash value={p.draw.resultHash!} full />
        </dd>
      </Show>
    </dl>
  );
}

/** the first and last inspection day */
export function DateRange(p: { from: string; to: string; onFrom: (v: string) => void; onTo: (v: string) => void; testids: [string, string] }): JSX.Element {
  return (
    <div class="draw-dates">
      <label>
        <span class="small muted">{t('draws.form.from')}</span>
        <input type="date" value={p.from} onInput={(e) => p.onFrom(e.currentTarget.value)} data-testid={p.testids[0]} />
      </label>
      <label>
        <span class="small muted">{t('draws.form.to')}</span>
        <input type="date" value={p.to} onInput={(e) => p.onTo(e.currentTarget.value)} data-testid={p.testids[1]} />
      </label>
    </div>
  );
}

/** rows of picks shown at first and added by "show more" */
export const PICKS_PAGE = 100;

/** the enterprises drawn: name and USCC, class (parties see it), each team's inspectors, and `task` when given */
export function PicksTable(p: {
  picks: readonly { uscc: string; name: string; cls?: string; teams: Record<string, string[]> }[];
  testid: string;
  rowTestid: string;
  inspector: (id: string) => string;
  agencyName: AgencyNames;
  task?: (uscc: string) => JSX.Element;
}): JSX.Element {
  const withClass = () => p.picks.some((x) => x.cls);
  // a city draw picks thousands: the first PAGE rows, more on request, and a filter by name or USCC
  const [limit, setLimit] = createSignal(PICKS_PAGE);
  const [q, setQ] = createSignal('');
  const matching = createMemo(() => {
    const needle = q().trim().toUpperCase();
    return needle ? p.picks.filter((x) => x.uscc.includes(needle) || x.name.toUpperCase().includes(needle)) : p.picks;
  });
  const shown = createMemo(() => matching().slice(0, limit()));
  return (
    <div class="table-wrap">
      <Show when={p.picks.length > PICKS_PAGE}>
        <div class="field inline">
          <label for={`${p.testid}-filter`}>{t('draws.picksFilter')}</label>
          <input id={`${p.testid}-filter`} type="search" data-testid="picks-filter" value={q()} onInput={(e) => setQ(e.currentTarget.value)} />
        </div>
      </Show>
      <table class="table stack" data-testid={p.testid}>
        <thead>
          <tr>
            <th scope="col">{t('draws.col.enterprise')}</th>
            <Show when={withClass()}>
              <th scope="col">{t('draws.class')}</th>
            </Show>
            <th scope="col">{t('draws.col.inspectors')}</th>
            <Show when={p.task}>
              <th scope="col">{t('draws.col.task')}</th>
            </Show>
          </tr>
        </thead>
        <tbody>
          <For each={shown()}>
            {(pk) => (
              <tr data-testid={p.rowTestid} data-uscc={pk.uscc}>
                <td data-label={t('draws.col.enterprise')}>
                  {pk.name}
                  <br />
                  <code class="small muted">{pk.uscc}</code>
                </td>
                <Show when={withClass()}>
                  <td data-label={t('draws.class')}>
                    <span class={`draw-cls draw-cls-${pk.cls}`}>{pk.cls}</span>
                  </td>
                </Show>
                <td data-label={t('draws.col.inspectors')}>
                  <For each={Object.entries(pk.teams)}>
                    {([aid, ids]) => (
                      <div>
                        <Show when={Object.keys(pk.teams).length > 1}>
                          <span class="muted small">{p.agencyName(aid)}：</span>
                        </Show>
                        {ids.map(p.inspector).join('、')}
                      </div>
                    )}
                  </For>
                </td>
                <Show when={p.task}>
                  <td data-label={t('draws.col.task')}>{p.task!(pk.uscc)}</td>
                </Show>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <Show when={matching().length > shown().length}>
        <button type="button" class="btn btn-small" data-testid="picks-more" onClick={() => setLimit(limit() + PICKS_PAGE)}>
          {t('draws.picksMore', { shown: shown().length, n: matching().length })}
        </button>
      </Show>
    </div>
  );
}
