// The disaggregated master's optimality test, checked directly: once no unit's answer at the master's prices
// widens an interval, the Lagrangian bound at those prices equals the master's value, and both equal the
// optimum of the whole programme solved by HiGHS (the independent reference). Answers inside the intervals
// are not taken in.
import { describe, expect, it } from 'vitest';
import { createHighsSession, highsSolver } from '../../numeric/lp/highs-solver';
import { generateEconomy } from '../../numeric/synthetic/economy-generator';
import { syntheticPlan } from '../formulation/synthetic-plan';
import { roundProblemOfCompiled } from './round-problem';
import { splitIntoUnits } from './synthetic-units';
import {
  answerAll,
  initialColumns,
  initialPenalty,
  lagrangianBound,
  signedPrices,
} from '../../numeric/decomposition/dantzig-wolfe';
import { IntervalMaster } from '../../numeric/decomposition/interval-master';
import type { Column } from '../../numeric/decomposition/master';

describe('the disaggregated (interval) master', () => {
  it('stops taking answers exactly when the bound at its prices meets its value, at the central optimum', async () => {
    const plan = splitIntoUnits(syntheticPlan(generateEconomy({ n: 150, seed: 3 }), { seed: 3 }), {
      units: 50,
      seed: 3,
    });
    const problem = roundProblemOfCompiled(plan);
    const s = problem.structure;
    // Units with a row of their own (their skill pool) are what the master must keep whole.
    expect(s.blocks.filter((b) => b.localRows.length > 0).length).toBeGreaterThan(25);
    const central = await highsSolver.solve(s.lp, { tolerance: 1e-9 });
    expect(central.status).toBe('optimal');

    const session = createHighsSession();
    const first = (await initialColumns(s, session)) as Column[];
    expect(Array.isArray(first)).toBe(true);
    const master = await IntervalMaster.create(s, initialPenalty(s), first);
    try {
      // The first points again widen nothing.
      expect(master.add(first)).toHaveLength(0);
      let rounds = 0;
      for (;;) {
        rounds++;
        expect(rounds).toBeLessThan(100);
        const m = master.solve();
        expect(m.status).toBe('optimal');
        const prices = signedPrices(s, m.prices);
        const answers = await answerAll(s, prices, session);
        const bound = lagrangianBound(s, prices, answers);
        // A bound at any prices: never above the optimum.
        expect(bound).toBeLessThanOrEqual(central.objective * (1 + 1e-9));
        const joined = master.add(answers as Column[]);
        // Offered twice, the same answers widen nothing more.
        expect(master.add(answers as Column[])).toHaveLength(0);
        if (joined.length > 0) continue;
        expect(m.shortfall).toBeLessThan(1e-6);
        const scale = Math.abs(central.objective);
        expect(Math.abs(bound - m.cost) / scale).toBeLessThan(1e-7);
        expect(Math.abs(m.cost - central.objective) / scale).toBeLessThan(1e-7);
        break;
      }
      expect(rounds).toBeGreaterThan(1);
    } finally {
      master.dispose();
    }
  }, 60_000);
});
