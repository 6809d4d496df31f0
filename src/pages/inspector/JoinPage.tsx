/**
 * The second inspector signs an entry on their own phone (measure 2): scan the join code on the first
 * inspector's screen (or the enterprise's own code), check it offline (my agency, I am on the team, I did not
 * write the entry), see what is signed, then sign a cosign record with this phone's device key into
 * ledger/<uscc> (IndexedDB first: it uploads when online). The scanner module is loaded on first use.
 */
import { For, Show, createEffect, createSignal, onCleanup, type JSX } from 'solid-js';
import { A } from '@solidjs/router';
import { tx } from '../../i18n';
import { principal } from '../../client/app-state';
import { cachedJwks, deviceKey, refreshJwks } from '../../client/trust';
import { verifyCode } from '../../domain/codes';
import { parseJoinCode, recordHash } from '../../domain/evidence';
import { rooms } from '../../domain/rooms';
import type { EntryRecord } from '../../domain/schemas';
import { agencyView, ledgerRecordsView } from '../../model';
import type { Scanner } from '../../scan/scanner';
import { DocHeader } from '../../ui/DocHeader';
import { errorText } from '../../ui/errors';
import { useView } from '../stores/useView';
import { paths } from '../routes';
import { JOIN_MSG, appendCosign, entryForEnterpriseCode, joinProblem, type Me } from './join-logic';
import { hhmm } from './checkin/shared';
import { t } from '../../i18n/dict-inspection';

/** what is about to be signed */
interface Pending {
  via: 'screen' | 'enterprise_code';
  uscc: string;
  entryId: string;
  entryHash: string;
  agencyId: string;
  name: string;
  at: string;
  team: string[];
  /** the enterprise code scanned (via enterprise_code) */
  code?: string;
}

