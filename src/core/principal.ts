// Who is calling: the public, a person with roles on subtrees, a machine scoped to one unit, or the system.

export const ROLES = ['member', 'manager', 'planner', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** `govern`: open votes and assemblies on the unit and answer its public questions. */
export const PERMISSIONS = ['read', 'report', 'manage', 'plan', 'govern', 'audit', 'admin'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** What each role may do on the subtree where it is granted. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  member: ['read'],
  auditor: ['read', 'audit'],
  manager: ['read', 'report', 'manage', 'govern'],
  planner: ['read', 'plan', 'govern'],
  admin: ['read', 'report', 'manage', 'plan', 'govern', 'audit', 'admin'],
};

/** A role held on a unit; it holds for the unit's whole subtree. `unitPath` is the unit's materialised path. */
export interface Grant {
  unitId: string;
  unitPath: string;
  role: Role;
}

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'person'; personId: string; name: string; email: string; grants: Grant[] }
  | { kind: 'machine'; tokenId: string; unitId: string; unitPath: string }
  /** The local operator (CLI on its own database) and internal jobs: every permission everywhere. */
  | { kind: 'system' };

export const ANONYMOUS: Principal = { kind: 'anonymous' };
export const SYSTEM: Principal = { kind: 'system' };

/** True when `path` lies inside the subtree rooted at `rootPath` (paths look like "/a/b/"). */
export function inSubtree(path: string, rootPath: string): boolean {
  return path.startsWith(rootPath);
}

/** The unit paths under which the principal holds `permission` (empty for none). */
export function scopesFor(principal: Principal, permission: Permission): string[] | 'everywhere' {
  switch (principal.kind) {
    case 'system':
      return 'everywhere';
    case 'anonymous':
      return [];
    case 'machine':
      return permission === 'report' || permission === 'read' ? [principal.unitPath] : [];
    case 'person':
      return principal.grants
        .filter((g) => ROLE_PERMISSIONS[g.role].includes(permission))
        .map((g) => g.unitPath);
  }
}

/** Does the principal hold `permission` on the unit at `unitPath`? */
export function holds(principal: Principal, permission: Permission, unitPath: string): boolean {
  const scopes = scopesFor(principal, permission);
  return scopes === 'everywhere' || scopes.some((root) => inSubtree(unitPath, root));
}

/** The principal as one string, for the audit trail and for who may follow or cancel a run. */
export function actorKey(p: Principal): string {
  if (p.kind === 'person') return `person:${p.personId}`;
  if (p.kind === 'machine') return `machine:${p.tokenId}`;
  return p.kind;
}
