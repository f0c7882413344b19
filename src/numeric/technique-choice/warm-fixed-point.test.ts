// The cache of choices (choiceMatrix) keeps within its byte cap: at 10⁷ products one cached choice takes about
// 4 GB, and four of them took the plan past this machine's memory. The cap is set small here so that small
// matrices hit it; the answer must not depend on how many choices the cache keeps.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateEconomy } from '../synthetic/economy-generator';
import { transpose } from '../sparse/csr';
import { permuteSymmetric } from '../sparse/ordering';
import type { PermutedSystem } from '../sparse/ordering';
import { wasmPermutedStats } from '../sparse/wasm-permuted-sweeps';
import { solveTechniqueChoice } from './technique-choice';
import type { TechniqueChoiceProblem } from './technique-choice';
import type { TechniqueSet } from './technique-set';
import { chosenInputMatrix, techniquesByProduct } from './technique-set';
import {
  choiceFootprint,
  choiceMatrix,
  keptPermuted,
  lendSpareArrays,
  permutedCopyStats,
  releaseCache,
  warmFixedPoint,
} from './warm-fixed-point';
import type { OrderCache } from './warm-fixed-point';

/**
 * A generated economy with a second technique for every third product (its inputs scaled by 0.8–1.2, its
 * labour moved to the scarce skill), and the scarce skill limited to 96 % of the first techniques' need.
 */
function problemOf(n: number, seed: number): TechniqueChoiceProblem {
  const e = generateEconomy({ n, seed });
  const rows = transpose(e.A); // row j: the inputs of product j
  const alternatives = Array.from({ length: Math.ceil(n / 3) }, (_, k) => 3 * k);
  const nT = n + alternatives.length;
  const techProduct = new Int32Array(nT);
  const start = new Int32Array(nT + 1);
  const index: number[] = Array.from(rows.colIndex);
  const value: number[] = Array.from(rows.values);
  for (let j = 0; j < n; j++) {
    techProduct[j] = j;
    start[j + 1] = rows.rowStart[j + 1]!;
  }
  alternatives.forEach((p, k) => {
    techProduct[n + k] = p;
    const factor = 0.8 + (0.4 * ((p * 37) % 11)) / 10;
    for (let q = rows.rowStart[p]!; q < rows.rowStart[p + 1]!; q++) {
      index.push(rows.colIndex[q]!);
      value.push(factor * rows.values[q]!);
    }
    start[n + k + 1] = index.length;
  });
  const set: TechniqueSet = {
    products: n,
    techProduct,
    inputs: { start, index: Int32Array.from(index), value: Float64Array.from(value) },
  };
  const cost = new Float64Array(nT);
  const use = new Float64Array(nT);
  for (let j = 0; j < n; j++) {
    cost[j] = e.labour[j]!;
    use[j] = (j % 2) * e.labour[j]!;
  }
  alternatives.forEach((p, k) => {
    cost[n + k] = 0.7 * e.labour[p]!;
    use[n + k] = 0.7 * e.labour[p]!;
  });
  // The first techniques' need of the scarce skill, by x = A x + d summed to 60 terms.
  const x = Float64Array.from(e.finalDemand);
  let term = Float64Array.from(e.finalDemand);
  for (let k = 0; k < 60; k++) {
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++)
      for (let q = e.A.rowStart[i]!; q < e.A.rowStart[i + 1]!; q++)
        next[i]! += e.A.values[q]! * term[e.A.colIndex[q]!]!;
    for (let i = 0; i < n; i++) x[i]! += next[i]!;
    term = next;
  }
  let need = 0;
  for (let j = 0; j < n; j++) need += use[j]! * x[j]!;
  return { set, cost, demand: e.finalDemand, limit: { use, available: 0.96 * need } };
}

/** Six distinct choices: product p takes its last technique when (⌊p/3⌋ + k) mod 6 < 2. */
function choices(set: TechniqueSet, count: number): Int32Array[] {
  const by = techniquesByProduct(set);
  return Array.from({ length: count }, (_, k) => {
    const policy = new Int32Array(set.products);
    for (let p = 0; p < set.products; p++) {
      const options = by.start[p + 1]! - by.start[p]!;
      policy[p] = by.techs[by.start[p]! + ((Math.floor(p / 3) + k) % 6 < 2 ? options - 1 : 0)]!;
    }
    return policy;
  });
}

