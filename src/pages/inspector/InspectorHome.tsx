/**
 * Inspector home: my tasks today and for the rest of this week (Asia/Shanghai) from
 * tasks/<agencyId>/<year>, available offline; each card opens the check-in flow, and a triggered
 * inspection (complaint, referral, data monitoring, enterprise request) is started from here.
 */
import { For, Show, type JSX } from 'solid-js';
import { nameOf } from '../../i18n';
import { principal } from '../../client/app-state';
import { rooms } from '../../domain/rooms';
import { shanghaiThisYear, shanghaiToday, weekOf } from '../../domain/time';
import { tasksFor, tasksView, agencyView } from '../../model';
import type { InspectionItem, Inspector, Task } from '../../domain/schemas';
import { DocHeader } from '../../ui/DocHeader';
import { A } from '@solidjs/router';
import { paths } from '../routes';
import { useView } from '../stores/useView';
import { t } from '../../i18n/dict-inspection';

/** Monday..Sunday of the Shanghai week containing `today` */

export interface TaskCardProps {
  task: Task;
  items: InspectionItem[];
  staff: Inspector[];
}

export function TaskCard(p: TaskCardProps): JSX.Element {
  const itemNames = () =>
    p.task.itemIds.map((id) => {
      const it = p.items.find((x) => x.id === id);
      return it ? nameOf(it) : id;
    });
  const team = () => p.task.inspectorIds.map((id) => p.staff.find((s) => s.id === id)?.name ?? id);
  const kind = () =>
    p.task.kind.type === 'planned'
      ? t('inspector.kind.planned')
      : `${t('inspector.kind.triggered')} · ${t(`trigger.${p.task.kind.type === 'triggered' ? p.task.kind.trigger.kind : 'complaint'}`)}`;
  return (
    <article class="card task" data-testid="task-card" aria-label={p.task.enterpriseName}>
      <header class="task-head">
        <h3 class="task-title">{p.task.enterpriseName}</h3>
        <span class={`badge badge-${p.task.status}`}>{t(`task.status.${p.task.status}`)}</span>
      </header>
      <dl class="kv">
        <dt>{t('inspector.items')}</dt>
        <dd>{itemNames().join('、')}</dd>
        <dt>{t('inspector.window')}</dt>
        <dd>{p.task.window.from === p.task.window.to ? p.task.window.from : `${p.task.window.from} – ${p.task.window.to}`}</dd>
        <dt>{t('inspector.team')}</dt>
        <dd>{team().join('、')}</dd>
        <dt>{t('common.status')}</dt>
        <dd>{kind()}</dd>
      </dl>
      <Show when={p.task.status !== 'cancelled'}>
        <A class="btn btn-primary" href={paths.checkin(p.task.id)} data-testid="task-open">
          {t('checkin.open')}
        </A>
      </Show>
    </article>
  );
}

export function TaskList(p: { tasks: Task[]; items: InspectionItem[]; staff: Inspector[]; empty: string; testid: string }): JSX.Element {
  return (
    <div class="task-list" data-testid={p.testid}>
      <For each={p.tasks} fallback={<p class="muted">{p.empty}</p>}>
        {(task) => <TaskCard task={task} items={p.items} staff={p.staff} />}
      </For>
    </div>
  );
}

export default function InspectorHome(): JSX.Element {
  const me = () => principal();
  const today = shanghaiToday();
  const year = shanghaiThisYear();
  const week = weekOf(today);
  const tasks = useView(() => (me()?.agencyId ? rooms.tasks(me()!.agencyId!, year) : null), tasksView);
  const agency = useView(() => (me()?.agencyId ? rooms.agency(me()!.agencyId!) : null), agencyView);
  const mine = () => tasksFor(tasks()?.items ?? [], me()?.inspectorId ?? '');
  const todays = () => mine().filter((x) => x.window.from <= today && today <= x.window.to);
  const thisWeek = () =>
    mine().filter((x) => !(x.window.from <= today && today <= x.window.to) && x.window.to >= week.from && x.window.from <= week.to && x.window.to > today);
  return (
    <section class="page">
      <DocHeader title={t('inspector.title')} status={tasks.status()} />
      <section class="card triggered-start" aria-labelledby="trg-h">
        <h2 id="trg-h" class="section-title">
          {t('inspector.triggered')}
        </h2>
        <p class="muted">{t('inspector.triggeredLead')}</p>
        <A class="btn btn-secondary" href={paths.triggered} data-testid="start-triggered">
          {t('inspector.triggered')}
        </A>
      </section>
      <section class="card join-start" aria-labelledby="join-h">
        <h2 id="join-h" class="section-title">
          {t('join.open')}
        </h2>
        <p class="muted">{t('join.openLead')}</p>
        <A class="btn btn-secondary" href={paths.inspectorJoin} data-testid="join-open">
          {t('join.open')}
        </A>
      </section>
      <Show when={tasks.loaded()} fallback={<p class="muted">{t('app.loading')}</p>}>
        <h2 class="section-title">{t('inspector.today', { date: today })}</h2>
        <TaskList tasks={todays()} items={agency()?.items ?? []} staff={agency()?.staff ?? []} empty={t('inspector.noToday')} testid="tasks-today" />
        <h2 class="section-title">{t('inspector.week')}</h2>
        <TaskList tasks={thisWeek()} items={agency()?.items ?? []} staff={agency()?.staff ?? []} empty={t('inspector.noWeek')} testid="tasks-week" />
      </Show>
    </section>
  );
}
