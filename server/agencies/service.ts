/**
 * The city's divisions and agencies, kept by the justice bureau (supervisors only): add a division or an
 * agency, rename them, move an agency to another division, set its city counterpart and filing office.
 * A division's code and level, and an agency's id, level, sector and kind never change (rights, plans and
 * records refer to them); nothing is deleted. An agency lives in the directory's row and in its doc's
 * `profile` (what phones read): both are written, the row first, then the doc through the room port.
 * Every change is audited (`division.create`, `division.update`, `agency.create`, `agency.update`).
 */
import type { DB } from '../store/db';
import type { RoomPort } from '../sync/port';
import { Agency, Division, type Principal } from '../../src/domain/schemas';
import { rooms } from '../../src/domain/rooms';
import { setAgencyProfile } from '../../src/model/agency';
import type { CreateAgencyRequest, CreateDivisionRequest, UpdateAgencyRequest, UpdateDivisionRequest } from '../../src/protocol/agencies';
import { actorOf, type AuditLog } from '../audit/store';
import { errors, HttpError } from '../http/errors';
import { requireSupervisor } from '../auth/rights';

export interface AgencyAdminDeps {
  db: DB;
  rooms: Pick<RoomPort, 'change'>;
  audit: AuditLog;
}

const bad = (code: string, zh: string, en: string) => errors.badRequest(code, { zh, en });

export class AgencyAdmin {
  constructor(private readonly d: AgencyAdminDeps) {}

  private supervisor(p: Principal): void {
    requireSupervisor(p);
  }

  private division(code: string): Division | undefined {
    const r = this.d.db.prepare('SELECT json FROM divisions WHERE code = ?').get(code) as { json: string } | undefined;
    return r ? Division.parse(JSON.parse(r.json)) : undefined;
  }

  private agency(id: string): Agency | undefined {
    const r = this.d.db.prepare('SELECT json FROM agencies WHERE id = ?').get(id) as { json: string } | undefined;
    return r ? Agency.parse(JSON.parse(r.json)) : undefined;
  }

  /** a division's place in the city: a city has no parent, a county or zone the city, a township a county or zone */
  private checkDivision(d: Division): void {
    const digits = d.level === 'township' ? 9 : 6;
    if (d.code.length !== digits)
      throw bad(
        'invalid_division',
        `${d.level === 'township' ? '乡镇、街道' : '市、县区、开发区'}的区划代码为 ${digits} 位数字`,
        `A ${d.level} division's code has ${digits} digits`,
      );
    if (d.level === 'city') {
      if (d.parent) throw bad('invalid_division', '市级区划没有上级', 'A city division has no parent');
      return;
    }
    const parent = d.parent ? this.division(d.parent) : undefined;
    if (!parent) throw bad('invalid_division', `上级区划 ${d.parent ?? ''} 不存在`, `The parent division ${d.parent ?? '(none)'} does not exist`);
    const want = d.level === 'township' ? ['county', 'zone'] : ['city'];
    if (!want.includes(parent.level))
      throw bad('invalid_division', `${parent.name}（${parent.code}）不能作为此级区划的上级`, `${parent.code} cannot be the parent of a ${d.level} division`);
    if (d.level === 'township' && !d.code.startsWith(parent.code))
      throw bad('invalid_division', `乡镇、街道代码须以上级代码 ${parent.code} 开头`, `A township's code starts with its parent's code ${parent.code}`);
  }

  private writeDivision(d: Division): void {
    this.d.db
      .prepare('INSERT OR REPLACE INTO divisions(code, name, name_en, level, parent, json) VALUES (?,?,?,?,?,?)')
      .run(d.code, d.name, d.nameEn, d.level, d.parent ?? null, JSON.stringify(d));
  }

  createDivision(p: Principal, body: CreateDivisionRequest): Division {
    this.supervisor(p);
    const d = Division.parse(body);
    this.checkDivision(d);
    this.d.db.transaction(() => {
      if (this.division(d.code)) throw new HttpError(409, 'division_exists', { zh: `区划代码 ${d.code} 已存在`, en: `The division ${d.code} exists already` });
      this.writeDivision(d);
      this.d.audit.record({ actor: actorOf(p), action: 'division.create', target: `division:${d.code}`, after: d });
    })();
    return d;
  }

