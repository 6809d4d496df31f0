/** Entry: restore the session (works offline), then render. */
import { render } from 'solid-js/web';
import App from './app';
import { setLang, lang } from './i18n';
import { startSession, principal, requestPersistence } from './client/session-state';
import { authApi } from './client/agent';
import { followServerClock, restoreServerClock } from './client/server-clock';
import './ui/styles.css';

setLang(lang());
// a demo server on another day (CLOCK_NOW): its day is the app's, offline too
restoreServerClock();
startSession();
if (principal()) {
  void requestPersistence();
  // signed out, the sign-in page asks the same question (for its demo ribbon) and follows the answer
  void authApi.instance().then(followServerClock, () => {
    /* offline: the kept offset stays */
  });
}

const root = document.getElementById('root');
if (root) render(() => <App />, root);
