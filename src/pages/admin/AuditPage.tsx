/**
 * The audit trail (操作日志): every administrative action, who did it, when, and what changed, newest first,
 * paged and filtered on the server; the same filters export as CSV. Supervisors see every entry (and may
 * pick an agency); an agency admin sees their agency's entries only (the server enforces it).
 */
import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { t } from '../../i18n/dict-audit';
import { principal } from '../../client/app-state';
import { auditApi, type AuditFilter } from '../../client/audit-api';
import { errorText } from '../../ui/errors';
import { AdminNav } from '../../ui/AdminNav';
import { useDirectory } from '../stores/directory';
import type { AuditEntry } from '../../protocol/audit';
import { ListTable } from '../../ui/ListTable';

const PAGE = 50;
/** the areas an action belongs to (its first word): the filter's choices */
const AREAS = ['account', 'activation', 'inspector', 'import', 'certificate', 'catalogue', 'policy', 'agency', 'division'] as const;

/** a value in one short line (the full value is in the CSV) */
function brief(v: unknown, max = 120): string {
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What an entry changed, one line per field: `field: before → after` for the fields that differ when both
 * values are objects (a policy, an account), else the values themselves. At most 12 lines.
 */
export function changesOf(before: unknown, after: unknown): { field: string; before?: string; after?: string }[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys
      .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
      .slice(0, 12)
      .map((k) => ({ field: k, before: before[k] === undefined ? undefined : brief(before[k]), after: after[k] === undefined ? undefined : brief(after[k]) }));
  }
  const one = (v: unknown, side: 'before' | 'after') =>
    isObject(v)
      ? Object.entries(v)
          .slice(0, 12)
          .map(([k, x]) => ({ field: k, [side]: brief(x) }))
      : v === undefined
        ? []
        : [{ field: '', [side]: brief(v) }];
  return [...one(before, 'before'), ...one(after, 'after')];
}

