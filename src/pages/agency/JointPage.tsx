/**
 * Container of the joint-plan editor, /agency/joint/:id: the doc `joint/<id>` (members write, supervisors
 * read; a non-member is refused by the server with 4403 and sees "no access"), the members'
 * catalogues, the inspectors and certificates for "who goes", invitations and filing through the API.
 */
import { Show, createMemo, createResource, type JSX } from 'solid-js';
import { A, useParams } from '@solidjs/router';
import { z } from 'zod';
import { tx } from '../../i18n';
import { principal, useDoc, cacheGet, cacheSet } from '../../client/app-state';
import { api, ApiError } from '../../client/api';
import { errorMessage } from '../../ui/errors';
import { rooms } from '../../domain/rooms';
import { access, canWrite } from '../../domain/rights';
import { shanghaiToday } from '../../domain/time';
import { Inspector, Text } from '../../domain/schemas';
import { DocHeader } from '../../ui/DocHeader';
import { createJointSlice, useCatalogues } from '../stores/joint';
import { colorFor } from '../stores/collab';
import { certificatesView } from '../../model';
import { useView } from '../stores/useView';
import { useDirectory } from '../stores/directory';
import { JointView } from './JointView';
import { homeOf } from '../routes';
import { t } from '../../i18n/dict-plans';

async function loadInspectors(): Promise<Inspector[]> {
  try {
    const r = await api.inspectorsOf();
    cacheSet('inspectors', r.items);
    return r.items;
  } catch {
    const c = z.array(Inspector).safeParse(cacheGet('inspectors'));
    return c.success ? c.data : [];
  }
}

/** problems a refused filing may carry in `details`: strings, or objects with a bilingual message */
const Problem = z.union([z.string(), z.object({ message: Text }).loose(), z.object({ verdicts: z.array(z.object({ message: Text })) }).loose()]);

export default function JointPage(): JSX.Element {
  const params = useParams<{ id: string }>();
  const me = () => principal();
  const room = () => (/^[A-Za-z0-9_.-]{1,80}$/.test(params.id) ? rooms.joint(params.id) : null);
  const doc = useDoc(room);
  const certs = useView(() => rooms.registry(), certificatesView);
  const dir = useDirectory();
  const [inspectors] = createResource(loadInspectors);
  const slice = createMemo(() => {
    const h = doc.handle();
    const p = me();
    if (!h || !p) return null;
    return createJointSlice(h, { name: p.name, agencyId: p.agencyId ?? '', userId: p.userId, color: colorFor(p.userId) });
  });
  const members = () => {
    const j = slice()?.joint;
    return j ? [...new Set([...j.members.map((m) => m.agencyId), ...j.items.map((i) => i.agencyId)])] : [];
  };
  const catalogues = useCatalogues(members);
  // rights as the server decides them: a member writes, a supervisor reads
  const readOnly = () => {
    const p = me();
    return !p || !canWrite(access(p, { kind: 'joint', jointId: params.id }, { jointMembers: members() })) || doc.status()?.access === 'denied';
  };
  const isLead = () => !!me()?.agencyId && slice()?.joint.meta?.leadAgencyId === me()!.agencyId;

  // invited agencies not yet members (members only; online only)
  const [invited, { refetch: refetchInvited }] = createResource(
    () => params.id,
    (id) =>
      api.joint(id).then(
        (j) => j.invitedAgencyIds,
        () => [] as string[],
      ),
  );
  const invite = async (agencyId: string): Promise<Text | null> => {
    try {
      await api.inviteJointMember(params.id, agencyId);
      void refetchInvited();
      return null;
    } catch (e) {
      return errorMessage(e);
    }
  };
  const submit = async (): Promise<{ message: Text | null; problems: string[] }> => {
    try {
      await api.submitFiling(rooms.joint(params.id));
      return { message: null, problems: [] };
    } catch (e) {
      if (!(e instanceof ApiError)) return { message: errorMessage(e), problems: [] };
      // the filing endpoint is another module's; until it is there, say so plainly
      if (e.status === 404 && e.text.en === 'No such endpoint')
        return { message: { zh: '备案功能暂未开通，请稍后再试', en: 'Filing is not available yet; try again later' }, problems: [] };
      // `details` is a list of problems, or `{problems: [...]}`
      const raw = e.details && typeof e.details === 'object' && !Array.isArray(e.details) ? (e.details as { problems?: unknown }).problems : e.details;
      const ds = z.array(Problem).safeParse(raw);
      const lang = (x: Text) => tx(x);
      const problems = ds.success
        ? ds.data.flatMap((d) =>
            typeof d === 'string'
              ? [d]
              : 'verdicts' in d && Array.isArray(d.verdicts)
                ? d.verdicts.map((v) => lang(v.message))
                : 'message' in d
                  ? [lang(d.message as Text)]
                  : [],
          )
        : [];
      return { message: e.text, problems };
    }
  };

  return (
    <section class="page">
      <A class="back" href={me() ? homeOf(me()!.role) : '/'}>
        ← {t('plan.back')}
      </A>
      <DocHeader
        title={slice()?.joint.meta?.title ?? t('joint.title')}
        status={doc.status()}
        readOnly={readOnly() && doc.status()?.access !== 'denied'}
        sub={
          <Show when={slice()?.joint.meta}>
            {(m) => (
              <p class="muted">
                <span class={`badge badge-${m().status}`} data-testid="joint-status-head">
                  {t(`plan.status.${m().status}`)}
                </span>{' '}
                {t('joint.kind', { y: m().year })}
              </p>
            )}
          </Show>
        }
      />
      <Show when={doc.status()?.access !== 'denied'}>
        <Show when={doc.loaded() && slice() && (slice()!.joint.meta || doc.status()?.synced)} fallback={<p class="muted">{t('app.loading')}</p>}>
          <Show when={slice()!.joint.meta} fallback={<p class="muted">{t('joint.missing')}</p>}>
            <JointView
              slice={slice()!}
              readOnly={readOnly()}
              myAgencyId={me()?.agencyId ?? null}
              isLead={isLead()}
              agencies={dir.data()?.agencies ?? []}
              divisions={dir.data()?.divisions ?? []}
              catalogues={catalogues()}
              inspectors={inspectors() ?? []}
              certificates={certs()?.items ?? []}
              today={shanghaiToday()}
              onInvite={invite}
              invited={invited() ?? []}
              onSubmit={submit}
            />
          </Show>
        </Show>
      </Show>
    </section>
  );
}
