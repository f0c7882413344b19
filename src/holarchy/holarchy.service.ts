// Use cases of the holarchy: the unit tree and its reading, with every change in one transaction.
import { DomainError, notFound } from '../core/errors';
import type { UnitResolver } from '../core/access';
import type { Clock } from '../core/clock';
import { newId } from '../core/ids';
import { scopesFor, type Principal } from '../core/principal';
import { assertCanMove, childPath, type Unit, type UnitKind } from './holarchy';
import type { HolarchyRepository } from './holarchy.repository';

export interface NewUnit {
  parentId: string | null;
  name: string;
  kind: UnitKind;
  code?: string | null;
  attributes?: Record<string, unknown>;
  public?: boolean;
}

export class HolarchyService implements UnitResolver {
  /** Resolvers for records of other capabilities that live on a unit ("economy" → its unit id). */
  private readonly unitLookups = new Map<string, (id: string) => Promise<string | null>>();

  constructor(
    private readonly repo: HolarchyRepository,
    private readonly clock: Clock,
  ) {}

  registerUnitLookup(kind: string, lookup: (id: string) => Promise<string | null>): void {
    this.unitLookups.set(kind, lookup);
  }

  async unitOf(kind: string, id: string): Promise<string | null> {
    const lookup = this.unitLookups.get(kind);
    if (!lookup) throw new Error(`no unit lookup registered for "${kind}"`);
    const unitId = await lookup(id);
    if (unitId === null) throw notFound(kind, id);
    return unitId;
  }

  async unitPath(unitId: string): Promise<string | null> {
    return (await this.repo.byId(unitId))?.path ?? null;
  }

  async unitName(unitId: string): Promise<string | null> {
    return (await this.repo.byId(unitId))?.name ?? null;
  }

  async isPublic(unitId: string): Promise<boolean> {
    return (await this.repo.byId(unitId))?.public ?? false;
  }

  async rootId(): Promise<string | null> {
    return (await this.repo.root())?.id ?? null;
  }

  async get(id: string): Promise<Unit> {
    const unit = await this.repo.byId(id);
    if (!unit) throw notFound('unit', id);
    return unit;
  }

  async byCode(code: string): Promise<Unit | null> {
    return this.repo.byCode(code);
  }

  /**
   * The units named by code or by id (a code wins, as in ingestion's one-by-one look-up), keyed by the name
   * given: two queries for any number of names, where a batch of readings for ten units took ten. Names that
   * match no unit are left out.
   */
  async byCodesOrIds(refs: readonly string[]): Promise<Map<string, Unit>> {
    const out = new Map<string, Unit>();
    for (const u of await this.repo.byCodes([...refs])) if (u.code !== null) out.set(u.code, u);
    for (const u of await this.repo.byIds(refs.filter((r) => !out.has(r)))) out.set(u.id, u);
    return out;
  }

  async root(): Promise<Unit | null> {
    return this.repo.root();
  }

  async create(input: NewUnit): Promise<Unit> {
    const id = newId('u');
    let path = `/${id}/`;
    if (input.parentId === null) {
      if (await this.repo.root()) {
        throw new DomainError('conflict', 'parentId: the holarchy already has a root', {
          issues: [{ field: 'parentId', message: 'give the id of the unit to create this one under' }],
        });
      }
    } else {
      const parent = await this.get(input.parentId);
      if (parent.archived) throw new DomainError('conflict', 'parentId: the parent unit is archived');
      path = childPath(parent.path, id);
    }
    if (input.code && (await this.repo.byCode(input.code))) {
      throw new DomainError('duplicate', `code: a unit with code "${input.code}" exists`, {
        issues: [{ field: 'code', message: 'must be unique' }],
      });
    }
    const unit: Unit = {
      id,
      parentId: input.parentId,
      code: input.code ?? null,
      name: input.name,
      kind: input.kind,
      path,
      depth: path.split('/').filter(Boolean).length - 1,
      attributes: input.attributes ?? {},
      public: input.public ?? false,
      archived: false,
    };
    await this.repo.insert(unit);
    return unit;
  }

  async update(
    id: string,
    patch: { name?: string; attributes?: Record<string, unknown>; public?: boolean },
  ): Promise<Unit> {
    await this.get(id);
    await this.repo.update(id, patch);
    return this.get(id);
  }

  async move(id: string, newParentId: string): Promise<Unit> {
    return this.repo.transaction(async (tx) => {
      const unit = await this.repo.byId(id, tx);
      if (!unit) throw notFound('unit', id);
      const parent = await this.repo.byId(newParentId, tx);
      if (!parent) throw notFound('unit', newParentId);
      assertCanMove(unit, unit.parentId === null ? null : parent);
      await this.repo.move(id, parent.id, unit.path, childPath(parent.path, id), tx);
      const moved = await this.repo.byId(id, tx);
      if (!moved) throw new Error('moved unit vanished inside its transaction');
      return moved;
    });
  }

  async archive(id: string): Promise<{ archived: number }> {
    const unit = await this.get(id);
    if (unit.parentId === null) throw new DomainError('invalid', 'id: the root unit cannot be archived');
    return { archived: await this.repo.archive(unit.path, this.clock.now()) };
  }

  async subtree(id: string, options: { includeArchived: boolean; maxDepth?: number }): Promise<Unit[]> {
    const unit = await this.get(id);
    return this.repo.subtree(unit.path, options);
  }

  /** From the root down to the unit, for breadcrumbs. */
  async pathToRoot(id: string): Promise<Unit[]> {
    const unit = await this.get(id);
    const ids = unit.path.split('/').filter(Boolean);
    const units = await this.repo.byIds(ids);
    return ids.map((i) => units.find((u) => u.id === i)).filter((u): u is Unit => u !== undefined);
  }

  async children(id: string, includeArchived: boolean): Promise<Unit[]> {
    await this.get(id);
    return this.repo.children(id, includeArchived);
  }

  /** Only units the principal may read: its subtrees, plus public units. */
  async search(principal: Principal, text: string, limit: number): Promise<Unit[]> {
    return this.repo.search(text, scopesFor(principal, 'read'), true, limit);
  }

  /** The topmost units the principal may read: nothing above them is visible to it. */
  async tops(principal: Principal): Promise<Unit[]> {
    const scopes = scopesFor(principal, 'read');
    if (scopes === 'everywhere') {
      const root = await this.repo.root();
      return root ? [root] : [];
    }
    const candidates = [
      ...(await this.repo.byIds(scopes.map((p) => p.split('/').filter(Boolean).pop() ?? ''))),
      ...(await this.repo.publicUnits()),
    ].filter((u) => !u.archived);
    const paths = candidates.map((u) => u.path);
    const topmost = candidates.filter((u) => !paths.some((p) => p !== u.path && u.path.startsWith(p)));
    return [...new Map(topmost.map((u) => [u.id, u])).values()].sort((a, b) => a.path.localeCompare(b.path));
  }

  /** Filters a list of units down to what the principal may read. */
  visibleTo(principal: Principal, units: Unit[]): Unit[] {
    const scopes = scopesFor(principal, 'read');
    if (scopes === 'everywhere') return units;
    return units.filter((u) => u.public || scopes.some((s) => u.path.startsWith(s)));
  }
}
