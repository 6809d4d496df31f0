/** Entry: restore the session (works offline), then render. */
import { render } from 'solid-js/web';
import App from './app';
import { setLang, lang } from './i18n';
import { startSession, principal, requestPersistence } from './sync/app-state';
import './ui/styles.css';

setLang(lang());
startSession();
if (principal()) void requestPersistence();

const root = document.getElementById('root');
if (root) render(() => <App />, root);
