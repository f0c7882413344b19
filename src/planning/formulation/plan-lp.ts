// Builds the linear programme of a compiled plan: activity levels per technology and period, capital
// stocks and investment, and the objective's own variables (λ, or the pieces of harmony).
//
// Constraints, for every period t:
//   balance   Σⱼ outⱼₚ·xⱼₜ − Σⱼ aₚⱼ·xⱼₜ − Σₖ₍good p₎ Iₖₜ  ≥ targetₚₜ  (min-labour; λ·target for assortment,
//             Σ of the harmony segments for harmony: net output y = Σₖ segₖ, segₖ ∈ [0, widthₖ·target],
//             each earning its secant slope of H, so the LP maximises the interpolant S ≤ H; see harmony-pwl.ts)
//   skill     Σⱼ lₛⱼ·xⱼₜ ≤ availableₛₜ         resource  Σⱼ rᵣⱼ·xⱼₜ ≤ capacityᵣₜ
//   capacity  xⱼₜ ≤ capacityⱼₜ (column bound)  stock use bₖ·xⱼₜ − Kₖₜ ≤ 0
//   stock     Kₖₜ − (1 − dₖ)·Kₖ,ₜ₋₁ − Iₖ,ₜ₋lag ≤ 0 (t ≥ 2),  Kₖ₁ ≤ initialₖ
// The elastic variant keeps the min-labour constraints, adds a slack to every target and limit, and
// minimises the weighted relative slack (see infeasibility.ts).
import { harmonyPieces } from '../../numeric/harmony/harmony-pwl';
import type { HarmonyPieces } from '../../numeric/harmony/harmony-pwl';
import { CscBuilder, GrowingFloat64 } from './csc-builder';
import type { CompiledPlan } from './compiled-plan';
import type { PlanFormulation, PlanIndex } from './plan-index';

/** Slack on a target costs this many times slack on a limit, so limits are relaxed first. */
export const TARGET_SLACK_WEIGHT = 1000;

const filled = (n: number) => new Int32Array(n).fill(-1);
const relativeScale = (rhs: number) => (rhs > 0 ? rhs : 1);

export interface BuildOptions {
  elastic?: boolean;
  /** In the elastic variant, whether targets may be relaxed too (default true); false keeps them hard. */
  elasticTargets?: boolean;
}

