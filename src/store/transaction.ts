// Runs work in a transaction of its own, or inside the caller's when the handle already is a transaction,
// so that a repository's all-or-nothing step can also be one part of a larger all-or-nothing load.
import type { Kysely, Transaction } from 'kysely';

/** Inside an outer transaction a failure aborts the whole of it: there are no partial commits. */
export function inTransaction<DB, T>(db: Kysely<DB>, fn: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Transaction<DB>) : db.transaction().execute(fn);
}
