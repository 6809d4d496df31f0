/**
 * The import wizard for any kind of table import (server/imports/): choose a file → a progress bar while the
 * server reads and checks it → the dry run's counts (new, changed, unchanged, invalid) and the invalid rows with
 * their line and reason, downloadable → apply (one transaction) → done. The kind and the texts are props, so
 * each import (enterprises, certificates) is this one component.
 */
import { createSignal, For, onCleanup, Show, type JSX } from 'solid-js';
import { t } from '../i18n/dict-imports';
import { IMPORT_MAX_BYTES, type ImportJob } from '../protocol/imports';
import { importsApi as defaultApi, type ImportsApi } from '../client/imports-api';
import { errorText } from './errors';
import { saveBlob } from '../client/save-file';

export interface ImportWizardProps {
  /** the import's kind: POST /api/imports/<kind> */
  kind: string;
  /** the heading, already in the user's language */
  title: string;
  /** what the file holds (its columns), already in the user's language */
  hint?: string;
  /** the file types the picker offers */
  accept?: string;
  /** after a successful apply (a list on the page can reload) */
  onApplied?: (job: ImportJob) => void;
  /** tests: another API */
  api?: ImportsApi;
}

type Stage = 'choose' | 'working' | 'summary' | 'done' | 'failed';

const POLL_MS = 300;