const keptBytes = (orders: OrderCache) =>
  (orders.choices ?? []).reduce((sum, c) => sum + choiceFootprint(c.matrix), 0);

describe('choiceMatrix cache', () => {
  const { set } = problemOf(3000, 5);
  const policies = choices(set, 6);
  const one = choiceFootprint(choiceMatrix(set, policies[0]!));

  it('keeps at most its byte cap, newest last, and always the newest choice', () => {
    for (const [cap, most] of [
      [2.5 * one, 2],
      [3.5 * one, 3],
      [0.5 * one, 1],
    ] as const) {
      const orders: OrderCache = { keptBytes: cap };
      for (const policy of policies) {
        const matrix = choiceMatrix(set, policy, orders);
        const kept = orders.choices!;
        expect(kept[kept.length - 1]!.matrix).toBe(matrix);
        expect(kept.length).toBeLessThanOrEqual(most);
        if (kept.length > 1) expect(keptBytes(orders)).toBeLessThanOrEqual(cap);
      }
      expect(orders.choices!.length).toBe(most);
    }
  });

  it('keeps four choices when the cap allows, and hands back a kept choice without rebuilding it', () => {
    const orders: OrderCache = { keptBytes: 100 * one };
    for (const policy of policies) choiceMatrix(set, policy, orders);
    expect(orders.choices!.length).toBe(4);
    const kept = orders.choices![1]!;
    expect(choiceMatrix(set, kept.policy, orders)).toBe(kept.matrix);
  });

  it('gives the same optimum whether the cache keeps one choice or four', () => {
    const problem = problemOf(3000, 11);
    const small = solveTechniqueChoice(problem, { orders: { keptBytes: 1 } });
    const large = solveTechniqueChoice(problem, { orders: {} });
    expect(small.status).toBe('optimal');
    expect(large.status).toBe('optimal');
    if (small.status !== 'optimal' || large.status !== 'optimal') return;
    expect(Math.abs(small.objective - large.objective)).toBeLessThanOrEqual(1e-9 * large.objective);
    expect(small.price).toBeGreaterThan(0);
  });
});

/** Each permuted row's entries sorted by column, after checking lowerEnd splits them at the diagonal. */
function canonical(s: PermutedSystem): { rows: string[]; diagonal: number[]; hubs: number } {
  const { rowStart, colIndex, values } = s.offDiagonal;
  const rows: string[] = [];
  for (let t = 0; t < s.offDiagonal.rows; t++) {
    const entries: [number, number][] = [];
    for (let k = rowStart[t]!; k < rowStart[t + 1]!; k++) {
      expect(k < s.lowerEnd[t]! ? colIndex[k]! < t : colIndex[k]! > t).toBe(true);
      entries.push([colIndex[k]!, values[k]!]);
    }
    rows.push(JSON.stringify(entries.sort((a, b) => a[0] - b[0])));
  }
  return { rows, diagonal: Array.from(s.diagonal), hubs: s.hubs };
}

/** The permuted copy permuteSymmetric builds afresh for m, in the order and hubs `like` was built with. */
const afresh = (m: ReturnType<typeof chosenInputMatrix>, like: PermutedSystem, transposed: boolean) =>
  permuteSymmetric(m, like.order, { transposed, hubs: like.hubs });

const statsNow = () => ({ ...permutedCopyStats });

