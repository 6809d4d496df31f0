/**
 * Public page `/c#<token>` (no sign-in): a plain phone camera opens it from the enterprise code's URL
 * form. Verifies the token (EC1 or JWS) with the platform keys (/api/keys, cached) and says who the enterprise is and
 * what 扫码入企 means; a check code (检查码) shows the agency, the inspectors and the window it names.
 */
import { Show, createResource, type JSX } from 'solid-js';
import { tx } from '../../i18n';
import { verifyCode, type VerifyResult } from '../../domain/codes';
import { refreshJwks } from '../../client/trust';
import { useDirectory } from '../stores/directory';
import { t } from '../../i18n/dict-field';

async function check(hash: string): Promise<VerifyResult | null> {
  const token = hash.replace(/^#/, '');
  if (!token) return null;
  const jwks = await refreshJwks();
  return verifyCode(token, jwks);
}

export default function PublicCodePage(): JSX.Element {
  const dir = useDirectory();
  const [res] = createResource(() => (typeof location !== 'undefined' ? location.hash : ''), check);
  return (
    <section class="page public-code">
      <h1 class="doc-title">{t('public.title')}</h1>
      <Show when={!res.loading} fallback={<p class="muted">{t('public.checking')}</p>}>
        <Show when={res()} fallback={<p class="notice notice-info">{t('public.none')}</p>}>
          {(r) => (
            <Show
              when={r().ok && r()}
              fallback={
                <p class="notice notice-error" role="alert" data-testid="public-invalid">
                  {t('public.invalid')}：{tx((r() as Extract<VerifyResult, { ok: false }>).message)}
                </p>
              }
            >
              {(ok) => {
                const v = ok() as Extract<VerifyResult, { ok: true }>;
                if (v.kind === 'chk') {
                  const c = v.payload;
                  return (
                    <article class="card" data-testid="public-valid" data-kind="chk">
                      <p class="notice notice-ok">{t('public.valid')}</p>
                      <h2>{t('public.chkTitle')}</h2>
                      <dl class="kv">
                        <dt>{t('enterprise.chkAgency')}</dt>
                        <dd>{dir.agencyName(c.agencyId)}</dd>
                        <dt>{t('enterprise.chkInspectors')}</dt>
                        <dd>{c.inspectors.map((i) => `${i.name}（${i.cert}）`).join('、')}</dd>
                        <dt>{t('enterprise.chkWindow')}</dt>
                        <dd>
                          {c.window.from}
                          {c.window.to !== c.window.from ? ` – ${c.window.to}` : ''}
                        </dd>
                        <dt>{t('enterprise.uscc')}</dt>
                        <dd>
                          <code>{c.uscc}</code>
                        </dd>
                      </dl>
                      <p class="muted">{t('public.chkLead')}</p>
                    </article>
                  );
                }
                return (
                  <article class="card" data-testid="public-valid" data-kind="ent">
                    <p class="notice notice-ok">{t('public.valid')}</p>
                    <h2>{v.payload.name}</h2>
                    <dl class="kv">
                      <dt>{t('enterprise.uscc')}</dt>
                      <dd>
                        <code>{v.payload.uscc}</code>
                      </dd>
                    </dl>
                  </article>
                );
              }}
            </Show>
          )}
        </Show>
      </Show>
      <section class="card">
        <h2>{t('public.what')}</h2>
        <p>{t('public.explain')}</p>
        <p>{t('enterprise.hotline', { hotline: '12345' })}</p>
      </section>
    </section>
  );
}
