// The one SQL condition by which listings and searches keep to what a reader may see: rows on a unit
// inside one of the reader's subtrees, on a public unit when the public may read, or matched by an extra
// condition (a vote's electorate). Written once, because a listing that drifts from it leaks.
import { sql, type Expression, type SqlBool } from 'kysely';

export interface Reach {
  /** Subtree roots (unit paths) the reader holds the right on, or everywhere (root admins). */
  paths: readonly string[] | 'everywhere';
  /** Whether units marked public count too. */
  includePublic: boolean;
}

/**
 * The condition on the joined `units` table (its `path` and `public` columns), or null when the reader
 * sees everywhere. `extra` widens it (OR) with conditions of the listing's own table.
 */
export function reachCondition(reach: Reach, extra: Expression<SqlBool>[] = []): Expression<SqlBool> | null {
  if (reach.paths === 'everywhere') return null;
  const parts: Expression<SqlBool>[] = [
    ...reach.paths.map((p) => sql<SqlBool>`${sql.ref('units.path')} like ${`${p}%`}`),
    ...(reach.includePublic ? [sql<SqlBool>`${sql.ref('units.public')} = true`] : []),
    ...extra,
  ];
  // No subtree, not public, nothing extra: nothing is visible (an empty OR would be a syntax error).
  return parts.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}
