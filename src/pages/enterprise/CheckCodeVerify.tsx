/**
 * The enterprise verifies the check code (检查码) an inspector shows (measure 15): scan it with the camera
 * (the scanner module is loaded on the first tap only) or paste it. The signature is checked offline
 * with the cached platform keys; online, the server says what the code stands for: the agency, each
 * inspector's certificate status today, the items, and whether the plan is filed.
 */
import { For, Show, createSignal, onCleanup, type JSX } from 'solid-js';
import { tx, lang } from '../../i18n';
import { api, ApiError } from '../../client/api';
import { errorText } from '../../ui/errors';
import type { CheckCodeDetails } from '../../protocol/ledger';
import { cachedJwks, refreshJwks } from '../../client/trust';
import type { ChkPayload } from '../../domain/codes';
import type { Scanner } from '../../scan/scanner';
import { checkCheckCode } from './enterprise-logic';
import { t } from '../../i18n/dict-field';

export function CheckCodeVerify(p: { uscc: string; agencyName: (id: string) => string }): JSX.Element {
  const [msg, setMsg] = createSignal<string | null>(null);
  const [payload, setPayload] = createSignal<ChkPayload | null>(null);
  const [details, setDetails] = createSignal<CheckCodeDetails | null>(null);
  const [offline, setOffline] = createSignal(false);
  const [scanning, setScanning] = createSignal(false);
  const [pasted, setPasted] = createSignal('');
  let scanner: Scanner | null = null;
  let viewfinder!: HTMLDivElement;
  onCleanup(() => {
    void scanner?.dispose();
  });

  async function verify(text: string): Promise<void> {
    setMsg(null);
    setPayload(null);
    setDetails(null);
    setOffline(false);
    let r = await checkCheckCode(text, cachedJwks(), p.uscc);
    if (!r.ok && navigator.onLine) r = await checkCheckCode(text, await refreshJwks(), p.uscc);
    if (!r.ok) {
      setMsg(tx(r.message));
      return;
    }
    setPayload(r.payload);
    try {
      setDetails(await api.checkCodeDetails(r.token));
    } catch (e) {
      if (e instanceof ApiError && !e.network) setMsg(errorText(e));
      else setOffline(true);
    }
  }

  async function startScan(): Promise<void> {
    setScanning(true);
    setMsg(null);
    try {
      const { createScanner } = await import('../../scan/scanner');
      scanner ??= createScanner({ boxRatio: 0.9, onError: (e) => setMsg(tx(e.text)) });
      await scanner.start(viewfinder, (text) => {
        setScanning(false);
        void scanner?.stop();
        void verify(text);
      });
    } catch (e) {
      setScanning(false);
      setMsg(errorText(e));
    }
  }
  function stopScan(): void {
    setScanning(false);
    void scanner?.stop();
  }

  /** a check code names inspectors by certificate; the name comes from the server (or old codes) */
  const holderText = (i: { name?: string | null; cert: string }) => (i.name ? `${i.name}（${i.cert}）` : i.cert);
  const kindText = (d: CheckCodeDetails) => {
    const k = d.task.kind;
    if (!k) return '';
    return k.type === 'planned' ? t('inspector.kind.planned') : `${t('inspector.kind.triggered')} · ${t(`trigger.${k.trigger.kind}`)}`;
  };
  const planText = (d: CheckCodeDetails) => {
    if (d.task.kind?.type === 'triggered') return { text: t('enterprise.chkPlanNA'), ok: true };
    if (!d.plan.filed) return { text: t('enterprise.chkPlanNot', { year: d.plan.year }), ok: false };
    if (d.plan.changedSinceFiling) return { text: t('enterprise.chkPlanChanged', { year: d.plan.year }), ok: false };
    return { text: t('enterprise.chkPlanFiled', { year: d.plan.year }), ok: true };
  };

  return (
    <section class="card verify" aria-labelledby="verify-h" data-testid="verify">
      <h2 id="verify-h" class="section-title">
        {t('enterprise.verify')}
      </h2>
      <p class="muted">{t('enterprise.verifyLead')}</p>
      <div class="row">
        <Show
          when={!scanning()}
          fallback={
            <button class="btn btn-secondary" data-testid="verify-stop" onClick={stopScan}>
              {t('enterprise.verifyStop')}
            </button>
          }
        >
          <button class="btn btn-primary" data-testid="verify-scan" onClick={() => void startScan()}>
            {t('enterprise.verifyScan')}
          </button>
        </Show>
      </div>
      <div ref={viewfinder} class="viewfinder" classList={{ active: scanning() }} />
      <label class="field">
        {t('enterprise.verifyPaste')}
        <textarea rows={2} data-testid="verify-paste" value={pasted()} onInput={(e) => setPasted(e.currentTarget.value)} />
      </label>
      <button class="btn btn-secondary" data-testid="verify-go" disabled={!pasted()} onClick={() => void verify(pasted())}>
        {t('enterprise.verifyBtn')}
      </button>
      <Show when={msg()}>
        <p class="notice notice-error" role="alert" data-testid="verify-error">
          {msg()}
        </p>
      </Show>
      <Show when={payload()}>
        {(c) => (
          <article class="chk" data-testid="verify-result">
            <p class="notice notice-ok" role="status">
              {t('enterprise.chkValid')}
            </p>
            <Show
              when={details()}
              fallback={
                <>
                  <Show when={offline()}>
                    <p class="notice notice-info" data-testid="verify-offline">
                      {t('enterprise.chkOffline')}
                    </p>
                  </Show>
                  <dl class="kv">
                    <dt>{t('enterprise.chkAgency')}</dt>
                    <dd>{p.agencyName(c().agencyId)}</dd>
                    <dt>{t('enterprise.chkWindow')}</dt>
                    <dd>
                      {c().window.from}
                      {c().window.to !== c().window.from ? ` – ${c().window.to}` : ''}
                    </dd>
                    <dt>{t('enterprise.chkInspectors')}</dt>
                    <dd>{c().inspectors.map(holderText).join('、')}</dd>
                  </dl>
                </>
              }
            >
              {(d) => (
                <dl class="kv" data-testid="verify-details">
                  <dt>{t('enterprise.chkAgency')}</dt>
                  <dd data-testid="chk-agency">{lang() === 'en' ? d().agency.nameEn : d().agency.name}</dd>
                  <dt>{t('enterprise.chkWindow')}</dt>
                  <dd>
                    {d().window.from}
                    {d().window.to !== d().window.from ? ` – ${d().window.to}` : ''}
                  </dd>
                  <Show when={d().task.kind}>
                    <dt>{t('enterprise.chkKind')}</dt>
                    <dd>{kindText(d())}</dd>
                  </Show>
                  <dt>{t('enterprise.chkInspectors')}</dt>
                  <dd>
                    <ul class="plain" data-testid="chk-inspectors">
                      <For each={d().inspectors}>
                        {(i) => (
                          <li data-state={i.state}>
                            {holderText(i)}{' '}
                            <span class={`badge badge-cert-${i.state === 'valid' ? 'valid' : i.state === 'expired' ? 'expired' : 'revoked'}`}>
                              {t(`cert.${i.state}`)}
                            </span>
                            {i.expiresOn && i.state !== 'unknown' ? <small class="muted"> {t('enterprise.certExpires', { date: i.expiresOn })}</small> : null}
                          </li>
                        )}
                      </For>
                    </ul>
                  </dd>
                  <dt>{t('enterprise.chkItems')}</dt>
                  <dd data-testid="chk-items">
                    <Show when={d().task.found} fallback={<span class="bad">{t('enterprise.chkTaskMissing')}</span>}>
                      {d()
                        .task.items.map((x) => (lang() === 'en' ? x.nameEn : x.name))
                        .join('、')}
                    </Show>
                  </dd>
                  <dt>{t('enterprise.chkPlan')}</dt>
                  <dd data-testid="chk-plan" data-ok={String(planText(d()).ok)} class={planText(d()).ok ? 'ok' : 'bad'}>
                    {planText(d()).text}
                  </dd>
                </dl>
              )}
            </Show>
          </article>
        )}
      </Show>
    </section>
  );
}
