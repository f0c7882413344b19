// SQL of assemblies: the assembly rows, attendance against the frozen electorate, and the agenda.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { AgendaItemTable, AssemblyTable, Database } from '../store/database';
import { inTransaction } from '../store/transaction';
import type { AgendaDocument, AssemblyStatus } from './assembly';
import type { ElectorateRule, Quorum } from './participation';
import { reachCondition } from '../store/reach-filter';

export type AssemblyTx = Transaction<Database>;
type Db = Kysely<Database> | Transaction<Database>;

export interface AssemblyRow {
  id: string;
  unitId: string;
  title: string;
  kind: string;
  scheduledFor: Date;
  status: AssemblyStatus;
  quorum: Quorum;
  electorateRule: ElectorateRule;
  electorateId: string | null;
  minutes: string;
  minutesUpdatedAt: Date | null;
  minutesUpdatedBy: string | null;
  openedAt: Date | null;
  closedAt: Date | null;
}

export interface ItemRow {
  id: string;
  assemblyId: string;
  position: number;
  title: string;
  body: string;
  documents: AgendaDocument[];
  voteId: string | null;
}

function toAssembly(r: Selectable<AssemblyTable>): AssemblyRow {
  return {
    id: r.id,
    unitId: r.unit_id,
    title: r.title,
    kind: r.kind,
    scheduledFor: r.scheduled_for,
    status: r.status as AssemblyStatus,
    quorum: r.quorum as unknown as Quorum,
    electorateRule: r.electorate_rule as unknown as ElectorateRule,
    electorateId: r.electorate_id,
    minutes: r.minutes,
    minutesUpdatedAt: r.minutes_updated_at,
    minutesUpdatedBy: r.minutes_updated_by,
    openedAt: r.opened_at,
    closedAt: r.closed_at,
  };
}

function toItem(r: Selectable<AgendaItemTable>): ItemRow {
  return {
    id: r.id,
    assemblyId: r.assembly_id,
    position: r.position,
    title: r.title,
    body: r.body,
    documents: r.documents,
    voteId: r.vote_id,
  };
}

