/**
 * Supervisors' real-time warnings (DESIGN §1, §6 step 6): the `supervision/<year>` doc, opened through
 * the DocPool like every other page, so a warning the server raises appears here live. Counts per kind
 * at the top (each filters), filters by kind, agency and handling status, and per warning the plain-
 * words message and its handling (a note with acknowledge / resolved / dismiss, written to the doc).
 */
import { For, Show, createMemo, createSignal, type JSX } from 'solid-js';
import { t } from '../../i18n';
import { principal } from '../../client/app-state';
import { rooms } from '../../domain/rooms';
import { shanghaiThisYear, nowIso } from '../../domain/time';
import { setHandling, supervisionView, type WarningT } from '../../model';
import { useView } from '../stores/useView';
import { DocHeader } from '../../ui/DocHeader';
import { useDirectory } from '../stores/directory';
import { HandleForm, KINDS, KindCounts, WarningCard, bySeverityThenTime, countByKind, type HandlingStatus, type WarningKindT } from '../../ui/WarningsView';

type StatusFilter = 'all' | 'open' | 'handled';

export default function WarningsPage(): JSX.Element {
  const thisYear = shanghaiThisYear();
  const [year, setYear] = createSignal(thisYear);
  const store = useView(() => rooms.supervision(year()), supervisionView);
  const dir = useDirectory();
  const [kind, setKind] = createSignal<WarningKindT | 'all'>('all');
  const [agency, setAgency] = createSignal('all');
  const [status, setStatus] = createSignal<StatusFilter>('all');

  const handlingOf = createMemo(() => new Map((store()?.handling ?? []).map((h) => [h.warningId, h])));
  const all = () => store()?.warnings ?? [];
  const counts = createMemo(() => countByKind(all()));
  const agencies = createMemo(() =>
    [
      ...new Set(
        all()
          .map((w) => w.agencyId)
          .filter((x): x is string => !!x),
      ),
    ].sort(),
  );
  const openCount = createMemo(() => all().filter((w) => (handlingOf().get(w.id)?.status ?? 'open') === 'open').length);
  const rows = createMemo(() => {
    const k = kind(),
      a = agency(),
      s = status();
    return all()
      .filter((w) => {
        const st = handlingOf().get(w.id)?.status ?? 'open';
        return (k === 'all' || w.kind === k) && (a === 'all' || w.agencyId === a) && (s === 'all' || (s === 'open' ? st === 'open' : st !== 'open'));
      })
      .sort(bySeverityThenTime);
  });
  const writable = () => store.status()?.access !== 'denied' && principal()?.role === 'supervisor';

  const save = (w: WarningT, st: HandlingStatus, note: string) => {
    const h = store.handle();
    const me = principal();
    if (!h || !me) return;
    setHandling(h.doc, { warningId: w.id, status: st, by: me.userId, at: nowIso(), note: note.trim() });
  };

  return (
    <section class="page warnings-page">
      <DocHeader title={t('warn.title')} status={store.status()} sub={<p class="muted">{t('warn.lead')}</p>} />
      <p class="row">
        <strong data-testid="warning-open-count">{t('warn.open', { n: openCount() })}</strong>
      </p>
      <KindCounts counts={counts()} active={kind()} onPick={setKind} />
      <div class="filters" role="search">
        <div class="field inline">
          <label for="warn-year">{t('warn.year')}</label>
          <select id="warn-year" value={year()} onChange={(e) => setYear(+e.currentTarget.value)}>
            <For each={[thisYear, thisYear - 1]}>{(y) => <option value={y}>{t('common.year', { y })}</option>}</For>
          </select>
        </div>
        <div class="field inline">
          <label for="warn-kind">{t('warn.kind')}</label>
          <select id="warn-kind" value={kind()} onChange={(e) => setKind(e.currentTarget.value as WarningKindT | 'all')} data-testid="warning-kind-filter">
            <option value="all">{t('common.all')}</option>
            <For each={KINDS}>{(k) => <option value={k}>{t(`warn.kind.${k}`)}</option>}</For>
          </select>
        </div>
        <div class="field inline">
          <label for="warn-agency">{t('warn.agency')}</label>
          <select id="warn-agency" value={agency()} onChange={(e) => setAgency(e.currentTarget.value)} data-testid="warning-agency-filter">
            <option value="all">{t('common.all')}</option>
            <For each={agencies()}>{(a) => <option value={a}>{dir.agencyName(a)}</option>}</For>
          </select>
        </div>
        <div class="field inline">
          <label for="warn-status">{t('warn.status')}</label>
          <select id="warn-status" value={status()} onChange={(e) => setStatus(e.currentTarget.value as StatusFilter)}>
            <option value="all">{t('common.all')}</option>
            <option value="open">{t('warn.st.open')}</option>
            <option value="handled">{t('warn.handledFilter')}</option>
          </select>
        </div>
      </div>
      <p class="muted small" data-testid="warning-count">
        {t('warn.count', { n: all().length, k: rows().length })}
      </p>
      <ul class="warn-list" data-testid="warnings">
        <For each={rows()} fallback={<li class="muted">{store.loaded() ? t('warn.none') : t('app.loading')}</li>}>
          {(w) => (
            <WarningCard w={w} handling={handlingOf().get(w.id)} agencyName={dir.agencyName(w.agencyId)}>
              <Show when={writable()}>
                <HandleForm id={w.id} current={handlingOf().get(w.id)} onSave={(st, note) => save(w, st, note)} />
              </Show>
            </WarningCard>
          )}
        </For>
      </ul>
    </section>
  );
}
