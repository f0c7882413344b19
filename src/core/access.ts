// Access declarations and the one central check that enforces them for every operation.
import { DomainError } from './errors';
import { holds, ROLE_PERMISSIONS, ROLES, type Permission, type Principal } from './principal';

/**
 * What an operation needs:
 * - `public`: anyone, signed in or not;
 * - `signed-in`: any person with an account;
 * - `unit`: `permission` on the unit that `unit(input)` names (its subtree inherits grants).
 *   `publicRead` lets the public read a unit marked public. `machine` lets a machine token act on its own unit.
 *   `unit` returning null means the root of the holarchy (a federation-wide operation).
 */
export type Access<I> =
  | { kind: 'public' }
  | { kind: 'signed-in' }
  | {
      kind: 'unit';
      permission: Permission;
      unit: (input: I, resolve: UnitResolver) => Promise<UnitRef> | UnitRef;
      publicRead?: boolean;
    };

/** One unit id, several (each must pass), or null for the root. */
export type UnitRef = string | null | string[];

/** The port the check uses to learn where a unit sits and whether it is public. */
export interface UnitResolver {
  /** The unit's materialised path, or null if it does not exist. */
  unitPath(unitId: string): Promise<string | null>;
  isPublic(unitId: string): Promise<boolean>;
  rootId(): Promise<string | null>;
  /** Lookups of other records that carry a unit (economies, plans, indicators, alerts). */
  unitOf(kind: string, id: string): Promise<string | null>;
  /** The unit's name, for refusals people can read (never its id). */
  unitName?(unitId: string): Promise<string | null>;
}

/** A refusal to the public: sign in, in people's words (programs are told how, too). */
export function signInFirst(): DomainError {
  return new DomainError('unauthenticated', 'you are not signed in, and this is not public', {
    fix: 'sign in with your email and password (a program calls auth.login and sends the token it gets)',
  });
}

const PERMISSION_WORDS: Record<Permission, string> = {
  read: 'see',
  report: 'report readings on',
  manage: 'manage',
  plan: 'plan for',
  govern: 'govern',
  audit: 'audit',
  admin: 'administer',
};

/** "a manager's or an admin's": the roles that carry a permission, in words. */
function rolesWith(permission: Permission): string {
  const roles = ROLES.filter((r) => ROLE_PERMISSIONS[r].includes(permission)).map(
    (r) => `${/^[aeiou]/.test(r) ? 'an' : 'a'} ${r}'s`,
  );
  return roles.length <= 1 ? (roles[0] ?? '') : `${roles.slice(0, -1).join(', ')} or ${roles.at(-1) ?? ''}`;
}

/**
 * Throws unauthenticated/forbidden/not-found; when the principal may proceed, returns the paths of the units
 * the check covered (none for public and signed-in operations), so a long run knows whose it is.
 */
export async function authorize<I>(
  principal: Principal,
  access: Access<I>,
  input: I,
  resolver: UnitResolver,
): Promise<string[]> {
  if (access.kind === 'public') return [];
  if (principal.kind === 'anonymous' && access.kind === 'signed-in') {
    throw signInFirst();
  }
  if (access.kind === 'signed-in') {
    if (principal.kind === 'person' || principal.kind === 'system') return [];
    throw new DomainError('forbidden', 'this operation is for people, not machine tokens');
  }
  const ref = await access.unit(input, resolver);
  const ids = Array.isArray(ref) ? ref : [ref ?? (await resolver.rootId())];
  const paths: string[] = [];
  for (const unitId of ids) {
    if (unitId === null) {
      // Only the local operator founds the holarchy (its root); afterwards the root's admins rule.
      if (principal.kind === 'system') return paths;
      throw new DomainError('not-found', 'the holarchy has no root unit yet');
    }
    paths.push(await authorizeOnUnit(principal, access, unitId, resolver));
  }
  return paths;
}

async function authorizeOnUnit(
  principal: Principal,
  access: { permission: Permission; publicRead?: boolean },
  unitId: string,
  resolver: UnitResolver,
): Promise<string> {
  const path = await resolver.unitPath(unitId);
  if (path === null) throw new DomainError('not-found', `unit "${unitId}" does not exist`);
  if (principal.kind === 'system') return path;
  if (access.permission === 'read' && access.publicRead && (await resolver.isPublic(unitId))) return path;
  if (principal.kind === 'machine' && access.permission !== 'read' && access.permission !== 'report') {
    throw new DomainError('forbidden', 'machine tokens may only report and read on their own unit');
  }
  if (holds(principal, access.permission, path)) return path;
  if (principal.kind === 'anonymous') throw signInFirst();
  const name = (await resolver.unitName?.(unitId)) ?? 'this unit';
  const where = name === 'this unit' ? name : `“${name}”`;
  throw new DomainError(
    'forbidden',
    `you are signed in, but none of your roles lets you ${PERMISSION_WORDS[access.permission]} ${where}: that takes ${rolesWith(access.permission)} role on it or on a unit above it`,
    {
      fix: 'ask an admin of that unit or one above it to grant you a role',
      data: { permission: access.permission },
    },
  );
}
