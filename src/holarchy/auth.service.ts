// People, sign-in, sessions, roles on subtrees and machine tokens; turns a bearer token into a Principal.
import { DomainError, notFound } from '../core/errors';
import type { Clock } from '../core/clock';
import { hashSecret, newId, newSecret } from '../core/ids';
import { ANONYMOUS, type Principal, type Role } from '../core/principal';
import { hashPassword, verifyPassword } from './password';
import type { PeopleRepository } from './people.repository';

const SESSION_DAYS = 30;

export interface PersonView {
  id: string;
  email: string;
  name: string;
}

export class AuthService {
  constructor(
    private readonly people: PeopleRepository,
    private readonly clock: Clock,
  ) {}

  async register(input: { email: string; name: string; password: string }): Promise<PersonView> {
    const email = input.email.toLowerCase();
    if (await this.people.byEmail(email)) {
      throw new DomainError('duplicate', `email: an account for ${email} exists`, {
        issues: [{ field: 'email', message: 'already registered' }],
      });
    }
    const person = {
      id: newId('p'),
      email,
      name: input.name,
      passwordHash: await hashPassword(input.password),
    };
    await this.people.insertPerson(person);
    return { id: person.id, email, name: person.name };
  }

  async findByEmail(email: string): Promise<PersonView | null> {
    const p = await this.people.byEmail(email.toLowerCase());
    return p ? { id: p.id, email: p.email, name: p.name } : null;
  }

  async login(
    email: string,
    password: string,
  ): Promise<{ token: string; person: PersonView; expiresAt: Date }> {
    const person = await this.people.byEmail(email.toLowerCase());
    // Same answer for unknown email and wrong password: no account enumeration.
    if (!person || !(await verifyPassword(password, person.passwordHash))) {
      throw new DomainError('unauthenticated', 'wrong email or password', {
        fix: 'check both and try again',
      });
    }
    const token = newSecret('ogs');
    const expiresAt = new Date(this.clock.now().getTime() + SESSION_DAYS * 86_400_000);
    await this.people.insertSession(hashSecret(token), person.id, expiresAt);
    return { token, person: { id: person.id, email: person.email, name: person.name }, expiresAt };
  }

  async logout(token: string): Promise<void> {
    await this.people.deleteSession(hashSecret(token));
  }

  /** The principal behind a bearer token; anonymous when there is none, an error when it is bad. */
  async principalFor(token: string | undefined): Promise<Principal> {
    if (!token) return ANONYMOUS;
    const hash = hashSecret(token);
    if (token.startsWith('ogm_')) {
      const machine = await this.people.machineToken(hash);
      if (!machine) throw new DomainError('unauthenticated', 'unknown or revoked machine token');
      return { kind: 'machine', tokenId: machine.id, unitId: machine.unitId, unitPath: machine.unitPath };
    }
    const personId = await this.people.sessionPerson(hash, this.clock.now());
    if (!personId)
      throw new DomainError('unauthenticated', 'the session has expired or was signed out', {
        fix: 'sign in again',
      });
    return this.principalOf(personId);
  }

  async principalOf(personId: string): Promise<Principal> {
    const person = await this.people.byId(personId);
    if (!person) throw notFound('person', personId);
    const grants = await this.people.grantsOf(personId);
    return {
      kind: 'person',
      personId,
      name: person.name,
      email: person.email,
      grants: grants.map((g) => ({ unitId: g.unitId, unitPath: g.unitPath, role: g.role })),
    };
  }

  async grantsOf(personId: string) {
    return this.people.grantsOf(personId);
  }

  async grantsOnSubtree(path: string) {
    return this.people.grantsOnSubtree(path);
  }

  async grant(personId: string, unitId: string, role: Role): Promise<boolean> {
    if (!(await this.people.byId(personId))) throw notFound('person', personId);
    return this.people.grant(personId, unitId, role);
  }

  async revoke(personId: string, unitId: string, role: Role): Promise<boolean> {
    return this.people.revoke(personId, unitId, role);
  }

  async issueMachineToken(unitId: string, name: string): Promise<{ id: string; token: string }> {
    const token = newSecret('ogm');
    const id = newId('mt');
    await this.people.insertMachineToken({ id, tokenHash: hashSecret(token), unitId, name });
    return { id, token };
  }

  async machineTokensOn(unitId: string) {
    return this.people.machineTokensOn(unitId);
  }

  async machineTokenUnit(id: string): Promise<string | null> {
    return this.people.machineTokenUnit(id);
  }

  async revokeMachineToken(id: string): Promise<boolean> {
    return this.people.revokeMachineToken(id, this.clock.now());
  }
}
