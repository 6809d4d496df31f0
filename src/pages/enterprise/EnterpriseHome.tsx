/**
 * Enterprise home: its profile (/api/enterprises/<uscc>, cached for offline), the check code of an
 * inspector at the door (verify), and every entry record about it from ledger/<uscc>, live, by year.
 * It acknowledges result notices (signed ledger records), rates inspections and refuses or complains
 * (feedback/<uscc>: anonymous to the inspecting agency), disputes an inspector's entry or result with a
 * signed record of its own (shown beside it, hiding nothing), and sees its quiet-period status and its
 * industry's legal-risk handbook. Its own code and A4 poster are at the end.
 */
import { For, Show, createEffect, createResource, createSignal, type JSX } from 'solid-js';
import { nameOf } from '../../i18n';
import { cacheGet, cacheSet, principal } from '../../client/app-state';
import { api } from '../../client/api';
import { EnterpriseCode as EnterpriseCodeSchema, type EnterpriseCode } from '../../protocol/codes';
import { deviceKey } from '../../client/trust';
import { signRecord } from '../../domain/record-signing';
import { appendRecord, disputesOf, agencyView, certificatesView, feedbackView, ledgerView } from '../../model';
import { useView } from '../stores/useView';
import { usePolicy } from '../stores/policy';
import { correctedId, effectiveRecords } from '../../domain/corrections';
import { DisputeForm, DisputeList } from '../../ui/Disputes';
import { shanghaiYear, shanghaiThisYear, shanghaiToday, nowIso, now } from '../../domain/time';
import { QR_ECL } from '../../domain/codes';
import { errorText } from '../../ui/errors';
import { complain, complaintsOf, defaultYear, ledgerYears, rate, ratingOf, type Rating } from './enterprise-logic';
import { ComplaintForm, ComplaintList, RateForm, type ComplaintInput } from './FeedbackForms';
import { HandbookCard, QuietCard } from './InfoCards';
import { CheckCodeVerify } from './CheckCodeVerify';
import { DrawResultsCard } from './DrawResultsCard';
import { newId } from '../stores/ids';
import { loadEnterprise } from '../stores/enterprise';
import { rooms } from '../../domain/rooms';
import type { Certificate, ConductRule, DisputeRecord, LedgerRecord } from '../../domain/schemas';
import { DocHeader } from '../../ui/DocHeader';
import { useDirectory } from '../stores/directory';
import { industryName } from '../../i18n/labels';
import { EntryDocs, EntrySignatures, EntrySources, RectifyCard, ResultEvidence } from './RecordExtras';
import { UploadStatus } from '../../ui/evidence/UploadStatus';
import type * as Y from 'yjs';
import { t } from '../../i18n/dict-field';

const hm = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour12: false,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });

type Entry = Extract<LedgerRecord, { type: 'entry' }>;
type Result = Extract<LedgerRecord, { type: 'result' }>;

interface FeedbackProps {
  rating: Rating | undefined;
  onRate: (score: number, comment: string) => void;
  rules: readonly ConductRule[];
  hotline: string;
  onComplain: (c: ComplaintInput) => string | null;
  /** the enterprise's disputes of a record, and how to file one */
  disputes: (refId: string) => DisputeRecord[];
  onDispute: (refId: string, text: string) => Promise<string | null>;
  /** the record an entry corrects (an allowed correction), to say so */
  corrects?: string;
}

