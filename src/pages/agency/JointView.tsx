/**
 * The joint-plan editor's view: pure rendering of a JointSlice plus the directory, the members'
 * catalogues and the inspectors. Each member edits its own items and who goes for it; the shared
 * title, window and targets are everyone's. Other people's focus shows on the field they edit.
 */
import { For, Index, Show, createMemo, createSignal, type JSX } from 'solid-js';
import { A } from '@solidjs/router';
import { tx, nameOf } from '../../i18n';
import { INDUSTRIES, industryName } from '../../i18n/labels';
import type { Agency, Certificate, Division, InspectionItem, Inspector, Text } from '../../domain/schemas';
import type { JointItem } from '../../model';
import type { JointSlice, TargetField } from '../stores/joint';
import type { Peer } from '../stores/collab';
import { CollabField, UndoButtons } from './CollabField';
import { paths } from '../routes';
import { t } from '../../i18n/dict-plans';

const RISKS = ['low', 'medium', 'high', 'major'] as const;
const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

export interface FilingProblem {
  text: string;
}

export interface JointViewProps {
  slice: JointSlice;
  readOnly: boolean;
  myAgencyId: string | null;
  isLead: boolean;
  agencies: Agency[];
  divisions: Division[];
  catalogues: Map<string, InspectionItem[]>;
  inspectors: Inspector[];
  certificates: Certificate[];
  today: string;
  onInvite(agencyId: string): Promise<Text | null>;
  /** agencies invited that have not accepted yet (not members: no access until they accept) */
  invited?: string[];
  onSubmit(): Promise<{ message: Text | null; problems: string[] }>;
}

const toggle = <T,>(list: readonly T[], v: T) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

function Avatar(p: { peer: Peer }): JSX.Element {
  return (
    <span class="avatar" style={{ 'background-color': p.peer.user.color }} title={p.peer.user.name} aria-hidden="true">
      {p.peer.user.name.slice(0, 1)}
    </span>
  );
}

function Presence(p: { peers: Peer[]; agencyName: (id?: string) => string }): JSX.Element {
  return (
    <div class="presence" aria-label={t('joint.presence')} data-testid="presence">
      <span class="muted small">{t('joint.presence')}：</span>
      <ul class="presence-list">
        <For each={p.peers}>
          {(peer) => (
            <li class="presence-user" data-testid="presence-user" data-self={peer.self ? '1' : '0'} data-agency={peer.user.agencyId ?? ''}>
              <Avatar peer={peer} />
              <span class="presence-name" title={p.agencyName(peer.user.agencyId)}>
                {peer.user.name}
                {peer.self ? t('plan.you') : ''}
              </span>
            </li>
          )}
        </For>
      </ul>
    </div>
  );
}

/** a labelled field that shows who else is editing it and its validation error */
function JField(p: {
  slice: JointSlice;
  itemId: string;
  field: string;
  label: string;
  for?: string;
  group?: boolean;
  error?: string;
  children: JSX.Element;
}): JSX.Element {
  return <CollabField {...p} />;
}

