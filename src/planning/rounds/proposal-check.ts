// Checks a unit's hand proposal against its own technologies and limits, naming every fault by field: an
// unknown technology or one of another unit, a level above a capacity (by how much), a unit's own limit exceeded.
import { DomainError, type FieldIssue } from '../../core/errors';
import type { RoundProblem } from './round-problem';
import { unitTechnologies } from './round-problem';

export interface ProposedLevel {
  technology: string;
  quantity: number;
}

/** Relative slack allowed on limits, so a level typed at exactly the capacity is never refused for rounding. */
const LIMIT_TOLERANCE = 1e-9;

/** The unit's levels in its technology order; throws a DomainError naming each fault. */
export function checkProposal(problem: RoundProblem, unit: string, levels: ProposedLevel[]): number[] {
  if (!problem.units.includes(unit))
    throw new DomainError('invalid', `unit: "${unit}" operates no technology of this economy`, {
      issues: [
        {
          field: 'unit',
          message: `choose one of ${problem.units.slice(0, 10).join(', ')}${problem.units.length > 10 ? ', …' : ''}`,
        },
      ],
      fix: 'give the code of a unit that operates technologies of the economy',
    });
  const { codes, columns } = unitTechnologies(problem, unit);
  const { lp } = problem.formulation;
  const allTechs = new Set(problem.plan.technologyCodes);
  const x = new Array<number>(codes.length).fill(0);
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  levels.forEach((l, k) => {
    const field = `levels[${k}]`;
    const pos = codes.indexOf(l.technology);
    if (pos < 0) {
      issues.push({
        field: `${field}.technology`,
        message: allTechs.has(l.technology)
          ? `"${l.technology}" is operated by another unit, not ${unit}`
          : `"${l.technology}" is not a technology of this economy`,
      });
      return;
    }
    if (seen.has(l.technology)) {
      issues.push({ field: `${field}.technology`, message: `"${l.technology}" is given twice` });
      return;
    }
    seen.add(l.technology);
    if (!(Number.isFinite(l.quantity) && l.quantity >= 0)) {
      issues.push({
        field: `${field}.quantity`,
        message: `must be a non-negative number, got ${l.quantity}`,
      });
      return;
    }
    const cap = lp.colUpper[columns[pos]!]!;
    if (l.quantity > cap * (1 + LIMIT_TOLERANCE)) {
      issues.push({
        field: `${field}.quantity`,
        message: `exceeds the capacity of ${l.technology} (${cap}) by ${l.quantity - cap}`,
      });
      return;
    }
    x[pos] = l.quantity;
  });
  if (issues.length === 0) issues.push(...ownLimitIssues(problem, unit, columns, x));
  if (issues.length > 0)
    throw new DomainError(
      'invalid',
      `the proposal of ${unit} is not feasible: ${issues[0]!.field}: ${issues[0]!.message}`,
      {
        issues,
        fix: 'propose levels within the unit’s own technologies, capacities and labour',
      },
    );
  return x;
}

/** The unit's own rows (skill pools or resources only it uses): activity within their bounds. */
function ownLimitIssues(problem: RoundProblem, unit: string, columns: Int32Array, x: number[]): FieldIssue[] {
  const s = problem.structure;
  const b = problem.units.indexOf(unit);
  const { lp, index } = problem.formulation;
  const activity = new Map<number, number>();
  columns.forEach((j, k) => {
    for (let e = lp.matrix.colStart[j]!; e < lp.matrix.colStart[j + 1]!; e++) {
      const i = lp.matrix.rowIndex[e]!;
      if (s.linkingIndex[i]! < 0) activity.set(i, (activity.get(i) ?? 0) + lp.matrix.values[e]! * x[k]!);
    }
  });
  const nameOf = (i: number): string => {
    if (i < index.nP) return `net output of ${problem.plan.productCodes[i]} (its target)`;
    const s = index.skillRow.indexOf(i);
    if (s >= 0) return `labour of skill ${problem.plan.skillCodes[s]}`;
    const r = index.resourceRow.indexOf(i);
    return r >= 0 ? `resource ${problem.plan.resourceCodes[r]}` : `limit ${i}`;
  };
  const issues: FieldIssue[] = [];
  for (const i of s.blocks[b]!.localRows) {
    const a = activity.get(i) ?? 0;
    const up = lp.rowUpper[i]!;
    const lo = lp.rowLower[i]!;
    const slack = (v: number) => LIMIT_TOLERANCE * Math.max(1, Math.abs(v));
    if (a > up + slack(up))
      issues.push({ field: 'levels', message: `${nameOf(i)} is ${a}, above the unit's ${up} by ${a - up}` });
    else if (a < lo - slack(lo))
      issues.push({
        field: 'levels',
        message: `${nameOf(i)} is ${a}, below the required ${lo} by ${lo - a}`,
      });
  }
  return issues;
}

/** Outputs, inputs and labour by skill of a unit's levels (what a proposal means in goods and hours). */
export function proposalSummary(
  problem: RoundProblem,
  unit: string,
  levels: number[],
): {
  levels: Record<string, number>;
  outputs: Record<string, number>;
  inputs: Record<string, number>;
  labour: Record<string, number>;
} {
  const plan = problem.plan;
  const { codes, columns } = unitTechnologies(problem, unit);
  const out = { levels: {}, outputs: {}, inputs: {}, labour: {} } as Record<
    'levels' | 'outputs' | 'inputs' | 'labour',
    Record<string, number>
  >;
  const add = (m: Record<string, number>, k: string, v: number) => {
    if (v !== 0) m[k] = (m[k] ?? 0) + v;
  };
  columns.forEach((j, k) => {
    const v = levels[k] ?? 0;
    if (v === 0) return;
    add(out.levels, codes[k]!, v);
    add(out.outputs, plan.productCodes[plan.techProduct[j]!]!, v);
    for (let e = plan.inputs.start[j]!; e < plan.inputs.start[j + 1]!; e++)
      add(out.inputs, plan.productCodes[plan.inputs.index[e]!]!, plan.inputs.value[e]! * v);
    for (let e = plan.labour.start[j]!; e < plan.labour.start[j + 1]!; e++)
      add(out.labour, plan.skillCodes[plan.labour.index[e]!]!, plan.labour.value[e]! * v);
  });
  return out;
}
