// SQL for the audit trail: who did what, when, on which unit.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database';

export interface AuditEntry {
  at: Date;
  actor: string;
  operation: string;
  unitId: string | null;
  detail: Record<string, unknown>;
}

export class AuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async record(e: AuditEntry): Promise<void> {
    await this.db
      .insertInto('audit')
      .values({
        at: e.at,
        actor: e.actor,
        operation: e.operation,
        unit_id: e.unitId,
        detail: JSON.stringify(e.detail),
      })
      .execute();
  }

  async forUnits(unitIds: string[] | 'everywhere', limit: number): Promise<(AuditEntry & { id: number })[]> {
    let q = this.db.selectFrom('audit').selectAll().orderBy('id', 'desc').limit(limit);
    if (unitIds !== 'everywhere') {
      if (unitIds.length === 0) return [];
      q = q.where('unit_id', 'in', unitIds);
    }
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      actor: r.actor,
      operation: r.operation,
      unitId: r.unit_id,
      detail: r.detail,
    }));
  }
}
