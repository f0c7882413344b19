// A table whose columns sort on click or Enter, announcing the order to screen readers (aria-sort). On a phone
// each row becomes a card of labelled values (styles.css, table.stacks), so no column is cut off.
import { useMemo, useState, type ReactNode } from 'react';
import { TableWrap } from './TableWrap';

export interface Column<Row> {
  key: string;
  label: string;
  /** The value sorted on. */
  value: (row: Row) => number | string;
  render?: (row: Row) => ReactNode;
  numeric?: boolean;
}

export function SortableTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
  initialSort,
  limit,
}: {
  caption: ReactNode;
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  initialSort?: { key: string; descending: boolean };
  /** Show at most this many rows (after sorting). */
  limit?: number;
}) {
  const [sort, setSort] = useState(initialSort ?? { key: columns[0]?.key ?? '', descending: false });
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? undefined : limit;
  const sorted = useMemo(() => {
    const col = columns.find((c) => c.key === sort.key);
    if (!col) return rows;
    const out = [...rows].sort((a, b) => {
      const x = col.value(a);
      const y = col.value(b);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return sort.descending ? -c : c;
    });
    return shown === undefined ? out : out.slice(0, shown);
  }, [rows, columns, sort, shown]);
  return (
    <>
      <TableWrap>
        <table className="stacks">
          <caption>
            {caption}
            {shown !== undefined && rows.length > shown ? ` (first ${shown} of ${rows.length})` : ''}
          </caption>
          <thead>
            <tr>
              {columns.map((c) => {
                const active = c.key === sort.key;
                return (
                  <th
                    key={c.key}
                    scope="col"
                    className={c.numeric ? 'num' : undefined}
                    aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                  >
                    <button
                      type="button"
                      className="sort"
                      onClick={() =>
                        setSort({ key: c.key, descending: active ? !sort.descending : Boolean(c.numeric) })
                      }
                    >
                      {c.label}
                      <span aria-hidden="true">{active ? (sort.descending ? ' ▼' : ' ▲') : ' ↕'}</span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {sorted.map((r) => (
              <tr key={rowKey(r)}>
                {columns.map((c) => (
                  <td key={c.key} className={c.numeric ? 'num' : undefined} data-label={c.label}>
                    {c.render ? c.render(r) : c.value(r)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {limit !== undefined && rows.length > limit && (
        <button type="button" className="linklike" onClick={() => setShowAll(!showAll)}>
          {showAll ? `Show the first ${limit} rows` : `Show all ${rows.length} rows`}
        </button>
      )}
    </>
  );
}

const numberFormat = new Intl.NumberFormat('en', { maximumSignificantDigits: 4 });
/** Numbers for people: four significant digits, thousands separated. */
export function formatNumber(x: number): string {
  return Number.isFinite(x) ? numberFormat.format(x) : '—';
}
