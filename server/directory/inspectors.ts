/**
 * Inspector records (执法人员名录): kept in two places that must agree, the directory's `inspectors` table
 * (accounts, check codes, /api/inspectors) and the `staff` map of the agency's doc (what phones read at
 * check-in, offline). This module is the only writer of both after the seed: it writes the row, then the
 * doc through the room port (stored, then relayed to every open phone).
 *
 * Callers audit: they get the record before and after.
 */
import { randomBytes } from 'node:crypto';
import type { DB } from '../store/db';
import type { RoomPort } from '../sync/port';
import { rooms } from '../../src/domain/rooms';
import { Inspector } from '../../src/domain/schemas';
import { putStaff } from '../../src/model/agency';

export interface InspectorPatch {
  name?: string;
  /** the certificate number (执法证号) the holder carries; null: none */
  certificateNumber?: string | null;
  active?: boolean;
}

export class InspectorRecords {
  constructor(private readonly d: { db: DB; rooms: Pick<RoomPort, 'change'> }) {}

  get(id: string): Inspector | undefined {
    const r = this.d.db.prepare('SELECT json FROM inspectors WHERE id = ?').get(id) as { json: string } | undefined;
    if (!r) return undefined;
    const p = Inspector.safeParse(JSON.parse(r.json));
    return p.success ? p.data : undefined;
  }

  /** a new record of an agency, with an id no one has: `<agencyId>.<8 hex>` */
  async create(agencyId: string, name: string, certificateNumber?: string): Promise<Inspector> {
    let id: string;
    do id = `${agencyId}.${randomBytes(4).toString('hex')}`;
    while (this.get(id));
    const rec = Inspector.parse({ id, agencyId, name, ...(certificateNumber ? { certificateNumber } : {}), active: true });
    await this.write(rec);
    return rec;
  }

  /** change a record; both the before and the after, for the audit trail */
  async update(id: string, patch: InspectorPatch): Promise<{ before: Inspector; after: Inspector }> {
    const before = this.get(id);
    if (!before) throw new Error(`no inspector record ${id}`);
    const next: Record<string, unknown> = { ...before };
    if (patch.name !== undefined) next.name = patch.name;
    if (patch.active !== undefined) next.active = patch.active;
    if (patch.certificateNumber === null) delete next.certificateNumber;
    else if (patch.certificateNumber !== undefined) next.certificateNumber = patch.certificateNumber;
    const after = Inspector.parse(next);
    await this.write(after);
    return { before, after };
  }

  /** the row (in one statement), then the agency doc's `staff` entry */
  private async write(rec: Inspector): Promise<void> {
    this.d.db
      .prepare(
        `INSERT INTO inspectors(id, agency_id, name, certificate_number, active, json) VALUES (?,?,?,?,?,?)
         ON CONFLICT(id) DO UPDATE SET agency_id = excluded.agency_id, name = excluded.name,
           certificate_number = excluded.certificate_number, active = excluded.active, json = excluded.json`,
      )
      .run(rec.id, rec.agencyId, rec.name, rec.certificateNumber ?? null, rec.active ? 1 : 0, JSON.stringify(rec));
    await this.d.rooms.change(rooms.agency(rec.agencyId), (doc) => {
      putStaff(doc, rec);
    });
  }
}