export function ImportWizard(props: ImportWizardProps): JSX.Element {
  const api = () => props.api ?? defaultApi;
  const [stage, setStage] = createSignal<Stage>('choose');
  const [file, setFile] = createSignal<File | null>(null);
  const [job, setJob] = createSignal<ImportJob | null>(null);
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  let stopped = false;
  let input: HTMLInputElement | undefined;
  onCleanup(() => {
    stopped = true;
  });

  /** follow the job until it is done or failed */
  async function follow(jobId: string): Promise<ImportJob | null> {
    for (;;) {
      if (stopped) return null;
      const j = await api().job(jobId);
      setJob(j);
      if (j.phase === 'done' || j.phase === 'failed') return j;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  function settle(j: ImportJob | null): void {
    if (!j) return;
    if (j.phase === 'failed') {
      setError(errorText({ text: j.error?.message ?? { zh: '导入失败', en: 'The import failed' } }));
      setStage('failed');
    } else if (j.applied) {
      setStage('done');
      props.onApplied?.(j);
    } else setStage('summary');
  }

  async function check(e: Event): Promise<void> {
    e.preventDefault();
    const f = file();
    if (!f) return;
    setError('');
    if (f.size > IMPORT_MAX_BYTES) {
      setError(t('import.fileHint'));
      return;
    }
    setBusy(true);
    setJob(null);
    try {
      setStage('working');
      const { jobId } = await api().upload(props.kind, f, { filename: f.name });
      settle(await follow(jobId));
    } catch (err) {
      setError(errorText(err));
      setStage(job() ? 'failed' : 'choose');
    } finally {
      setBusy(false);
    }
  }

  async function apply(): Promise<void> {
    const j = job();
    if (!j) return;
    setBusy(true);
    setError('');
    try {
      setStage('working');
      await api().apply(j.jobId);
      settle(await follow(j.jobId));
    } catch (err) {
      setError(errorText(err));
      setStage('summary');
    } finally {
      setBusy(false);
    }
  }

  async function download(): Promise<void> {
    const j = job();
    if (!j) return;
    try {
      const { blob, filename } = await api().errorsCsv(j.jobId);
      saveBlob(blob, filename ?? 'errors.csv');
    } catch (err) {
      setError(errorText(err));
    }
  }

  function reset(): void {
    setStage('choose');
    setJob(null);
    setFile(null);
    setError('');
    if (input) input.value = '';
  }

  const result = () => job()?.result;
  const writes = () => (result()?.new ?? 0) + (result()?.changed ?? 0);
  const progressLabel = () => {
    const j = job();
    if (!j || j.phase === 'reading' || j.total === 0) return t('import.reading');
    return t(j.phase === 'applying' ? 'import.applying' : 'import.checking', { done: j.done, total: j.total });
  };
  const pct = () => {
    const j = job();
    return j && j.total > 0 ? Math.round((100 * j.done) / j.total) : undefined;
  };

  return (
    <section class="card import-wizard" aria-labelledby={`import-${props.kind}-title`}>
      <h2 id={`import-${props.kind}-title`}>{props.title}</h2>
      <Show when={props.hint}>
        <p class="hint">{props.hint}</p>
      </Show>

      <Show when={stage() === 'choose'}>
        <form onSubmit={check}>
          <div class="field">
            <label for={`import-${props.kind}-file`}>{t('import.file')}</label>
            <input
              id={`import-${props.kind}-file`}
              ref={input}
              type="file"
              accept={props.accept ?? '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'}
              data-testid="import-file"
              aria-describedby={`import-${props.kind}-filehint`}
              onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
            />
            <p class="hint" id={`import-${props.kind}-filehint`}>
              {t('import.fileHint')}
            </p>
          </div>
          <button type="submit" class="btn btn-primary" disabled={!file() || busy()} data-testid="import-check">
            {t('import.check')}
          </button>
        </form>
      </Show>

      <Show when={stage() === 'working'}>
        <div class="field" aria-live="polite">
          <p id={`import-${props.kind}-progress-label`}>{progressLabel()}</p>
          <div
            id={`import-${props.kind}-progress`}
            role="progressbar"
            aria-label={t('import.progress')}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct()}
            aria-valuetext={progressLabel()}
            data-testid="import-progress"
            style={{ height: '10px', background: '#dfe6ee', 'border-radius': '5px', overflow: 'hidden' }}
          >
            <div style={{ height: '100%', width: `${pct() ?? 100}%`, background: 'var(--primary)', opacity: pct() === undefined ? 0.35 : 1 }} />
          </div>
        </div>
      </Show>

      <Show when={error()}>
        <p class="error" role="alert" data-testid="import-error">
          {error()}
        </p>
      </Show>

      <Show when={stage() === 'summary' && result()}>
        {(r) => (
          <div data-testid="import-summary">
            <h3>{t('import.summary')}</h3>
            <p class="muted">{job()?.filename}</p>
            <dl class="row import-counts">
              <div class="badge badge-published">
                <dt>{t('import.new')}</dt> <dd data-testid="import-count-new">{r().new}</dd>
              </div>
              <div class="badge badge-draft">
                <dt>{t('import.changed')}</dt> <dd data-testid="import-count-changed">{r().changed}</dd>
              </div>
              <div class="badge">
                <dt>{t('import.unchanged')}</dt> <dd data-testid="import-count-unchanged">{r().unchanged}</dd>
              </div>
              <div class={r().invalid ? 'badge badge-returned' : 'badge'}>
                <dt>{t('import.invalid')}</dt> <dd data-testid="import-count-invalid">{r().invalid}</dd>
              </div>
            </dl>
            <Show when={r().invalid > 0}>
              <h4>{t('import.invalidRows')}</h4>
              <div class="table-wrap">
                <table class="table stack">
                  <thead>
                    <tr>
                      <th scope="col">{t('import.line')}</th>
                      <th scope="col">{t('import.key')}</th>
                      <th scope="col">{t('import.reason')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={r().invalidRows}>
                      {(row) => (
                        <tr data-testid="import-invalid-row" data-line={row.line}>
                          <td data-label={t('import.line')}>{row.line}</td>
                          <td data-label={t('import.key')}>
                            <code>{row.key ?? ''}</code>
                          </td>
                          <td data-label={t('import.reason')}>{errorText({ text: row.reason })}</td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
              <Show when={r().invalid > r().invalidRows.length}>
                <p class="hint">{t('import.moreInvalid', { n: r().invalid - r().invalidRows.length })}</p>
              </Show>
              <p>
                <button type="button" class="btn" onClick={() => void download()} data-testid="import-errors-download">
                  {t('import.download')}
                </button>
              </p>
            </Show>
            <p class="hint">{writes() > 0 ? t('import.applyHint') : t('import.nothing')}</p>
            <div class="row">
              <button type="button" class="btn btn-primary" disabled={busy() || writes() === 0} onClick={() => void apply()} data-testid="import-apply">
                {t('import.apply', { n: writes() })}
              </button>
              <button type="button" class="btn" disabled={busy()} onClick={reset}>
                {t('import.cancel')}
              </button>
            </div>
          </div>
        )}
      </Show>

      <Show when={stage() === 'done' && result()}>
        {(r) => (
          <div role="status" data-testid="import-done">
            <p>{t('import.done', { new: r().new, changed: r().changed, invalid: r().invalid })}</p>
            <button type="button" class="btn" onClick={reset}>
              {t('import.again')}
            </button>
          </div>
        )}
      </Show>

      <Show when={stage() === 'failed'}>
        <button type="button" class="btn" onClick={reset}>
          {t('import.again')}
        </button>
      </Show>
    </section>
  );
}
