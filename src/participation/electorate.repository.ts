// SQL of electorates: the people who may vote, frozen when a vote or an assembly opens.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../store/database';

type Db = Kysely<Database> | Transaction<Database>;

export interface ElectorMember {
  personId: string;
  role: string;
  viaUnitId: string;
}

export interface ElectorView extends ElectorMember {
  name: string;
  email: string;
}

/** Rows per insert: PostgreSQL allows 65,535 parameters a statement; four columns a row. */
const BATCH = 5000;

export class ElectorateRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async freeze(
    tx: Db,
    e: { id: string; unitId: string; frozenAt: Date; members: ElectorMember[] },
  ): Promise<void> {
    await tx
      .insertInto('electorates')
      .values({ id: e.id, unit_id: e.unitId, frozen_at: e.frozenAt, size: e.members.length })
      .execute();
    for (let i = 0; i < e.members.length; i += BATCH) {
      await tx
        .insertInto('electorate_members')
        .values(
          e.members.slice(i, i + BATCH).map((m) => ({
            electorate_id: e.id,
            person_id: m.personId,
            role: m.role,
            via_unit_id: m.viaUnitId,
          })),
        )
        .execute();
    }
  }

  async size(id: string, db: Db = this.db): Promise<number | null> {
    const r = await db.selectFrom('electorates').select('size').where('id', '=', id).executeTakeFirst();
    return r?.size ?? null;
  }

  async isMember(id: string, personId: string, db: Db = this.db): Promise<boolean> {
    const r = await db
      .selectFrom('electorate_members')
      .select('person_id')
      .where('electorate_id', '=', id)
      .where('person_id', '=', personId)
      .executeTakeFirst();
    return r !== undefined;
  }

  async members(id: string): Promise<ElectorView[]> {
    const rows = await this.db
      .selectFrom('electorate_members as m')
      .innerJoin('people as p', 'p.id', 'm.person_id')
      .select(['m.person_id', 'm.role', 'm.via_unit_id', 'p.name', 'p.email'])
      .where('m.electorate_id', '=', id)
      .orderBy('p.name')
      .orderBy('p.id')
      .execute();
    return rows.map((r) => ({
      personId: r.person_id,
      role: r.role,
      viaUnitId: r.via_unit_id,
      name: r.name,
      email: r.email,
    }));
  }

  /** The electorates (of open votes and assemblies) a person belongs to. */
  async electoratesOf(personId: string): Promise<string[]> {
    const { rows } = await sql<{ electorate_id: string }>`
      select electorate_id from electorate_members where person_id = ${personId}`.execute(this.db);
    return rows.map((r) => r.electorate_id);
  }
}