function ItemCard(p: { item: JointItem; props: JointViewProps; catalogue: Map<string, InspectionItem> }): JSX.Element {
  const s = p.props.slice;
  const mine = () => !p.props.readOnly && p.item.agencyId === p.props.myAgencyId;
  const base = p.item.id.replace(/[^A-Za-z0-9_-]/g, '_');
  const cat = () => p.catalogue.get(p.item.itemId);
  const title = () => (cat() ? nameOf(cat()) : t('plan.unknownItem', { id: p.item.itemId }));
  const targets = () =>
    [...p.item.targets.industries.map(industryName), ...p.item.targets.riskLevels.map((r) => t('joint.riskShort', { r: t(`risk.${r}`) }))].join('、') ||
    t('common.all');
  return (
    <article class="card joint-item" data-testid="joint-item" data-item-id={p.item.id} data-agency={p.item.agencyId} aria-labelledby={`${base}-title`}>
      <header class="plan-item-head">
        <h4 id={`${base}-title`} class="plan-item-title">
          <span class="muted small">{cat()?.code ?? ''}</span> {title()}
        </h4>
        <Show when={mine()}>
          <button
            type="button"
            class="btn btn-ghost btn-danger btn-small"
            onClick={() => s.removeItem(p.item.id)}
            aria-label={`${t('plan.remove')}：${title()}`}
            data-testid="joint-remove-item"
          >
            {t('plan.removeShort')}
          </button>
        </Show>
      </header>
      <p class="muted small">
        {t('joint.itemTargets')}：{targets()}
      </p>
      <fieldset class="plan-item-body" disabled={!mine()}>
        <JField slice={s} itemId={p.item.id} field="months" label={t('plan.months')} group error={s.errors[`${p.item.id}:months`]}>
          <div class="months" data-testid="months">
            <Index each={MONTHS}>
              {(m) => (
                <button
                  type="button"
                  class="month"
                  aria-pressed={p.item.months.includes(m()) ? 'true' : 'false'}
                  data-month={m()}
                  aria-label={t('plan.month', { m: m() })}
                  onClick={() =>
                    s.setItemField(
                      p.item.id,
                      'months',
                      toggle(p.item.months, m()).sort((a, b) => a - b),
                    )
                  }
                >
                  {m()}
                </button>
              )}
            </Index>
          </div>
        </JField>
        <JField slice={s} itemId={p.item.id} field="who" label={t('joint.who')} for={`${base}-who`} error={s.errors[`${p.item.id}:who`]}>
          <input
            id={`${base}-who`}
            type="text"
            value={p.item.who}
            placeholder={t('joint.whoHint')}
            onInput={(e) => s.setItemField(p.item.id, 'who', e.currentTarget.value)}
            data-testid="joint-who"
          />
        </JField>
      </fieldset>
    </article>
  );
}

