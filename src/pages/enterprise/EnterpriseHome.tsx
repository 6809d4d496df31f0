/**
 * Enterprise home: its profile (/api/enterprises/<uscc>, cached for offline) and every entry record
 * about it from ledger/<uscc>, live and read-only. Issue 4 adds acknowledging, rating and complaints.
 */
import { For, Show, Switch, Match, createMemo, createResource, type JSX } from 'solid-js';
import { t } from '../../i18n';
import { cacheGet, cacheSet, currentSession, principal, useDoc } from '../../sync/app-state';
import { api } from '../../sync/api';
import { rooms } from '../../domain/rooms';
import { Enterprise, type LedgerRecord } from '../../domain/schemas';
import { DocHeader } from '../../ui/DocHeader';
import { ledgerSlice } from '../slices/records';
import { useDirectory } from '../slices/directory';
import { industryName } from '../../i18n/labels';

async function loadProfile(uscc: string): Promise<{ profile: Enterprise | null; cached: boolean }> {
  const token = currentSession()?.token;
  try {
    if (!token) throw new Error('no token');
    const e = await api.enterprise(uscc, token);
    cacheSet(`enterprise.${uscc}`, e);
    return { profile: e, cached: false };
  } catch {
    const c = Enterprise.safeParse(cacheGet(`enterprise.${uscc}`));
    return { profile: c.success ? c.data : null, cached: true };
  }
}

function Record(p: { rec: LedgerRecord; agencyName: (id: string) => string }): JSX.Element {
  const time = () => p.rec.at.replace('T', ' ').slice(0, 16);
  return (
    <li class={`card record record-${p.rec.type}`} data-testid="ledger-record" data-type={p.rec.type}>
      <Switch>
        <Match when={p.rec.type === 'entry' && p.rec}>
          {(r) => {
            const e = r() as Extract<LedgerRecord, { type: 'entry' }>;
            return (
              <>
                <header class="task-head"><h3 class="task-title">{t('ledger.entry')} · {p.agencyName(e.agencyId)}</h3><time class="muted small">{time()}</time></header>
                <dl class="kv">
                  <dt>{t('ledger.team')}</dt>
                  <dd>{e.team.map((m) => `${m.name}（${m.certificateNumber}）`).join('、')}</dd>
                  <Show when={e.via === 'late'}><dt>{t('ledger.late')}</dt><dd>{e.lateReason ?? ''}</dd></Show>
                </dl>
              </>
            );
          }}
        </Match>
        <Match when={p.rec.type === 'result' && p.rec}>
          {(r) => {
            const e = r() as Extract<LedgerRecord, { type: 'result' }>;
            return (
              <>
                <header class="task-head"><h3 class="task-title">{t('ledger.result')} · {t(`ledger.outcome.${e.outcome}`)}</h3><time class="muted small">{time()}</time></header>
                <dl class="kv"><dt>{t('ledger.notice')}</dt><dd>{e.notice}</dd></dl>
              </>
            );
          }}
        </Match>
        <Match when={p.rec.type === 'ack'}>
          <header class="task-head"><h3 class="task-title">{t('ledger.ack')}</h3><time class="muted small">{time()}</time></header>
        </Match>
      </Switch>
    </li>
  );
}

export default function EnterpriseHome(): JSX.Element {
  const uscc = () => principal()?.uscc ?? null;
  const [profile] = createResource(uscc, loadProfile);
  const doc = useDoc(() => (uscc() ? rooms.ledger(uscc()!) : null));
  const ledger = createMemo(() => { const h = doc.handle(); const u = uscc(); return h && u ? ledgerSlice(h, u) : null; });
  const dir = useDirectory();
  const records = () => [...(ledger()?.items ?? [])].reverse();
  return (
    <section class="page">
      <Show when={profile()} fallback={<p class="muted">{t('app.loading')}</p>}>
        {(r) => (
          <section class="card profile" aria-labelledby="profile-title" data-testid="profile">
            <h1 id="profile-title" class="doc-title">{r().profile?.name ?? t('enterprise.title')}</h1>
            <Show when={r().cached && r().profile}><p class="notice notice-info">{t('enterprise.profileCached')}</p></Show>
            <Show when={r().profile} fallback={<p class="muted">{t('enterprise.profileMissing')}</p>}>
              {(e) => (
                <dl class="kv">
                  <dt>{t('enterprise.uscc')}</dt><dd><code>{e().uscc}</code></dd>
                  <dt>{t('enterprise.legalRep')}</dt><dd>{e().legalRep}</dd>
                  <dt>{t('enterprise.address')}</dt><dd>{e().address}</dd>
                  <dt>{t('enterprise.industry')}</dt><dd>{industryName(e().industry)}</dd>
                  <dt>{t('enterprise.risk')}</dt><dd>{t(`risk.${e().riskLevel}`)}</dd>
                  <dt>{t('enterprise.credit')}</dt><dd>{e().creditLevel}</dd>
                  <dt>{t('enterprise.quiet')}</dt><dd>{e().quietZone ? t('enterprise.yes') : t('enterprise.no')}</dd>
                </dl>
              )}
            </Show>
          </section>
        )}
      </Show>
      <DocHeader title={t('enterprise.records')} status={doc.status()} />
      <ul class="records" data-testid="ledger">
        <For each={records()} fallback={<li class="muted">{doc.loaded() ? t('enterprise.noRecords') : t('app.loading')}</li>}>
          {(s) => <Record rec={s.rec} agencyName={dir.agencyName} />}
        </For>
      </ul>
    </section>
  );
}
