/**
 * One enterprise's file: its header (name, USCC, division, industry, risk, credit, quiet zone, 注销), the
 * counts, filters by event type and agency, and one time line (file/timeline.ts groups it) in which every
 * event sits under its inspection. Each event type has its own icon and label (not colour alone).
 */
import { createMemo, createSignal, For, Show, type JSX } from 'solid-js';
import { FileEventType, type EnterpriseFile, type FileEvent } from '../../../protocol/stats';
import { WarningKind } from '../../../domain/schemas';
import { lang, nameOf, tx } from '../../../i18n';
import { t } from '../../../i18n/dict-file';
import { INDUSTRIES, type IndustryCode } from '../../../domain/industries';
import { useDirectory } from '../../stores/directory';
import { agenciesOf, entryShown, groupEvents, shanghaiMinute, type FileFilter } from './timeline';

/** a symbol per type, beside its written label (plain symbols the CJK fonts have, not emoji that may show as boxes) */
const ICON: Record<FileEvent['type'], string> = {
  entry: '◉',
  result: '☑',
  ack: '✓',
  dispute: '⚑',
  cosign: '✍',
  document: '▤',
  rectification: '↻',
  review: '✔',
  rating: '★',
  complaint: '✉',
  warning: '⚠',
};
const COUNTS = ['inspections', 'agencies', 'results', 'ratings', 'complaints', 'warnings'] as const;

export function FileView(p: { file: EnterpriseFile }): JSX.Element {
  const dir = useDirectory();
  const [type, setType] = createSignal<FileFilter['type']>('');
  const [agency, setAgency] = createSignal('');
  const filter = (): FileFilter => ({ type: type(), agencyId: agency() });
  const groups = createMemo(() => groupEvents(p.file.events, filter()));
  const agencies = createMemo(() => agenciesOf(p.file.events));
  const e = () => p.file.enterprise;
  const industry = () => {
    const i = INDUSTRIES[e().industry as IndustryCode];
    return i ? (lang() === 'en' ? i.en : i.zh) : e().industry;
  };
  const agencyName = (ev: FileEvent) =>
    ev.agencyId ? nameOf({ name: ev.agencyName ?? ev.agencyId, nameEn: ev.agencyNameEn ?? undefined }) : t('file.noAgency');

  return (
    <article class="file" aria-labelledby="file-enterprise-name">
      <header class="card file-head">
        <h2 id="file-enterprise-name" data-testid="file-enterprise-name">
          {e().name}
          <Show when={e().deregistered}>
            {' '}
            <span class="badge badge-cancelled" data-testid="file-deregistered">
              {t('file.deregistered')}
            </span>
          </Show>
        </h2>
        <dl class="file-facts">
          <div>
            <dt>{t('file.uscc')}</dt>
            <dd>
              <code data-testid="file-uscc">{e().uscc}</code>
            </dd>
          </div>
          <div>
            <dt>{t('file.division')}</dt>
            <dd>{dir.divisionName(e().division)}</dd>
          </div>
          <div>
            <dt>{t('file.industry')}</dt>
            <dd>{industry()}</dd>
          </div>
          <div>
            <dt>{t('file.risk')}</dt>
            <dd>{t(`risk.${e().riskLevel}` as 'risk.low')}</dd>
          </div>
          <div>
            <dt>{t('file.credit')}</dt>
            <dd>{e().creditLevel}</dd>
          </div>
          <div>
            <dt>{t('file.quietZone')}</dt>
            <dd>{e().quietZone ? t('file.yes') : t('file.no')}</dd>
          </div>
        </dl>
      </header>

      <section aria-labelledby="file-counts-title">
        <h3 id="file-counts-title" class="visually-hidden">
          {t('file.counts')}
        </h3>
        <dl class="file-counts" data-testid="file-counts">
          <For each={COUNTS}>
            {(k) => (
              <div class="card" data-count={k} data-value={p.file.counts[k]}>
                <dt>{t(`file.count.${k}`)}</dt>
                <dd>{p.file.counts[k]}</dd>
              </div>
            )}
          </For>
        </dl>
      </section>

      <form class="filters" onSubmit={(ev) => ev.preventDefault()}>
        <div class="field">
          <label for="file-filter-type">{t('file.filterType')}</label>
          <select id="file-filter-type" data-testid="file-filter-type" value={type()} onChange={(ev) => setType(ev.currentTarget.value as FileFilter['type'])}>
            <option value="">{t('file.all')}</option>
            <For each={FileEventType.options}>{(k) => <option value={k}>{t(`file.type.${k}`)}</option>}</For>
          </select>
        </div>
        <div class="field">
          <label for="file-filter-agency">{t('file.filterAgency')}</label>
          <select id="file-filter-agency" data-testid="file-filter-agency" value={agency()} onChange={(ev) => setAgency(ev.currentTarget.value)}>
            <option value="">{t('file.all')}</option>
            <For each={agencies()}>{(a) => <option value={a.id}>{nameOf(a)}</option>}</For>
          </select>
        </div>
      </form>

      <section aria-labelledby="file-timeline-title">
        <h3 id="file-timeline-title">{t('file.timeline')}</h3>
        <ol class="file-timeline" data-testid="file-timeline">
          <For each={groups()} fallback={<li class="muted">{t('file.none')}</li>}>
            {(g) => (
              <li class="file-group card">
                <Show when={g.entry}>
                  {(entry) => (
                    <Show
                      when={entryShown(g, filter())}
                      fallback={
                        <p class="muted file-context">
                          {t('file.context')}: {shanghaiMinute(entry().at)} · {agencyName(entry())} · {tx(entry().title)}
                        </p>
                      }
                    >
                      <Event ev={entry()} agency={agencyName(entry())} />
                    </Show>
                  )}
                </Show>
                <Show when={g.events.length}>
                  <ol class="file-children">
                    <For each={g.events}>
                      {(ev) => (
                        <li>
                          <Event ev={ev} agency={agencyName(ev)} />
                        </li>
                      )}
                    </For>
                  </ol>
                </Show>
              </li>
            )}
          </For>
        </ol>
      </section>
    </article>
  );
}