function EntryCard(
  p: {
    entry: Entry;
    results: Result[];
    acked: (id: string) => boolean;
    onAck: (r: Result) => void;
    agencyName: (id: string) => string;
    certs: Certificate[];
    /** the ledger in force: cosigns, documents, rectification reports and reviews */
    records: readonly LedgerRecord[];
    ledger: Y.Doc | null;
    userId: string | null;
  } & FeedbackProps,
): JSX.Element {
  const items = useView(() => rooms.agency(p.entry.agencyId), agencyView);
  const itemName = (id: string) => {
    const it = items()?.items.find((x) => x.id === id);
    return it ? nameOf(it) : id;
  };
  const certText = (m: Entry['team'][number]) => {
    const c = p.certs.find((x) => x.number === m.certificateNumber);
    const valid = c ? c.status === 'valid' && c.expiresOn >= shanghaiToday() : m.certificateValid;
    return `${m.name}（${m.certificateNumber}${c ? ` · ${t('enterprise.certUntil')} ${c.expiresOn}` : ''}）${valid ? '✓' : '✗'}`;
  };
  return (
    <li class="card record record-entry" data-testid="ledger-record" data-type="entry" data-entry={p.entry.id}>
      <header class="task-head">
        <h3 class="task-title">
          {t(p.entry.method === 'offsite' ? 'ledger.entryOffsite' : p.entry.method === 'written' ? 'ledger.entryWritten' : 'ledger.entry')} ·{' '}
          {p.agencyName(p.entry.agencyId)}
        </h3>
      </header>
      <dl class="kv">
        <dt>{t('ledger.team')}</dt>
        <dd data-testid="entry-team">{p.entry.team.map(certText).join('、')}</dd>
        <dt>{t('enterprise.items')}</dt>
        <dd>{p.entry.itemIds.map(itemName).join('、')}</dd>
        <dt>{t('enterprise.timeIn')}</dt>
        <dd>{hm(p.entry.at)}</dd>
        <Show when={p.results[0]}>
          {(r) => (
            <>
              <dt>{t('enterprise.timeOut')}</dt>
              <dd>{hm(r().checkedOutAt)}</dd>
            </>
          )}
        </Show>
        <Show when={p.entry.kind.type === 'triggered' && p.entry.kind}>
          {(k) => (
            <>
              <dt>{t('enterprise.chkKind')}</dt>
              <dd data-testid="entry-kind">
                {t('inspector.kind.triggered')} · {t(`trigger.${(k() as Extract<Entry['kind'], { type: 'triggered' }>).trigger.kind}`)}
              </dd>
            </>
          )}
        </Show>
        <Show when={p.entry.via === 'late'}>
          <dt>{t('ledger.late')}</dt>
          <dd data-testid="entry-late">{p.entry.lateReason ?? ''}</dd>
        </Show>
      </dl>
      <EntrySignatures entry={p.entry} records={p.records} />
      <EntrySources entry={p.entry} />
      <Show when={p.corrects}>
        {(id) => (
          <p class="muted" data-testid="entry-corrected">
            {t('ledger.corrected', { id: id() })}
          </p>
        )}
      </Show>
      <DisputeList items={p.disputes(p.entry.id)} />
      <DisputeForm refId={p.entry.id} onSubmit={(text) => p.onDispute(p.entry.id, text)} />
      <For each={p.results}>
        {(r) => (
          <section class="result" data-testid="ledger-result" data-type="result">
            <h4>
              {t('ledger.result')} · {t(`ledger.outcome.${r.outcome}`)}
              {r.rectifyBy ? `（${t('checkin.rectifyBy')} ${r.rectifyBy}）` : ''}
            </h4>
            <pre class="notice-text" data-testid="result-notice">
              {r.notice}
            </pre>
            <ResultEvidence result={r} />
            <Show
              when={!p.acked(r.id)}
              fallback={
                <p class="ok" data-testid="acked">
                  {t('enterprise.acked')}
                </p>
              }
            >
              <button class="btn btn-primary" data-testid="ack" onClick={() => p.onAck(r)}>
                {t('enterprise.ack')}
              </button>
            </Show>
            <DisputeList items={p.disputes(r.id)} />
            <DisputeForm refId={r.id} onSubmit={(text) => p.onDispute(r.id, text)} />
            <Show when={r.outcome === 'rectify'}>
              <RectifyCard result={r} records={p.records} today={shanghaiToday()} ledger={p.ledger} userId={p.userId} />
            </Show>
          </section>
        )}
      </For>
      <EntryDocs entry={p.entry} records={p.records} />
      <RateForm entryId={p.entry.id} rating={p.rating} onRate={p.onRate} />
      <details class="complain-entry">
        <summary data-testid="complain-entry-open">{t('enterprise.complainEntry')}</summary>
        <ComplaintForm rules={p.rules} hotline={p.hotline} onSubmit={p.onComplain} testid="complaint-form-entry" />
      </details>
    </li>
  );
}

function CodeCard(p: { uscc: string; name: string; hotline?: string }): JSX.Element {
  const [code] = createResource(() => p.uscc, loadCode);
  const [qr] = createResource(
    () => code()?.qrText,
    async (text) => {
      const QR = (await import('qrcode')).default;
      return QR.toString(text, { type: 'svg', errorCorrectionLevel: QR_ECL.ent, margin: 2 });
    },
  );
  const [poster, setPoster] = createSignal(false);
  return (
    <section class="card code-card" aria-labelledby="code-title" data-testid="code-card">
      <h2 id="code-title">{t('enterprise.code')}</h2>
      <p class="muted">{t('enterprise.codeLead')}</p>
      <Show when={qr()} fallback={<p class="muted">{code.loading ? t('app.loading') : t('enterprise.codeMissing')}</p>}>
        {/* eslint-disable-next-line solid/no-innerhtml -- SVG made by the qrcode package from our own text */}
        <div class="qr" data-testid="enterprise-qr" innerHTML={qr()!} />
        <button
          class="btn btn-secondary"
          data-testid="poster-open"
          onClick={() => {
            setPoster(true);
            document.body.classList.add('printing-poster');
          }}
        >
          {t('enterprise.poster')}
        </button>
      </Show>
      <Show when={poster() && qr()}>
        <div class="poster" data-testid="poster" role="dialog" aria-label={t('enterprise.poster')}>
          <h1 class="poster-title">{t('enterprise.posterTitle')}</h1>
          <p class="poster-name">{p.name}</p>
          <p class="poster-uscc">
            {t('enterprise.uscc')}：{p.uscc}
          </p>
          <div class="poster-qr" innerHTML={qr()!} />
          <p>{t('enterprise.posterText')}</p>
          <p>{t('enterprise.posterRights')}</p>
          <p class="poster-hotline">{t('enterprise.hotline', { hotline: p.hotline ?? '12345' })}</p>
          <div class="poster-actions no-print">
            <button class="btn btn-primary" onClick={() => window.print()}>
              {t('enterprise.poster')}
            </button>
            <button
              class="btn btn-secondary"
              onClick={() => {
                setPoster(false);
                document.body.classList.remove('printing-poster');
              }}
            >
              {t('enterprise.posterClose')}
            </button>
          </div>
        </div>
      </Show>
    </section>
  );
}