describe('choiceMatrix cache past its byte cap', () => {
  const problem = problemOf(1500, 5);
  const { set } = problem;
  const policies = choices(set, 4);
  const one = choiceFootprint(choiceMatrix(set, policies[0]!));

  it('updates each new choice from the newest detached copy in each direction, never afresh, and keeps no more', () => {
    const orders: OrderCache = { keptBytes: 0.5 * one };
    const before = statsNow();
    let previous: Int32Array | null = null;
    for (const policy of policies) {
      const matrix = choiceMatrix(set, policy, orders);
      // Only the newest choice is kept; the one before it survives as its two permuted copies, no matrix.
      expect(orders.choices!.length).toBe(1);
      expect(orders.choices![0]!.matrix).toBe(matrix);
      if (previous === null) expect(orders.detached).toBeUndefined();
      else
        for (const key of ['values', 'balance'] as const) {
          expect(orders.detached?.[key]?.policy).toEqual(previous);
          expect(orders.detached?.[key]).not.toHaveProperty('matrix');
        }
      for (const transposed of [false, true]) {
        const key = transposed ? 'balance' : 'values';
        const b = transposed ? problem.demand : problem.cost.subarray(0, set.products);
        expect(warmFixedPoint(matrix, b, null, 1e-10, transposed, orders).status).toBe('converged');
        // The copy just made supersedes the detached one in its direction: that one is let go.
        expect(orders.detached?.[key]).toBeUndefined();
        const copy = keptPermuted(matrix, key)!;
        expect(canonical(copy)).toEqual(canonical(afresh(matrix, copy, transposed)));
      }
      previous = policy;
    }
    const after = statsNow();
    // Two copies afresh for the first choice, two updates for each after it.
    expect(after.afresh - before.afresh).toBe(2);
    expect(after.updated - before.updated).toBe(2 * (policies.length - 1));
  }, 120_000);

  it('detaches nothing while the cap holds (a choice pushed out by the count of four keeps nothing)', () => {
    const orders: OrderCache = { keptBytes: 100 * one };
    // Six choices, so that the first two are pushed out by the count, each with its permuted copy.
    for (const policy of choices(set, 6)) {
      const matrix = choiceMatrix(set, policy, orders);
      expect(orders.detached).toBeUndefined();
      warmFixedPoint(matrix, problem.demand, null, 1e-10, true, orders);
    }
    expect(orders.choices!.length).toBe(4);
  });

  it('permutes afresh rather than update from a detached copy of other inputs or too far a choice', () => {
    const by = techniquesByProduct(set);
    // Every product with two techniques switched: a third of the products, past the update's eighth.
    const flipped = Int32Array.from(policies[0]!, (j, p) => {
      const options = by.techs.subarray(by.start[p]!, by.start[p + 1]!);
      return options.length > 1 ? options.find((t) => t !== j)! : j;
    });
    // The same techniques under another inputs object (another technique set): its rows may differ.
    const other: TechniqueSet = { ...set, inputs: { ...set.inputs } };
    for (const [next, inputsOf] of [
      [flipped, set],
      [policies[1]!, other],
    ] as const) {
      const orders: OrderCache = { keptBytes: 0.5 * one };
      warmFixedPoint(choiceMatrix(set, policies[0]!, orders), problem.demand, null, 1e-10, true, orders);
      const before = statsNow();
      const matrix = choiceMatrix(inputsOf, next, orders);
      expect(orders.detached?.balance).toBeDefined();
      warmFixedPoint(matrix, problem.demand, null, 1e-10, true, orders);
      expect(statsNow().afresh - before.afresh).toBe(1);
      expect(statsNow().updated - before.updated).toBe(0);
      const copy = keptPermuted(matrix, 'balance')!;
      expect(canonical(copy)).toEqual(canonical(afresh(matrix, copy, true)));
    }
  }, 60_000);
});

/**
 * Technique sets small enough to compare whole permuted copies: each product has one to three techniques whose
 * inputs (any products, itself too, repeats allowed, which chosenInputMatrix sums) keep every row's sum
 * below a half, so that every choice's fixed point converges.
 */
const techniqueSets = fc.integer({ min: 16, max: 48 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    techniques: fc.array(
      fc.array(
        fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 1, max: 9 })), {
          maxLength: 6,
        }),
        { minLength: 1, maxLength: 3 },
      ),
      { minLength: n, maxLength: n },
    ),
    // Rounds of switches: each picks products (at most an eighth, the update's limit) and a technique index.
    rounds: fc.array(fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: Math.floor(n / 8) }), {
      minLength: 1,
      maxLength: 4,
    }),
    transposed: fc.boolean(),
  }),
);

