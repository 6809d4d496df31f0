/**
 * Public page /public/draws/:id (no sign-in): a draw as anyone sees it. At once: what it is made of (hashes,
 * size, ratios), each party's commitment with its times, and each inspection's result as it is recorded.
 * Once published: the statement, the reveals, the seed and the picks, and "verify", which re-runs the draw
 * in this browser (src/domain/draw.ts verifyDrawAsync) from inputs a visitor may change: the population text
 * and each reveal. Changing any of them makes the verification fail, and says at which step.
 */
import { For, Show, createEffect, createResource, createSignal, on, type JSX } from 'solid-js';
import { A, useParams } from '@solidjs/router';
import { nameOf, tx } from '../../i18n';
import { t } from '../../i18n/dict-draws';
import { drawsApi } from '../../client/draws-api';
import { parsePopulationText, verifyDrawAsync, type VerifyStep } from '../../domain/draw';
import type { PublicDraw } from '../../protocol/draws';
import { errorText } from '../../ui/errors';
import { fmtTime } from '../../ui/WarningsView';
import { PublicLinks } from '../../ui/PublicLinks';
import { useDirectory } from '../stores/directory';
import { paths } from '../routes';
import { DrawFacts, DrawHeader, PartyCard, PicksTable, ResultsTable, partyName } from '../draws/common';

interface Verification {
  ok: boolean;
  steps: VerifyStep[];
  ms: number;
}

/** re-run the draw from the inputs in the panel (what a visitor may have changed) */
async function verify(d: PublicDraw, populationText: string, reveals: Record<string, string>): Promise<Verification> {
  const t0 = performance.now();
  const done = (r: { ok: boolean; steps: VerifyStep[] }) => ({ ...r, ms: performance.now() - t0 });
  if (!d.statement) return done({ ok: false, steps: [] });
  let population: ReturnType<typeof parsePopulationText>;
  try {
    population = parsePopulationText(populationText);
  } catch (e) {
    const m = (e as Error).message;
    return done({
      ok: false,
      steps: [{ step: 'population', ok: false, message: { zh: `抽取名录格式不正确：${m}`, en: `The population text is malformed: ${m}` } }],
    });
  }
  const commitments = Object.fromEntries(d.parties.filter((p) => p.commitment).map((p) => [p.party, p.commitment!]));
  return done(
    await verifyDrawAsync({
      statement: { ...d.statement, population },
      populationHash: d.populationHash,
      populationSize: d.populationSize,
      paramsHash: d.paramsHash,
      commitments,
      reveals: Object.fromEntries(Object.entries(reveals).map(([p, s]) => [p, s.trim()])),
      seed: d.seed ?? '',
      resultText: d.resultText ?? '',
    }),
  );
}

