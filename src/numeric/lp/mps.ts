// Reader and writer for free-format MPS text (the netlib exchange format): reference problems come in through it,
// and benchmarks hand the same LP to every peer solver through it.
import type { LinearProgram } from './lp';

export type MpsResult =
  { ok: true; lp: LinearProgram; name: string } | { ok: false; line: number; message: string };

type Section = 'NAME' | 'ROWS' | 'COLUMNS' | 'RHS' | 'RANGES' | 'BOUNDS' | 'OBJSENSE' | 'ENDATA';
const SECTIONS = new Set<string>([
  'NAME',
  'ROWS',
  'COLUMNS',
  'RHS',
  'RANGES',
  'BOUNDS',
  'OBJSENSE',
  'ENDATA',
]);

/**
 * Parses free-format MPS: names without spaces, fields split on whitespace. Integer markers are ignored
 * (the LP relaxation is read). A negative UP bound on a column with lower bound 0 makes the lower bound −∞,
 * as CPLEX and HiGHS do.
 */
export function parseMps(text: string): MpsResult {
  let section: Section | undefined;
  let name = '';
  let sense: 'min' | 'max' = 'min';
  let objectiveRow = '';
  let offset = 0;
  const rowIds = new Map<string, number>();
  const rowTypes: string[] = [];
  const colIds = new Map<string, number>();
  const colNames: string[] = [];
  const rowNames: string[] = [];
  const entries: { col: number; row: number; value: number }[] = [];
  const objective: number[] = [];
  const rhs: number[] = [];
  const range: number[] = [];
  const colLower: number[] = [];
  const colUpper: number[] = [];

  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n] ?? '';
    if (raw.trim() === '' || raw.startsWith('*')) continue;
    const fields = raw.trim().split(/\s+/);
    const head = fields[0] ?? '';
    if (!/^\s/.test(raw) && SECTIONS.has(head)) {
      section = head as Section;
      if (section === 'NAME') name = fields[1] ?? '';
      if (section === 'OBJSENSE' && fields[1] !== undefined) sense = fields[1] === 'MAX' ? 'max' : 'min';
      if (section === 'ENDATA') break;
      continue;
    }
    const fail = (message: string): MpsResult => ({ ok: false, line: n + 1, message });
    const number = (s: string | undefined): number => (s === undefined ? Number.NaN : Number(s));
    switch (section) {
      case 'OBJSENSE':
        sense = head === 'MAX' || head === 'MAXIMIZE' ? 'max' : 'min';
        break;
      case 'ROWS': {
        const rowName = fields[1];
        if (rowName === undefined || !['N', 'E', 'L', 'G'].includes(head))
          return fail(`bad ROWS line "${raw.trim()}"`);
        if (head === 'N' && objectiveRow === '') objectiveRow = rowName;
        else {
          // Later N rows are free rows (no bound on either side), kept so their coefficients stay legal.
          rowIds.set(rowName, rowTypes.length);
          rowTypes.push(head);
          rowNames.push(rowName);
          rhs.push(0);
          range.push(Number.NaN);
        }
        break;
      }
      case 'COLUMNS': {
        if (fields[1] === "'MARKER'") break;
        let col = colIds.get(head);
        if (col === undefined) {
          col = colNames.length;
          colIds.set(head, col);
          colNames.push(head);
          objective.push(0);
          colLower.push(0);
          colUpper.push(Number.POSITIVE_INFINITY);
        }
        for (let f = 1; f + 1 < fields.length; f += 2) {
          const rowName = fields[f] ?? '';
          const value = number(fields[f + 1]);
          if (!Number.isFinite(value)) return fail(`bad coefficient "${fields[f + 1]}"`);
          if (rowName === objectiveRow) objective[col] = value;
          else {
            const row = rowIds.get(rowName);
            if (row === undefined) return fail(`unknown row "${rowName}"`);
            if (value !== 0) entries.push({ col, row, value });
          }
        }
        break;
      }
      case 'RHS':
      case 'RANGES': {
        // The set name is optional in free MPS: an odd field count means it is present.
        const start = fields.length % 2 === 1 ? 1 : 0;
        for (let f = start; f + 1 < fields.length; f += 2) {
          const rowName = fields[f] ?? '';
          const value = number(fields[f + 1]);
          if (!Number.isFinite(value)) return fail(`bad value "${fields[f + 1]}"`);
          if (section === 'RHS' && rowName === objectiveRow) {
            offset = -value;
            continue;
          }
          const row = rowIds.get(rowName);
          if (row === undefined) return fail(`unknown row "${rowName}"`);
          (section === 'RHS' ? rhs : range)[row] = value;
        }
        break;
      }
      case 'BOUNDS': {
        const hasValue = !['FR', 'MI', 'PL', 'BV'].includes(head);
        const colName = hasValue ? fields[fields.length - 2] : fields[fields.length - 1];
        const col = colIds.get(colName ?? '');
        if (col === undefined) return fail(`unknown column "${colName}"`);
        const value = number(fields[fields.length - 1]);
        if (hasValue && !Number.isFinite(value)) return fail(`bad bound "${fields[fields.length - 1]}"`);
        switch (head) {
          case 'UP':
          case 'UI':
            colUpper[col] = value;
            if (value < 0 && colLower[col] === 0) colLower[col] = Number.NEGATIVE_INFINITY;
            break;
          case 'LO':
          case 'LI':
            colLower[col] = value;
            break;
          case 'FX':
            colLower[col] = value;
            colUpper[col] = value;
            break;
          case 'FR':
            colLower[col] = Number.NEGATIVE_INFINITY;
            colUpper[col] = Number.POSITIVE_INFINITY;
            break;
          case 'MI':
            colLower[col] = Number.NEGATIVE_INFINITY;
            break;
          case 'PL':
            colUpper[col] = Number.POSITIVE_INFINITY;
            break;
          case 'BV':
            colLower[col] = 0;
            colUpper[col] = 1;
            break;
          default:
            return fail(`unknown bound type "${head}"`);
        }
        break;
      }
      default:
        return fail(`data outside a section: "${raw.trim()}"`);
    }
  }

  const m = rowTypes.length;
  const ncols = colNames.length;
  const colStart = new Int32Array(ncols + 1);
  for (const e of entries) colStart[e.col + 1] = (colStart[e.col + 1] ?? 0) + 1;
  for (let j = 0; j < ncols; j++) colStart[j + 1] = (colStart[j + 1] ?? 0) + (colStart[j] ?? 0);
  const fill = colStart.slice(0, ncols);
  const rowIndex = new Int32Array(entries.length);
  const values = new Float64Array(entries.length);
  for (const e of entries) {
    const k = fill[e.col] ?? 0;
    fill[e.col] = k + 1;
    rowIndex[k] = e.row;
    values[k] = e.value;
  }
  const rowLower = new Float64Array(m);
  const rowUpper = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const b = rhs[i] ?? 0;
    const r = range[i] ?? Number.NaN;
    const type = rowTypes[i];
    let lo = type === 'L' || type === 'N' ? Number.NEGATIVE_INFINITY : b;
    let hi = type === 'G' || type === 'N' ? Number.POSITIVE_INFINITY : b;
    if (!Number.isNaN(r)) {
      if (type === 'L') lo = b - Math.abs(r);
      else if (type === 'G') hi = b + Math.abs(r);
      else if (r >= 0) hi = b + r;
      else lo = b + r;
    }
    rowLower[i] = lo;
    rowUpper[i] = hi;
  }
  return {
    ok: true,
    name,
    lp: {
      sense,
      objective: Float64Array.from(objective),
      objectiveOffset: offset,
      matrix: { rows: m, cols: ncols, colStart, rowIndex, values },
      rowLower,
      rowUpper,
      colLower: Float64Array.from(colLower),
      colUpper: Float64Array.from(colUpper),
      rowNames,
      colNames,
    },
  };
}

