/** Cards shown at every stage of the check-in: the task itself and its check code (检查码). */
import { Show, type JSX } from 'solid-js';
import type { Task } from '../../../domain/schemas';
import type { Checkin } from './controller';
import { t } from '../../../i18n/dict-inspection';

/** a time of day in Shanghai, as the records show it */
export const hhmm = (iso: string) =>
  new Date(iso).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, hour: '2-digit', minute: '2-digit' });

export function TaskCard(p: { ck: Checkin; task: Task }): JSX.Element {
  const tk = () => p.task;
  return (
    <article class="card" data-testid="checkin-task">
      <h2 class="task-title">{tk().enterpriseName}</h2>
      <dl class="kv">
        <dt>{t('enterprise.uscc')}</dt>
        <dd>
          <code>{tk().uscc}</code>
        </dd>
        <dt>{t('inspector.items')}</dt>
        <dd>{tk().itemIds.map(p.ck.itemName).join('、')}</dd>
        <dt>{t('checkin.method')}</dt>
        <dd data-testid="checkin-method" data-method={tk().method}>
          {t(`method.${tk().method}`)}
        </dd>
        <dt>{t('inspector.window')}</dt>
        <dd>
          {tk().window.from}
          {tk().window.to !== tk().window.from ? ` – ${tk().window.to}` : ''}
        </dd>
        <Show when={p.ck.triggerOf()}>
          {(tr) => (
            <>
              <dt>{t('checkin.triggerRef')}</dt>
              <dd data-testid="task-trigger">
                {t(`trigger.${tr().kind}`)} · {tr().ref}
              </dd>
            </>
          )}
        </Show>
      </dl>
    </article>
  );
}

export function CheckCodeCard(p: { ck: Checkin }): JSX.Element {
  const ck = p.ck;
  return (
    <section class="card check-code" aria-labelledby="cc-h">
      <h3 id="cc-h">{t('checkin.checkCode')}</h3>
      <button type="button" class="btn btn-secondary" data-testid="check-code-show" onClick={ck.toggleCheckCode}>
        {ck.codeOpen() ? t('checkin.checkCodeHide') : t('checkin.checkCodeShow')}
      </button>
      <Show when={ck.codeOpen()}>
        <Show when={ck.codeMsg()}>
          <p class="notice notice-warn" role="status">
            {ck.codeMsg()}
          </p>
        </Show>
        <Show when={ck.codeSvg() && !ck.codeMsg()}>
          <p class="muted">{t('checkin.checkCodeLead')}</p>
          {/* eslint-disable-next-line solid/no-innerhtml -- SVG made by the qrcode package from the platform's own code */}
          <div class="qr" data-testid="check-code-qr" innerHTML={ck.codeSvg()!} />
        </Show>
      </Show>
    </section>
  );
}