export class AssemblyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(fn: (tx: AssemblyTx) => Promise<T>): Promise<T> {
    return inTransaction(this.db, fn);
  }

  async insert(a: AssemblyRow & { createdBy: string; createdAt: Date }): Promise<void> {
    await this.db
      .insertInto('assemblies')
      .values({
        id: a.id,
        unit_id: a.unitId,
        title: a.title,
        kind: a.kind,
        scheduled_for: a.scheduledFor,
        status: a.status,
        quorum: JSON.stringify(a.quorum),
        electorate_rule: JSON.stringify(a.electorateRule),
        electorate_id: null,
        created_by: a.createdBy,
        created_at: a.createdAt,
      })
      .execute();
  }

  async byId(id: string, db: Db = this.db, lock = false): Promise<AssemblyRow | null> {
    let q = db.selectFrom('assemblies').selectAll().where('id', '=', id);
    if (lock) q = q.forUpdate();
    const r = await q.executeTakeFirst();
    return r ? toAssembly(r) : null;
  }

  async unitOf(id: string): Promise<string | null> {
    const r = await this.db
      .selectFrom('assemblies')
      .select('unit_id')
      .where('id', '=', id)
      .executeTakeFirst();
    return r?.unit_id ?? null;
  }

  async itemUnit(itemId: string): Promise<string | null> {
    const r = await this.db
      .selectFrom('agenda_items as i')
      .innerJoin('assemblies as a', 'a.id', 'i.assembly_id')
      .select('a.unit_id')
      .where('i.id', '=', itemId)
      .executeTakeFirst();
    return r?.unit_id ?? null;
  }

  async list(f: {
    paths: string[] | 'everywhere';
    includePublic: boolean;
    under?: string;
    limit: number;
  }): Promise<AssemblyRow[]> {
    let q = this.db
      .selectFrom('assemblies')
      .innerJoin('units', 'units.id', 'assemblies.unit_id')
      .selectAll('assemblies');
    if (f.under !== undefined) q = q.where('units.path', 'like', `${f.under}%`);
    const reach = reachCondition(f);
    if (reach) q = q.where(reach);
    const rows = await q
      .orderBy('assemblies.scheduled_for', 'desc')
      .orderBy('assemblies.id')
      .limit(f.limit)
      .execute();
    return rows.map(toAssembly);
  }

  async update(
    tx: Db,
    id: string,
    patch: Partial<{
      status: AssemblyStatus;
      electorate_id: string;
      opened_at: Date;
      closed_at: Date;
      minutes: string;
      minutes_updated_at: Date;
      minutes_updated_by: string;
    }>,
  ): Promise<void> {
    await tx.updateTable('assemblies').set(patch).where('id', '=', id).execute();
  }

  /** Present once: the primary key keeps a second check-in from counting twice. */
  async attend(
    tx: Db,
    assemblyId: string,
    electorateId: string,
    personId: string,
    at: Date,
  ): Promise<boolean> {
    const r = await tx
      .insertInto('assembly_attendance')
      .values({ assembly_id: assemblyId, electorate_id: electorateId, person_id: personId, arrived_at: at })
      .onConflict((oc) => oc.columns(['assembly_id', 'person_id']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async present(assemblyId: string, db: Db = this.db): Promise<number> {
    const r = await db
      .selectFrom('assembly_attendance')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('assembly_id', '=', assemblyId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async attendees(assemblyId: string) {
    const rows = await this.db
      .selectFrom('assembly_attendance as a')
      .innerJoin('electorate_members as m', (j) =>
        j.onRef('m.electorate_id', '=', 'a.electorate_id').onRef('m.person_id', '=', 'a.person_id'),
      )
      .innerJoin('people as p', 'p.id', 'a.person_id')
      .select(['a.person_id', 'p.name', 'm.role', 'm.via_unit_id', 'a.arrived_at'])
      .where('a.assembly_id', '=', assemblyId)
      .orderBy('p.name')
      .orderBy('a.person_id')
      .execute();
    return rows.map((r) => ({
      personId: r.person_id,
      name: r.name,
      role: r.role,
      viaUnitId: r.via_unit_id,
      arrivedAt: r.arrived_at,
    }));
  }

  async addItem(tx: Db, item: Omit<ItemRow, 'position' | 'voteId'>): Promise<number> {
    const last = await tx
      .selectFrom('agenda_items')
      .select((eb) => eb.fn.max<number>('position').as('p'))
      .where('assembly_id', '=', item.assemblyId)
      .executeTakeFirst();
    const position = (last?.p ?? 0) + 1;
    await tx
      .insertInto('agenda_items')
      .values({
        id: item.id,
        assembly_id: item.assemblyId,
        position,
        title: item.title,
        body: item.body,
        documents: JSON.stringify(item.documents),
        vote_id: null,
      })
      .execute();
    return position;
  }

  async item(id: string, db: Db = this.db): Promise<ItemRow | null> {
    const r = await db.selectFrom('agenda_items').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toItem(r) : null;
  }

  async items(assemblyId: string): Promise<ItemRow[]> {
    const rows = await this.db
      .selectFrom('agenda_items')
      .selectAll()
      .where('assembly_id', '=', assemblyId)
      .orderBy('position')
      .execute();
    return rows.map(toItem);
  }

  /** Links the item to its vote, once: an item carries one vote. */
  async setItemVote(tx: Db, itemId: string, voteId: string): Promise<boolean> {
    const r = await tx
      .updateTable('agenda_items')
      .set({ vote_id: voteId })
      .where('id', '=', itemId)
      .where('vote_id', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Decisions recorded on the assembly's items, by item id. */
  async itemDecisions(assemblyId: string): Promise<Map<string, { id: string; outcome: string }>> {
    const rows = await this.db
      .selectFrom('decisions')
      .select(['id', 'agenda_item_id', 'outcome'])
      .where('assembly_id', '=', assemblyId)
      .where('agenda_item_id', 'is not', null)
      .orderBy('decided_at')
      .execute();
    return new Map(rows.map((r) => [r.agenda_item_id as string, { id: r.id, outcome: r.outcome }]));
  }
}