describe('permuted copies updated from a detached copy', () => {
  it('equal the copy permuted afresh, over random technique sets and random switches', () => {
    fc.assert(
      fc.property(techniqueSets, ({ n, techniques, rounds, transposed }) => {
        const techProduct: number[] = [];
        const start = [0];
        const index: number[] = [];
        const value: number[] = [];
        techniques.forEach((ts, p) =>
          ts.forEach((inputs) => {
            techProduct.push(p);
            for (const [c, v] of inputs) {
              index.push(c);
              value.push(v / 120);
            }
            start.push(index.length);
          }),
        );
        const set: TechniqueSet = {
          products: n,
          techProduct: Int32Array.from(techProduct),
          inputs: {
            start: Int32Array.from(start),
            index: Int32Array.from(index),
            value: Float64Array.from(value),
          },
        };
        const by = techniquesByProduct(set);
        const policy = Int32Array.from({ length: n }, (_, p) => by.techs[by.start[p]!]!);
        const key = transposed ? 'balance' : 'values';
        const b = new Float64Array(n).fill(1);
        const orders: OrderCache = { keptBytes: 1 };
        const first = choiceMatrix(set, policy, orders);
        warmFixedPoint(first, b, null, 1e-10, transposed, orders);
        const base = keptPermuted(first, key)!;
        for (const round of rounds) {
          const next = policy.slice();
          for (const [at, pick] of round) {
            const p = at % n;
            const options = by.start[p + 1]! - by.start[p]!;
            next[p] = by.techs[by.start[p]! + (pick % options)]!;
          }
          const switched = next.some((j, p) => j !== policy[p]);
          const before = statsNow();
          const matrix = choiceMatrix(set, next, orders);
          expect(warmFixedPoint(matrix, b, null, 1e-10, transposed, orders).status).toBe('converged');
          // A new choice is updated (same choice: the kept copy is handed back, nothing made).
          expect(statsNow().updated - before.updated).toBe(switched ? 1 : 0);
          expect(statsNow().afresh - before.afresh).toBe(0);
          const copy = keptPermuted(matrix, key)!;
          expect(copy.order).toBe(base.order);
          expect(canonical(copy)).toEqual(canonical(afresh(chosenInputMatrix(set, next), base, transposed)));
          policy.set(next);
        }
      }),
      { numRuns: 200 },
    );
  });
});

/** Each array of a matrix and its kept permuted copies, for telling which buffers were lent again. */
function buffersOf(m: ReturnType<typeof chosenInputMatrix>): ArrayBufferLike[] {
  const out: ArrayBufferLike[] = [m.rowStart.buffer, m.colIndex.buffer, m.values.buffer];
  for (const key of ['values', 'balance'] as const) {
    const s = keptPermuted(m, key);
    if (s !== undefined)
      out.push(s.offDiagonal.rowStart.buffer, s.offDiagonal.colIndex.buffer, s.offDiagonal.values.buffer);
  }
  return out;
}

