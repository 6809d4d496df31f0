/** The frame of every signed-in screen: app bar (product, role, total sync chip, language, sign-out), notices, main. */
import { Show, lazy, type JSX, type ParentProps } from 'solid-js';
import { A, useNavigate } from '@solidjs/router';
import { lang, setLang, t } from '../i18n';
import { poolStatus, principal, sessionExpired, signOut } from '../client/session-state';
// signed-in parts of the frame load with the first signed-in page, not with the sign-in screen
const AppBarSync = lazy(() => import('./SignedInNotices').then((m) => ({ default: m.AppBarSync })));
const SyncProgress = lazy(() => import('./SignedInNotices').then((m) => ({ default: m.SyncProgress })));
const StorageNotice = lazy(() => import('./SignedInNotices').then((m) => ({ default: m.StorageNotice })));
import { paths } from '../pages/routes';

export function AppBar(): JSX.Element {
  const navigate = useNavigate();
  const p = () => principal();
  return (
    <header class="appbar">
      <div class="appbar-row">
        <a class="brand" href="/">
          <img src="/icons/icon-192.png" alt="" width="28" height="28" />
          <span class="brand-name">{t('app.name')}</span>
        </a>
        <Show when={p()}>
          <AppBarSync />
        </Show>
      </div>
      <div class="appbar-row appbar-user">
        <Show when={p()} fallback={<span />}>
          {(pr) => (
            <span class="who">
              <span class="role-badge" data-testid="role">
                {t(`role.${pr().role}`)}
              </span>
              <span class="who-name" data-testid="user-name">
                {pr().name}
              </span>
            </span>
          )}
        </Show>
        <div class="appbar-tools">
          <button
            class="btn btn-bar"
            onClick={() => setLang(lang() === 'zh' ? 'en' : 'zh')}
            aria-label={t('app.langLabel')}
            lang={lang() === 'zh' ? 'en' : 'zh-CN'}
            data-testid="lang-switch"
          >
            {t('app.lang')}
          </button>
          <Show when={p()}>
            {/* a key at phone width (the name needs the room), the words from 480 px */}
            <A class="btn btn-bar btn-bar-icon" href={paths.password} data-testid="password-link" aria-label={t('password.title')} title={t('password.title')}>
              <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round">
                <circle cx="8" cy="15" r="4" />
                <path d="M10.8 12.2 20 3M17 6l3 3M14.5 8.5l2 2" />
              </svg>
              <span class="wide-only">{t('password.link')}</span>
            </A>
            <button
              class="btn btn-bar"
              data-testid="sign-out"
              onClick={async () => {
                await signOut();
                navigate('/login', { replace: true });
              }}
            >
              {t('app.signOut')}
            </button>
          </Show>
        </div>
      </div>
    </header>
  );
}

export function AppShell(props: ParentProps): JSX.Element {
  return (
    <>
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      <AppBar />
      <Show when={principal()}>
        <SyncProgress />
      </Show>
      <Show when={sessionExpired() || poolStatus().unauthorized}>
        <div class="notice notice-error" role="alert">
          {t('auth.expired')} <a href="/login">{t('login.title')}</a>
        </div>
      </Show>
      <Show when={principal() && !poolStatus().network}>
        <div class="notice notice-info" role="status" data-testid="offline-notice">
          {t('auth.offlineSession')}
        </div>
      </Show>
      <Show when={principal()}>
        <StorageNotice />
      </Show>
      <main id="main" tabindex="-1">
        {props.children}
      </main>
    </>
  );
}