  updateDivision(p: Principal, code: string, body: UpdateDivisionRequest): Division {
    this.supervisor(p);
    const before = this.division(code);
    if (!before) throw new HttpError(404, 'no_such_division', { zh: `没有区划代码 ${code}`, en: `There is no division ${code}` });
    const after = Division.parse({ ...before, ...(body.name ? { name: body.name } : {}), ...(body.nameEn ? { nameEn: body.nameEn } : {}) });
    this.d.db.transaction(() => {
      this.writeDivision(after);
      this.d.audit.record({ actor: actorOf(p), action: 'division.update', target: `division:${code}`, before, after });
    })();
    return after;
  }

  /** the links of an agency: its division, city counterpart and filing office exist and are of the right kind */
  private checkAgency(a: Agency): void {
    const div = this.division(a.division);
    if (!div) throw bad('invalid_agency', `区划 ${a.division} 不存在`, `The division ${a.division} does not exist`);
    if ((a.kind === 'justice') !== (a.sector === 'justice'))
      throw bad('invalid_agency', '司法局（执法监督）的领域为 justice，执法部门不能是', 'A justice bureau has the sector justice, and only it');
    if (a.cityCounterpartId) {
      const c = this.agency(a.cityCounterpartId);
      if (!c || c.kind !== 'enforcement' || c.level !== 'city' || c.id === a.id)
        throw bad(
          'invalid_agency',
          `对口的市级部门 ${a.cityCounterpartId} 不是市级执法部门`,
          `The city counterpart ${a.cityCounterpartId} is not a city enforcement agency`,
        );
    }
    if (a.filingOfficeId) {
      const f = this.agency(a.filingOfficeId);
      if (!f || f.kind !== 'justice')
        throw bad('invalid_agency', `备案机关 ${a.filingOfficeId} 不是司法局`, `The filing office ${a.filingOfficeId} is not a justice bureau`);
    }
  }

  private writeAgency(a: Agency): void {
    this.d.db
      .prepare(
        'INSERT OR REPLACE INTO agencies(id, name, name_en, level, division, sector, kind, city_counterpart_id, filing_office_id, json) VALUES (?,?,?,?,?,?,?,?,?,?)',
      )
      .run(a.id, a.name, a.nameEn, a.level, a.division, a.sector, a.kind, a.cityCounterpartId ?? null, a.filingOfficeId ?? null, JSON.stringify(a));
  }

  async createAgency(p: Principal, body: CreateAgencyRequest): Promise<Agency> {
    this.supervisor(p);
    const a = Agency.parse(body);
    this.checkAgency(a);
    this.d.db.transaction(() => {
      if (this.agency(a.id)) throw new HttpError(409, 'agency_exists', { zh: `部门编号 ${a.id} 已存在`, en: `The agency id ${a.id} exists already` });
      this.writeAgency(a);
    })();
    await this.d.rooms.change(rooms.agency(a.id), (doc) => {
      setAgencyProfile(doc, a);
    });
    this.d.audit.record({ actor: actorOf(p), action: 'agency.create', target: `agency:${a.id}`, agencyId: a.id, after: a });
    return a;
  }

  async updateAgency(p: Principal, id: string, body: UpdateAgencyRequest): Promise<Agency> {
    this.supervisor(p);
    const before = this.agency(id);
    if (!before) throw new HttpError(404, 'no_such_agency', { zh: `没有编号为 ${id} 的部门`, en: `There is no agency with the id ${id}` });
    const next: Record<string, unknown> = { ...before };
    for (const k of ['name', 'nameEn', 'division'] as const) if (body[k] !== undefined) next[k] = body[k];
    for (const k of ['cityCounterpartId', 'filingOfficeId'] as const) {
      if (body[k] === null) delete next[k];
      else if (body[k] !== undefined) next[k] = body[k];
    }
    const after = Agency.parse(next);
    this.checkAgency(after);
    this.writeAgency(after);
    await this.d.rooms.change(rooms.agency(id), (doc) => {
      setAgencyProfile(doc, after);
    });
    this.d.audit.record({ actor: actorOf(p), action: 'agency.update', target: `agency:${id}`, agencyId: id, before, after });
    return after;
  }
}
