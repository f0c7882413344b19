// Seeded "general" LPs with the structure of multi-period capacity planning, for benchmarks and solver tests:
// stock carried between periods, inputs drawn from other items, shared capacities per period, and several
// limits that bind at the optimum (unlike uniformly random LPs, whose optimum rarely meets a capacity).
import type { LinearProgram } from './lp';
import { prng } from './random-lp';

export interface GeneralLpShape {
  /** Number of columns wanted; items = round(columns / (3 · periods)), each with make, carry and buy per period. */
  columns: number;
  periods?: number;
  seed: number;
}

/**
 * Columns per item i and period t: make[i,t] ≥ 0, carry[i,t] ≥ 0 (stock at the end of t), 0 ≤ buy[i,t] ≤ u
 * (dear outside supply). Rows:
 *   balance[i,t]:  carry[i,t−1] + make[i,t] + buy[i,t] − Σₖ aᵢₖ make[k,t] − carry[i,t] ≥ dᵢₜ
 *   capacity[r,t]: Σ hᵣᵢ make[i,t] ≤ capᵣₜ      (one row per resource r and period; each item uses one or two)
 *   labour[t]:     Σ lᵢ make[i,t] ≤ Lₜ         (a dense row per period)
 *   storage[t]:    Σ vᵢ carry[i,t] ≤ Sₜ
 * A hidden plan x₀ fixes the demands d = its balance activity (so x₀ is feasible); capacities sit 0–8 % above
 * its use, while making costs vary by period, so the optimum shifts output into cheap periods until capacities,
 * labour and storage bind. Minimisation of making, holding and buying costs.
 */
export function generalLp(shape: GeneralLpShape): LinearProgram {
  const T = shape.periods ?? 5;
  const items = Math.max(2, Math.round(shape.columns / (3 * T)));
  const resources = Math.max(1, Math.round(items / 20));
  const rand = prng(shape.seed);
  const inputsOf: { k: number; a: number }[][] = [];
  const useOf: { r: number; h: number }[][] = [];
  const labour = new Float64Array(items);
  const volume = new Float64Array(items);
  const baseCost = new Float64Array(items);
  for (let i = 0; i < items; i++) {
    const inputs: { k: number; a: number }[] = [];
    for (let q = 0; q < 2; q++) {
      const k = Math.floor(rand() * items);
      if (k !== i && !inputs.some((e) => e.k === k)) inputs.push({ k, a: 0.05 + 0.15 * rand() });
    }
    inputsOf.push(inputs);
    const uses = [{ r: Math.floor(rand() * resources), h: 0.5 + rand() }];
    const second = Math.floor(rand() * resources);
    if (rand() < 0.5 && second !== uses[0]!.r) uses.push({ r: second, h: 0.2 + 0.5 * rand() });
    useOf.push(uses);
    labour[i] = 0.1 + rand();
    volume[i] = 0.5 + rand();
    baseCost[i] = 1 + 4 * rand();
  }
  // Column layout: block t holds make (items), carry (items), buy (items).
  const n = 3 * items * T;
  const make = (i: number, t: number) => t * 3 * items + i;
  const carry = (i: number, t: number) => t * 3 * items + items + i;
  const buy = (i: number, t: number) => t * 3 * items + 2 * items + i;
  // Row layout: balances (items·T), capacities (resources·T), labour (T), storage (T).
  const m = items * T + resources * T + 2 * T;
  const balanceRow = (i: number, t: number) => t * items + i;
  const capacityRow = (r: number, t: number) => items * T + t * resources + r;
  const labourRow = (t: number) => items * T + resources * T + t;
  const storageRow = (t: number) => items * T + resources * T + T + t;

  const x0 = new Float64Array(n);
  const objective = new Float64Array(n);
  const colUpper = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  for (let t = 0; t < T; t++) {
    const season = 1 + 0.3 * Math.sin((2 * Math.PI * t) / T);
    for (let i = 0; i < items; i++) {
      x0[make(i, t)] = 5 + 10 * rand();
      x0[carry(i, t)] = t === T - 1 ? 0 : 2 * rand();
      x0[buy(i, t)] = rand() < 0.2 ? rand() : 0;
      objective[make(i, t)] = (baseCost[i] as number) * season * (0.9 + 0.2 * rand());
      objective[carry(i, t)] = 0.05 + 0.2 * rand();
      objective[buy(i, t)] = 3 * (baseCost[i] as number) * (1 + rand());
      colUpper[buy(i, t)] = 1 + 2 * rand();
    }
  }

  const entries: { row: number; value: number }[][] = Array.from({ length: n }, () => []);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < items; i++) {
      const mk = entries[make(i, t)]!;
      mk.push({ row: balanceRow(i, t), value: 1 });
      for (const { k, a } of inputsOf[i]!) mk.push({ row: balanceRow(k, t), value: -a });
      for (const { r, h } of useOf[i]!) mk.push({ row: capacityRow(r, t), value: h });
      mk.push({ row: labourRow(t), value: labour[i] as number });
      const cr = entries[carry(i, t)]!;
      cr.push({ row: balanceRow(i, t), value: -1 });
      if (t + 1 < T) cr.push({ row: balanceRow(i, t + 1), value: 1 });
      cr.push({ row: storageRow(t), value: volume[i] as number });
      entries[buy(i, t)]!.push({ row: balanceRow(i, t), value: 1 });
    }
  }
  const colStart = new Int32Array(n + 1);
  let nnz = 0;
  for (let j = 0; j < n; j++) {
    entries[j]!.sort((p, q) => p.row - q.row);
    nnz += entries[j]!.length;
    colStart[j + 1] = nnz;
  }
  const rowIndex = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  const activity = new Float64Array(m);
  for (let j = 0, k = 0; j < n; j++) {
    for (const e of entries[j]!) {
      rowIndex[k] = e.row;
      values[k] = e.value;
      activity[e.row] = (activity[e.row] as number) + e.value * (x0[j] as number);
      k++;
    }
  }
  const rowLower = new Float64Array(m).fill(Number.NEGATIVE_INFINITY);
  const rowUpper = new Float64Array(m).fill(Number.POSITIVE_INFINITY);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < items; i++) rowLower[balanceRow(i, t)] = activity[balanceRow(i, t)] as number;
    for (let r = 0; r < resources; r++)
      rowUpper[capacityRow(r, t)] = (activity[capacityRow(r, t)] as number) * (1 + 0.08 * rand());
    rowUpper[labourRow(t)] = (activity[labourRow(t)] as number) * (1 + 0.03 * rand());
    rowUpper[storageRow(t)] = (activity[storageRow(t)] as number) * (1 + 0.05 * rand());
  }
  return {
    sense: 'min',
    objective,
    matrix: { rows: m, cols: n, colStart, rowIndex, values },
    rowLower,
    rowUpper,
    colLower: new Float64Array(n),
    colUpper,
  };
}
