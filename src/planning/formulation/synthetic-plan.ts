// Plan problems at any scale for benchmarks and demos: a generated economy plus alternative techniques,
// skill categories with one scarce skill, and its final demand as targets, compiled straight to arrays.
import type { SyntheticEconomy } from '../../numeric/synthetic/economy-generator';
import { Random } from '../../numeric/synthetic/random';
import type { CompiledPlan } from './compiled-plan';
import { noStocks } from './compiled-plan';
import { neumannOutput } from './neumann-output';

export interface SyntheticPlanOptions {
  seed: number;
  /** Share of products given a second technique (default 0.15). */
  alternativeShare?: number;
  /** Number of skill categories (default 4). */
  skills?: number;
  /** Skill 0 gets this share of what the one-technique plan would need (default 0.96): it binds. */
  scarceSkillShare?: number;
}

/** Share of a technique's labour in its own main skill; the rest is in the next skill. */
const MAIN_SKILL_SHARE = 0.7;
/** Neumann terms for the gross output estimate behind the skill limits (column sums ≤ 0.7: 0.7²⁴ < 1e-3). */
const NEUMANN_TERMS = 24;

/**
 * Technology j < n makes product j with column j of A and labour lⱼ, split 70/30 between skills j mod K
 * and j+1 mod K. A chosen share of products get technology n + k: the same inputs scaled by a factor in
 * [0.8, 1.3] (column sums stay below 0.91, so every choice of techniques is productive), labour scaled by
 * [0.5, 1.2], and its main skill moved to the next category. Skill 0 is limited to `scarceSkillShare` of
 * what the one-technique plan needs (estimated by a truncated Neumann series); other skills are unlimited.
 */
export function syntheticPlan(e: SyntheticEconomy, options: SyntheticPlanOptions): CompiledPlan {
  const { n } = e;
  const rng = new Random(options.seed);
  const K = options.skills ?? 4;
  const share = options.alternativeShare ?? 0.15;
  const alternatives: number[] = [];
  for (let j = 0; j < n; j++) if (rng.next() < share) alternatives.push(j);
  const nT = n + alternatives.length;

  // Row j of the techniques' inputs is column j of A (the inputs of product j), transposed straight into the
  // plan's arrays: a transposed copy beside them was 1.3 GB of fresh memory at 10⁷ products, copied once more.
  const { rowStart: aStart, colIndex: aCol, values: aValue } = e.A;
  const techProduct = new Int32Array(nT);
  const inStart = new Int32Array(nT + 1);
  for (let q = 0; q < aStart[n]!; q++) inStart[aCol[q]! + 1]!++;
  for (let j = 0; j < n; j++) {
    techProduct[j] = j;
    inStart[j + 1]! += inStart[j]!;
  }
  for (let k = 0; k < alternatives.length; k++) {
    const j = alternatives[k]!;
    techProduct[n + k] = j;
    inStart[n + k + 1] = inStart[n + k]! + inStart[j + 1]! - inStart[j]!;
  }
  const inIndex = new Int32Array(inStart[nT]!);
  const inValue = new Float64Array(inStart[nT]!);
  const next = inStart.slice(0, n);
  for (let i = 0; i < n; i++)
    for (let q = aStart[i]!; q < aStart[i + 1]!; q++) {
      const dest = next[aCol[q]!]!++;
      inIndex[dest] = i;
      inValue[dest] = aValue[q]!;
    }
  const labourStart = new Int32Array(nT + 1);
  const labourIndex = new Int32Array(2 * nT);
  const labourValue = new Float64Array(2 * nT);
  const setLabour = (t: number, main: number, hours: number) => {
    labourStart[t + 1] = 2 * (t + 1);
    labourIndex[2 * t] = main % K;
    labourValue[2 * t] = MAIN_SKILL_SHARE * hours;
    labourIndex[2 * t + 1] = (main + 1) % K;
    labourValue[2 * t + 1] = (1 - MAIN_SKILL_SHARE) * hours;
  };
  for (let j = 0; j < n; j++) setLabour(j, j, e.labour[j]!);
  for (let k = 0; k < alternatives.length; k++) {
    const j = alternatives[k]!;
    const inputFactor = 0.8 + 0.5 * rng.next();
    const from = inStart[j]!;
    const to = inStart[n + k]!;
    for (let q = 0; q < inStart[j + 1]! - from; q++) {
      inIndex[to + q] = inIndex[from + q]!;
      inValue[to + q] = inputFactor * inValue[from + q]!;
    }
    setLabour(n + k, j + 1, (0.5 + 0.7 * rng.next()) * e.labour[j]!);
  }

  // Gross output of the one-technique plan, x = Σ Aᵏ d, for the scarce skill's limit (cache-blocked, the same sums).
  const x = neumannOutput(e.A, e.finalDemand, NEUMANN_TERMS);
  const need = new Float64Array(K);
  for (let j = 0; j < n; j++)
    for (let q = 2 * j; q < 2 * j + 2; q++) need[labourIndex[q]!]! += labourValue[q]! * x[j]!;
  const skillAvailable = new Float64Array(K).fill(Infinity);
  skillAvailable[0] = (options.scarceSkillShare ?? 0.96) * need[0]!;

  const productCodes = Array.from({ length: n }, (_, j) => `p${j}`);
  return {
    periods: 1,
    objective: 'min-labour',
    productCodes,
    productUnits: new Array<string>(n).fill('unit'),
    skillCodes: Array.from({ length: K }, (_, s) => `skill${s}`),
    resourceCodes: [],
    resourceUnits: [],
    technologyCodes: [...productCodes, ...alternatives.map((j) => `p${j}-alt`)],
    technologyUnits: new Array<string | null>(nT).fill(null),
    techProduct,
    inputs: { start: inStart, index: inIndex, value: inValue },
    labour: { start: labourStart, index: labourIndex, value: labourValue },
    resources: { start: new Int32Array(nT + 1), index: new Int32Array(0), value: new Float64Array(0) },
    labourWeight: new Float64Array(K).fill(1),
    skillAvailable,
    resourceCapacity: new Float64Array(0),
    techCapacity: new Float64Array(nT).fill(Infinity),
    targets: Float64Array.from(e.finalDemand),
    stocks: noStocks(),
    assortmentPerPeriod: false,
    harmonyMaxError: 1e-3,
    harmonyMaxSurplus: 4,
  };
}
