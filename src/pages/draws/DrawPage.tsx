/**
 * One draw for its parties and supervisors, /draws/:id: where it stands, what it is made of (hashes, the
 * population by class, the statement), each party's commitment and reveal, and what the signed-in user can do
 * for the parties they act for. Committing makes a secret in this browser, keeps it on this device and sends
 * only its commitment; revealing sends the kept secret (or one pasted back from the copy kept elsewhere).
 * Once drawn: the enterprises and inspectors picked, the tasks made and the results recorded. The page
 * follows `draws/<year>`: when another party commits or reveals, it fetches the draw again.
 */
import { For, Show, createEffect, createMemo, createResource, createSignal, on, type JSX } from 'solid-js';
import { A, useNavigate, useParams } from '@solidjs/router';
import { tx } from '../../i18n';
import { t } from '../../i18n/dict-draws';
import { drawsApi } from '../../client/draws-api';
import { principal } from '../../client/session-state';
import { forgetSecret, keepSecret, keptSecret } from '../../client/draw-secrets';
import { saveBlob } from '../../client/save-file';
import { commitmentOf, isSecret, newSecret } from '../../domain/draw';
import { addDays, shanghaiToday } from '../../domain/time';
import type { DrawDetail } from '../../protocol/draws';
import { AdminNav } from '../../ui/AdminNav';
import { errorText } from '../../ui/errors';
import { fmtTime } from '../../ui/WarningsView';
import { useDirectory } from '../stores/directory';
import { paths } from '../routes';
import { CLASSES, externalCommitCommand, laterDate, waitingParties } from './draw-logic';
import { namesFrom, useDrawsDoc } from './parts';
import { CopyButton, DateRange, DrawFacts, DrawHeader, PartyCard, PicksTable, ResultsTable, partyName } from './common';

