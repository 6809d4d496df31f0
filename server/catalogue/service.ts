/**
 * Catalogue versions: publishing an agency's draft (the `agency/<id>` doc's items, flex and handbooks,
 * co-edited live by its admins) as the next immutable version, reading versions, and the public views
 * (each agency's latest published catalogue; the inspecting bodies with their inspectors certified today).
 *
 * Who: an agency's admins publish their own agency's catalogue; its admins and inspectors read its
 * versions, supervisors read every agency's; the public views need no sign-in and show published
 * versions only, never the draft.
 */
import { canonicalJson } from '../../src/domain/canonical';
import { rooms } from '../../src/domain/rooms';
import { LEN, type Agency, type Division, type Inspector, type Principal } from '../../src/domain/schemas';
import { certificateValidity } from '../../src/domain/rules/certificates';
import { readAgencyItems, readFlex, readHandbooks } from '../../src/model/agency';
import { readCertificates } from '../../src/model/registry';
import {
  MAX_CATALOGUE_BYTES,
  MAX_HANDBOOKS,
  type CatalogueChanges,
  type CatalogueContent,
  type CataloguePublished,
  type PublicAgency,
  type PublicBodies,
  type PublicCatalogue,
  type PublicCatalogues,
} from '../../src/protocol/catalogue';
import { errors, HttpError } from '../http/errors';
import { actorOf, type AuditLog } from '../audit/store';
import type { Clock } from '../clock';
import type { DB } from '../store/db';
import type { RoomReader } from '../sync/port';
import type { Directory } from '../directory/store';
import { hashContent, sortedContent, type CatalogueStore } from './store';

export interface CatalogueDeps {
  db: DB;
  store: CatalogueStore;
  rooms: RoomReader;
  dir: Pick<Directory, 'agency' | 'enforcementAgencies' | 'divisions' | 'inspectors'>;
  audit: AuditLog;
  clock: Clock;
}

const t = (zh: string, en: string) => ({ zh, en });

/** `item:<id>`, `flex:<id>`, `handbook:<industry>` → canonical JSON of the record */
function keyed(c: CatalogueContent): Map<string, string> {
  const m = new Map<string, string>();
  for (const x of c.items) m.set(`item:${x.id}`, canonicalJson(x));
  for (const x of c.flex) m.set(`flex:${x.id}`, canonicalJson(x));
  for (const x of c.handbooks) m.set(`handbook:${x.industry}`, canonicalJson(x));
  return m;
}

export function diffContent(before: CatalogueContent | undefined, after: CatalogueContent): CatalogueChanges {
  const a = before ? keyed(before) : new Map<string, string>();
  const b = keyed(after);
  const out: CatalogueChanges = { added: [], changed: [], removed: [] };
  for (const [k, v] of b) {
    const old = a.get(k);
    if (old === undefined) out.added.push(k);
    else if (old !== v) out.changed.push(k);
  }
  for (const k of a.keys()) if (!b.has(k)) out.removed.push(k);
  return out;
}

const publicAgency = (a: Agency): PublicAgency => ({ id: a.id, name: a.name, nameEn: a.nameEn, level: a.level, division: a.division, sector: a.sector });

export class CatalogueService {
  constructor(private readonly d: CatalogueDeps) {}

  /** which agency's versions the principal may read (their own; supervisors any) */
  readableAgency(p: Principal, agencyId: string | undefined): string {
    if (p.role === 'supervisor') {
      if (!agencyId) throw errors.badRequest('agency_required', t('请指定部门', 'Name the agency (agencyId)'));
      return agencyId;
    }
    if ((p.role === 'agency' || p.role === 'inspector') && p.agencyId) {
      if (agencyId && agencyId !== p.agencyId) throw errors.forbidden();
      return p.agencyId;
    }
    throw errors.forbidden();
  }

  /** the draft as it is in the agency doc, checked: every record valid and of this agency, within the limits */
  private async draft(agencyId: string): Promise<CatalogueContent> {
    const raw = await this.d.rooms.read(rooms.agency(agencyId), (doc) => ({
      items: readAgencyItems(doc),
      flex: readFlex(doc),
      handbooks: readHandbooks(doc),
    }));
    const invalid = [
      ...raw.items.invalid.map((x) => ({ key: `items/${x.key}`, message: x.error })),
      ...raw.flex.invalid.map((x) => ({ key: `flex/${x.key}`, message: x.error })),
      ...raw.handbooks.invalid.map((x) => ({ key: `handbooks/${x.key}`, message: x.error })),
      ...raw.items.items.filter((x) => x.agencyId !== agencyId).map((x) => ({ key: `items/${x.id}`, message: 'agencyId: another agency' })),
      ...raw.flex.items.filter((x) => x.agencyId !== agencyId).map((x) => ({ key: `flex/${x.id}`, message: 'agencyId: another agency' })),
    ];
    if (invalid.length)
      throw new HttpError(
        422,
        'catalogue_invalid',
        t(`草稿中有 ${invalid.length} 条记录不符合格式，请先改正`, `${invalid.length} record(s) of the draft are not valid: correct them first`),
        {},
        { invalid: invalid.slice(0, 100) },
      );
    const content: CatalogueContent = { items: raw.items.items, flex: raw.flex.items, handbooks: raw.handbooks.items };
    const tooLarge = () =>
      new HttpError(
        422,
        'catalogue_too_large',
        t(
          `清单过大：检查事项和裁量清单各不超过 ${LEN.many} 条，手册不超过 ${MAX_HANDBOOKS} 册，总计不超过 4 MB`,
          `The catalogue is too large: at most ${LEN.many} items and ${LEN.many} list entries, ${MAX_HANDBOOKS} handbook chapters, 4 MB in all`,
        ),
        {},
        { invalid: [] },
      );
    if (content.items.length > LEN.many || content.flex.length > LEN.many || content.handbooks.length > MAX_HANDBOOKS) throw tooLarge();
    if (Buffer.byteLength(canonicalJson(content)) > MAX_CATALOGUE_BYTES) throw tooLarge();
    return sortedContent(content);
  }