/** a warning's kind (its detail carries the code) */
const kindOf = (ev: FileEvent) => (ev.type === 'warning' ? ev.details.map((d) => WarningKind.safeParse(d.value)).find((r) => r.success)?.data : undefined);
/** a value as shown: a warning kind's code in words */
const shownValue = (ev: FileEvent, v: string) => (ev.type === 'warning' && WarningKind.safeParse(v).success ? t(`warn.kind.${v}` as 'warn.kind.over_cap') : v);

function Event(p: { ev: FileEvent; agency: string }): JSX.Element {
  return (
    <div class={`file-event file-event-${p.ev.type}`} data-testid="file-event" data-type={p.ev.type} data-agency={p.ev.agencyId ?? ''} data-id={p.ev.id}>
      <p class="file-event-head">
        <span class="file-icon" aria-hidden="true">
          {ICON[p.ev.type]}
        </span>{' '}
        <strong class="file-type">
          {t(`file.type.${p.ev.type}`)}
          <Show when={kindOf(p.ev)}>{(k) => `：${t(`warn.kind.${k()}`)}`}</Show>
        </strong>
        <Show when={p.ev.severity && p.ev.severity !== 'info'}>
          {' '}
          <span class={`badge badge-sev-${p.ev.severity}`}>{t(`file.sev.${p.ev.severity ?? 'info'}`)}</span>
        </Show>{' '}
        <time class="muted" datetime={p.ev.at}>
          {shanghaiMinute(p.ev.at)}
        </time>{' '}
        <span class="muted">· {p.agency}</span>
      </p>
      <p class="file-title">{tx(p.ev.title)}</p>
      <Show when={p.ev.details.length}>
        <dl class="file-details">
          <For each={p.ev.details}>
            {(d) => (
              <div>
                <dt>{tx(d.label)}</dt>
                <dd>{shownValue(p.ev, d.value)}</dd>
              </div>
            )}
          </For>
        </dl>
      </Show>
    </div>
  );
}