async function loadCode(uscc: string): Promise<EnterpriseCode | null> {
  try {
    const c = await api.enterpriseCode(uscc);
    cacheSet(`code.${uscc}`, c);
    return c;
  } catch {
    const c = EnterpriseCodeSchema.safeParse(cacheGet(`code.${uscc}`));
    return c.success ? c.data : null;
  }
}

export default function EnterpriseHome(): JSX.Element {
  const uscc = () => principal()?.uscc ?? null;
  const [profile] = createResource(uscc, loadEnterprise);
  const ledger = useView(
    () => (uscc() ? rooms.ledger(uscc()!) : null),
    () => {
      const u = uscc();
      return u ? ledgerView(u) : null;
    },
  );
  const dir = useDirectory();
  const certs = useView(() => (uscc() ? rooms.registry() : null), certificatesView);
  // the records in force: a record superseded by an allowed correction (its author's own) is replaced by it
  const records = () => (ledger()?.items ?? []).map((s) => s.rec);
  const all = () => effectiveRecords(records());
  // older years are browsable; the newest year with an entry is shown first
  const thisYear = shanghaiThisYear();
  const years = () => ledgerYears(all(), thisYear);
  const [year, setYear] = createSignal<number | null>(null);
  const shownYear = () => year() ?? defaultYear(all(), thisYear);
  const entries = () =>
    all()
      .filter((r): r is Entry => r.type === 'entry' && shanghaiYear(r.at) === shownYear())
      .reverse();
  const resultsOf = (id: string) => all().filter((r): r is Result => r.type === 'result' && r.entryId === id);
  const acked = (id: string) => all().some((r) => r.type === 'ack' && r.refId === id);
  const [ackErr, setAckErr] = createSignal<string | null>(null);

  // feedback/<uscc>: ratings and complaints (write-once), and the city's conduct rules and hotline
  const feedback = useView(
    () => (uscc() ? rooms.feedback(uscc()!) : null),
    () => {
      const u = uscc();
      return u ? feedbackView(u) : null;
    },
  );
  const policy = usePolicy(uscc);
  const fb = () => feedback()?.items ?? [];
  function onRate(entryId: string, score: number, comment: string): void {
    const pr = principal();
    const h = feedback.handle();
    if (!pr?.uscc || !h || ratingOf(fb(), entryId)) return;
    try {
      rate(h.doc, { uscc: pr.uscc, by: pr.userId, entryId, score, comment });
    } catch (e) {
      setAckErr(errorText(e));
    }
  }
  function onComplain(entryId: string | undefined, c: ComplaintInput): string | null {
    const pr = principal();
    const h = feedback.handle();
    if (!pr?.uscc || !h) return t('app.loading');
    try {
      complain(h.doc, { uscc: pr.uscc, by: pr.userId, entryId, ...c });
      return null;
    } catch (e) {
      return errorText(e);
    }
  }
  // a year chosen before any record loaded must not hide the records of another year for ever
  createEffect(() => {
    const y = year();
    if (y !== null && !years().includes(y)) setYear(null);
  });
  async function onDispute(refId: string, text: string): Promise<string | null> {
    const pr = principal();
    const h = ledger.handle();
    if (!pr?.uscc || !h) return t('app.loading');
    try {
      const key = await deviceKey(pr.userId);
      const signed = await signRecord(
        { id: newId('dispute'), uscc: pr.uscc, at: nowIso(), by: pr.userId, type: 'dispute', refId, text: text.trim() },
        key.privateKey,
        key.kid,
      );
      appendRecord(h.doc, signed);
      return null;
    } catch (e) {
      return errorText(e);
    }
  }
  async function ack(r: Result): Promise<void> {
    const pr = principal();
    const h = ledger.handle();
    if (!pr || !h || acked(r.id)) return;
    try {
      const key = await deviceKey(pr.userId);
      const signed = await signRecord({ id: newId('ack'), uscc: r.uscc, at: nowIso(), by: pr.userId, type: 'ack', refId: r.id }, key.privateKey, key.kid);
      appendRecord(h.doc, signed);
    } catch (e) {
      setAckErr(errorText(e));
    }
  }
  return (
    <section class="page">
      <Show when={profile()} fallback={<p class="muted">{t('app.loading')}</p>}>
        {(r) => (
          <section class="card profile" aria-labelledby="profile-title" data-testid="profile">
            <h1 id="profile-title" class="doc-title">
              {r().profile?.name ?? t('enterprise.title')}
            </h1>
            <Show when={r().cached && r().profile}>
              <p class="notice notice-info">{t('enterprise.profileCached')}</p>
            </Show>
            <Show when={r().profile} fallback={<p class="muted">{t('enterprise.profileMissing')}</p>}>
              {(e) => (
                <dl class="kv">
                  <dt>{t('enterprise.uscc')}</dt>
                  <dd>
                    <code>{e().uscc}</code>
                  </dd>
                  <dt>{t('enterprise.legalRep')}</dt>
                  <dd>{e().legalRep}</dd>
                  <dt>{t('enterprise.address')}</dt>
                  <dd>{e().address}</dd>
                  <dt>{t('enterprise.industry')}</dt>
                  <dd>{industryName(e().industry)}</dd>
                  <dt>{t('enterprise.risk')}</dt>
                  <dd>{t(`risk.${e().riskLevel}`)}</dd>
                  <dt>{t('enterprise.credit')}</dt>
                  <dd>{e().creditLevel}</dd>
                  <dt>{t('enterprise.quiet')}</dt>
                  <dd>{e().quietZone ? t('enterprise.yes') : t('enterprise.no')}</dd>
                </dl>
              )}
            </Show>
          </section>
        )}
      </Show>
      <Show when={uscc()}>{(u) => <CheckCodeVerify uscc={u()} agencyName={dir.agencyName} />}</Show>
      <Show when={ackErr()}>
        <p class="notice notice-error" role="alert">
          {ackErr()}
        </p>
      </Show>
      <DocHeader title={t('enterprise.records')} status={ledger.status()} />
      <UploadStatus />
      <label class="field inline year-pick">
        {t('enterprise.year')}
        <select data-testid="ledger-year" value={shownYear()} onChange={(e) => setYear(Number(e.currentTarget.value))}>
          <For each={years()}>{(y) => <option value={y}>{t('enterprise.yearN', { y })}</option>}</For>
        </select>
      </label>
      <ul class="records" data-testid="ledger">
        <For
          each={entries()}
          fallback={
            <li class="muted">
              {ledger.loaded()
                ? all().some((r) => r.type === 'entry')
                  ? t('enterprise.noRecordsYear', { y: shownYear() })
                  : t('enterprise.noRecords')
                : t('app.loading')}
            </li>
          }
        >
          {(e) => (
            <EntryCard
              entry={e}
              results={resultsOf(e.id)}
              acked={acked}
              onAck={(r) => void ack(r)}
              agencyName={dir.agencyName}
              certs={certs()?.items ?? []}
              records={all()}
              ledger={ledger.handle()?.doc ?? null}
              userId={principal()?.userId ?? null}
              rating={ratingOf(fb(), e.id)}
              onRate={(s, c) => onRate(e.id, s, c)}
              rules={policy().conductRules}
              hotline={policy().hotline}
              onComplain={(c) => onComplain(e.id, c)}
              disputes={(id) => disputesOf(all(), id)}
              onDispute={onDispute}
              corrects={correctedId(e, records())}
            />
          )}
        </For>
      </ul>
      <DrawResultsCard />
      <section class="card complain" aria-labelledby="complain-h" data-testid="complain">
        <h2 id="complain-h" class="section-title">
          {t('enterprise.complain')}
        </h2>
        <ComplaintForm rules={policy().conductRules} hotline={policy().hotline} defaultRefused onSubmit={(c) => onComplain(undefined, c)} />
        <Show when={complaintsOf(fb()).length > 0}>
          <h3>{t('enterprise.myComplaints')}</h3>
          <ComplaintList items={complaintsOf(fb()).slice().reverse()} rules={policy().conductRules} />
        </Show>
      </section>
      <Show when={profile()?.profile}>
        {(e) => (
          <>
            <QuietCard enterprise={e()} policy={policy()} now={now()} />
            <HandbookCard industry={e().industry} agencyName={dir.agencyName} />
          </>
        )}
      </Show>
      <Show when={uscc()}>{(u) => <CodeCard uscc={u()} name={profile()?.profile?.name ?? ''} hotline={policy().hotline} />}</Show>
    </section>
  );
}
