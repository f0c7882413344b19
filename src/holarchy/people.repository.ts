// SQL for people, sessions, machine tokens and grants.
import type { Kysely } from 'kysely';
import type { Role } from '../core/principal';
import type { Database } from '../store/database';
import { inTransaction } from '../store/transaction';

export interface PersonRow {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
}

export interface GrantRow {
  personId: string;
  unitId: string;
  unitPath: string;
  unitName: string;
  role: Role;
}

export class PeopleRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insertPerson(p: PersonRow): Promise<void> {
    await this.db
      .insertInto('people')
      .values({ id: p.id, email: p.email, name: p.name, password_hash: p.passwordHash })
      .execute();
  }

  async byEmail(email: string): Promise<PersonRow | null> {
    const r = await this.db.selectFrom('people').selectAll().where('email', '=', email).executeTakeFirst();
    return r ? { id: r.id, email: r.email, name: r.name, passwordHash: r.password_hash } : null;
  }

  async byId(id: string): Promise<PersonRow | null> {
    const r = await this.db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? { id: r.id, email: r.email, name: r.name, passwordHash: r.password_hash } : null;
  }

  async listPeople(): Promise<PersonRow[]> {
    const rows = await this.db.selectFrom('people').selectAll().orderBy('email').execute();
    return rows.map((r) => ({ id: r.id, email: r.email, name: r.name, passwordHash: r.password_hash }));
  }

  async insertSession(tokenHash: string, personId: string, expiresAt: Date): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({ token_hash: tokenHash, person_id: personId, expires_at: expiresAt })
      .execute();
  }

  async sessionPerson(tokenHash: string, now: Date): Promise<string | null> {
    const r = await this.db
      .selectFrom('sessions')
      .select('person_id')
      .where('token_hash', '=', tokenHash)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return r?.person_id ?? null;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }

  async grantsOf(personId: string): Promise<GrantRow[]> {
    const rows = await this.db
      .selectFrom('grants')
      .innerJoin('units', 'units.id', 'grants.unit_id')
      .select(['grants.person_id', 'grants.unit_id', 'grants.role', 'units.path', 'units.name'])
      .where('grants.person_id', '=', personId)
      .where('units.archived_at', 'is', null)
      .execute();
    return rows.map((r) => ({
      personId: r.person_id,
      unitId: r.unit_id,
      unitPath: r.path,
      unitName: r.name,
      role: r.role as Role,
    }));
  }

  async grantsOnSubtree(path: string): Promise<(GrantRow & { email: string })[]> {
    const rows = await this.db
      .selectFrom('grants')
      .innerJoin('units', 'units.id', 'grants.unit_id')
      .innerJoin('people', 'people.id', 'grants.person_id')
      .select([
        'grants.person_id',
        'grants.unit_id',
        'grants.role',
        'units.path',
        'units.name',
        'people.email',
      ])
      .where('units.path', 'like', `${path}%`)
      .orderBy('units.path')
      .execute();
    return rows.map((r) => ({
      personId: r.person_id,
      unitId: r.unit_id,
      unitPath: r.path,
      unitName: r.name,
      role: r.role as Role,
      email: r.email,
    }));
  }

  async grant(personId: string, unitId: string, role: Role): Promise<boolean> {
    const r = await this.db
      .insertInto('grants')
      .values({ person_id: personId, unit_id: unitId, role })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /**
   * Deletes a grant unless it is the last admin role on the root unit. The root's admin grants are locked while
   * they are counted, so two admins removing each other at once cannot both succeed.
   */
  async revokeKeepingRootAdmin(
    personId: string,
    unitId: string,
    role: Role,
  ): Promise<'removed' | 'absent' | 'last-root-admin'> {
    return inTransaction(this.db, async (tx) => {
      if (role === 'admin') {
        const root = await tx
          .selectFrom('units')
          .select('id')
          .where('parent_id', 'is', null)
          .executeTakeFirst();
        if (root?.id === unitId) {
          const admins = await tx
            .selectFrom('grants')
            .select('person_id')
            .where('unit_id', '=', unitId)
            .where('role', '=', 'admin')
            .forUpdate()
            .execute();
          if (admins.length === 1 && admins[0]?.person_id === personId) return 'last-root-admin';
        }
      }
      const r = await tx
        .deleteFrom('grants')
        .where('person_id', '=', personId)
        .where('unit_id', '=', unitId)
        .where('role', '=', role)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0 ? 'removed' : 'absent';
    });
  }

  async insertMachineToken(t: {
    id: string;
    tokenHash: string;
    unitId: string;
    name: string;
  }): Promise<void> {
    await this.db
      .insertInto('machine_tokens')
      .values({ id: t.id, token_hash: t.tokenHash, unit_id: t.unitId, name: t.name, revoked_at: null })
      .execute();
  }

  async machineToken(tokenHash: string): Promise<{ id: string; unitId: string; unitPath: string } | null> {
    const r = await this.db
      .selectFrom('machine_tokens')
      .innerJoin('units', 'units.id', 'machine_tokens.unit_id')
      .select(['machine_tokens.id', 'machine_tokens.unit_id', 'units.path'])
      .where('machine_tokens.token_hash', '=', tokenHash)
      .where('machine_tokens.revoked_at', 'is', null)
      .executeTakeFirst();
    return r ? { id: r.id, unitId: r.unit_id, unitPath: r.path } : null;
  }

  async machineTokensOn(
    unitId: string,
  ): Promise<{ id: string; name: string; createdAt: Date; revoked: boolean }[]> {
    const rows = await this.db
      .selectFrom('machine_tokens')
      .select(['id', 'name', 'created_at', 'revoked_at'])
      .where('unit_id', '=', unitId)
      .orderBy('created_at')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      createdAt: r.created_at,
      revoked: r.revoked_at !== null,
    }));
  }

  async machineTokenUnit(id: string): Promise<string | null> {
    const r = await this.db
      .selectFrom('machine_tokens')
      .select('unit_id')
      .where('id', '=', id)
      .executeTakeFirst();
    return r?.unit_id ?? null;
  }

  async revokeMachineToken(id: string, at: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('machine_tokens')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
