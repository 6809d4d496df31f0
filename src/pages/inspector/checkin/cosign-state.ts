/**
 * The second inspector's signature of the entry, seen from the first phone: how many inspectors signed (from
 * the ledger, live) and the join code (a QR) for the second phone to scan.
 */
import { createSignal, type Accessor } from 'solid-js';
import { QR_ECL } from '../../../domain/codes';
import type { EntryRecord, LedgerRecord } from '../../../domain/schemas';
import { errorText } from '../../../ui/errors';
import { joinCodeText, signedCount } from '../join-logic';

export function createCosign(o: {
  entry: Accessor<EntryRecord | null>;
  history: Accessor<LedgerRecord[]>;
  enterpriseName: Accessor<string>;
  authorInspectorId: Accessor<string | null>;
}) {
  const [open, setOpen] = createSignal(false);
  const [text, setText] = createSignal<string | null>(null);
  const [svg, setSvg] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const signed = () => {
    const en = o.entry();
    return en ? signedCount(o.history(), en) : 1;
  };
  async function show(): Promise<void> {
    const en = o.entry();
    if (!en) return;
    // the entry as stored (parsed from the ledger), so its hash is the one the second phone and the server compute
    const stored = o.history().find((r): r is EntryRecord => r.type === 'entry' && r.id === en.id) ?? en;
    try {
      const code = await joinCodeText(stored, o.enterpriseName(), o.authorInspectorId() ?? stored.team[0].inspectorId);
      const QR = (await import('qrcode')).default;
      setSvg(await QR.toString(code, { type: 'svg', errorCorrectionLevel: QR_ECL.chk, margin: 2 }));
      setText(code);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
    setOpen(true);
  }
  return {
    signed,
    open,
    text,
    svg,
    error,
    toggle: () => {
      if (open()) setOpen(false);
      else void show();
    },
  };
}
export type CosignState = ReturnType<typeof createCosign>;