  /** publish the caller's agency's draft as the next version */
  async publish(p: Principal): Promise<CataloguePublished> {
    if (p.role !== 'agency' || !p.agencyId || !this.d.dir.agency(p.agencyId)) throw errors.forbidden();
    const agencyId = p.agencyId;
    const content = await this.draft(agencyId);
    if (!content.items.length && !content.flex.length && !content.handbooks.length)
      throw new HttpError(
        422,
        'catalogue_empty',
        t('清单为空：请先添加检查事项、裁量清单或手册章节', 'The catalogue is empty: add items, list entries or handbook chapters first'),
        {},
        { invalid: [] },
      );
    const { hash } = hashContent(content);
    // the latest version, the check and the insert in one transaction: two publishes never share a number
    return this.d.db.transaction((): CataloguePublished => {
      const prev = this.d.store.latest(agencyId);
      if (prev && prev.hash === hash)
        throw new HttpError(
          409,
          'catalogue_unchanged',
          t(`与已发布的第 ${prev.version} 版相同，无需重新发布`, `Nothing changed since version ${prev.version}: there is nothing to publish`),
        );
      const changes = diffContent(prev?.content, content);
      const version = this.d.store.insert(agencyId, content, this.d.clock.iso(), p.userId);
      this.d.audit.record({
        actor: actorOf(p),
        action: 'catalogue.publish',
        target: `catalogue:${agencyId}`,
        agencyId,
        before: prev ? { version: prev.version, hash: prev.hash } : null,
        after: { version: version.version, hash: version.hash, ...changes },
      });
      return { version, changes };
    })();
  }

  versions(p: Principal, agencyId: string | undefined) {
    const a = this.readableAgency(p, agencyId);
    return { agencyId: a, items: this.d.store.list(a) };
  }

  version(p: Principal, agencyId: string, version: number) {
    const a = this.readableAgency(p, agencyId);
    const v = this.d.store.get(a, version);
    if (!v) throw errors.notFound(t(`没有第 ${version} 版`, `No version ${version}`));
    return v;
  }

  publicCatalogues(): PublicCatalogues {
    return {
      items: this.d.dir.enforcementAgencies().map((a) => {
        const s = this.d.store.latestSummary(a.id);
        return { ...publicAgency(a), latest: s ? { version: s.version, publishedAt: s.publishedAt, counts: s.counts } : null };
      }),
    };
  }

  /** the latest published version; items the agency marked unpublished stay out */
  publicCatalogue(agencyId: string): PublicCatalogue {
    const a = this.d.dir.agency(agencyId);
    const v = a?.kind === 'enforcement' ? this.d.store.latest(agencyId) : undefined;
    if (!a || !v) throw errors.notFound(t('该部门尚未发布检查事项清单', 'This agency has not published a catalogue'));
    return {
      agency: publicAgency(a),
      version: v.version,
      hash: v.hash,
      publishedAt: v.publishedAt,
      content: { ...v.content, items: v.content.items.filter((i) => i.published !== false) },
    };
  }

  /** 执法主体: each enforcement agency with its active inspectors whose certificate is valid today */
  async publicBodies(): Promise<PublicBodies> {
    const today = this.d.clock.today();
    const certs = await this.d.rooms.read(rooms.registry(), (doc) => readCertificates(doc).items);
    const divisions = new Map((this.d.dir.divisions() as Division[]).map((x) => [x.code, x]));
    const byAgency = new Map<string, { name: string; certificateNumber: string }[]>();
    const staff = new Map((this.d.dir.inspectors() as Inspector[]).map((i) => [i.id, i]));
    for (const c of certs) {
      const who = staff.get(c.inspectorId);
      if (!who || who.active === false || who.agencyId !== c.agencyId) continue;
      if (c.status !== 'valid' || certificateValidity(c, `${today}T12:00:00+08:00`).verdict !== 'ok') continue;
      const list = byAgency.get(c.agencyId) ?? [];
      list.push({ name: who.name, certificateNumber: c.number });
      byAgency.set(c.agencyId, list);
    }
    const items = this.d.dir.enforcementAgencies().map((a) => {
      const dv = divisions.get(a.division);
      const inspectors = (byAgency.get(a.id) ?? []).sort((x, y) => x.certificateNumber.localeCompare(y.certificateNumber));
      return { ...publicAgency(a), divisionName: dv?.name ?? a.division, divisionNameEn: dv?.nameEn ?? a.division, inspectors };
    });
    return { asOf: today, items };
  }
}
