// Runs work in a transaction of its own, or inside the caller's when the handle already is a transaction,
// so that a repository's all-or-nothing step can also be one part of a larger all-or-nothing load.
import type { Kysely, Transaction } from 'kysely';
import type { Store } from './connect';

/** Inside an outer transaction a failure aborts the whole of it: there are no partial commits. */
export function inTransaction<DB, T>(db: Kysely<DB>, fn: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Transaction<DB>) : db.transaction().execute(fn);
}

/**
 * Runs `fn` on a store whose every query belongs to one transaction: it commits when `fn` resolves and
 * rolls back when it throws. Repositories built over that store join it.
 */
export function inStoreTransaction<T>(store: Store, fn: (tx: Store) => Promise<T>): Promise<T> {
  return inTransaction(store.db, (db) => fn({ ...store, db }));
}
