// Applies scenario changes to an existing formulation in place of rebuilding it, when the LP keeps its
// shape: only bounds, costs and stored coefficients change, so the previous solution stays a valid
// starting point, index for index. Changes that add or remove rows or entries return null (rebuild).
import type { CscMatrix } from '../../numeric/lp/lp';
import type { CompiledPlan, TechnologyRows } from './compiled-plan';
import type { PlanFormulation } from './plan-index';
import type { ScenarioChange } from './scenario';

const indexCache = new WeakMap<string[], Map<string, number>>();

/** Position of each code (cached per code list, so repeated replans pay for the map once). */
export function codeIndex(codes: string[]): Map<string, number> {
  let m = indexCache.get(codes);
  if (m === undefined) {
    m = new Map();
    codes.forEach((c, i) => m!.set(c, i));
    indexCache.set(codes, m);
  }
  return m;
}

function entryIn(rows: TechnologyRows, j: number, index: number): number {
  for (let e = rows.start[j]!; e < rows.start[j + 1]!; e++) if (rows.index[e] === index) return e;
  return -1;
}

/** Position of (row, col) in a CSC matrix with sorted columns, or −1. */
function cscEntry(m: CscMatrix, row: number, col: number): number {
  let lo = m.colStart[col]!;
  let hi = m.colStart[col + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = m.rowIndex[mid]!;
    if (r === row) return mid;
    if (r < row) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

const periodsOf = (P: number, period: number | undefined) =>
  period === undefined ? Array.from({ length: P }, (_, t) => t) : [period - 1];

/** The formulation with the changes applied, sharing every array that did not change; null if the shape changes. */
export function patchFormulation(f: PlanFormulation, changes: ScenarioChange[]): PlanFormulation | null {
  if (f.index.elastic) return null;
  const { index: ix } = f;
  const P = ix.periods;
  const plan: CompiledPlan = { ...f.plan };
  const lp = { ...f.lp };
  const copied = new Set<string>();
  // Copy an array the first time it is written, so the previous formulation stays intact.
  const own = <T extends Float64Array>(key: string, get: () => T, set: (v: T) => void): T => {
    if (!copied.has(key)) {
      set(get().slice() as T);
      copied.add(key);
    }
    return get();
  };
  const values = () => {
    const v = own(
      'values',
      () => lp.matrix.values,
      (v) => (lp.matrix = { ...lp.matrix, values: v }),
    );
    return v;
  };

  for (const c of changes) {
    switch (c.kind) {
      case 'target': {
        const p = codeIndex(plan.productCodes).get(c.product);
        if (p === undefined || c.period < 1 || c.period > P) return null;
        const i = (c.period - 1) * ix.nP + p;
        const old = plan.targets[i]!;
        if (plan.objective === 'min-labour') {
          own(
            'rowLower',
            () => lp.rowLower,
            (v) => (lp.rowLower = v),
          )[i] = c.quantity;
        } else if (plan.objective === 'assortment' && old > 0 && c.quantity > 0) {
          const e = cscEntry(lp.matrix, i, ix.lambdaCol[c.period - 1]!);
          if (e < 0) return null;
          values()[e] = -c.quantity;
        } else return null;
        own(
          'targets',
          () => plan.targets,
          (v) => (plan.targets = v),
        )[i] = c.quantity;
        break;
      }
      case 'coefficient': {
        const j = codeIndex(plan.technologyCodes).get(c.technology);
        if (j === undefined) return null;
        const [rows, key, index, rowOf] =
          c.input !== undefined
            ? ([
                plan.inputs,
                'inputs',
                codeIndex(plan.productCodes).get(c.input),
                (t: number, i: number) => t * ix.nP + i,
              ] as const)
            : c.skill !== undefined
              ? ([
                  plan.labour,
                  'labour',
                  codeIndex(plan.skillCodes).get(c.skill),
                  (t: number, i: number) => ix.skillRow[t * ix.nS + i]!,
                ] as const)
              : ([
                  plan.resources,
                  'resources',
                  codeIndex(plan.resourceCodes).get(c.resource ?? ''),
                  (t: number, i: number) => ix.resourceRow[t * ix.nR + i]!,
                ] as const);
        if (index === undefined) return null;
        const e = entryIn(rows, j, index);
        if (e < 0) return null;
        const old = rows.value[e]!;
        const v = values();
        for (let t = 0; t < P; t++) {
          const row = rowOf(t, index);
          const col = t * ix.nT + j;
          if (row < 0) {
            if (key === 'labour' && plan.objective === 'min-labour') continue;
            return null;
          }
          const at = cscEntry(lp.matrix, row, col);
          if (at < 0) return null;
          v[at] = key === 'inputs' ? (plan.techProduct[j] === index ? 1 : 0) - c.perUnit : c.perUnit;
        }
        if (key === 'labour' && plan.objective === 'min-labour') {
          const obj = own(
            'objective',
            () => lp.objective,
            (o) => (lp.objective = o),
          );
          for (let t = 0; t < P; t++) obj[t * ix.nT + j]! += plan.labourWeight[index]! * (c.perUnit - old);
        }
        const copy: TechnologyRows = { ...rows, value: rows.value.slice() };
        copy.value[e] = c.perUnit;
        plan[key] = copy;
        break;
      }
      case 'technology-capacity': {
        const j = codeIndex(plan.technologyCodes).get(c.technology);
        if (j === undefined) return null;
        const cap = own(
          'techCapacity',
          () => plan.techCapacity,
          (v) => (plan.techCapacity = v),
        );
        const up = own(
          'colUpper',
          () => lp.colUpper,
          (v) => (lp.colUpper = v),
        );
        for (const t of periodsOf(P, c.period)) {
          cap[t * ix.nT + j] = c.capacity;
          up[t * ix.nT + j] = c.capacity;
        }
        break;
      }
      case 'skill-available':
      case 'resource-capacity': {
        const isSkill = c.kind === 'skill-available';
        const i = isSkill
          ? codeIndex(plan.skillCodes).get(c.skill)
          : codeIndex(plan.resourceCodes).get(c.resource);
        if (i === undefined) return null;
        const n = isSkill ? ix.nS : ix.nR;
        const rowsOf = isSkill ? ix.skillRow : ix.resourceRow;
        const limit = isSkill
          ? own(
              'skillAvailable',
              () => plan.skillAvailable,
              (v) => (plan.skillAvailable = v),
            )
          : own(
              'resourceCapacity',
              () => plan.resourceCapacity,
              (v) => (plan.resourceCapacity = v),
            );
        const up = own(
          'rowUpper',
          () => lp.rowUpper,
          (v) => (lp.rowUpper = v),
        );
        const value = isSkill ? c.available : c.capacity;
        for (const t of periodsOf(P, c.period)) {
          const row = rowsOf[t * n + i]!;
          if (row < 0 || !Number.isFinite(value)) return null;
          limit[t * n + i] = value;
          up[row] = value;
        }
        break;
      }
    }
  }
  return { ...f, plan, lp };
}
