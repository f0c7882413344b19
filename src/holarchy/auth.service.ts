// People, sign-in, sessions, roles on subtrees and machine tokens; turns a bearer token into a Principal.
import { DomainError, notFound } from '../core/errors';
import type { Clock } from '../core/clock';
import { hashSecret, newId, newSecret } from '../core/ids';
import { ANONYMOUS, type Principal, type Role } from '../core/principal';
import type { CredentialsRepository } from './credentials.repository';
import { commonAncestor } from './holarchy';
import { PasswordHasher } from './password';
import type { PeopleRepository } from './people.repository';
import { SignInGuard, type AuditSink } from './sign-in-guard';

const SESSION_DAYS = 30;
/** A reset code is handed over by hand (there is no e-mail here), so it lives a day. */
const RESET_CODE_HOURS = 24;

export interface AuthDependencies {
  credentials: CredentialsRepository;
  audit: AuditSink;
  hasher?: PasswordHasher;
}

export interface PersonView {
  id: string;
  email: string;
  name: string;
}

export class AuthService {
  private readonly hasher: PasswordHasher;
  private readonly credentials: CredentialsRepository;
  private readonly guard: SignInGuard;

  constructor(
    private readonly people: PeopleRepository,
    private readonly clock: Clock,
    deps: AuthDependencies,
  ) {
    this.hasher = deps.hasher ?? new PasswordHasher();
    this.credentials = deps.credentials;
    this.guard = new SignInGuard(deps.credentials, clock, deps.audit);
  }

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
      passwordHash: await this.hasher.hash(input.password),
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
    const key = email.toLowerCase();
    await this.guard.check(key);
    const person = await this.people.byEmail(key);
    // Same answer, same work and same bookkeeping for an unknown email and a wrong password: no account enumeration.
    const ok = person
      ? await this.hasher.verify(password, person.passwordHash)
      : await this.hasher.verifyNobody(password);
    if (!person || !ok) {
      await this.guard.failed(key);
      throw new DomainError('unauthenticated', 'wrong email or password', {
        fix: 'check both and try again',
      });
    }
    await this.guard.succeeded(key);
    const token = newSecret('ogs');
    const expiresAt = new Date(this.clock.now().getTime() + SESSION_DAYS * 86_400_000);
    await this.people.insertSession(hashSecret(token), person.id, expiresAt);
    return { token, person: { id: person.id, email: person.email, name: person.name }, expiresAt };
  }

  async logout(token: string): Promise<void> {
    await this.people.deleteSession(hashSecret(token));
  }

  /**
   * A person changes their own password: the current one must be right (wrong tries count toward the
   * lockout), and every other session of theirs ends. Returns how many sessions ended.
   */
  async changePassword(
    personId: string,
    currentToken: string | undefined,
    current: string,
    next: string,
  ): Promise<{ endedSessions: number }> {
    const person = await this.people.byId(personId);
    if (!person) throw notFound('person', personId);
    await this.guard.check(person.email);
    if (!(await this.hasher.verify(current, person.passwordHash))) {
      await this.guard.failed(person.email);
      throw new DomainError('invalid', 'currentPassword: is not your current password', {
        issues: [{ field: 'currentPassword', message: 'is not your current password' }],
        fix: 'type your current password; if you lost it, ask an admin of your unit for a reset code',
      });
    }
    await this.guard.succeeded(person.email);
    const endedSessions = await this.credentials.replacePassword(
      personId,
      await this.hasher.hash(next),
      currentToken === undefined ? null : hashSecret(currentToken),
    );
    return { endedSessions };
  }

  /** A one-time code with which the person sets a new password; only its hash is stored, so it is shown once. */
  async issueResetCode(
    email: string,
    issuedBy: string,
  ): Promise<{ personId: string; email: string; code: string; expiresAt: Date }> {
    const person = await this.people.byEmail(email.toLowerCase());
    if (!person) throw notFound('person', email);
    const code = newSecret('ogr');
    const expiresAt = new Date(this.clock.now().getTime() + RESET_CODE_HOURS * 3_600_000);
    await this.credentials.insertReset({
      codeHash: hashSecret(code),
      personId: person.id,
      issuedBy,
      expiresAt,
    });
    return { personId: person.id, email: person.email, code, expiresAt };
  }

  /** Sets a new password with a reset code, which is then used up; every session of the person ends. */
  async resetPassword(email: string, code: string, next: string): Promise<void> {
    // Hashed first, whoever asks: the time taken says nothing about whether the email has an account.
    const passwordHash = await this.hasher.hash(next);
    const person = await this.people.byEmail(email.toLowerCase());
    const redeemed =
      person !== null &&
      (await this.credentials.redeemReset({
        codeHash: hashSecret(code),
        personId: person.id,
        email: person.email,
        passwordHash,
        now: this.clock.now(),
      }));
    if (!redeemed) {
      throw new DomainError('unauthenticated', 'code: the reset code is wrong, used or expired', {
        issues: [{ field: 'code', message: 'wrong, used or expired' }],
        fix: 'ask an admin of your unit for a new reset code',
      });
    }
  }

  /**
   * The unit a person belongs to, for who may reset their password: the deepest one above all their roles;
   * null for someone with no role or no account.
   */
  async homeUnitOf(email: string): Promise<string | null> {
    const person = await this.people.byEmail(email.toLowerCase());
    if (!person) return null;
    return commonAncestor((await this.people.grantsOf(person.id)).map((g) => g.unitPath));
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

  /** Takes a role back; never the last admin role on the root, which would leave the federation without an admin. */
  async revoke(personId: string, unitId: string, role: Role): Promise<boolean> {
    const outcome = await this.people.revokeKeepingRootAdmin(personId, unitId, role);
    if (outcome === 'last-root-admin') {
      throw new DomainError(
        'conflict',
        'this is the last admin of the root unit; removing it would leave the federation with no admin',
        { fix: 'grant the admin role on the root unit to another person first (auth.grant.add)' },
      );
    }
    return outcome === 'removed';
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
