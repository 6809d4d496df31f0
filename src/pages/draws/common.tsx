/**
 * The pieces of a draw's pages that need no sign-in (the public pages use them too, so nothing here loads
 * Yjs or the session): the status badge, the stages, a party's name, a hash with its copy button, a share
 * against the floor, and the table of published results.
 */
import { For, Show, createSignal, type JSX } from 'solid-js';
import { tx } from '../../i18n';
import { t } from '../../i18n/dict-draws';
import type { DrawStatus } from '../../domain/schemas';
import { DrawStatusName, type DrawResultWire } from '../../protocol/draws';
import { fmtTime } from '../../ui/WarningsView';
import { parseParty, percent, statusTone } from './draw-logic';

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