export default function AuditPage(): JSX.Element {
  const dir = useDirectory();
  const supervisor = () => principal()?.role === 'supervisor';
  const [draft, setDraft] = createSignal<AuditFilter>({});
  const [filter, setFilter] = createSignal<AuditFilter>({});
  const [offset, setOffset] = createSignal(0);
  const [page] = createResource(
    () => ({ ...filter(), offset: offset() }),
    (q) => auditApi.list({ ...q, limit: PAGE }),
  );
  const [exporting, setExporting] = createSignal<string | null>(null);
  const set = (k: keyof AuditFilter) => (e: { currentTarget: { value: string } }) => setDraft({ ...draft(), [k]: e.currentTarget.value || undefined });
  const apply = (e: Event) => {
    e.preventDefault();
    setOffset(0);
    setFilter({ ...draft() });
  };
  const exportCsv = async () => {
    setExporting(t('audit.exporting'));
    try {
      await auditApi.downloadCsv(filter());
      setExporting(null);
    } catch (err) {
      setExporting(errorText(err));
    }
  };
  const total = () => page()?.total ?? 0;

  return (
    <section class="page">
      <AdminNav />
      <h1>{t('audit.title')}</h1>
      <p class="muted">{supervisor() ? t('audit.leadSupervisor') : t('audit.leadAgency')}</p>
      <form class="filters" role="search" onSubmit={apply} data-testid="audit-filters">
        <div class="field inline">
          <label for="audit-action">{t('audit.action')}</label>
          <select id="audit-action" onChange={set('action')} data-testid="audit-action">
            <option value="">{t('common.all')}</option>
            <For each={AREAS}>{(a) => <option value={a}>{t(`audit.area.${a}`)}</option>}</For>
          </select>
        </div>
        <div class="field inline">
          <label for="audit-actor">{t('audit.actor')}</label>
          <input id="audit-actor" type="search" maxLength={80} onInput={set('actor')} />
        </div>
        <div class="field inline">
          <label for="audit-target">{t('audit.target')}</label>
          <input id="audit-target" type="search" maxLength={100} onInput={set('target')} data-testid="audit-target" />
        </div>
        <Show when={supervisor()}>
          <div class="field inline">
            <label for="audit-agency">{t('audit.agency')}</label>
            <select id="audit-agency" onChange={set('agencyId')}>
              <option value="">{t('common.all')}</option>
              <For each={dir.data()?.agencies ?? []}>{(a) => <option value={a.id}>{dir.agencyName(a.id)}</option>}</For>
            </select>
          </div>
        </Show>
        <div class="field inline">
          <label for="audit-from">{t('audit.from')}</label>
          <input id="audit-from" type="date" onChange={set('from')} />
        </div>
        <div class="field inline">
          <label for="audit-to">{t('audit.to')}</label>
          <input id="audit-to" type="date" onChange={set('to')} />
        </div>
        <div class="row">
          <button type="submit" class="btn btn-primary" data-testid="audit-apply">
            {t('audit.apply')}
          </button>
          <button type="button" class="btn" onClick={exportCsv} disabled={!total()} data-testid="audit-export">
            {t('audit.export')}
          </button>
        </div>
      </form>
      <Show when={exporting()}>
        <p class="muted small" role="status">
          {exporting()}
        </p>
      </Show>
      <Show when={page.error}>
        <p class="error" role="alert">
          {errorText(page.error)}
        </p>
      </Show>
      <p class="muted small" data-testid="audit-count">
        {t('audit.count', { n: total() })}
      </p>
      <ListTable
        testid="audit-table"
        headers={[t('audit.at'), t('audit.actor'), t('audit.action'), t('audit.target'), t('audit.change')]}
        items={page()?.items}
        loading={page.loading}
      >
        {(e: AuditEntry) => (
          <tr data-testid="audit-row" data-action={e.action} data-target={e.target}>
            <td data-label={t('audit.at')}>
              <time datetime={e.at}>{new Date(e.at).toLocaleString(undefined, { timeZone: 'Asia/Shanghai', hour12: false })}</time>
            </td>
            <td data-label={t('audit.actor')} class="audit-actor">
              {e.actor.name}
              <span class="muted small"> ({e.actor.role === 'cli' ? t('audit.cli') : t(`role.${e.actor.role as 'supervisor'}`)})</span>
              <Show when={e.agencyId && supervisor()}>
                <br />
                <span class="muted small">{dir.agencyName(e.agencyId)}</span>
              </Show>
            </td>
            <td data-label={t('audit.action')}>
              <code>{e.action}</code>
            </td>
            <td data-label={t('audit.target')}>
              <code>{e.target}</code>
            </td>
            <td data-label={t('audit.change')} class="small audit-change">
              <ul class="plain">
                <For each={changesOf(e.before, e.after)}>
                  {(c) => (
                    <li>
                      <Show when={c.field}>
                        <span class="muted">{c.field}</span>{' '}
                      </Show>
                      <Show when={c.before !== undefined}>
                        <del>{c.before}</del>
                      </Show>
                      <Show when={c.before !== undefined && c.after !== undefined}> → </Show>
                      <Show when={c.after !== undefined}>
                        <ins>{c.after}</ins>
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
            </td>
          </tr>
        )}
      </ListTable>
      <nav class="row between" aria-label={t('audit.pages')}>
        <button type="button" class="btn" disabled={offset() === 0} onClick={() => setOffset(Math.max(0, offset() - PAGE))} data-testid="audit-prev">
          {t('audit.prev')}
        </button>
        <span class="muted small">{t('audit.range', { from: total() ? offset() + 1 : 0, to: Math.min(total(), offset() + PAGE), n: total() })}</span>
        <button type="button" class="btn" disabled={offset() + PAGE >= total()} onClick={() => setOffset(offset() + PAGE)} data-testid="audit-next">
          {t('audit.next')}
        </button>
      </nav>
    </section>
  );
}
