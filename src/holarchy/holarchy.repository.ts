// SQL for units and grants: the only place the holarchy touches the database.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, UnitTable } from '../store/database';
import { depthOf, type Unit, type UnitKind } from './holarchy';
import { inTransaction } from '../store/transaction';
import { reachCondition } from '../store/reach-filter';

type Db = Kysely<Database> | Transaction<Database>;

export function toUnit(row: Selectable<UnitTable>): Unit {
  return {
    id: row.id,
    parentId: row.parent_id,
    code: row.code,
    name: row.name,
    kind: row.kind as UnitKind,
    path: row.path,
    depth: depthOf(row.path),
    attributes: row.attributes,
    public: row.public,
    archived: row.archived_at !== null,
  };
}

export class HolarchyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return inTransaction(this.db, fn);
  }

  async byId(id: string, db: Db = this.db): Promise<Unit | null> {
    const row = await db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toUnit(row) : null;
  }

  async byCode(code: string): Promise<Unit | null> {
    const row = await this.db.selectFrom('units').selectAll().where('code', '=', code).executeTakeFirst();
    return row ? toUnit(row) : null;
  }

  async byCodes(codes: string[]): Promise<Unit[]> {
    if (codes.length === 0) return [];
    const rows = await this.db.selectFrom('units').selectAll().where('code', 'in', codes).execute();
    return rows.map(toUnit);
  }

  async root(): Promise<Unit | null> {
    const row = await this.db
      .selectFrom('units')
      .selectAll()
      .where('parent_id', 'is', null)
      .executeTakeFirst();
    return row ? toUnit(row) : null;
  }

  async insert(unit: Unit, db: Db = this.db): Promise<void> {
    await db
      .insertInto('units')
      .values({
        id: unit.id,
        parent_id: unit.parentId,
        code: unit.code,
        path: unit.path,
        name: unit.name,
        kind: unit.kind,
        attributes: JSON.stringify(unit.attributes),
        public: unit.public,
        archived_at: null,
      })
      .execute();
  }

  async update(
    id: string,
    patch: { name?: string; attributes?: Record<string, unknown>; public?: boolean; code?: string | null },
    db: Db = this.db,
  ): Promise<void> {
    await db
      .updateTable('units')
      .set({
        ...(patch.name === undefined ? {} : { name: patch.name }),
        ...(patch.code === undefined ? {} : { code: patch.code }),
        ...(patch.public === undefined ? {} : { public: patch.public }),
        ...(patch.attributes === undefined ? {} : { attributes: JSON.stringify(patch.attributes) }),
      })
      .where('id', '=', id)
      .execute();
  }

  async archive(path: string, at: Date, db: Db = this.db): Promise<number> {
    const r = await db
      .updateTable('units')
      .set({ archived_at: at })
      .where('path', 'like', `${path}%`)
      .where('archived_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Rewrites the paths of a whole subtree in one statement (run inside the move's transaction). */
  async move(unitId: string, newParentId: string, oldPath: string, newPath: string, db: Db): Promise<void> {
    await db.updateTable('units').set({ parent_id: newParentId }).where('id', '=', unitId).execute();
    await db
      .updateTable('units')
      .set({ path: sql<string>`${newPath} || substr(path, ${oldPath.length + 1})` })
      .where('path', 'like', `${oldPath}%`)
      .execute();
  }

  async subtree(path: string, options: { includeArchived: boolean; maxDepth?: number }): Promise<Unit[]> {
    let q = this.db.selectFrom('units').selectAll().where('path', 'like', `${path}%`);
    if (!options.includeArchived) q = q.where('archived_at', 'is', null);
    const rows = await q.orderBy('path').execute();
    const base = depthOf(path);
    return rows
      .map(toUnit)
      .filter((u) => options.maxDepth === undefined || u.depth - base <= options.maxDepth);
  }

  async byIds(ids: string[]): Promise<Unit[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('units').selectAll().where('id', 'in', ids).execute();
    return rows.map(toUnit);
  }

  async publicUnits(): Promise<Unit[]> {
    const rows = await this.db
      .selectFrom('units')
      .selectAll()
      .where('public', '=', true)
      .where('archived_at', 'is', null)
      .execute();
    return rows.map(toUnit);
  }

  async children(parentId: string, includeArchived: boolean): Promise<Unit[]> {
    let q = this.db.selectFrom('units').selectAll().where('parent_id', '=', parentId);
    if (!includeArchived) q = q.where('archived_at', 'is', null);
    return (await q.orderBy('name').execute()).map(toUnit);
  }

  /** Units whose name or code contains `text`, restricted to the given subtree roots (or public units). */
  async search(
    text: string,
    scopes: string[] | 'everywhere',
    includePublic: boolean,
    limit: number,
  ): Promise<Unit[]> {
    const pattern = `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    let q = this.db
      .selectFrom('units')
      .selectAll()
      .where('archived_at', 'is', null)
      .where((eb) => eb.or([eb('name', 'ilike', pattern), eb('code', 'ilike', pattern)]));
    const reach = reachCondition({ paths: scopes, includePublic });
    if (reach) q = q.where(reach);
    return (await q.orderBy('path').limit(limit).execute()).map(toUnit);
  }

  async countAll(): Promise<number> {
    const r = await this.db
      .selectFrom('units')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
