import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { equalShares, equalSharesFixed, greedy, type PbBallot, type PbInstance } from './pb-rules';

/** 51 voters approve the 10 red projects, 49 the 10 blue ones; each costs 1 and the budget buys 10. */
function redBlue(): PbInstance {
  const red = Array.from({ length: 10 }, (_, i) => `red-${i}`);
  const blue = Array.from({ length: 10 }, (_, i) => `blue-${i}`);
  const approve = (ids: string[]): PbBallot => Object.fromEntries(ids.map((id) => [id, 1]));
  return {
    budget: 10,
    projects: [...red, ...blue].map((id) => ({ id, cost: 1 })),
    ballots: [
      ...Array.from({ length: 51 }, () => approve(red)),
      ...Array.from({ length: 49 }, () => approve(blue)),
    ],
  };
}

describe('published examples of the Method of Equal Shares', () => {
  it('51% red, 49% blue: greedy funds ten red projects, Equal Shares five of each (Peters and Skowron)', () => {
    const inst = redBlue();
    const g = greedy(inst);
    expect(g.selected.filter((id) => id.startsWith('red')).length).toBe(10);
    const mes = equalShares(inst);
    expect(mes.selected.filter((id) => id.startsWith('red')).length).toBe(5);
    expect(mes.selected.filter((id) => id.startsWith('blue')).length).toBe(5);
    // Without completion, the shares of 0.1 buy 5 red (5.1 of money) and 4 blue (4.9): add1 finds the fifth blue.
    const fixed = equalSharesFixed(inst, 0.1);
    expect(fixed.selected.filter((id) => id.startsWith('red')).length).toBe(5);
    expect(fixed.selected.filter((id) => id.startsWith('blue')).length).toBe(4);
  });

  it('equalshares.net: a project of 10,000 with 500 votes at shares of 10 cannot be funded', () => {
    const ballots = Array.from({ length: 100_000 }, (_, i): PbBallot => (i < 500 ? { big: 1 } : {}));
    const inst: PbInstance = { budget: 1_000_000, projects: [{ id: 'big', cost: 10_000 }], ballots };
    expect(equalSharesFixed(inst, 10).selected).toEqual([]);
    // Greedy funds it: 10,000 fits in the million.
    expect(greedy(inst).selected).toEqual(['big']);
  });

  it('the worked example of the guide: cost shared in proportion to points, poorer voters pay all they have', () => {
    // Budget 90 among 3 voters (30 each). A (cost 60): voter 0 gives 2 points, voters 1 and 2 give 1 each.
    // ρ(A) = 60/4 = 15 would ask voter 0 for 30 (all of it) and the others 15 each: affordable at 15.
    // B (cost 30) is liked by voter 2 alone with 3 points: ρ(B) = 10, it asks voter 2 for 30. B has the lower ρ.
    const inst: PbInstance = {
      budget: 90,
      projects: [
        { id: 'A', cost: 60 },
        { id: 'B', cost: 30 },
      ],
      ballots: [{ A: 2 }, { A: 1 }, { A: 1, B: 3 }],
    };
    const r = equalSharesFixed(inst, 30);
    expect(r.selected[0]).toBe('B');
    // After B, voter 2 has nothing: A's 60 must come from voters 0 and 1 with 30 each — exactly enough.
    expect(r.selected).toEqual(['B', 'A']);
    const paid = (v: number, p: string) =>
      r.payments.filter((x) => x.voter === v && x.project === p).reduce((s, x) => s + x.amount, 0);
    expect(paid(2, 'B')).toBeCloseTo(30, 9);
    expect(paid(0, 'A')).toBeCloseTo(30, 9);
    expect(paid(1, 'A')).toBeCloseTo(30, 9);
  });
});

/**
 * An independent computation of Equal Shares with a fixed share: ρ by bisection on the payment function
 * Σ min(bᵢ, ρ·uᵢ) − cost instead of the closed form, in a plain loop.
 */