export default function DrawPage(): JSX.Element {
  const params = useParams<{ id: string }>();
  const navigate = useNavigate();
  const dir = useDirectory();
  const [detail, { mutate, refetch }] = createResource(
    () => params.id,
    (id) => drawsApi.get(id),
  );
  const d = () => detail.latest ?? null;
  const draw = () => d()?.draw ?? null;
  const names = () => namesFrom(d()?.agencies, dir.agencyName);
  const inspector = (id: string) => d()?.inspectors[id] ?? id;

  // follow the live doc: another party's step changes this draw's entry
  const live = useDrawsDoc(() => draw()?.year ?? null);
  const entryKey = () => {
    const e = live.entry(params.id);
    return e ? `${e.updatedAt}:${e.status}` : '';
  };
  createEffect(
    on(
      entryKey,
      (k, prev) => {
        if (k && prev !== undefined && k !== `${draw()?.updatedAt}:${draw()?.status}`) void refetch();
      },
      { defer: true },
    ),
  );

  const isOrganiser = () => !!draw() && (d()?.myParties ?? []).includes(`agency:${draw()!.organiserId}`);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal<string | null>(null);
  /** secrets made on this page, shown once for safekeeping: party → secret */
  const [backups, setBackups] = createSignal<Record<string, string>>({});
  const [pasted, setPasted] = createSignal<Record<string, string>>({});
  const [cancelling, setCancelling] = createSignal(false);
  const [reason, setReason] = createSignal('');

  const act = async (label: string, f: () => Promise<DrawDetail>) => {
    setBusy(label);
    setError(null);
    try {
      mutate(await f());
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    } finally {
      setBusy(null);
    }
  };
  const commit = async (party: string) => {
    const dr = draw();
    if (!dr) return;
    // a secret already kept for this draw and party (a commit that failed on the way) is reused
    const secret = keptSecret(dr.id, party) ?? newSecret();
    keepSecret(dr.id, party, secret);
    if (await act(`commit:${party}`, () => drawsApi.commit(dr.id, party, commitmentOf(dr.paramsHash, party, secret)))) {
      setBackups((b) => ({ ...b, [party]: secret }));
    }
  };
  // a commitment made off this device (a party that would not trust the page's own random numbers)
  const [external, setExternal] = createSignal<Record<string, string>>({});
  const commitExternal = async (party: string) => {
    const dr = draw();
    if (!dr) return;
    await act(`commit:${party}`, () => drawsApi.commit(dr.id, party, (external()[party] ?? '').trim().toLowerCase()));
  };
  const secretFor = (party: string) => {
    const dr = draw();
    return (dr && keptSecret(dr.id, party)) || (pasted()[party] ?? '').trim().toLowerCase();
  };
  const reveal = async (party: string) => {
    const dr = draw();
    if (!dr) return;
    const secret = secretFor(party);
    if (await act(`reveal:${party}`, () => drawsApi.reveal(dr.id, party, secret))) forgetSecret(dr.id, party);
  };
  const cancel = async () => {
    const dr = draw();
    if (dr && (await act('cancel', () => drawsApi.cancel(dr.id, reason().trim())))) setCancelling(false);
  };
  const download = async () => {
    const dr = draw();
    if (!dr) return;
    try {
      const text = await drawsApi.population(dr.id);
      saveBlob(new Blob([text], { type: 'text/plain;charset=utf-8' }), `${dr.id}-population.txt`);
    } catch (e) {
      setError(errorText(e));
    }
  };

  // ---------- 重新抽取 (a lapsed draw: a new draw that replaces it, same population and ratios) ----------
  const [redrawing, setRedrawing] = createSignal(false);
  const [rFrom, setRFrom] = createSignal('');
  const [rTo, setRTo] = createSignal('');
  const openRedraw = () => {
    const dr = draw();
    if (!dr) return;
    const tomorrow = addDays(shanghaiToday(), 1);
    setRFrom(laterDate(dr.window.from, tomorrow));
    setRTo(dr.window.to > tomorrow ? dr.window.to : addDays(tomorrow, 13));
    setRedrawing(true);
  };
  const redraw = async () => {
    const x = d();
    if (!x) return;
    const dr = x.draw;
    setBusy('redraw');
    setError(null);
    try {
      const made = await drawsApi.create({
        year: dr.year,
        kind: dr.kind,
        source: dr.jointId ? { type: 'joint', jointId: dr.jointId } : { type: 'plan', planItemId: dr.planItemId ?? '' },
        countyAgencyId: dr.kind === 'county' ? dr.teamAgencyIds[0] : undefined,
        window: { from: rFrom(), to: rTo() },
        ratios: dr.ratios,
        perTask: x.statement.teams[0]?.perTask ?? 2,
        replaces: dr.id,
      });
      setRedrawing(false);
      navigate(paths.draw(made.draw.id));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const byClass = () => {
    const out: Record<string, number> = { A: 0, B: 0, C: 0, D: 0 };
    // the population text is not in the detail; the picks carry their class, the statement only the size
    for (const p of d()?.picks ?? []) out[p.cls]++;
    return out;
  };
  const missing = () => (draw()?.status === 'lapsed' ? waitingParties(draw()!) : []);
  // each pick's tasks, looked up once per detail rather than scanned per row
  const tasksOf = createMemo(() => {
    const m = new Map<string, DrawDetail['tasks']>();
    for (const tk of d()?.tasks ?? []) m.set(tk.uscc, [...(m.get(tk.uscc) ?? []), tk]);
    return m;
  });

  return (
    <section class="page draw-page">
      <AdminNav />
      <A class="back" href={principal()?.role === 'supervisor' ? paths.supervisorDraws : paths.agencyDraws}>
        ← {t('draws.back')}
      </A>
      <Show when={detail.error && !d()}>
        <p class="error" role="alert" data-testid="draw-load-error">
          {errorText(detail.error)}
        </p>
      </Show>
      <Show when={!d() && detail.loading}>
        <p class="muted">{t('app.loading')}</p>
      </Show>
      <Show when={d()}>
        {(x) => {
          const dr = () => x().draw;
          return (
            <>
              <DrawHeader draw={dr()} organiser={names()(dr().organiserId)} statusTestid="draw-status" />

              <Show when={dr().status === 'lapsed'}>
                <div class="notice notice-error" data-testid="draw-lapsed">
                  <span>
                    {t('draws.lapsed', {
                      who: missing()
                        .map((p) => partyName(p, names()))
                        .join('、'),
                    })}
                  </span>
                  <Show when={isOrganiser()}>
                    <button type="button" class="btn btn-small" onClick={openRedraw} data-testid="draw-redraw">
                      {t('draws.redraw')}
                    </button>
                  </Show>
                </div>
                <Show when={redrawing()}>
                  <div class="card draw-redraw" data-testid="draw-redraw-form">
                    <p class="small">{t('draws.redrawLead')}</p>
                    <DateRange from={rFrom()} to={rTo()} onFrom={setRFrom} onTo={setRTo} testids={['draw-redraw-from', 'draw-redraw-to']} />
                    <div class="row">
                      <button type="button" class="btn btn-primary" disabled={!!busy()} onClick={() => void redraw()} data-testid="draw-redraw-confirm">
                        {busy() === 'redraw' ? t('draws.busy') : t('draws.redrawConfirm')}
                      </button>
                      <button type="button" class="btn btn-ghost" onClick={() => setRedrawing(false)}>
                        {t('draws.cancelNo')}
                      </button>
                    </div>
                  </div>
                </Show>
              </Show>
              <Show when={dr().replaces}>
                <p class="small">
                  {t('draws.replaces')}{' '}
                  <A href={paths.draw(dr().replaces!)} data-testid="draw-replaces">
                    {dr().replaces}
                  </A>
                </p>
              </Show>

              <Show when={error()}>
                <p class="error" role="alert" data-testid="draw-error">
                  {error()}
                </p>
              </Show>

              {/* ---- the parties ---- */}
              <section class="card">
                <h2 class="section-title">{t('draws.parties')}</h2>
                <p class="muted small">{t(`draws.stage.${dr().status}`)}</p>
                <Show when={dr().revealBy && dr().status === 'revealing'}>
                  <p class="notice notice-warn" data-testid="draw-reveal-by">
                    {t('draws.revealBy', { at: fmtTime(dr().revealBy!) })}
                  </p>
                </Show>
                <ul class="draw-parties">
                  <For each={dr().parties}>
                    {(p) => {
                      const mine = () => x().myParties.includes(p.party);
                      const canCommit = () => mine() && dr().status === 'committing' && !p.commitment;
                      const canReveal = () => mine() && dr().status === 'revealing' && !p.revealedAt;
                      const kept = () => !!keptSecret(dr().id, p.party);
                      return (
                        <PartyCard party={p} name={partyName(p.party, names())} reveal={x().reveals?.[p.party]} mine={mine()} testid="draw-party">
                          <Show when={canCommit()}>
                            <p class="small muted">{t('draws.commitHint')}</p>
                            <button
                              type="button"
                              class="btn btn-primary"
                              disabled={!!busy()}
                              onClick={() => void commit(p.party)}
                              data-testid="draw-commit"
                              data-party={p.party}
                            >
                              {busy() === `commit:${p.party}` ? t('draws.busy') : t('draws.commit')}
                            </button>
                            <details class="draw-external">
                              <summary>{t('draws.external.title')}</summary>
                              <p class="small">{t('draws.external.lead')}</p>
                              <pre class="small">{externalCommitCommand(dr().paramsHash, p.party)}</pre>
                              <div class="field">
                                <label for={`ext-${p.party}`}>{t('draws.external.commitment')}</label>
                                <input
                                  id={`ext-${p.party}`}
                                  class="mono"
                                  autocomplete="off"
                                  spellcheck={false}
                                  value={external()[p.party] ?? ''}
                                  onInput={(e) => setExternal((s) => ({ ...s, [p.party]: e.currentTarget.value }))}
                                  data-testid="draw-external-commitment"
                                  data-party={p.party}
                                />
                              </div>
                              <button
                                type="button"
                                class="btn"
                                disabled={!!busy() || !isSecret((external()[p.party] ?? '').trim().toLowerCase())}
                                onClick={() => void commitExternal(p.party)}
                                data-testid="draw-external-commit"
                              >
                                {t('draws.external.submit')}
                              </button>
                            </details>
                          </Show>
                          <Show when={backups()[p.party] && !p.revealedAt}>
                            <div class="draw-secret" data-testid="draw-secret-backup" data-party={p.party}>
                              <p class="small">
                                <strong>{t('draws.secret.title')}</strong> {t('draws.secret.lead')}
                              </p>
                              <code class="draw-secret-value">{backups()[p.party]}</code>
                              <div class="row">
                                <CopyButton text={backups()[p.party]} testid="draw-secret-copy" />
                                <button type="button" class="btn btn-ghost btn-small" onClick={() => setBackups((b) => ({ ...b, [p.party]: '' }))}>
                                  {t('draws.secret.done')}
                                </button>
                              </div>
                            </div>
                          </Show>
                          <Show when={canReveal()}>
                            <Show when={!kept()} fallback={<p class="small muted">{t('draws.revealKept')}</p>}>
                              <div class="field">
                                <label for={`secret-${p.party}`}>{t('draws.secret.paste')}</label>
                                <input
                                  id={`secret-${p.party}`}
                                  class="mono"
                                  autocomplete="off"
                                  spellcheck={false}
                                  value={pasted()[p.party] ?? ''}
                                  onInput={(e) => setPasted((s) => ({ ...s, [p.party]: e.currentTarget.value }))}
                                  data-testid="draw-secret-input"
                                  data-party={p.party}
                                />
                                <span class="hint">{t('draws.secret.pasteHint')}</span>
                              </div>
                            </Show>
                            <button
                              type="button"
                              class="btn btn-primary"
                              disabled={!!busy() || !isSecret(secretFor(p.party))}
                              onClick={() => void reveal(p.party)}
                              data-testid="draw-reveal"
                              data-party={p.party}
                            >
                              {busy() === `reveal:${p.party}` ? t('draws.busy') : t('draws.reveal')}
                            </button>
                          </Show>
                        </PartyCard>
                      );
                    }}
                  </For>
                </ul>
                <Show when={isOrganiser() && dr().status === 'committing'}>
                  <Show
                    when={cancelling()}
                    fallback={
                      <button type="button" class="btn btn-danger btn-small" onClick={() => setCancelling(true)} data-testid="draw-cancel">
                        {t('draws.cancel')}
                      </button>
                    }
                  >
                    <div class="field draw-cancel">
                      <label for="draw-cancel-reason">{t('draws.cancelReason')}</label>
                      <input
                        id="draw-cancel-reason"
                        maxLength={500}
                        value={reason()}
                        onInput={(e) => setReason(e.currentTarget.value)}
                        data-testid="draw-cancel-reason"
                      />
                      <div class="row">
                        <button
                          type="button"
                          class="btn btn-danger"
                          disabled={!!busy() || reason().trim().length < 2}
                          onClick={() => void cancel()}
                          data-testid="draw-cancel-confirm"
                        >
                          {t('draws.cancelYes')}
                        </button>
                        <button type="button" class="btn btn-ghost" onClick={() => setCancelling(false)}>
                          {t('draws.cancelNo')}
                        </button>
                      </div>
                    </div>
                  </Show>
                </Show>
              </section>

              {/* ---- what it is made of ---- */}
              <section class="card">
                <h2 class="section-title">{t('draws.inputs')}</h2>
                <DrawFacts draw={dr()} testids={{ params: 'draw-params-hash', seed: 'draw-seed' }}>
                  <dt>{t('draws.teams')}</dt>
                  <dd>
                    <For each={x().statement.teams}>
                      {(tm) => (
                        <div>
                          {names()(tm.agencyId)} <span class="muted small">{t('draws.teamLine', { n: tm.pool.length, per: tm.perTask })}</span>
                        </div>
                      )}
                    </For>
                  </dd>
                  <dt>{t('draws.recusals')}</dt>
                  <dd>{Object.keys(x().statement.recusals).length}</dd>
                </DrawFacts>
                <div class="row">
                  <button type="button" class="btn btn-small" onClick={() => void download()} data-testid="draw-population-download">
                    {t('draws.downloadPopulation')}
                  </button>
                </div>
                <details class="draw-statement">
                  <summary>{t('draws.statement')}</summary>
                  <pre data-testid="draw-statement">{x().statementText}</pre>
                </details>
              </section>

              {/* ---- once drawn ---- */}
              <Show when={x().picks}>
                {(picks) => (
                  <section class="draw-results">
                    <h2 class="section-title">
                      {t('draws.picks', { n: picks().length })} <span class="muted small">{CLASSES.map((c) => `${c} ${byClass()[c]}`).join(' · ')}</span>
                    </h2>
                    <PicksTable
                      picks={picks()}
                      testid="draw-picks"
                      rowTestid="draw-pick"
                      inspector={inspector}
                      agencyName={names()}
                      task={(uscc) => (
                        <For each={tasksOf().get(uscc) ?? []} fallback={<span class="muted">—</span>}>
                          {(tk) => (
                            <div data-testid="draw-task" data-uscc={tk.uscc} data-status={tk.status} data-task-id={tk.taskId ?? ''}>
                              <span class={`badge badge-${tk.status}`}>{t(`draws.task.${tk.status}`)}</span>
                              <Show when={tk.skipped}>
                                <span class="small"> {tx(tk.skipped)}</span>
                              </Show>
                            </div>
                          )}
                        </For>
                      )}
                    />
                  </section>
                )}
              </Show>
              <Show when={x().results.length}>
                <h2 class="section-title">{t('draws.results')}</h2>
                <ResultsTable results={x().results} agencyName={names()} testid="draw-result" />
              </Show>
            </>
          );
        }}
      </Show>
    </section>
  );
}
