// Closing a planning round, as a pure computation (a compute-pool task): the units' answers at the published
// prices (hand proposals as given, automatic ones computed, the rest kept from before), the office's own best
// answers for the bound, the master's combination of every proposal so far, and the next prices.
import { DomainError } from '../../core/errors';
import type { EconomyModel } from '../../economy/economy';
import { createHighsSession } from '../../numeric/lp/highs-solver';
import {
  answerAll,
  initialPenalty,
  lagrangianBound,
  reducedCost,
  relativeGap,
  shortfallTolerance,
  signedPrices,
} from '../../numeric/decomposition/dantzig-wolfe';
import type { Column } from '../../numeric/decomposition/master';
import { solveMaster } from '../../numeric/decomposition/master';
import { answerPrices } from '../../numeric/decomposition/pricing';
import { roundProblem, type RoundProblem } from './round-problem';

/** A unit's production plan: the level of each of its technologies, in the unit's technology order. */
export interface StoredProposal {
  unit: string;
  levels: number[];
  /** A ray: the unit would run these levels at any scale (it has no capacity that binds at the prices). */
  kind?: 'point' | 'ray';
}

export interface CloseRoundInput {
  model: EconomyModel;
  /** Prices published this round (null for the opening, which starts from the units' first proposals). */
  prices: number[] | null;
  /** Every proposal of earlier rounds (the master's columns). */
  earlier: StoredProposal[];
  /** Proposals made by hand this round. */
  hand: StoredProposal[];
  /** Units answered automatically this round (when they made no proposal by hand). */
  automatic: string[];
  penalty: number;
  bestBound: number | null;
  bestObjective: number | null;
}

export interface CloseRoundOutput {
  /** The automatic answers computed this round (or the opening proposals). */
  automaticProposals: StoredProposal[];
  /** Lagrangian bound at this round's prices (null at the opening). */
  bound: number | null;
  bestBound: number | null;
  /** Cost of the combination and whether it meets every target and shared limit. */
  objective: number;
  shortfall: number;
  feasible: boolean;
  bestObjective: number | null;
  gap: number | null;
  /** Combined levels per technology code (non-zero only). */
  combined: Record<string, number>;
  /** Prices for the next round, one per priced row. */
  nextPrices: number[];
  priced: { kind: string; code: string }[];
  penalty: number;
  /** Proposals added this round (while short of the targets: those that improved the combination). */
  improving: number;
}

function columnsOf(problem: RoundProblem, proposals: StoredProposal[]): Column[] {
  return proposals
    .filter((p) => problem.units.includes(p.unit))
    .map((p) => ({
      block: problem.units.indexOf(p.unit),
      kind: p.kind ?? 'point',
      x: Float64Array.from(p.levels),
    }));
}

export async function closeRoundTask(i: CloseRoundInput): Promise<CloseRoundOutput> {
  const problem = roundProblem(i.model);
  const s = problem.structure;
  const session = createHighsSession();
  const automaticProposals: StoredProposal[] = [];
  let bound: number | null = null;
  if (i.prices === null) {
    // The opening: every unit's plan at zero prices, its cheapest way to do nothing asked of it.
    const zero = new Float64Array(s.linkingRows.length);
    for (let b = 0; b < problem.units.length; b++) {
      const a = await answerPrices(s, b, zero, session);
      if (a.kind === 'infeasible' || a.kind === 'error')
        throw new DomainError(
          'infeasible',
          `unit ${problem.units[b]}: ${a.message ?? 'its own limits cannot be met'}`,
          {
            fix: 'check the unit’s own limits (skills or resources only it uses) and the targets of products only it makes',
          },
        );
      automaticProposals.push({
        unit: problem.units[b]!,
        levels: Array.from(a.kind === 'point' ? a.x : new Float64Array(a.x.length)),
      });
    }
  } else {
    const prices = signedPrices(s, Float64Array.from(i.prices));
    const best = await answerAll(s, prices, session);
    const failed = best.find((a) => a.kind === 'infeasible' || a.kind === 'error');
    if (failed)
      throw new DomainError(
        'infeasible',
        `unit ${problem.units[failed.block]}: ${failed.message ?? 'its own limits cannot be met'}`,
        {
          fix: 'check the unit’s own limits (skills or resources only it uses) and the targets of products only it makes',
        },
      );
    const lb = lagrangianBound(s, prices, best);
    bound = Number.isFinite(lb) ? lb : null;
    const handUnits = new Set(i.hand.map((h) => h.unit));
    for (const a of best) {
      const unit = problem.units[a.block]!;
      if (!handUnits.has(unit) && i.automatic.includes(unit) && (a.kind === 'point' || a.kind === 'ray'))
        automaticProposals.push({ unit, levels: Array.from(a.x), kind: a.kind });
    }
  }
  const columns = columnsOf(problem, [...i.earlier, ...i.hand, ...automaticProposals]);
  const lp = await import('../../numeric/lp/highs-solver');
  // The opening has no penalty yet: it starts well above any price a product should need.
  let penalty = i.penalty > 0 ? i.penalty : initialPenalty(s);
  let master = await solveMaster(s, columns, penalty, lp.highsSolver);
  const tol = shortfallTolerance(s);
  // When nothing new improves the combination and it still falls short, the penalty was too small to force
  // the targets: raise it (the prices then reflect the shortfall more strongly).
  const fresh = columnsOf(problem, [...i.hand, ...automaticProposals]);
  let improving = fresh.length;
  if (master.shortfall > tol && i.prices !== null) {
    // Still short of the targets: did this round's proposals improve on the earlier ones at all? If not, the
    // penalty is too small to force the targets; raise it (the prices then reflect the shortfall more strongly).
    const before = await solveMaster(s, columnsOf(problem, i.earlier), penalty, lp.highsSolver);
    const scale = Math.max(1, Math.abs(before.cost));
    improving = fresh.filter((c) => reducedCost(s, before, c) < -1e-9 * scale).length;
    if (improving === 0 && penalty < 1e14) {
      penalty *= 10;
      master = await solveMaster(s, columns, penalty, lp.highsSolver);
    }
  }
  if (master.status !== 'optimal') throw new Error(master.message ?? 'master failed');
  const feasible = master.shortfall <= tol;
  const bestObjective = feasible ? Math.min(master.cost, i.bestObjective ?? Infinity) : i.bestObjective;
  let bestBound = bound === null ? i.bestBound : Math.max(bound, i.bestBound ?? -Infinity);
  if (bestBound !== null && !Number.isFinite(bestBound)) bestBound = null;
  const gap = bestObjective !== null && bestBound !== null ? relativeGap(bestObjective, bestBound) : null;
  const combined: Record<string, number> = {};
  master.x.forEach((v, j) => {
    if (Math.abs(v) > 1e-12) combined[problem.plan.technologyCodes[j]!] = v;
  });
  return {
    automaticProposals,
    bound,
    bestBound,
    objective: master.cost,
    shortfall: master.shortfall,
    feasible,
    bestObjective,
    gap,
    combined,
    nextPrices: Array.from(signedPrices(s, master.prices)),
    priced: problem.priced,
    penalty,
    improving,
  };
}