export default function JoinPage(): JSX.Element {
  const me = (): Me | null => {
    const p = principal();
    return p ? { userId: p.userId, agencyId: p.agencyId ?? null, inspectorId: p.inspectorId ?? null } : null;
  };
  const [uscc, setUscc] = createSignal<string | null>(null);
  const ledger = useView(
    () => (uscc() ? rooms.ledger(uscc()!) : null),
    () => (uscc() ? ledgerRecordsView(uscc()!) : null),
  );
  const agency = useView(() => (me()?.agencyId ? rooms.agency(me()!.agencyId!) : null), agencyView);
  const staffName = (id: string) => agency()?.staff.find((s) => s.id === id)?.name ?? id;
  const [pending, setPending] = createSignal<Pending | null>(null);
  /** an enterprise code waiting for the ledger (its entry is looked up there) */
  const [entCode, setEntCode] = createSignal<{ uscc: string; name: string; token: string } | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [done, setDone] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [scanning, setScanning] = createSignal(false);
  let scanner: Scanner | null = null;
  let viewfinder: HTMLDivElement | undefined;
  onCleanup(() => void scanner?.dispose());
  void refreshJwks();

  const records = () => ledger()?.items ?? [];
  const alreadySigned = (entryId: string) => records().some((r) => r.type === 'cosign' && r.entryId === entryId && r.by === me()?.userId);

  // joined with the enterprise's code: the entry comes from that enterprise's ledger on this phone (synced when online)
  createEffect(() => {
    const ec = entCode();
    const m = me();
    if (!ec || !m || !ledger.loaded()) return;
    const en = entryForEnterpriseCode(records(), m);
    if (!en) {
      setError(tx(JOIN_MSG.noEntry));
      return;
    }
    setError(null);
    void (async () => {
      const hash = await recordHash(en);
      setPending(fromEntry(en, hash, ec));
    })();
  });
  const fromEntry = (en: EntryRecord, entryHash: string, ec: { name: string; token: string }): Pending => ({
    via: 'enterprise_code',
    uscc: en.uscc,
    entryId: en.id,
    entryHash,
    agencyId: en.agencyId,
    name: ec.name,
    at: en.at,
    team: en.team.map((x) => x.inspectorId),
    code: ec.token,
  });

  async function onScanned(text: string): Promise<void> {
    const m = me();
    if (!m) return;
    setError(null);
    setDone(false);
    setPending(null);
    setEntCode(null);
    void scanner?.stop();
    setScanning(false);
    const code = parseJoinCode(text);
    if (code) {
      const problem = joinProblem(code, m);
      if (problem) return void setError(tx(problem));
      setUscc(code.uscc);
      setPending({
        via: 'screen',
        uscc: code.uscc,
        entryId: code.entryId,
        entryHash: code.entryHash,
        agencyId: code.agencyId,
        name: code.name,
        at: code.at,
        team: code.team,
      });
      return;
    }
    // the enterprise's own code instead: verified offline, then its ledger on this phone
    let v = await verifyCode(text, cachedJwks());
    if (!v.ok && navigator.onLine) v = await verifyCode(text, await refreshJwks());
    if (v.ok && v.kind === 'ent') {
      setUscc(v.payload.uscc);
      setEntCode({ uscc: v.payload.uscc, name: v.payload.name, token: v.token });
      return;
    }
    setError(tx(JOIN_MSG.notJoin));
  }

  async function startCamera(): Promise<void> {
    setError(null);
    setScanning(true);
    try {
      const { createScanner } = await import('../../scan/scanner');
      scanner ??= createScanner({ boxRatio: 0.9, onError: (e) => setError(tx(e.text)) });
      await scanner.start(viewfinder!, (text) => void onScanned(text));
    } catch (e) {
      setError(errorText(e));
      setScanning(false);
    }
  }
  async function onPhoto(f: File): Promise<void> {
    try {
      const { createScanner } = await import('../../scan/scanner');
      scanner ??= createScanner({});
      await onScanned(await scanner.scanFile(f));
    } catch (e) {
      setError(errorText(e));
    }
  }

  async function sign(): Promise<void> {
    const p = pending();
    const m = me();
    const h = ledger.handle();
    if (!p || !m || !h || busy()) return;
    if (alreadySigned(p.entryId)) return void setError(tx(JOIN_MSG.already));
    setBusy(true);
    try {
      const key = await deviceKey(m.userId);
      await appendCosign(h.doc, {
        uscc: p.uscc,
        entryId: p.entryId,
        entryHash: p.entryHash,
        agencyId: p.agencyId,
        by: m.userId,
        via: p.via,
        code: p.code,
        key,
      });
      setDone(true);
      setEntCode(null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="page join">
      <DocHeader title={t('join.title')} status={ledger.status() ?? agency.status()} />
      <p>
        <A href={paths.inspector}>{t('checkin.back')}</A>
      </p>
      <section class="card scan" aria-labelledby="join-h">
        <h3 id="join-h">{t('join.title')}</h3>
        <p class="muted">{t('join.lead')}</p>
        <button type="button" class="btn btn-primary btn-wide" data-testid="join-scan-start" disabled={scanning()} onClick={() => void startCamera()}>
          {t('join.scan')}
        </button>
        <div ref={viewfinder} class="viewfinder" classList={{ active: scanning() }} />
        <label class="btn btn-secondary photo">
          {t('join.photo')}
          <input
            type="file"
            accept="image/*"
            capture="environment"
            class="visually-hidden"
            data-testid="join-photo"
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (f) void onPhoto(f);
            }}
          />
        </label>
        <Show when={error()}>
          <p class="notice notice-error" role="alert" data-testid="join-error">
            {error()}
          </p>
        </Show>
      </section>
      <Show when={pending()}>
        {(p) => (
          <section class="card" aria-labelledby="join-sum-h" data-testid="join-summary" data-entry={p().entryId} data-via={p().via}>
            <h3 id="join-sum-h">{p().name}</h3>
            <dl class="kv">
              <dt>{t('join.enterprise')}</dt>
              <dd>
                {p().name} <code>{p().uscc}</code>
              </dd>
              <dt>{t('join.time')}</dt>
              <dd>{hhmm(p().at)}</dd>
              <dt>{t('join.team')}</dt>
              <dd>
                <For each={p().team}>{(id, i) => `${i() ? '、' : ''}${staffName(id)}`}</For>
              </dd>
              <dt>{t('join.viaLabel')}</dt>
              <dd>{t(`join.via.${p().via}`)}</dd>
            </dl>
            <Show
              when={!done()}
              fallback={
                <p class="notice notice-ok" role="status" data-testid="join-done">
                  {t('join.done')}
                </p>
              }
            >
              <button type="button" class="btn btn-primary btn-wide" data-testid="join-sign" disabled={busy() || !ledger.handle()} onClick={() => void sign()}>
                {t('join.sign')}
              </button>
            </Show>
          </section>
        )}
      </Show>
    </section>
  );
}