function bisectionEqualShares(inst: PbInstance, share: number): string[] {
  const budget = inst.ballots.map(() => share);
  const left = new Set(inst.projects.map((p) => p.id));
  const votes = new Map<string, number>();
  for (const b of inst.ballots)
    for (const [id, u] of Object.entries(b)) votes.set(id, (votes.get(id) ?? 0) + u);
  const out: string[] = [];
  for (;;) {
    let best: { id: string; rho: number; cost: number } | null = null;
    for (const p of inst.projects) {
      if (!left.has(p.id)) continue;
      const pays = (rho: number) =>
        inst.ballots.reduce((s, b, i) => s + Math.min(budget[i]!, rho * (b[p.id] ?? 0)), 0);
      const all = inst.ballots.reduce((s, b, i) => s + ((b[p.id] ?? 0) > 0 ? budget[i]! : 0), 0);
      if (all < p.cost * (1 - 1e-9)) continue;
      let lo = 0;
      let hi = 1;
      while (pays(hi) < p.cost * (1 - 1e-12)) hi *= 2;
      for (let k = 0; k < 200; k++) {
        const mid = (lo + hi) / 2;
        if (pays(mid) >= p.cost) hi = mid;
        else lo = mid;
      }
      const rho = hi;
      const tol = 1e-7 * Math.max(1, rho);
      const wins =
        best === null ||
        rho < best.rho - tol ||
        (Math.abs(rho - best.rho) <= tol &&
          ((votes.get(p.id) ?? 0) > (votes.get(best.id) ?? 0) ||
            ((votes.get(p.id) ?? 0) === (votes.get(best.id) ?? 0) &&
              (p.cost < best.cost || (p.cost === best.cost && p.id < best.id)))));
      if (wins) best = { id: p.id, rho, cost: p.cost };
    }
    if (best === null) return out;
    const chosen = best;
    inst.ballots.forEach((b, i) => {
      budget[i] = budget[i]! - Math.min(budget[i]!, chosen.rho * (b[chosen.id] ?? 0));
    });
    left.delete(chosen.id);
    out.push(chosen.id);
  }
}

const instances = fc
  .record({
    costs: fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 7 }),
    voters: fc.integer({ min: 1, max: 12 }),
    seed: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 84, maxLength: 84 }),
    budget: fc.integer({ min: 10, max: 200 }),
  })
  .map(({ costs, voters, seed, budget }) => {
    const projects = costs.map((cost, j) => ({ id: `p${j}`, cost }));
    const ballots: PbBallot[] = Array.from({ length: voters }, (_, i) => {
      const b: PbBallot = {};
      projects.forEach((p, j) => {
        const u = seed[(i * 7 + j) % seed.length]!;
        if (u > 0) b[p.id] = u;
      });
      return b;
    });
    return { budget, projects, ballots } satisfies PbInstance;
  });

describe('Equal Shares on generated instances', () => {
  it('selects what an independent bisection computation of the definition selects', () => {
    fc.assert(
      fc.property(instances, (inst) => {
        const share = inst.budget / inst.ballots.length;
        expect(equalSharesFixed(inst, share).selected).toEqual(bisectionEqualShares(inst, share));
      }),
      { numRuns: 300 },
    );
  });

  it('pays every selected project by its supporters’ equal shares (the defining property)', () => {
    fc.assert(
      fc.property(instances, (inst) => {
        const share = inst.budget / inst.ballots.length;
        const r = equalSharesFixed(inst, share);
        const spentBy = new Float64Array(inst.ballots.length);
        for (const step of r.steps) {
          const cost = inst.projects.find((p) => p.id === step.project)!.cost;
          const pays = r.payments.filter((x) => x.project === step.project);
          // The cost is met exactly, and only by supporters.
          expect(Math.abs(pays.reduce((s, x) => s + x.amount, 0) - cost)).toBeLessThan(1e-7 * cost);
          for (const x of pays) {
            const u = inst.ballots[x.voter]![step.project] ?? 0;
            expect(u).toBeGreaterThan(0);
            // Nobody pays more than ρ per unit of utility: the payment is equal per unit of utility, or all
            // that the voter had left.
            expect(x.amount).toBeLessThanOrEqual(step.score * u * (1 + 1e-9) + 1e-12);
            spentBy[x.voter] = spentBy[x.voter]! + x.amount;
          }
        }
        // No voter spends more than their share.
        for (const s of spentBy) expect(s).toBeLessThanOrEqual(share * (1 + 1e-9));
        expect(r.cost).toBeLessThanOrEqual(inst.budget * (1 + 1e-9));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the completed selection within the budget and never below what greedy leaves unspent', () => {
    fc.assert(
      fc.property(instances, (inst) => {
        const r = equalShares(inst);
        const cost = r.selected.reduce((s, id) => s + inst.projects.find((p) => p.id === id)!.cost, 0);
        expect(cost).toBeCloseTo(r.cost, 9);
        expect(cost).toBeLessThanOrEqual(inst.budget * (1 + 1e-9));
        // Exhaustive: after the greedy completion no unselected supported project fits in what is left.
        const chosen = new Set(r.selected);
        for (const p of inst.projects) {
          const supported = inst.ballots.some((b) => (b[p.id] ?? 0) > 0);
          if (!chosen.has(p.id) && supported) expect(cost + p.cost).toBeGreaterThan(inst.budget);
        }
      }),
      { numRuns: 200 },
    );
  });
});
