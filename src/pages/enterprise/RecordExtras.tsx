/**
 * What an entry and its results carry besides the notice, on the enterprise's home: how many inspectors
 * signed (single-signature entries are marked), an off-site inspection's data sources, the results'
 * evidence, the documents (downloaded as PDF), and the rectification report on a result that ordered one.
 */
import { For, Show, createSignal, type JSX } from 'solid-js';
import type * as Y from 'yjs';
import type { DocumentRecord, EntryRecord, EvidenceRef, LedgerRecord, ResultRecord } from '../../domain/schemas';
import { EvidenceCapture } from '../../ui/evidence/EvidenceCapture';
import { EvidenceThumbs } from '../../ui/evidence/EvidenceThumbs';
import { kickUploads } from '../../client/evidence-upload';
import { saveEvidence } from '../../ui/save-evidence';
import { deviceKey } from '../../client/trust';
import { followUpOf } from '../../ui/followup';
import { FollowUpReports } from '../../ui/FollowUpReview';
import { errorText } from '../../ui/errors';
import { RECTIFY_TEXT_MIN, appendRectification, entDocFileName } from './enterprise-logic';
import { t, zh as dictZh, en as dictEn } from '../../i18n/dict-inspection';
import { SourcesList } from '../../ui/SourcesList';

const hm = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

/** 1 or 2 device signatures: the entry's author, and a second inspector's cosign */
export function EntrySignatures(p: { entry: EntryRecord; records: readonly LedgerRecord[] }): JSX.Element {
  const n = () => (p.records.some((r) => r.type === 'cosign' && r.entryId === p.entry.id && r.by !== p.entry.by) ? 2 : 1);
  return (
    <p class={n() === 2 ? 'ok' : 'notice notice-warn'} data-testid="entry-signatures" data-signed={String(n())}>
      {t(n() === 2 ? 'ent.signatures.2' : 'ent.signatures.1')}
    </p>
  );
}

export function EntrySources(p: { entry: EntryRecord }): JSX.Element {
  return (
    <Show when={p.entry.via === 'offsite'}>
      <section class="sources" data-testid="entry-sources">
        <p class="muted">{t('ent.offsite')}</p>
        <SourcesList sources={p.entry.sources ?? []} />
      </section>
    </Show>
  );
}

/** the documents of an entry: each downloaded from this phone's copy or the server */
export function EntryDocs(p: { entry: EntryRecord; records: readonly LedgerRecord[] }): JSX.Element {
  const docs = () => p.records.filter((r): r is DocumentRecord => r.type === 'document' && r.entryId === p.entry.id);
  const [error, setError] = createSignal<string | null>(null);
  async function download(d: DocumentRecord): Promise<void> {
    setError(null);
    try {
      await saveEvidence(d.uscc, d.pdf.sha256, entDocFileName(d), { zh: dictZh['ent.docMissing'], en: dictEn['ent.docMissing'] });
    } catch (e) {
      setError(errorText(e));
    }
  }
  return (
    <Show when={docs().length}>
      <section class="docs">
        <h4>{t('ent.docs')}</h4>
        <ul>
          <For each={docs()}>
            {(d) => (
              <li data-testid="ent-doc" data-kind={d.docKind}>
                {t(`docs.kind.${d.docKind}`)} · {hm(d.at)}
                {d.enterpriseDeclined ? ` · ${t('ent.declined')}` : ''}{' '}
                <button type="button" class="btn btn-secondary" data-testid="ent-doc-download" onClick={() => void download(d)}>
                  {t('ent.download')}
                </button>
              </li>
            )}
          </For>
        </ul>
        <Show when={error()}>
          <p class="notice notice-error" role="alert">
            {error()}
          </p>
        </Show>
      </section>
    </Show>
  );
}

/** the photos and files of a result */
export function ResultEvidence(p: { result: ResultRecord }): JSX.Element {
  return (
    <Show when={p.result.evidence?.length}>
      <EvidenceThumbs uscc={p.result.uscc} refs={p.result.evidence ?? []} />
    </Show>
  );
}

/** A result that ordered rectification: its status, the reports and decisions so far, and a new report. */
export function RectifyCard(p: {
  result: ResultRecord;
  records: readonly LedgerRecord[];
  today: string;
  ledger: Y.Doc | null;
  userId: string | null;
}): JSX.Element {
  const fu = () => followUpOf(p.records, p.result.id, p.today);
  const [text, setText] = createSignal('');
  const [refs, setRefs] = createSignal<EvidenceRef[]>([]);
  // the text is read when shown, so a message follows a change of language
  const [msg, setMsg] = createSignal<{ ok: boolean; text: () => string } | null>(null);
  const [busy, setBusy] = createSignal(false);
  const open = () => fu().status !== 'accepted' && fu().status !== 'reported';
  async function submit(): Promise<void> {
    if (!p.ledger || !p.userId || busy()) return;
    if (text().trim().length < RECTIFY_TEXT_MIN) return void setMsg({ ok: false, text: () => t('ent.rectifyTooShort') });
    setBusy(true);
    try {
      const key = await deviceKey(p.userId);
      await appendRectification(p.ledger, { uscc: p.result.uscc, by: p.userId, resultId: p.result.id, text: text(), evidence: refs(), key });
      kickUploads();
      setText('');
      setRefs([]);
      setMsg({ ok: true, text: () => t('ent.rectifySent') });
    } catch (e) {
      setMsg({ ok: false, text: () => errorText(e) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="card rectify" data-testid="rectify-card" data-result={p.result.id}>
      <h4>{t('ent.rectify')}</h4>
      <p
        class={`notice ${fu().status === 'accepted' ? 'notice-ok' : fu().status === 'overdue' ? 'notice-error' : 'notice-warn'}`}
        data-testid="rectify-status"
        data-status={fu().status}
      >
        {t(`followup.status.${fu().status}`)}
        {p.result.rectifyBy ? ` · ${t('followup.by')} ${p.result.rectifyBy}` : ''}
      </p>
      <Show when={fu().reports.length}>
        <h5>{t('ent.reports')}</h5>
        <FollowUpReports uscc={p.result.uscc} fu={fu()} />
      </Show>
      <Show when={open()}>
        <label class="field">
          {t('ent.rectifyText')}
          <textarea data-testid="rectify-text" rows={4} maxLength={500} value={text()} onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        <EvidenceThumbs uscc={p.result.uscc} refs={refs()} />
        <EvidenceCapture
          uscc={p.result.uscc}
          onAdded={(ref) => {
            if (!refs().some((r) => r.sha256 === ref.sha256) && refs().length < 20) setRefs([...refs(), ref]);
          }}
        />
        <button type="button" class="btn btn-primary" data-testid="rectify-submit" disabled={busy() || !p.ledger} onClick={() => void submit()}>
          {t('ent.rectifySubmit')}
        </button>
      </Show>
      <Show when={msg()}>
        {(m) => (
          <p class={`notice ${m().ok ? 'notice-ok' : 'notice-error'}`} role="status" data-testid="rectify-msg">
            {m().text()}
          </p>
        )}
      </Show>
    </section>
  );
}