export function JointView(props: JointViewProps): JSX.Element {
  const s = props.slice;
  const j = () => s.joint;
  const agencyName = (id?: string) => {
    if (!id) return '';
    const a = props.agencies.find((x) => x.id === id);
    return a ? nameOf(a) : (j().members.find((m) => m.agencyId === id)?.name ?? id);
  };
  const catById = createMemo(() => {
    const m = new Map<string, InspectionItem>();
    for (const items of props.catalogues.values()) for (const it of items) m.set(it.id, it);
    return m;
  });
  const memberIds = () => [...new Set([...j().members.map((m) => m.agencyId), ...j().items.map((i) => i.agencyId)])];
  const ro = () => props.readOnly;
  const targets = () => j().meta?.targets ?? { industries: [], divisions: [], riskLevels: [] };
  const setTarget = (f: TargetField, v: string[]) => s.setTarget(f, v);

  // add an item of my catalogue
  const [pick, setPick] = createSignal('');
  const [addError, setAddError] = createSignal<string | null>(null);
  const myCatalogue = () => (props.myAgencyId ? (props.catalogues.get(props.myAgencyId) ?? []) : []).filter((x) => x.published !== false);
  const add = () => {
    const it = myCatalogue().find((x) => x.id === pick());
    if (!it) {
      setAddError(t('plan.pickFirst'));
      return;
    }
    setAddError(null);
    if (s.addItem(it)) setPick('');
  };

  // invite (lead)
  const [invitePick, setInvitePick] = createSignal('');
  const [inviteMsg, setInviteMsg] = createSignal<{ ok: boolean; text: string } | null>(null);
  const invitable = () => props.agencies.filter((a) => a.kind === 'enforcement' && !memberIds().includes(a.id) && !(props.invited ?? []).includes(a.id));
  const invite = async () => {
    if (!invitePick()) {
      setInviteMsg({ ok: false, text: t('joint.invitePick') });
      return;
    }
    const err = await props.onInvite(invitePick());
    // an invitation: the agency joins when its admin accepts
    setInviteMsg(
      err
        ? { ok: false, text: tx(err) }
        : {
            ok: true,
            text: tx({
              zh: `已邀请${agencyName(invitePick())}，对方管理员接受后即成为成员`,
              en: `${agencyName(invitePick())} is invited and becomes a member when its admin accepts`,
            }),
          },
    );
    if (!err) setInvitePick('');
  };

  // who goes (my agency)
  const certOf = (i: Inspector) => props.certificates.find((c) => c.number === i.certificateNumber && c.inspectorId === i.id);
  const certOk = (i: Inspector) => {
    const c = certOf(i);
    return !!c && c.status === 'valid' && c.expiresOn >= props.today;
  };
  const teamOf = (agencyId: string) => j().team.find((x) => x.agencyId === agencyId)?.inspectorIds ?? [];
  const inspectorName = (id: string) => props.inspectors.find((x) => x.id === id)?.name ?? id;
  const myInspectors = () => props.inspectors.filter((i) => i.agencyId === props.myAgencyId && i.active !== false);

  // comments
  const [draft, setDraft] = createSignal('');
  const send = () => {
    if (draft().trim() && s.comment(draft())) setDraft('');
  };
  const at = (iso: string) =>
    new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

  // filing
  const [filing, setFiling] = createSignal<{ busy: boolean; message: Text | null; problems: string[] } | null>(null);
  const submit = async () => {
    setFiling({ busy: true, message: null, problems: [] });
    const r = await props.onSubmit();
    setFiling({ busy: false, ...r });
  };

  return (
    <div class="plan-editor joint-editor">
      <div class="toolbar" role="toolbar" aria-label={t('plan.undo')}>
        <Presence peers={s.peers()} agencyName={agencyName} />
        <Show when={!ro()}>
          <UndoButtons slice={s} />
        </Show>
      </div>
      <Show when={j().invalid.length > 0}>
        <div class="notice notice-warn" role="status">
          {t('plan.invalid', { n: j().invalid.length })}
          <ul>
            <For each={j().invalid}>
              {(x) => (
                <li>
                  <code>{x.key}</code>: {x.error}
                </li>
              )}
            </For>
          </ul>
        </div>
      </Show>

      <section class="card" aria-labelledby="joint-basics-title" data-testid="joint-basics">
        <h2 id="joint-basics-title" class="section-title">
          {t('joint.basics')}
        </h2>
        <fieldset class="plan-item-body" disabled={ro()}>
          <JField slice={s} itemId="meta" field="title" label={t('joint.titleLabel')} for="joint-title" error={s.errors['meta:title']}>
            <input id="joint-title" type="text" value={j().meta?.title ?? ''} onInput={(e) => s.setTitle(e.currentTarget.value)} data-testid="joint-title" />
          </JField>
          <JField slice={s} itemId="meta" field="window" label={t('joint.window')} group error={s.errors['meta:window']}>
            <div class="grid2">
              <div class="field inline">
                <label for="joint-from">{t('joint.from')}</label>
                <input
                  id="joint-from"
                  type="date"
                  value={j().meta?.window?.from ?? ''}
                  onChange={(e) => s.setWindow('from', e.currentTarget.value)}
                  data-testid="window-from"
                />
              </div>
              <div class="field inline">
                <label for="joint-to">{t('joint.to')}</label>
                <input
                  id="joint-to"
                  type="date"
                  value={j().meta?.window?.to ?? ''}
                  onChange={(e) => s.setWindow('to', e.currentTarget.value)}
                  data-testid="window-to"
                />
              </div>
            </div>
          </JField>
          <JField slice={s} itemId="meta" field="targets" label={t('joint.targets')} group error={s.errors['meta:targets']}>
            <p class="hint">{t('joint.targetsHint')}</p>
            <div class="subgroup" role="group" aria-label={t('plan.industries')}>
              <span class="sublabel">{t('plan.industries')}</span>
              <div class="checks" data-testid="joint-industries">
                <For each={[...new Set([...Object.keys(INDUSTRIES), ...targets().industries])]}>
                  {(code) => (
                    <label class="check">
                      <input
                        type="checkbox"
                        checked={targets().industries.includes(code)}
                        data-industry={code}
                        onChange={() => setTarget('industries', toggle(targets().industries, code))}
                      />{' '}
                      {industryName(code)}
                    </label>
                  )}
                </For>
              </div>
            </div>
            <div class="subgroup" role="group" aria-label={t('plan.riskLevels')}>
              <span class="sublabel">{t('plan.riskLevels')}</span>
              <div class="checks" data-testid="joint-risks">
                <For each={RISKS}>
                  {(r) => (
                    <label class="check">
                      <input
                        type="checkbox"
                        checked={targets().riskLevels.includes(r)}
                        data-risk={r}
                        onChange={() => setTarget('riskLevels', toggle(targets().riskLevels, r))}
                      />{' '}
                      {t(`risk.${r}`)}
                    </label>
                  )}
                </For>
              </div>
            </div>
            <Show when={props.divisions.length > 0}>
              <details class="partners">
                <summary>
                  {t('plan.divisions')}：
                  {targets().divisions.length
                    ? targets()
                        .divisions.map((c) => nameOf(props.divisions.find((d) => d.code === c) ?? { name: c }))
                        .join('、')
                    : t('common.all')}
                </summary>
                <div class="checks checks-col">
                  <For each={props.divisions}>
                    {(d) => (
                      <label class="check">
                        <input
                          type="checkbox"
                          checked={targets().divisions.includes(d.code)}
                          onChange={() => setTarget('divisions', toggle(targets().divisions, d.code))}
                        />{' '}
                        {nameOf(d)}
                      </label>
                    )}
                  </For>
                </div>
              </details>
            </Show>
          </JField>
        </fieldset>
      </section>

      <section class="card" aria-labelledby="joint-members-title" data-testid="joint-members">
        <h2 id="joint-members-title" class="section-title">
          {t('joint.members')}
        </h2>
        <ul class="member-list">
          <For each={memberIds()}>
            {(id) => (
              <li data-testid="joint-member" data-agency={id}>
                {agencyName(id)}
                <Show when={id === j().meta?.leadAgencyId}>
                  {' '}
                  <span class="badge badge-filed">{t('joint.lead')}</span>
                </Show>
                <Show when={id === props.myAgencyId}>
                  {' '}
                  <span class="badge">{t('joint.mine')}</span>
                </Show>
              </li>
            )}
          </For>
          <For each={(props.invited ?? []).filter((id) => !memberIds().includes(id))}>
            {(id) => (
              <li class="muted" data-testid="joint-invited" data-agency={id}>
                {agencyName(id)} <span class="badge">{tx({ zh: '已邀请，待接受', en: 'Invited, not accepted yet' })}</span>
              </li>
            )}
          </For>
        </ul>
        <Show when={props.isLead && !ro()}>
          <div class="field">
            <label for="invite-agency">{t('joint.invite')}</label>
            <div class="row">
              <select id="invite-agency" value={invitePick()} onChange={(e) => setInvitePick(e.currentTarget.value)} data-testid="invite-select">
                <option value="">—</option>
                <For each={invitable()}>{(a) => <option value={a.id}>{nameOf(a)}</option>}</For>
              </select>
              <button type="button" class="btn" onClick={() => void invite()} data-testid="invite-button">
                {t('joint.inviteButton')}
              </button>
            </div>
            <Show when={inviteMsg()}>
              {(m) => (
                <p class={m().ok ? 'ok' : 'error'} role="status" data-testid="invite-msg">
                  {m().text}
                </p>
              )}
            </Show>
          </div>
        </Show>
      </section>

      <section aria-labelledby="joint-items-title" data-testid="joint-items">
        <h2 id="joint-items-title" class="section-title">
          {t('joint.items')} <span class="muted small">{t('plan.itemsCount', { n: j().items.length })}</span>
        </h2>
        <For each={memberIds()}>
          {(id) => (
            <div class="joint-member-items" data-testid="member-items" data-agency={id}>
              <h3 class="sublabel">{agencyName(id)}</h3>
              <For each={j().items.filter((i) => i.agencyId === id)} fallback={<p class="muted small">{t('joint.noItems')}</p>}>
                {(item) => <ItemCard item={item} props={props} catalogue={catById()} />}
              </For>
            </div>
          )}
        </For>
        <Show when={!ro() && props.myAgencyId}>
          <div class="card add-item">
            <div class="field">
              <label for="joint-add">{t('joint.addPick')}</label>
              <div class="row">
                <select id="joint-add" value={pick()} onChange={(e) => setPick(e.currentTarget.value)} data-testid="joint-add-select">
                  <option value="">—</option>
                  <For each={myCatalogue()}>
                    {(it) => (
                      <option value={it.id}>
                        {it.code} {nameOf(it)}
                      </option>
                    )}
                  </For>
                </select>
                <button type="button" class="btn btn-primary" onClick={add} data-testid="joint-add-button">
                  {t('plan.addButton')}
                </button>
              </div>
              <Show when={addError() ?? s.errors['new:item']}>
                {(m) => (
                  <p class="error" role="alert" data-testid="field-error">
                    {m()}
                  </p>
                )}
              </Show>
            </div>
          </div>
        </Show>
      </section>

      <section class="card" aria-labelledby="joint-team-title" data-testid="joint-team">
        <h2 id="joint-team-title" class="section-title">
          {t('joint.team')}
        </h2>
        <p class="hint">{t('joint.teamHint')}</p>
        <For each={memberIds()}>
          {(id) => (
            <div class="subgroup" data-testid="team-of" data-agency={id}>
              <span class="sublabel">{agencyName(id)}</span>
              <Show
                when={id === props.myAgencyId && !ro()}
                fallback={
                  <p data-testid="team-names">
                    {teamOf(id).length ? teamOf(id).map(inspectorName).join('、') : <span class="muted">{t('joint.noTeam')}</span>}
                  </p>
                }
              >
                <JField slice={s} itemId="team" field={id} label={t('joint.teamPick')} group error={s.errors.team}>
                  <div class="checks checks-col">
                    <For each={myInspectors()}>
                      {(i) => (
                        <label class="check">
                          <input
                            type="checkbox"
                            checked={teamOf(id).includes(i.id)}
                            data-inspector={i.id}
                            data-testid="team-pick"
                            onChange={() => s.setTeam(toggle(teamOf(id), i.id))}
                          />
                          {i.name}{' '}
                          <span class={`badge ${certOk(i) ? 'badge-cert-valid' : 'badge-cert-revoked'}`}>
                            {certOk(i) ? t('joint.certOk') : t('joint.certBad')}
                          </span>
                        </label>
                      )}
                    </For>
                  </div>
                  <Show when={teamOf(id).length > 0 && teamOf(id).length < 2}>
                    <p class="hint">{t('joint.teamTwo')}</p>
                  </Show>
                </JField>
              </Show>
            </div>
          )}
        </For>
      </section>

      <section class="card" aria-labelledby="joint-comments-title" data-testid="joint-comments">
        <h2 id="joint-comments-title" class="section-title">
          {t('joint.comments')}
        </h2>
        <ol class="comments">
          <For each={j().comments} fallback={<li class="muted">{t('joint.noComments')}</li>}>
            {(c) => (
              <li data-testid="joint-comment">
                <span class="muted small">
                  {agencyName(c.agencyId)} · {at(c.at)}
                </span>
                <br />
                {c.text}
              </li>
            )}
          </For>
        </ol>
        <Show when={!ro()}>
          <div class="field" data-native-undo>
            <label for="joint-comment">{t('joint.commentLabel')}</label>
            <textarea
              id="joint-comment"
              rows="2"
              value={draft()}
              onInput={(e) => setDraft(e.currentTarget.value)}
              data-testid="comment-text"
              onFocus={() => s.focus('comments', 'new')}
              onBlur={() => s.blur()}
            />
            <button type="button" class="btn" onClick={send} disabled={!draft().trim()} data-testid="comment-send">
              {t('joint.send')}
            </button>
            <Show when={s.errors.comment}>
              {(m) => (
                <p class="error" role="alert">
                  {m()}
                </p>
              )}
            </Show>
          </div>
        </Show>
      </section>

      <section class="card" aria-labelledby="joint-filing-title" data-testid="joint-filing">
        <h2 id="joint-filing-title" class="section-title">
          {t('joint.filing')}
        </h2>
        <p>
          {t('common.status')}：
          <span class={`badge badge-${j().meta?.status ?? 'draft'}`} data-testid="joint-status">
            {t(`plan.status.${j().meta?.status ?? 'draft'}`)}
          </span>
        </p>
        <p class="hint">{t('joint.filingHint')}</p>
        <Show when={props.isLead && !ro()}>
          <div class="row">
            <button
              type="button"
              class="btn btn-primary"
              disabled={filing()?.busy || j().meta?.status === 'submitted'}
              onClick={() => void submit()}
              data-testid="joint-submit"
            >
              {t('joint.submit')}
            </button>
            <Show when={j().meta}>
              {(m) => (
                <A class="btn" href={`${paths.agencyTasks(m().year)}?joint=${encodeURIComponent(m().id)}`} data-testid="joint-to-tasks">
                  {t('joint.toTasks')}
                </A>
              )}
            </Show>
          </div>
        </Show>
        <Show when={filing()?.message}>
          {(m) => (
            <p class="notice notice-warn" role="alert" data-testid="filing-msg">
              {tx(m())}
            </p>
          )}
        </Show>
        <Show when={filing()?.problems.length}>
          <ul class="verdicts" data-testid="filing-problems">
            <For each={filing()!.problems}>{(x) => <li class="verdict verdict-block">{x}</li>}</For>
          </ul>
        </Show>
      </section>
    </div>
  );
}