describe('choices pushed out while a solve lends their arrays', () => {
  const problem = problemOf(1500, 7);
  const { set } = problem;
  const policies = choices(set, 6);
  const solveBoth = (m: ReturnType<typeof chosenInputMatrix>, orders: OrderCache) => {
    for (const transposed of [false, true]) {
      const b = transposed ? problem.demand : problem.cost.subarray(0, set.products);
      expect(warmFixedPoint(m, b, null, 1e-10, transposed, orders).status).toBe('converged');
    }
  };

  it('lend a pushed-out choice’s matrix and copies to the next ones, which equal those built afresh', () => {
    const orders: OrderCache = {};
    const spare = lendSpareArrays(orders);
    try {
      const made = policies.map((policy) => {
        const m = choiceMatrix(set, policy, orders);
        solveBoth(m, orders);
        return { policy, buffers: buffersOf(m) };
      });
      // The fifth and sixth choices were made after the first two were pushed out: their arrays are those.
      expect(spare.reused).toBeGreaterThan(0);
      const early = new Set([...made[0]!.buffers, ...made[1]!.buffers]);
      const late = [...made[4]!.buffers, ...made[5]!.buffers];
      expect(late.filter((b) => early.has(b)).length).toBeGreaterThan(0);
      for (const c of orders.choices!) {
        const fresh = chosenInputMatrix(set, c.policy);
        expect(Array.from(c.matrix.rowStart)).toEqual(Array.from(fresh.rowStart));
        expect(Array.from(c.matrix.colIndex)).toEqual(Array.from(fresh.colIndex));
        expect(Array.from(c.matrix.values)).toEqual(Array.from(fresh.values));
        for (const transposed of [false, true]) {
          const copy = keptPermuted(c.matrix, transposed ? 'balance' : 'values')!;
          expect(canonical(copy)).toEqual(canonical(afresh(fresh, copy, transposed)));
        }
      }
    } finally {
      releaseCache(orders);
    }
  }, 120_000);

  it('lend a solve the n-vectors that do not outlive it, take them back, and give the same bits', () => {
    const b = problem.cost.subarray(0, set.products);
    const scaled = (k: number) => b.map((v, i) => v * (1 + 0.01 * k * ((i % 7) - 3)));
    // The same cold solve, then two warm ones from the last answer, with and without lent vectors.
    const run = (orders: OrderCache) => {
      const m = choiceMatrix(set, policies[0]!, orders);
      const first = warmFixedPoint(m, b, null, 1e-12, false, orders);
      if (first.status !== 'converged') throw new Error(first.status);
      const second = warmFixedPoint(m, scaled(1), first.x, 1e-12, false, orders);
      if (second.status !== 'converged') throw new Error(second.status);
      return { m, second };
    };
    const plain = run({});
    const orders: OrderCache = {};
    const spare = lendSpareArrays(orders);
    try {
      const lent = run(orders);
      expect(Array.from(lent.second.x)).toEqual(Array.from(plain.second.x));
      // By now the spare holds the right-hand sides the solves gave back: the third makes no new array.
      const made = spare.made;
      const reused = spare.reused;
      const third = warmFixedPoint(lent.m, scaled(2), lent.second.x, 1e-12, false, orders);
      expect(third.status).toBe('converged');
      expect(spare.made).toBe(made);
      expect(spare.reused - reused).toBeGreaterThanOrEqual(2);
      // The answers are vectors of their own, not a lent one that the third solve wrote over.
      expect(Array.from(lent.second.x)).toEqual(Array.from(plain.second.x));
      if (third.status === 'converged') expect(third.x.buffer).not.toBe(lent.second.x.buffer);
    } finally {
      releaseCache(orders);
    }
  }, 120_000);

  it('never lend the arrays of choices another cache made (a replan’s copy of its base’s list)', () => {
    const base: OrderCache = {};
    for (const policy of policies.slice(0, 4)) solveBoth(choiceMatrix(set, policy, base), base);
    const inherited = base.choices!.map((c) => ({ c, buffers: buffersOf(c.matrix) }));
    const replan: OrderCache = { ...base, choices: [...base.choices!] };
    const spare = lendSpareArrays(replan);
    try {
      // Pushes out all four inherited choices, then makes more: nothing of the base's may be lent.
      for (const policy of [...policies.slice(4), ...policies.slice(0, 4).reverse(), ...policies.slice(4)])
        solveBoth(choiceMatrix(set, policy, replan), replan);
      const theirs = new Set(inherited.flatMap((i) => i.buffers));
      for (const c of replan.choices!) expect(buffersOf(c.matrix).filter((b) => theirs.has(b))).toEqual([]);
      expect(spare.reused).toBeGreaterThan(0);
      for (const { c } of inherited) {
        const fresh = chosenInputMatrix(set, c.policy);
        expect(Array.from(c.matrix.colIndex)).toEqual(Array.from(fresh.colIndex));
        expect(Array.from(c.matrix.values)).toEqual(Array.from(fresh.values));
        expect(canonical(keptPermuted(c.matrix, 'balance')!)).toEqual(
          canonical(afresh(fresh, keptPermuted(c.matrix, 'balance')!, true)),
        );
      }
    } finally {
      releaseCache(replan);
    }
  }, 120_000);
});