/** A name MPS can carry: non-empty, no whitespace, not starting with '*' or a section word; else a generated one. */
function usableNames(given: string[] | undefined, count: number, prefix: string): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (let k = 0; k < count; k++) {
    const g = given?.[k];
    const ok = g !== undefined && /^[^\s*][^\s]*$/.test(g) && !SECTIONS.has(g) && !seen.has(g);
    const name = ok ? g : `${prefix}${k}`;
    seen.add(name);
    names.push(name);
  }
  // A generated name may collide with a given one: fall back to generated names for all.
  return seen.size === count ? names : names.map((_, k) => `${prefix}${k}`);
}

/**
 * Writes `lp` as free-format MPS that parseMps reads back exactly (numbers in shortest round-trip form) and that
 * HiGHS, CPLEX and the Python peer read too. Ranged rows are written as G rows with a RANGES entry (hi − lo), so
 * their upper bound is exact up to one rounding of that difference; a maximisation gets an OBJSENSE section.
 */
export function writeMps(lp: LinearProgram, name = 'OGAS'): string {
  const { rows: m, cols: n, colStart, rowIndex, values } = lp.matrix;
  const rowNames = usableNames(lp.rowNames, m, 'R');
  const colNames = usableNames(lp.colNames, n, 'C');
  let objName = 'OBJ';
  while (rowNames.includes(objName)) objName = `${objName}_`;
  const out: string[] = [`NAME ${name.replace(/\s+/g, '_') || 'OGAS'}`];
  if (lp.sense === 'max') out.push('OBJSENSE', '    MAX');
  out.push('ROWS', ` N ${objName}`);
  const inf = Number.POSITIVE_INFINITY;
  const rhs: string[] = [];
  const ranges: string[] = [];
  for (let i = 0; i < m; i++) {
    const lo = lp.rowLower[i] as number;
    const hi = lp.rowUpper[i] as number;
    const r = rowNames[i] as string;
    let type: string;
    if (lo === hi) {
      type = 'E';
      if (lo !== 0) rhs.push(`    RHS ${r} ${lo}`);
    } else if (lo === -inf && hi === inf) type = 'N';
    else if (lo === -inf) {
      type = 'L';
      if (hi !== 0) rhs.push(`    RHS ${r} ${hi}`);
    } else {
      type = 'G';
      if (lo !== 0) rhs.push(`    RHS ${r} ${lo}`);
      if (hi !== inf) ranges.push(`    RNG ${r} ${hi - lo}`);
    }
    out.push(` ${type} ${r}`);
  }
  out.push('COLUMNS');
  for (let j = 0; j < n; j++) {
    const c = colNames[j] as string;
    // The objective entry is always written, so a column without coefficients still exists.
    out.push(`    ${c} ${objName} ${lp.objective[j] as number}`);
    for (let k = colStart[j] as number; k < (colStart[j + 1] as number); k++) {
      const v = values[k] as number;
      if (v !== 0) out.push(`    ${c} ${rowNames[rowIndex[k] as number] as string} ${v}`);
    }
  }
  const offset = lp.objectiveOffset ?? 0;
  out.push('RHS');
  if (offset !== 0) out.push(`    RHS ${objName} ${-offset}`);
  out.push(...rhs);
  if (ranges.length > 0) out.push('RANGES', ...ranges);
  const bounds: string[] = [];
  for (let j = 0; j < n; j++) {
    const lo = lp.colLower[j] as number;
    const hi = lp.colUpper[j] as number;
    const c = colNames[j] as string;
    if (lo === -inf && hi === inf) bounds.push(` FR BND ${c}`);
    else if (lo === hi) bounds.push(` FX BND ${c} ${lo}`);
    else {
      if (lo === -inf) bounds.push(` MI BND ${c}`);
      // UP before LO: a negative UP on a column still at its default lower bound 0 would make the reader free it.
      if (hi !== inf) bounds.push(` UP BND ${c} ${hi}`);
      if (lo !== 0 && lo !== -inf) bounds.push(` LO BND ${c} ${lo}`);
      else if (lo === 0 && hi < 0) bounds.push(` LO BND ${c} 0`);
    }
  }
  if (bounds.length > 0) out.push('BOUNDS', ...bounds);
  out.push('ENDATA', '');
  return out.join('\n');
}
