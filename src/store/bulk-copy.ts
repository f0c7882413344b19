// COPY … FROM STDIN through Kysely: the bulk path for readings. Kysely has no COPY and hides a transaction's
// connection, so a copy travels as a marked query whose one parameter is the data; the two drivers recognise the
// mark on the connection the transaction holds: pg streams the data with pg-copy-streams, PGlite reads it as a
// blob. The statement is an ordinary one of the transaction: it commits or rolls back with the rest.
import { CompiledQuery, type Kysely } from 'kysely';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const MARK = '/*ogas:copy*/';

/**
 * Escapes one text value for COPY's text format: backslash, tab, newline and carriage return are the only
 * characters it treats specially (the text was already cleared of NUL by the input guard).
 */
export function copyText(s: string): string {
  return /[\\\t\n\r]/.test(s)
    ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
    : s;
}

/** A nullable number in COPY's text format: the shortest text that reads back as the same double. */
export function copyNumber(x: number | null): string {
  return x === null ? '\\N' : String(x);
}

/**
 * Copies `data` into `table (columns)` on the connection `db` runs on; returns the rows copied. Text is COPY's
 * text format (rows of tab-separated fields, each line ended by a newline); bytes are its binary format
 * (`BinaryCopyWriter`). The table and columns are our own identifiers, never input.
 */
export async function copyInto(
  db: Kysely<unknown>,
  table: string,
  columns: readonly string[],
  data: string | Uint8Array,
): Promise<number> {
  if (!/^[a-z_]+$/.test(table) || columns.some((c) => !/^[a-z_]+$/.test(c)))
    throw new Error(`copyInto: bad identifier in ${table}(${columns.join(', ')})`);
  const format = typeof data === 'string' ? '' : ' with (format binary)';
  const r = await db.executeQuery(
    CompiledQuery.raw(`${MARK}copy ${table} (${columns.join(', ')}) from stdin${format}`, [data]),
  );
  return Number(r.numAffectedRows ?? 0);
}

function copyStatement(sqlText: string): string | null {
  return sqlText.startsWith(MARK) ? sqlText.slice(MARK.length) : null;
}

/** PGlite: COPY FROM '/dev/blob' reads the data handed to the query as a blob. */
export async function pgliteCopy(
  client: PGlite,
  sqlText: string,
  params: readonly unknown[],
): Promise<{ affectedRows: number } | null> {
  const statement = copyStatement(sqlText);
  if (statement === null) return null;
  const result = await client.query(statement.replace(/ from stdin( with|$)/, " from '/dev/blob'$1"), [], {
    blob: new Blob([params[0] as string | Uint8Array<ArrayBuffer>]),
  });
  return { affectedRows: result.affectedRows ?? 0 };
}

type PoolClient = pg.PoolClient;

/** Streams the data of a marked query into COPY FROM STDIN on the pg client. */
function pgCopy(client: PoolClient, statement: string, data: string | Uint8Array) {
  return new Promise<{ command: string; rowCount: number; rows: never[] }>((resolve, reject) => {
    const stream = client.query(copyFrom(statement));
    stream.on('error', reject);
    stream.on('finish', () =>
      // Reported as an insert, so Kysely passes the count on as numAffectedRows.
      resolve({ command: 'INSERT', rowCount: Number(stream.rowCount), rows: [] }),
    );
    stream.end(data);
  });
}

/**
 * The pool Kysely's PostgresDialect is given: its clients run marked queries as COPY and pass every other
 * query through unchanged.
 */
export function copyAwarePool(pool: pg.Pool) {
  return {
    async connect() {
      const client = await pool.connect();
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      return {
        query: (first: unknown, ...rest: unknown[]) => {
          const statement = typeof first === 'string' ? copyStatement(first) : null;
          if (statement === null) return query(first, ...rest);
          const params = rest[0] as unknown[];
          return pgCopy(client, statement, params[0] as string | Uint8Array);
        },
        release: (e?: Error | boolean) => client.release(e),
      };
    },
    end: () => pool.end(),
  };
}