describe('detached copies let go while a solve lends their arrays (past the byte cap)', () => {
  const problem = problemOf(1500, 11);
  const { set } = problem;
  const policies = choices(set, 6);
  const one = choiceFootprint(choiceMatrix(set, policies[0]!));
  const copyBuffers = (s: PermutedSystem) => [s.offDiagonal.colIndex.buffer, s.offDiagonal.values.buffer];
  /** Solves both directions with a choice's matrix; checks each copy against the afresh one at once. */
  const solveBoth = (m: ReturnType<typeof chosenInputMatrix>, orders: OrderCache) => {
    for (const transposed of [false, true]) {
      const b = transposed ? problem.demand : problem.cost.subarray(0, set.products);
      expect(warmFixedPoint(m, b, null, 1e-10, transposed, orders).status).toBe('converged');
      const copy = keptPermuted(m, transposed ? 'balance' : 'values')!;
      expect(canonical(copy)).toEqual(canonical(afresh(m, copy, transposed)));
    }
  };

  it('lend the arrays of each copy let go to the next choices, which equal those built afresh', () => {
    const orders: OrderCache = { keptBytes: 0.5 * one };
    const spare = lendSpareArrays(orders);
    try {
      const made = policies.map((policy) => {
        const m = choiceMatrix(set, policy, orders);
        solveBoth(m, orders);
        return {
          buffers: buffersOf(m),
          copies: ['values', 'balance'].flatMap((key) => copyBuffers(keptPermuted(m, key as 'values')!)),
        };
      });
      // Choice k's copies supersede choice k−1's detached ones, whose arrays the next copy and choice k+1's
      // matrix are written into (with the matrices the cap pushed out: no choice is pushed out by the count).
      expect(spare.reused).toBeGreaterThan(0);
      for (let k = 2; k < made.length; k++) {
        const earlier = new Set(made.slice(0, k).flatMap((c) => c.copies));
        expect(made[k]!.buffers.filter((b) => earlier.has(b)).length).toBeGreaterThanOrEqual(4);
      }
    } finally {
      releaseCache(orders);
    }
  }, 120_000);

  it('lend the matrix of each choice the cap pushed out to the later ones, whose copies equal those afresh', () => {
    const orders: OrderCache = { keptBytes: 0.5 * one };
    lendSpareArrays(orders);
    try {
      const made = policies.map((policy) => {
        const m = choiceMatrix(set, policy, orders);
        solveBoth(m, orders);
        return { matrix: [m.colIndex.buffer, m.values.buffer], all: buffersOf(m) };
      });
      // Choice k's matrix is pushed out when choice k+1's is made: its colIndex and values buffers are written
      // into by a later choice's matrix or copies (before, they were left to the collector).
      const lentAgain = made.slice(0, -2).flatMap((c, k) => {
        const later = new Set(made.slice(k + 1).flatMap((l) => l.all));
        return c.matrix.filter((b) => later.has(b));
      });
      expect(lentAgain.length).toBeGreaterThanOrEqual(made.length - 2);
    } finally {
      releaseCache(orders);
    }
  }, 120_000);

  it('never lend a detached copy another cache left (a replan’s copy of its base’s cache)', () => {
    const base: OrderCache = { keptBytes: 0.5 * one };
    for (const policy of policies.slice(0, 2)) solveBoth(choiceMatrix(set, policy, base), base);
    // A third choice pushes the second out: its two copies stay detached in the base's cache.
    const second = chosenInputMatrix(set, policies[1]!);
    choiceMatrix(set, policies[2]!, base);
    const inherited = { values: base.detached!.values!.system, balance: base.detached!.balance!.system };
    const theirs = new Set([...copyBuffers(inherited.values), ...copyBuffers(inherited.balance)]);
    const replan: OrderCache = { ...base, choices: [...base.choices!] };
    lendSpareArrays(replan);
    try {
      for (const policy of [...policies.slice(2), ...policies.slice(0, 3)])
        solveBoth(choiceMatrix(set, policy, replan), replan);
      for (const c of replan.choices!)
        for (const key of ['values', 'balance'] as const)
          expect(copyBuffers(keptPermuted(c.matrix, key)!).filter((b) => theirs.has(b))).toEqual([]);
      expect(canonical(inherited.values)).toEqual(canonical(afresh(second, inherited.values, false)));
      expect(canonical(inherited.balance)).toEqual(canonical(afresh(second, inherited.balance, true)));
    } finally {
      releaseCache(replan);
    }
  }, 120_000);
});

