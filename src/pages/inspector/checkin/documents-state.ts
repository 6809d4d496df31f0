/**
 * The documents of a checked-out inspection (现场检查笔录, 检查结果告知书): the hand signatures (both inspectors,
 * the enterprise's representative or their refusal), then both PDFs made on this phone (offline too), kept
 * as evidence with the signature images, and one signed document record each. Reopening the page shows the
 * documents already in the ledger instead of the pads.
 */
import { createSignal, type Accessor } from 'solid-js';
import type { DocumentRecord, DocumentSignature, Enterprise, EntryRecord, InspectionItem, LedgerRecord, ResultRecord } from '../../../domain/schemas';
import type { DocInput, DocSignature } from '../../../docs/pdf';
import { deviceKey } from '../../../client/trust';
import { keepFile, localFile } from '../../../client/evidence-store';
import { kickUploads } from '../../../client/evidence-upload';
import { saveEvidence } from '../../../ui/save-evidence';
import { nowIso } from '../../../domain/time';
import { errorText } from '../../../ui/errors';
import type * as Y from 'yjs';
import { DOC_KINDS, DOC_TITLE, appendDocument, docFileName, docInput } from '../docs-logic';
import { appealText } from '../../../docs/wording';
import { t } from '../../../i18n/dict-inspection';

export type PadKey = 'inspector-0' | 'inspector-1' | 'enterprise';

export interface DocumentsDeps {
  me: Accessor<{ userId: string } | null>;
  entry: Accessor<EntryRecord | null>;
  result: Accessor<ResultRecord | null>;
  history: Accessor<LedgerRecord[]>;
  ledger: Accessor<Y.Doc | null>;
  agencyName: Accessor<string>;
  catalogue: Accessor<readonly InspectionItem[]>;
  enterprise: Accessor<Enterprise | null | undefined>;
  enterpriseName: Accessor<string>;
  hotline: Accessor<string>;
}

const DOC_MISSING = {
  zh: '文书不在本机，暂时无法从服务器获取：请联网后重试',
  en: 'The document is not on this phone and the server cannot be reached: try again online',
};

const bytesOf = async (b: Blob) => new Uint8Array(await b.arrayBuffer());

/** Photos of the result that are on this phone, as the PDF embeds them (WebP and missing ones left out). */
async function photosOf(result: ResultRecord): Promise<{ photos: DocInput['photos']; missing: number }> {
  const photos: DocInput['photos'] = [];
  let missing = 0;
  for (const ref of result.evidence ?? []) {
    if (ref.kind !== 'photo' || (ref.type !== 'image/jpeg' && ref.type !== 'image/png')) continue;
    const blob = await localFile(ref.sha256);
    if (!blob) {
      missing++;
      continue;
    }
    photos.push({ bytes: await bytesOf(blob), type: ref.type, caption: ref.name });
  }
  return { photos, missing };
}

export function createDocuments(d: DocumentsDeps) {
  const [pads, setPads] = createSignal<Partial<Record<PadKey, Blob>>>({});
  const [repName, setRepName] = createSignal('');
  const [declined, setDeclined] = createSignal(false);
  const [progress, setProgress] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  /** the document records of this entry already in the ledger */
  const made = () => {
    const en = d.entry();
    return en ? d.history().filter((r): r is DocumentRecord => r.type === 'document' && r.entryId === en.id) : [];
  };
  const setPad = (k: PadKey, png: Blob | null) => {
    const next = { ...pads() };
    if (png) next[k] = png;
    else delete next[k];
    setPads(next);
  };
  const inspectors = () => (d.entry()?.team ?? []).slice(0, 2);
  const ready = () => {
    const p = pads();
    const insp = inspectors().every((_, i) => !!p[`inspector-${i}` as PadKey]);
    const rep = declined() || (!!p.enterprise && repName().trim().length >= 2);
    return insp && rep && !busy();
  };

  async function make(): Promise<void> {
    const en = d.entry();
    const res = d.result();
    const pr = d.me();
    const doc = d.ledger();
    if (!en || !res || !pr || !doc || !ready()) return;
    setBusy(true);
    setError(null);
    try {
      setProgress(t('docs.progress.gather'));
      const { photos, missing } = await photosOf(res);
      // the signature images: kept as evidence, their digests in the document records
      const stored: DocumentSignature[] = [];
      const printed: DocSignature[] = [];
      const sign = async (k: PadKey, party: DocumentSignature['party'], name: string, inspectorId?: string) => {
        const png = pads()[k];
        if (!png) return;
        const image = await keepFile(png, { kind: 'signature', uscc: en.uscc, name: `签名-${name}.png` });
        stored.push({ party, name, ...(inspectorId ? { inspectorId } : {}), image });
        printed.push({ role: party, name, png: await bytesOf(png) });
      };
      for (const [i, m] of inspectors().entries()) await sign(`inspector-${i}` as PadKey, 'inspector', m.name, m.inspectorId);
      if (!declined()) await sign('enterprise', 'enterprise', repName().trim());
      const e = d.enterprise();
      const { makeDocumentPdf } = await import('../../../docs/pdf');
      const key = await deviceKey(pr.userId);
      for (const kind of DOC_KINDS) {
        setProgress(t('docs.progress.make', { title: DOC_TITLE[kind] }));
        const input = docInput(kind, {
          entry: en,
          result: res,
          agencyName: d.agencyName(),
          catalogue: d.catalogue(),
          enterprise: {
            name: e?.name ?? d.enterpriseName(),
            uscc: en.uscc,
            ...(e?.address ? { address: e.address } : {}),
            ...(e?.legalRep ? { legalRep: e.legalRep } : {}),
          },
          appeal: appealText(d.hotline(), 'zh'),
          photos,
          signatures: printed,
          enterpriseDeclined: declined(),
          madeAt: nowIso(),
        });
        const pdf = await makeDocumentPdf(input);
        setProgress(t('docs.progress.keep'));
        const ref = await keepFile(new Blob([pdf as BlobPart], { type: 'application/pdf' }), {
          kind: 'document',
          uscc: en.uscc,
          name: docFileName(kind, en.id),
        });
        await appendDocument(doc, {
          entry: en,
          resultId: res.id,
          docKind: kind,
          by: pr.userId,
          pdf: ref,
          signatures: stored,
          enterpriseDeclined: declined(),
          key,
        });
      }
      kickUploads();
      setProgress(t('docs.progress.done') + (missing ? ` ${t('docs.missingPhoto', { n: missing })}` : ''));
    } catch (err) {
      setError(errorText(err));
      setProgress(null);
    } finally {
      setBusy(false);
    }
  }

  async function download(rec: DocumentRecord): Promise<void> {
    try {
      await saveEvidence(rec.uscc, rec.pdf.sha256, docFileName(rec.docKind, rec.entryId), DOC_MISSING);
    } catch (err) {
      setError(errorText(err));
    }
  }

  return { made, inspectors, pads, setPad, repName, setRepName, declined, setDeclined, ready, progress, error, busy, make, download };
}
export type Documents = ReturnType<typeof createDocuments>;