export default function PublicDrawPage(): JSX.Element {
  const params = useParams<{ id: string }>();
  const dir = useDirectory();
  const [draw] = createResource(
    () => params.id,
    (id) => drawsApi.publicGet(id),
  );
  const published = () => !!draw()?.statement && !!draw()?.resultText;
  const [population] = createResource(
    () => (published() ? params.id : null),
    (id) => drawsApi.publicPopulation(id),
  );

  // the inputs panel: prefilled with what is published, editable
  const [popText, setPopText] = createSignal('');
  const [reveals, setReveals] = createSignal<Record<string, string>>({});
  const reset = () => {
    setPopText(population() ?? '');
    setReveals({ ...(draw()?.reveals ?? {}) });
    setResult(null);
  };
  createEffect(on([population, draw], reset));
  const [result, setResult] = createSignal<Verification | null>(null);
  const [running, setRunning] = createSignal(false);
  const run = () => {
    const d = draw();
    if (!d) return;
    setRunning(true);
    // let the button show that it runs before the main thread is busy
    requestAnimationFrame(() =>
      setTimeout(async () => {
        setResult(await verify(d, popText(), reveals()));
        setRunning(false);
      }, 0),
    );
  };
  const changed = () => popText() !== (population() ?? '') || Object.entries(draw()?.reveals ?? {}).some(([p, s]) => (reveals()[p] ?? '') !== s);

  const names = (id: string) => (draw()?.organiserId === id ? nameOf({ name: draw()!.organiserName, nameEn: draw()!.organiserNameEn }) : dir.agencyName(id));

  return (
    <section class="page public-draw">
      <PublicLinks />
      <A class="back" href={paths.publicDraws}>
        ← {t('draws.public.back')}
      </A>
      <Show when={draw.error}>
        <p class="error" role="alert">
          {errorText(draw.error)}
        </p>
      </Show>
      <Show when={draw()}>
        {(d) => (
          <>
            <DrawHeader draw={d()} organiser={names(d().organiserId)} statusTestid="public-draw-status" />
            <Show when={d().status === 'lapsed'}>
              <p class="notice notice-error" data-testid="public-draw-lapsed">
                {t('draws.lapsed', {
                  who: d()
                    .parties.filter((p) => !p.revealedAt)
                    .map((p) => partyName(p.party, names))
                    .join('、'),
                })}
              </p>
            </Show>
            <Show when={d().replaces}>
              <p class="small">
                {t('draws.replaces')} <A href={paths.publicDraw(d().replaces!)}>{d().replaces}</A>
              </p>
            </Show>

            <section class="card">
              <h2 class="section-title">{t('draws.inputs')}</h2>
              <DrawFacts draw={d()} testids={{ params: 'public-params-hash', seed: 'public-seed' }}>
                <Show when={d().selectedCount !== undefined}>
                  <dt>{t('draws.selected')}</dt>
                  <dd>{d().selectedCount}</dd>
                </Show>
              </DrawFacts>
            </section>

            <section class="card">
              <h2 class="section-title">{t('draws.parties')}</h2>
              <Show when={d().revealBy && d().status === 'revealing'}>
                <p class="small">{t('draws.revealBy', { at: fmtTime(d().revealBy!) })}</p>
              </Show>
              <ul class="draw-parties">
                <For each={d().parties}>
                  {(p) => <PartyCard party={p} name={partyName(p.party, names)} reveal={d().reveals?.[p.party]} testid="public-draw-party" />}
                </For>
              </ul>
            </section>

            <h2 class="section-title">{t('draws.results')}</h2>
            <Show when={d().results.length} fallback={<p class="muted card">{t('draws.public.noResults')}</p>}>
              <ResultsTable results={d().results} agencyName={names} testid="draw-result-row" />
            </Show>
            <p class="muted small">{t('draws.public.resultsRule')}</p>

            <Show
              when={published()}
              fallback={
                <p class="notice notice-info" data-testid="public-draw-unpublished">
                  {t('draws.public.unpublished')}
                </p>
              }
            >
              <section class="card draw-verify" data-testid="public-draw-verify">
                <h2 class="section-title">{t('draws.verify.title')}</h2>
                <p class="small">{t('draws.verify.lead')}</p>
                <div class="draw-inputs" data-testid="draw-inputs">
                  <h3 class="task-title">{t('draws.verify.inputs')}</h3>
                  <p class="muted small">{t('draws.verify.inputsLead')}</p>
                  <div class="field">
                    <label for="draw-input-population">{t('draws.verify.population', { n: d().populationSize })}</label>
                    <textarea
                      id="draw-input-population"
                      class="mono"
                      rows={8}
                      spellcheck={false}
                      value={popText()}
                      onInput={(e) => setPopText(e.currentTarget.value)}
                      data-testid="draw-input-population"
                    />
                  </div>
                  <For each={Object.keys(d().reveals ?? {}).sort()}>
                    {(party) => (
                      <div class="field">
                        <label for={`reveal-${party}`}>{t('draws.verify.reveal', { party: partyName(party, names) })}</label>
                        <input
                          id={`reveal-${party}`}
                          class="mono"
                          spellcheck={false}
                          value={reveals()[party] ?? ''}
                          onInput={(e) => setReveals((r) => ({ ...r, [party]: e.currentTarget.value }))}
                          data-testid="draw-input-reveal"
                          data-party={party}
                        />
                      </div>
                    )}
                  </For>
                  <Show when={changed()}>
                    <p class="row">
                      <span class="badge draw-badge-warn">{t('draws.verify.changed')}</span>
                      <button type="button" class="btn btn-small" onClick={reset} data-testid="draw-inputs-reset">
                        {t('draws.verify.reset')}
                      </button>
                    </p>
                  </Show>
                </div>
                <div class="row">
                  <button type="button" class="btn btn-primary" disabled={running() || population.loading} onClick={run} data-testid="draw-verify">
                    {running() ? t('draws.verify.running') : population.loading ? t('app.loading') : t('draws.verify.run')}
                  </button>
                  <Show when={population.error}>
                    <span class="error small">{errorText(population.error)}</span>
                  </Show>
                </div>
                <Show when={result()}>
                  {(r) => (
                    <div class="verify-result" aria-live="polite">
                      <ol class="verify-steps">
                        <For each={r().steps}>
                          {(s) => (
                            <li
                              class="verify-step"
                              classList={{ ok: s.ok, bad: !s.ok }}
                              data-testid="verify-step"
                              data-step={s.step}
                              data-ok={s.ok ? 'true' : 'false'}
                            >
                              <span class="verify-mark" aria-hidden="true">
                                {s.ok ? '✓' : '✗'}
                              </span>
                              <span>
                                <strong>{t(`draws.verify.step.${s.step}`)}</strong> {tx(s.message)}
                              </span>
                            </li>
                          )}
                        </For>
                      </ol>
                      <p class="verify-overall" classList={{ ok: r().ok, bad: !r().ok }} data-testid="draw-verify-result" data-ok={r().ok ? 'true' : 'false'}>
                        {r().ok ? t('draws.verify.ok') : t('draws.verify.bad')}{' '}
                        <span class="muted small" data-testid="draw-verify-ms">
                          {t('draws.verify.ms', { ms: r().ms.toFixed(0) })}
                        </span>
                      </p>
                    </div>
                  )}
                </Show>
              </section>

              <Show when={d().picks}>
                {(picks) => (
                  <section>
                    <h2 class="section-title">{t('draws.picks', { n: picks().length })}</h2>
                    <PicksTable
                      picks={picks()}
                      testid="public-draw-picks"
                      rowTestid="public-draw-pick"
                      inspector={(id) => draw()?.inspectors?.[id] ?? id}
                      agencyName={names}
                    />
                  </section>
                )}
              </Show>
              <details class="draw-statement card">
                <summary>{t('draws.statement')}</summary>
                <pre data-testid="public-draw-statement">{d().statementText}</pre>
              </details>
            </Show>
            <p class="small">
              <A href={paths.publicDrawSpec}>{t('draws.public.specLink')}</A>
            </p>
          </>
        )}
      </Show>
    </section>
  );
}
