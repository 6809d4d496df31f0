/**
 * Agency doc `agency/<agencyId>` (LAYOUT.agency): `profile` (Y.Map of Agency fields), `items`
 * (id → InspectionItem), `flex` (id → FlexEntry), `handbooks` (industry → HandbookChapter, 一业一册),
 * `staff` (inspectorId → Inspector).
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { Agency, FlexEntry, HandbookChapter, InspectionItem, Inspector } from '../domain/schemas';
import { cloneJson, defined, prefixed, putRecord, readFieldMap, readRecordMap, type InvalidRecord, type Origin, type ReadResult } from './util';

export interface AgencyRoots {
  profile: Y.Map<unknown>;
  items: Y.Map<unknown>;
  flex: Y.Map<unknown>;
  handbooks: Y.Map<unknown>;
  staff: Y.Map<unknown>;
}

export function agencyRoots(doc: Y.Doc): AgencyRoots {
  return {
    profile: doc.getMap('profile'),
    items: doc.getMap('items'),
    flex: doc.getMap('flex'),
    handbooks: doc.getMap('handbooks'),
    staff: doc.getMap('staff'),
  };
}

export interface AgencyView {
  profile: Agency | null;
  items: InspectionItem[];
  flex: FlexEntry[];
  handbooks: HandbookChapter[];
  staff: Inspector[];
  invalid: InvalidRecord[];
}

export const readAgencyProfile = (doc: Y.Doc) => readFieldMap(agencyRoots(doc).profile, Agency, 'profile');
export const readAgencyItems = (doc: Y.Doc): ReadResult<InspectionItem> => readRecordMap(agencyRoots(doc).items, InspectionItem, (x) => x.id);
export const readFlex = (doc: Y.Doc): ReadResult<FlexEntry> => readRecordMap(agencyRoots(doc).flex, FlexEntry, (x) => x.id);
export const readHandbooks = (doc: Y.Doc): ReadResult<HandbookChapter> => readRecordMap(agencyRoots(doc).handbooks, HandbookChapter, (x) => x.industry);
export const readStaff = (doc: Y.Doc): ReadResult<Inspector> => readRecordMap(agencyRoots(doc).staff, Inspector, (x) => x.id);

export function readAgency(doc: Y.Doc): AgencyView {
  const p = readAgencyProfile(doc);
  const items = readAgencyItems(doc);
  const flex = readFlex(doc);
  const hb = readHandbooks(doc);
  const staff = readStaff(doc);
  return {
    profile: p.value,
    items: items.items,
    flex: flex.items,
    handbooks: hb.items,
    staff: staff.items,
    invalid: [
      ...p.invalid,
      ...prefixed('items', items.invalid),
      ...prefixed('flex', flex.invalid),
      ...prefixed('handbooks', hb.invalid),
      ...prefixed('staff', staff.invalid),
    ],
  };
}

/** Replace the profile (validated as a whole Agency). */
export function setAgencyProfile(doc: Y.Doc, profile: z.input<typeof Agency>, origin?: Origin): Agency {
  const parsed = Agency.parse(profile);
  const { profile: map } = agencyRoots(doc);
  doc.transact(() => {
    const obj = defined(parsed) as Record<string, unknown>;
    for (const k of Array.from(map.keys())) if (!(k in obj)) map.delete(k);
    for (const [k, v] of Object.entries(obj)) map.set(k, cloneJson(v));
  }, origin);
  return parsed;
}

export const putItem = (doc: Y.Doc, item: z.input<typeof InspectionItem>, origin?: Origin): InspectionItem =>
  putRecord(doc, agencyRoots(doc).items, InspectionItem.parse(item).id, InspectionItem, item, origin);
export const removeItem = (doc: Y.Doc, id: string, origin?: Origin): void => doc.transact(() => agencyRoots(doc).items.delete(id), origin);

export const putFlex = (doc: Y.Doc, entry: z.input<typeof FlexEntry>, origin?: Origin): FlexEntry =>
  putRecord(doc, agencyRoots(doc).flex, FlexEntry.parse(entry).id, FlexEntry, entry, origin);
export const removeFlex = (doc: Y.Doc, id: string, origin?: Origin): void => doc.transact(() => agencyRoots(doc).flex.delete(id), origin);

export const putHandbook = (doc: Y.Doc, chapter: z.input<typeof HandbookChapter>, origin?: Origin): HandbookChapter =>
  putRecord(doc, agencyRoots(doc).handbooks, HandbookChapter.parse(chapter).industry, HandbookChapter, chapter, origin);
export const removeHandbook = (doc: Y.Doc, industry: string, origin?: Origin): void => doc.transact(() => agencyRoots(doc).handbooks.delete(industry), origin);

export const putStaff = (doc: Y.Doc, inspector: z.input<typeof Inspector>, origin?: Origin): Inspector =>
  putRecord(doc, agencyRoots(doc).staff, Inspector.parse(inspector).id, Inspector, inspector, origin);
export const removeStaff = (doc: Y.Doc, id: string, origin?: Origin): void => doc.transact(() => agencyRoots(doc).staff.delete(id), origin);

/**
 * The catalogue content a published version holds (server/catalogue): items and flex entries sorted by id,
 * handbook chapters by industry, so the same draft always hashes the same on the phone and on the server.
 */
export interface CatalogueDraft {
  items: InspectionItem[];
  flex: FlexEntry[];
  handbooks: HandbookChapter[];
}
export function catalogueContentOf(c: CatalogueDraft): CatalogueDraft {
  const by =
    <T>(key: (x: T) => string) =>
    (a: T, b: T) =>
      key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
  return {
    items: [...c.items].sort(by((x) => x.id)),
    flex: [...c.flex].sort(by((x) => x.id)),
    handbooks: [...c.handbooks].sort(by((x) => x.industry)),
  };
}
