/**
 * What a draw would be made of, before anyone commits (POST /api/draws with dryRun): the population by
 * credit-risk class and how many each class gives, who was left out of the population and why, each team's
 * pool and the inspectors left out of it with the reason, and the rules' verdicts.
 */
import { For, Show, type JSX } from 'solid-js';
import { nameOf, tx } from '../../i18n';
import { t } from '../../i18n/dict-draws';
import type { DrawPreview } from '../../protocol/draws';
import { VerdictList } from '../../ui/Verdicts';
import { CLASSES } from './draw-logic';

export function PreviewPanel(p: { preview: DrawPreview }): JSX.Element {
  const ex = () => p.preview.excluded;
  const excludedTotal = () => ex().capReached + ex().quietWindow + ex().deregistered;
  return (
    <section class="draw-preview" data-testid="draw-preview-panel" aria-live="polite">
      <h3 class="task-title">{t('draws.preview.title')}</h3>
      <div class="draw-stats">
        <div class="draw-stat">
          <span class="draw-stat-n" data-testid="preview-population">
            {p.preview.populationSize}
          </span>
          <span class="muted small">{t('draws.preview.population')}</span>
        </div>
        <div class="draw-stat draw-stat-main">
          <span class="draw-stat-n" data-testid="preview-selected">
            {p.preview.selectedCount}
          </span>
          <span class="muted small">{t('draws.preview.selected')}</span>
        </div>
        <div class="draw-stat">
          <span class="draw-stat-n">{excludedTotal()}</span>
          <span class="muted small">{t('draws.preview.excluded')}</span>
        </div>
      </div>
      <div class="table-wrap">
        <table class="table draw-class-table">
          <thead>
            <tr>
              <th scope="col">{t('draws.class')}</th>
              <For each={CLASSES}>{(c) => <th scope="col">{c}</th>}</For>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">{t('draws.preview.population')}</th>
              <For each={CLASSES}>{(c) => <td>{p.preview.byClass[c]?.population ?? 0}</td>}</For>
            </tr>
            <tr>
              <th scope="row">{t('draws.preview.selected')}</th>
              <For each={CLASSES}>{(c) => <td>{p.preview.byClass[c]?.drawn ?? 0}</td>}</For>
            </tr>
          </tbody>
        </table>
      </div>
      <Show when={excludedTotal()}>
        <ul class="plain small draw-excluded" data-testid="preview-excluded">
          <Show when={ex().capReached}>
            <li>{t('draws.preview.capReached', { n: ex().capReached })}</li>
          </Show>
          <Show when={ex().quietWindow}>
            <li>{t('draws.preview.quietWindow', { n: ex().quietWindow })}</li>
          </Show>
          <Show when={ex().deregistered}>
            <li>{t('draws.preview.deregistered', { n: ex().deregistered })}</li>
          </Show>
        </ul>
      </Show>
      <For each={p.preview.teams}>
        {(team) => (
          <div class="draw-team" data-testid="preview-team" data-agency-id={team.agencyId}>
            <p>
              <strong>{nameOf(team)}</strong> <span class="muted small">{t('draws.preview.pool', { n: team.pool.length, per: team.perTask })}</span>
            </p>
            <Show when={team.pool.length}>
              <p class="small draw-names">{team.pool.map((m) => m.name).join('、')}</p>
            </Show>
            <Show when={team.left.length}>
              <details class="draw-left">
                <summary class="small">{t('draws.preview.left', { n: team.left.length })}</summary>
                <ul class="plain small">
                  <For each={team.left}>
                    {(l) => (
                      <li data-testid="preview-left" data-inspector-id={l.id}>
                        {l.name}：{tx(l.reason)}
                      </li>
                    )}
                  </For>
                </ul>
              </details>
            </Show>
          </div>
        )}
      </For>
      <Show when={p.preview.recusals}>
        <p class="muted small">{t('draws.preview.recusals', { n: p.preview.recusals })}</p>
      </Show>
      <Show when={p.preview.verdicts.length}>
        <VerdictList verdicts={p.preview.verdicts} testid="preview-verdicts" />
      </Show>
    </section>
  );
}
