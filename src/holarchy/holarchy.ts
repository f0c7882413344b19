// Units of the holarchy: kinds, paths and the pure rules of the tree.
import { z } from 'zod';
import { DomainError } from '../core/errors';

export const UNIT_KINDS = [
  'economy',
  'sector',
  'region',
  'combine',
  'enterprise',
  'co-op',
  'shop',
  'cell',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const unitSchema = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  code: z.string().nullable(),
  name: z.string(),
  kind: z.enum(UNIT_KINDS),
  path: z.string().describe('materialised path of ids from the root, "/root/child/"'),
  depth: z.number().int().describe('0 for the root'),
  attributes: z.record(z.string(), z.unknown()),
  public: z.boolean(),
  archived: z.boolean(),
});
export type Unit = z.infer<typeof unitSchema>;

export function childPath(parentPath: string, id: string): string {
  return `${parentPath}${id}/`;
}

export function depthOf(path: string): number {
  return path.split('/').filter(Boolean).length - 1;
}

/** A unit may not move under itself or its own descendants: the tree would become a cycle. */
export function assertCanMove(unit: { id: string; path: string }, newParent: { path: string } | null): void {
  if (newParent === null) {
    throw new DomainError('invalid', 'parentId: the root cannot be replaced by a move', {
      issues: [{ field: 'parentId', message: 'must name an existing unit' }],
    });
  }
  if (newParent.path.startsWith(unit.path)) {
    throw new DomainError('invalid', 'parentId: a unit cannot move into its own subtree', {
      issues: [{ field: 'parentId', message: 'must not be the unit itself or one of its descendants' }],
      fix: 'choose a parent outside the subtree of the unit being moved',
    });
  }
}

/** The id of the deepest unit whose subtree holds every one of these paths; null for none. */
export function commonAncestor(paths: readonly string[]): string | null {
  const [first, ...rest] = paths.map((p) => p.split('/').filter(Boolean));
  if (!first) return null;
  let depth = first.length;
  for (const ids of rest) {
    let same = 0;
    while (same < Math.min(depth, ids.length) && ids[same] === first[same]) same += 1;
    depth = same;
  }
  return depth === 0 ? null : (first[depth - 1] ?? null);
}