/** Formulates the plan as a LinearProgram with its index map. */
export function buildPlanLp(plan: CompiledPlan, options: BuildOptions = {}): PlanFormulation {
  const elastic = options.elastic ?? false;
  const elasticTargets = options.elasticTargets ?? true;
  const P = plan.periods;
  const nP = plan.productCodes.length;
  const nT = plan.technologyCodes.length;
  const nS = plan.skillCodes.length;
  const nR = plan.resourceCodes.length;
  const nK = plan.stocks.product.length;
  const objective = elastic ? 'min-labour' : plan.objective;
  const pieces: HarmonyPieces | null =
    objective === 'harmony' ? harmonyPieces(plan.harmonyMaxError, plan.harmonyMaxSurplus) : null;

  // ---- rows
  let rows = P * nP;
  const skillRow = filled(nS * P);
  const resourceRow = filled(nR * P);
  const capacityRow = filled(nT * P);
  for (let i = 0; i < nS * P; i++) if (Number.isFinite(plan.skillAvailable[i]!)) skillRow[i] = rows++;
  for (let i = 0; i < nR * P; i++) if (Number.isFinite(plan.resourceCapacity[i]!)) resourceRow[i] = rows++;
  if (elastic)
    for (let i = 0; i < nT * P; i++) if (Number.isFinite(plan.techCapacity[i]!)) capacityRow[i] = rows++;
  const stockUseStart = rows;
  rows += nK * P;
  const stockBalanceRow = filled(nK * P);
  for (let i = nK; i < nK * P; i++) stockBalanceRow[i] = rows++;
  const initialStockRow = filled(nK);
  if (elastic) for (let k = 0; k < nK; k++) initialStockRow[k] = rows++;
  const harmonyPairs: number[] = [];
  if (pieces !== null) for (let i = 0; i < nP * P; i++) if (plan.targets[i]! > 0) harmonyPairs.push(i);

  const rowLower = new Float64Array(rows).fill(-Infinity);
  const rowUpper = new Float64Array(rows).fill(Infinity);
  for (let i = 0; i < nP * P; i++) rowLower[i] = objective === 'min-labour' ? plan.targets[i]! : 0;
  for (let i = 0; i < nS * P; i++) if (skillRow[i]! >= 0) rowUpper[skillRow[i]!] = plan.skillAvailable[i]!;
  for (let i = 0; i < nR * P; i++)
    if (resourceRow[i]! >= 0) rowUpper[resourceRow[i]!] = plan.resourceCapacity[i]!;
  for (let i = 0; i < nT * P; i++)
    if (capacityRow[i]! >= 0) rowUpper[capacityRow[i]!] = plan.techCapacity[i]!;
  for (let i = 0; i < nK * P; i++) rowUpper[stockUseStart + i] = 0;
  for (let i = 0; i < nK * P; i++) if (stockBalanceRow[i]! >= 0) rowUpper[stockBalanceRow[i]!] = 0;
  for (let k = 0; k < nK; k++)
    if (initialStockRow[k]! >= 0) rowUpper[initialStockRow[k]!] = plan.stocks.initial[k]!;

  // ---- columns
  const nnzGuess =
    P * (plan.inputs.index.length + plan.labour.index.length + plan.resources.index.length + 2 * nT) +
    4 * nK * P;
  // Columns: activities, investments (at most one per stock and period), stocks, λ, harmony's segments, slacks.
  const columnGuess =
    P * nT +
    2 * nK * P +
    P +
    harmonyPairs.length * (pieces === null ? 0 : pieces.points.length - 1) +
    (elastic ? (nP + nS + nR + nT) * P + nK : 0);
  const m = new CscBuilder(rows, nnzGuess, columnGuess);
  const cost = new GrowingFloat64(columnGuess);
  const lower = new GrowingFloat64(columnGuess);
  const upper = new GrowingFloat64(columnGuess);
  const column = (c: number, lo: number, up: number) => {
    cost.push(c);
    lower.push(lo);
    upper.push(up);
    return m.endColumn();
  };

  const stocksOfTech: number[][] = Array.from({ length: nK > 0 ? nT : 0 }, () => []);
  for (let k = 0; k < nK; k++) stocksOfTech[plan.stocks.technology[k]!]!.push(k);
  const labourCost = new Float64Array(nT);
  for (let j = 0; j < nT; j++) {
    for (let e = plan.labour.start[j]!; e < plan.labour.start[j + 1]!; e++)
      labourCost[j]! += plan.labourWeight[plan.labour.index[e]!]! * plan.labour.value[e]!;
  }

  const { inputs, labour, resources } = plan;
  for (let t = 0; t < P; t++) {
    const bal = t * nP;
    for (let j = 0; j < nT; j++) {
      m.add(bal + plan.techProduct[j]!, 1);
      for (let e = inputs.start[j]!; e < inputs.start[j + 1]!; e++)
        m.add(bal + inputs.index[e]!, -inputs.value[e]!);
      for (let e = labour.start[j]!; e < labour.start[j + 1]!; e++) {
        const r = skillRow[t * nS + labour.index[e]!]!;
        if (r >= 0) m.add(r, labour.value[e]!);
      }
      for (let e = resources.start[j]!; e < resources.start[j + 1]!; e++) {
        const r = resourceRow[t * nR + resources.index[e]!]!;
        if (r >= 0) m.add(r, resources.value[e]!);
      }
      const capRow = capacityRow[t * nT + j]!;
      if (capRow >= 0) m.add(capRow, 1);
      if (nK > 0)
        for (const k of stocksOfTech[j]!) m.add(stockUseStart + t * nK + k, plan.stocks.perUnit[k]!);
      column(
        objective === 'min-labour' && !elastic ? labourCost[j]! : 0,
        0,
        elastic ? Infinity : plan.techCapacity[t * nT + j]!,
      );
    }
  }

  const investCol = filled(nK * P);
  for (let t = 0; t < P; t++) {
    for (let k = 0; k < nK; k++) {
      const usedAt = t + plan.stocks.lag[k]!;
      if (usedAt >= P) continue;
      m.add(t * nP + plan.stocks.product[k]!, -1);
      m.add(stockBalanceRow[usedAt * nK + k]!, -1);
      investCol[t * nK + k] = column(0, 0, Infinity);
    }
  }

  const stockStart = m.columns;
  for (let t = 0; t < P; t++) {
    for (let k = 0; k < nK; k++) {
      m.add(stockUseStart + t * nK + k, -1);
      if (t > 0) m.add(stockBalanceRow[t * nK + k]!, 1);
      if (t + 1 < P) m.add(stockBalanceRow[(t + 1) * nK + k]!, -(1 - plan.stocks.depreciation[k]!));
      if (t === 0 && elastic) m.add(initialStockRow[k]!, 1);
      column(0, 0, t === 0 && !elastic ? plan.stocks.initial[k]! : Infinity);
    }
  }

  const lambdaCol = filled(P);
  if (objective === 'assortment') {
    const periodsOf = plan.assortmentPerPeriod
      ? Array.from({ length: P }, (_, t) => [t])
      : [Array.from({ length: P }, (_, t) => t)];
    for (const group of periodsOf) {
      let any = false;
      for (const t of group) {
        for (let p = 0; p < nP; p++) {
          const target = plan.targets[t * nP + p]!;
          if (target > 0) {
            m.push(t * nP + p, -target);
            any = true;
          }
        }
      }
      if (!any) continue;
      const col = column(1, 0, Infinity);
      for (const t of group) lambdaCol[t] = col;
    }
  }

  // Harmony: the segments of each target, in order of s; the constant H(sMin) per target is the offset.
  const segmentsPerTarget = pieces === null ? 0 : pieces.points.length - 1;
  const segmentStart = m.columns;
  let objectiveOffset = 0;
  if (pieces !== null) {
    const { points, values } = pieces;
    for (const i of harmonyPairs) {
      const target = plan.targets[i]!;
      // A priorities vote weighs each product's harmony (1 unless it set one).
      const weight = plan.harmonyWeight?.[i % nP] ?? 1;
      objectiveOffset += weight * values[0]!;
      for (let k = 0; k < segmentsPerTarget; k++) {
        const width = points[k + 1]! - points[k]!;
        m.add(i, -1);
        column((weight * (values[k + 1]! - values[k]!)) / (width * target), 0, width * target);
      }
    }
  }

  const slack = {
    balance: filled(elastic ? nP * P : 0),
    skill: filled(elastic ? nS * P : 0),
    resource: filled(elastic ? nR * P : 0),
    capacity: filled(elastic ? nT * P : 0),
    initialStock: filled(elastic ? nK : 0),
  };
  if (elastic) {
    const addSlack = (row: number, sign: number, weight: number, rhs: number) => {
      m.add(row, sign);
      return column(weight / relativeScale(rhs), 0, Infinity);
    };
    for (let i = 0; i < nP * P; i++)
      if (elasticTargets && plan.targets[i]! > 0)
        slack.balance[i] = addSlack(i, 1, TARGET_SLACK_WEIGHT, plan.targets[i]!);
    for (let i = 0; i < nS * P; i++)
      if (skillRow[i]! >= 0) slack.skill[i] = addSlack(skillRow[i]!, -1, 1, plan.skillAvailable[i]!);
    for (let i = 0; i < nR * P; i++)
      if (resourceRow[i]! >= 0)
        slack.resource[i] = addSlack(resourceRow[i]!, -1, 1, plan.resourceCapacity[i]!);
    for (let i = 0; i < nT * P; i++)
      if (capacityRow[i]! >= 0) slack.capacity[i] = addSlack(capacityRow[i]!, -1, 1, plan.techCapacity[i]!);
    for (let k = 0; k < nK; k++)
      slack.initialStock[k] = addSlack(initialStockRow[k]!, -1, 1, plan.stocks.initial[k]!);
  }

  const index: PlanIndex = {
    nT,
    nP,
    nS,
    nR,
    nK,
    periods: P,
    elastic,
    investCol,
    stockStart,
    lambdaCol,
    harmonyTarget: Int32Array.from(harmonyPairs),
    segmentStart,
    segmentsPerTarget,
    skillRow,
    resourceRow,
    capacityRow,
    stockUseStart,
    stockBalanceRow,
    initialStockRow,
    slack,
  };
  return {
    plan,
    index,
    pieces,
    lp: {
      sense: objective === 'min-labour' ? 'min' : 'max',
      objective: cost.toArray(),
      ...(objectiveOffset === 0 ? {} : { objectiveOffset }),
      matrix: m.build(),
      rowLower,
      rowUpper,
      colLower: lower.toArray(),
      colUpper: upper.toArray(),
    },
  };
}