describe('a stop within a solve', () => {
  it('ends technique choice after the sweep where the abort is seen, not after the evaluation', () => {
    const problem = problemOf(3000, 11);
    const whole = solveTechniqueChoice(problem);
    expect(whole.status).toBe('optimal');
    // A signal that reads as aborted from its fourth reading on: the first evaluation alone takes more sweeps.
    let readings = 0;
    const signal = {
      get aborted() {
        return ++readings > 3;
      },
    } as AbortSignal;
    const stopped = solveTechniqueChoice(problem, { signal });
    expect(stopped.status).toBe('cancelled');
    // Each sweep reads it once: the fourth reading, at the latest, ends the solve.
    expect(stopped.sweeps).toBeLessThanOrEqual(4);
    expect(whole.sweeps).toBeGreaterThan(10);
    // Nothing of the stop is left on the cache for the next solve with it.
    const orders: OrderCache = {};
    let reads = 0;
    const once = {
      get aborted() {
        return ++reads > 3;
      },
    } as AbortSignal;
    expect(solveTechniqueChoice(problem, { signal: once, orders }).status).toBe('cancelled');
    const again = solveTechniqueChoice(problem, { orders });
    expect(again.status).toBe('optimal');
    if (again.status === 'optimal' && whole.status === 'optimal')
      expect(again.objective).toBeCloseTo(whole.objective, 6);
  }, 60_000);
});

describe('technique choice swept on the WebAssembly kernels (wasm-permuted-sweeps.ts)', () => {
  it('gives the JavaScript sweeps’ optimum, and falls back to them where the memory cannot hold a copy', () => {
    const problem = problemOf(3000, 17);
    const before = { ...wasmPermutedStats };
    const js = solveTechniqueChoice(problem, { orders: { sweeps: 'javascript' } });
    expect(wasmPermutedStats.sweeps).toBe(before.sweeps);
    const wasm = solveTechniqueChoice(problem, { orders: {} });
    const swept = wasmPermutedStats.sweeps - before.sweeps;
    const loads = wasmPermutedStats.loads - before.loads;
    const oneSlot = solveTechniqueChoice(problem, { orders: { oneSlotFrom: 0 } });
    const oneSlotLoads = wasmPermutedStats.loads - before.loads - loads;
    const swept2 = wasmPermutedStats.sweeps - before.sweeps;
    const fallback = solveTechniqueChoice(problem, { orders: { wasmBytes: 1 } });
    expect(wasmPermutedStats.sweeps - before.sweeps).toBe(swept2);
    expect(wasmPermutedStats.refused).toBeGreaterThan(before.refused);
    expect(js.status).toBe('optimal');
    expect(wasm.status).toBe('optimal');
    expect(fallback.status).toBe('optimal');
    if (js.status !== 'optimal' || wasm.status !== 'optimal' || fallback.status !== 'optimal') return;
    // Every sweep of the default path ran on the kernels, each copy loaded once or a few times, not per solve.
    expect(swept).toBeGreaterThan(0);
    expect(loads).toBeGreaterThan(0);
    expect(loads).toBeLessThan(swept / 2);
    expect(Math.abs(wasm.objective - js.objective)).toBeLessThanOrEqual(1e-9 * js.objective);
    expect(Math.abs(wasm.price - js.price)).toBeLessThanOrEqual(1e-8 * js.price);
    expect(wasm.evaluations).toBe(js.evaluations);
    for (let p = 0; p < js.values.length; p++)
      expect(Math.abs(wasm.values[p]! - js.values[p]!)).toBeLessThanOrEqual(1e-8 * Math.abs(js.values[p]!));
    // One memory for both directions (as from about 8·10⁶ products): the same optimum, more loads.
    expect(oneSlot.status).toBe('optimal');
    if (oneSlot.status !== 'optimal') return;
    expect(Math.abs(oneSlot.objective - js.objective)).toBeLessThanOrEqual(1e-9 * js.objective);
    expect(oneSlotLoads).toBeGreaterThan(loads);
    // The fallback is the JavaScript path itself.
    expect(fallback.objective).toBe(js.objective);
    expect(Array.from(fallback.activity)).toEqual(Array.from(js.activity));
  });
});
