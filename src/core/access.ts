// Access declarations and the one central check that enforces them for every operation.
import { DomainError } from './errors';
import { holds, type Permission, type Principal } from './principal';

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
    throw new DomainError('unauthenticated', 'sign in first', { fix: 'call auth.login and send the token' });
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
  if (principal.kind === 'anonymous') {
    throw new DomainError('unauthenticated', 'sign in first', { fix: 'call auth.login and send the token' });
  }
  throw new DomainError(
    'forbidden',
    `you need the "${access.permission}" permission on unit "${unitId}" or above`,
    {
      fix: 'ask an admin of that unit or one above it to grant you a role',
    },
  );
}
