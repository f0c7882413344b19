// Exact harmony for one period of a Leontief economy: maximise Σₚ wₚ·H((yₚ − tₚ)/tₚ) over net outputs
// 0 ≤ yₚ ≤ (1 + sMax)·tₚ subject to a few limits V·y ≤ b, solved through its dual with a projected Newton
// method, and certified by a feasible plan and the dual bound.
//
// Why the dual is small. With one technology per product, gross output x = (I − A)⁻¹·y, so every limit on
// gross output (a skill's hours, a resource, a capacity) is a limit on net output with row
// vᵣ = rᵣ·(I − A)⁻¹ ≥ 0 (the labour values, for labour). Lagrange multipliers μ ≥ 0 on the m limits price
// each product at qₚ = (Vᵀμ)ₚ, and the relaxed problem falls apart into one scalar problem per product,
// max_y f(y) − q·y, whose solution is H′'s inverse in closed form (harmonyArgmax). The dual function
//   G(μ) = Σₚ φₚ(qₚ) + μ·b,   φₚ(q) = max_{0≤y≤capₚ} fₚ(y) − q·y,
// is convex and continuously differentiable (H is strictly concave), with ∇G = b − V·y(μ) and Hessian
// V·D·Vᵀ, Dₚ = −dyₚ/dqₚ; G(μ) ≥ the optimum for every μ ≥ 0 (weak duality).
//
// Certificate. y(μ) is scaled by α = min(1, minᵣ bᵣ/(V·y)ᵣ) into the feasible set (V ≥ 0 and the box
// contains 0, so scaling down keeps every constraint). The scaled plan's harmony F and G(μ) enclose the
// optimum: F ≤ optimum ≤ G(μ), so G(μ) − F is a proven gap, and the method stops when it is below the
// tolerance. At the optimum y(μ*) is feasible, so α → 1 and the gap → 0 (quadratically, with Newton).
import { harmony, harmonySlope } from './harmony';
import { harmonyArgmax } from './harmony-pwl';

export interface HarmonyDualProblem {
  /** Target per product; 0 where a product has no harmony term (its best net output is then 0). */
  target: Float64Array;
  /** Weight of each product's harmony (≥ 0). */
  weight: Float64Array;
  /** Fulfilment above which surplus earns nothing more (the cap is (1 + maxSurplus)·target). */
  maxSurplus: number;
  /** Limit rows over net output, m × n row-major, all entries ≥ 0. */
  limits: Float64Array;
  /** Right-hand sides, m, each > 0 and finite. */
  bound: Float64Array;
}

export interface HarmonyDualOptions {
  /** Stop when G(μ) − F ≤ tolerance·max(1, |F|) (default 1e-10). */
  tolerance?: number;
  maxIterations?: number;
  /** Starting multipliers (e.g. the previous period's). */
  start?: Float64Array;
}

export interface HarmonyDualResult {
  /** A feasible net output (the scaled y(μ)). */
  y: Float64Array;
  /** The multipliers of the limits. */
  mu: Float64Array;
  /** Price of each product's net output, q = Vᵀμ. */
  price: Float64Array;
  /** Σ w·H of y: a lower bound on the optimum. */
  primal: number;
  /** G(μ): an upper bound on the optimum. */
  dual: number;
  /** dual − primal ≥ 0. */
  gap: number;
  iterations: number;
  converged: boolean;
}

interface Evaluation {
  dual: number;
  /** y(μ), the maximiser of the relaxed problem. */
  y: Float64Array;
  price: Float64Array;
  /** −dy/dq per product (≥ 0). */
  curvature: Float64Array;
  /** V·y(μ). */
  use: Float64Array;
}

/** fₚ(y) for a product with target t > 0 and weight w. */
function termValue(t: number, w: number, y: number): number {
  return w * harmony((y - t) / t);
}

function evaluate(p: HarmonyDualProblem, mu: Float64Array): Evaluation {
  const n = p.target.length;
  const m = p.bound.length;
  const price = new Float64Array(n);
  for (let r = 0; r < m; r++) {
    const mr = mu[r]!;
    if (mr === 0) continue;
    const row = r * n;
    for (let k = 0; k < n; k++) price[k]! += mr * p.limits[row + k]!;
  }
  const y = new Float64Array(n);
  const curvature = new Float64Array(n);
  let dual = 0;
  for (let r = 0; r < m; r++) dual += mu[r]! * p.bound[r]!;
  for (let k = 0; k < n; k++) {
    const t = p.target[k]!;
    const w = p.weight[k]!;
    const q = price[k]!;
    if (!(t > 0) || !(w > 0)) continue; // φ = max_{y ≥ 0} −q·y = 0 at y = 0 (q ≥ 0)
    // In fulfilment units the price per unit of s is q·t, and per unit of weighted harmony q·t / w.
    const slope = (q * t) / w;
    const s = harmonyArgmax(slope, -1, p.maxSurplus);
    y[k] = t * (1 + s);
    dual += termValue(t, w, y[k]!) - q * y[k]!;
    // Inside the box, H′(s) = slope gives ds/dslope = −1/|H″(s)|; dy/dq = t·ds/dq.
    if (s > -1 && s < p.maxSurplus) {
      const h2 = s >= 0 ? 1 / ((1 + s) * (1 + s)) : 1;
      curvature[k] = (t * t) / (w * h2);
    }
  }
  const use = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let u = 0;
    const row = r * n;
    for (let k = 0; k < n; k++) u += p.limits[row + k]! * y[k]!;
    use[r] = u;
  }
  return { dual, y, price, curvature, use };
}

/** Solves (H + δI) d = g by Cholesky for a small dense symmetric matrix; null if not positive definite. */
function choleskySolve(h: Float64Array, g: Float64Array, m: number): Float64Array | null {
  const l = new Float64Array(m * m);
  let trace = 0;
  for (let i = 0; i < m; i++) trace += h[i * m + i]!;
  // A flat direction (every product it prices at a bound of its box) has no Newton step.
  for (let i = 0; i < m; i++) if (!(h[i * m + i]! > 1e-14 * trace)) return null;
  const shift = 1e-12 * trace;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = h[i * m + j]! + (i === j ? shift : 0);
      for (let k = 0; k < j; k++) s -= l[i * m + k]! * l[j * m + k]!;
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * m + i] = Math.sqrt(s);
      } else l[i * m + j] = s / l[j * m + j]!;
    }
  }
  const z = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = g[i]!;
    for (let k = 0; k < i; k++) s -= l[i * m + k]! * z[k]!;
    z[i] = s / l[i * m + i]!;
  }
  for (let i = m - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < m; k++) s -= l[k * m + i]! * z[k]!;
    z[i] = s / l[i * m + i]!;
  }
  return z;
}

/** The feasible plan made from y(μ): y scaled into V·y ≤ b, with its harmony. */
function repair(p: HarmonyDualProblem, e: Evaluation): { y: Float64Array; primal: number } {
  let alpha = 1;
  for (let r = 0; r < p.bound.length; r++)
    if (e.use[r]! > p.bound[r]!) alpha = Math.min(alpha, p.bound[r]! / e.use[r]!);
  const y = alpha === 1 ? e.y.slice() : e.y.map((v) => v * alpha);
  let primal = 0;
  for (let k = 0; k < y.length; k++) {
    const t = p.target[k]!;
    const w = p.weight[k]!;
    if (t > 0 && w > 0) primal += termValue(t, w, y[k]!);
  }
  return { y, primal };
}

/** Maximises Σ w·H subject to V·y ≤ b, 0 ≤ y ≤ cap, to a certified gap (see the header). */
export function solveHarmonyDual(p: HarmonyDualProblem, options: HarmonyDualOptions = {}): HarmonyDualResult {
  const n = p.target.length;
  const m = p.bound.length;
  if (p.limits.length !== m * n) throw new RangeError('solveHarmonyDual: limits must be m × n');
  for (let r = 0; r < m; r++)
    if (!(p.bound[r]! > 0) || !Number.isFinite(p.bound[r]!))
      throw new RangeError(`solveHarmonyDual: bound[${r}] must be positive and finite, got ${p.bound[r]}`);
  for (const v of p.limits) if (!(v >= 0)) throw new RangeError('solveHarmonyDual: limits must be ≥ 0');
  // y(μ) only falls as μ grows (V ≥ 0), so a limit that y(0) (every target at its cap) keeps can never
  // bind: its multiplier is 0 and it leaves the problem. Most plans keep one limit (labour) or none.
  const atZero = evaluate(p, new Float64Array(m));
  const binding: number[] = [];
  for (let r = 0; r < m; r++) if (atZero.use[r]! > p.bound[r]!) binding.push(r);
  const reduced: HarmonyDualProblem = {
    ...p,
    limits: new Float64Array(binding.length * n),
    bound: Float64Array.from(binding, (r) => p.bound[r]!),
  };
  binding.forEach((r, a) => reduced.limits.set(p.limits.subarray(r * n, (r + 1) * n), a * n));
  const start = options.start && Float64Array.from(binding, (r) => options.start![r] ?? 0);
  const reducedOptions = { ...options, ...(start ? { start } : {}) };
  const res =
    binding.length === 0
      ? {
          ...repair(p, atZero),
          mu: new Float64Array(0),
          price: atZero.price,
          dual: atZero.dual,
          iterations: 0,
        }
      : binding.length === 1
        ? solveOneLimit(reduced, reducedOptions)
        : solveByNewton(reduced, reducedOptions);
  const mu = new Float64Array(m);
  binding.forEach((r, a) => (mu[r] = res.mu[a]!));
  const gap = Math.max(0, res.dual - res.primal);
  const tolerance = options.tolerance ?? 1e-10;
  return {
    y: res.y,
    mu,
    price: res.price,
    primal: res.primal,
    dual: res.dual,
    gap,
    iterations: res.iterations,
    converged: gap <= tolerance * Math.max(1, Math.abs(res.primal)),
  };
}

type Solved = Pick<HarmonyDualResult, 'y' | 'mu' | 'price' | 'primal' | 'dual' | 'iterations'>;

/**
 * One binding limit: b − v·y(μ) rises with μ, from below 0 at μ = 0. Newton's method safeguarded by a
 * bracket [lo, hi] with y(hi) feasible; y(hi) is then the plan, and its gap is exactly hi·(b − v·y(hi)),
 * since G(μ) = F(y(μ)) + μ·(b − v·y(μ)). The bracket makes it converge where Newton alone would cycle
 * (a product leaving its box exactly at the optimum, where G has no second derivative).
 */
function solveOneLimit(p: HarmonyDualProblem, options: HarmonyDualOptions): Solved {
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 500;
  const b = p.bound[0]!;
  const n = p.target.length;
  const slackAt = (e: Evaluation) => b - e.use[0]!;
  let lo = 0;
  let hi = Math.max(options.start?.[0] ?? 0, 0);
  let eHi = evaluate(p, Float64Array.of(hi));
  let iterations = 0;
  // Find a feasible end: grow from the warm start (or from a first guess) until y(hi) fits.
  if (slackAt(eHi) < 0) {
    lo = hi;
    hi = hi > 0 ? hi * 2 : 1;
    for (;;) {
      iterations++;
      eHi = evaluate(p, Float64Array.of(hi));
      if (slackAt(eHi) >= 0) break;
      lo = hi;
      hi *= 4;
      if (!Number.isFinite(hi)) throw new RangeError('solveHarmonyDual: no price makes the plan fit');
    }
  }
  let mu = hi;
  let e = eHi;
  const primalOf = (ev: Evaluation) => ev.dual - hi * (b - ev.use[0]!);
  for (; iterations < maxIterations; iterations++) {
    const slack = slackAt(eHi);
    const primal = primalOf(eHi);
    if (hi * slack <= tolerance * Math.max(1, Math.abs(primal))) break;
    if (hi - lo <= 1e-16 * hi) break;
    // Newton on b − v·y(μ) from the last point; its slope is Σ v²·D.
    let slope = 0;
    for (let k = 0; k < n; k++) {
      const v = p.limits[k]!;
      slope += v * v * e.curvature[k]!;
    }
    let next = slope > 0 ? mu - slackAt(e) / slope : NaN;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    mu = next;
    e = evaluate(p, Float64Array.of(mu));
    if (slackAt(e) >= 0) {
      hi = mu;
      eHi = e;
    } else lo = mu;
  }
  const y = eHi.y;
  let primal = 0;
  for (let k = 0; k < n; k++)
    if (p.target[k]! > 0 && p.weight[k]! > 0) primal += termValue(p.target[k]!, p.weight[k]!, y[k]!);
  return { y, mu: Float64Array.of(hi), price: eHi.price, primal, dual: eHi.dual, iterations };
}

/** Several binding limits: projected Newton with an Armijo search (gradient steps where G is flat). */
function solveByNewton(p: HarmonyDualProblem, options: HarmonyDualOptions): Solved {
  const n = p.target.length;
  const m = p.bound.length;
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 200;
  let mu: Float64Array = new Float64Array(m);
  if (options.start !== undefined && options.start.length === m)
    for (let r = 0; r < m; r++) mu[r] = Math.max(0, options.start[r]!);
  let e = evaluate(p, mu);
  let best = repair(p, e);
  let bestDual = e.dual;
  let bestMu = mu;
  let bestPrice = e.price;
  const gapOf = () => Math.max(0, bestDual - best.primal);
  const done = () => gapOf() <= tolerance * Math.max(1, Math.abs(best.primal));
  let iterations = 0;
  // A gradient step's length, kept between iterations (scaled by the bound so it is unit-free).
  let gradientStep = 1;
  while (!done() && iterations < maxIterations) {
    iterations++;
    const grad = new Float64Array(m);
    for (let r = 0; r < m; r++) grad[r] = p.bound[r]! - e.use[r]!;
    // Free coordinates: positive, or at zero with a gradient that pushes them up (G decreases along −∇G).
    const free: number[] = [];
    for (let r = 0; r < m; r++) if (mu[r]! > 0 || grad[r]! < 0) free.push(r);
    if (free.length === 0) break; // μ = 0 is optimal: y(0) is feasible, and the gap is 0 there
    const f = free.length;
    const hess = new Float64Array(f * f);
    for (let a = 0; a < f; a++) {
      const ra = free[a]! * n;
      for (let b = 0; b <= a; b++) {
        const rb = free[b]! * n;
        let s = 0;
        for (let k = 0; k < n; k++) {
          const c = e.curvature[k]!;
          if (c !== 0) s += p.limits[ra + k]! * c * p.limits[rb + k]!;
        }
        hess[a * f + b] = s;
        hess[b * f + a] = s;
      }
    }
    const g = Float64Array.from(free, (r) => grad[r]!);
    const newton = choleskySolve(hess, g, f);
    const direction = new Float64Array(m);
    let isNewton = newton !== null;
    if (newton !== null && newton.every(Number.isFinite))
      for (let a = 0; a < f; a++) direction[free[a]!] = -newton[a]!;
    else isNewton = false;
    // A Newton step that points uphill (a flat region where D vanishes) is replaced by the gradient.
    let slope = 0;
    for (let r = 0; r < m; r++) slope += grad[r]! * direction[r]!;
    if (!isNewton || !(slope < 0)) {
      isNewton = false;
      for (let a = 0; a < f; a++) direction[free[a]!] = -grad[free[a]!]! * gradientStep;
    }
    // Projected Armijo search; a gradient step may also grow, because G is linear where D vanishes.
    let step = 1;
    let accepted: { mu: Float64Array; e: Evaluation } | null = null;
    for (let tries = 0; tries < 60; tries++) {
      const trial = Float64Array.from(mu, (v, r) => Math.max(0, v + step * direction[r]!));
      const te = evaluate(p, trial);
      let decrease = 0;
      for (let r = 0; r < m; r++) decrease += grad[r]! * (trial[r]! - mu[r]!);
      if (te.dual <= e.dual + 1e-4 * decrease) {
        accepted = { mu: trial, e: te };
        if (!isNewton && tries === 0) {
          // Try doubling while the dual keeps falling.
          let grow = 2;
          for (let k = 0; k < 60; k++) {
            const bigger = Float64Array.from(mu, (v, r) => Math.max(0, v + grow * direction[r]!));
            const be = evaluate(p, bigger);
            if (be.dual >= accepted.e.dual) break;
            accepted = { mu: bigger, e: be };
            gradientStep *= 2;
            grow *= 2;
          }
        }
        break;
      }
      step /= 2;
      if (!isNewton) gradientStep /= 2;
    }
    if (accepted !== null) {
      mu = accepted.mu;
      e = accepted.e;
    }
    // Then one sweep of exact minimisation along each coordinate, which converges where Newton stalls
    // (a product leaving its box exactly at the optimum, where G has no second derivative).
    for (let r = 0; r < m; r++) {
      mu[r] = coordinateMinimum(p, mu, r, e);
      e = evaluate(p, mu);
    }
    const candidate = repair(p, e);
    if (candidate.primal > best.primal) best = candidate;
    if (e.dual < bestDual) {
      bestDual = e.dual;
      bestMu = mu;
      bestPrice = e.price;
    }
  }
  return { y: best.y, mu: bestMu, price: bestPrice, primal: best.primal, dual: bestDual, iterations };
}

/**
 * The μᵣ ≥ 0 that minimises G with the other multipliers fixed: the root of bᵣ − Vᵣ·y(μ), which rises with
 * μᵣ (0 if it is already ≥ 0 at μᵣ = 0), by bisection safeguarding Newton. Returns the feasible end.
 */
function coordinateMinimum(p: HarmonyDualProblem, mu: Float64Array, r: number, e0: Evaluation): number {
  const n = p.target.length;
  const row = p.limits.subarray(r * n, (r + 1) * n);
  const trial = mu.slice();
  const at = (v: number) => {
    trial[r] = v;
    return evaluate(p, trial);
  };
  const slackOf = (e: Evaluation) => p.bound[r]! - e.use[r]!;
  let e = e0;
  let lo: number;
  let hi = mu[r]!;
  if (slackOf(e) >= 0) {
    if (hi === 0) return 0;
    lo = 0;
    const e0r = at(0);
    if (slackOf(e0r) >= 0) return 0;
  } else {
    lo = hi;
    hi = hi > 0 ? 2 * hi : 1;
    for (let k = 0; k < 200 && slackOf((e = at(hi))) < 0; k++) {
      lo = hi;
      hi *= 4;
    }
  }
  let x = hi;
  for (let k = 0; k < 100 && hi - lo > 1e-15 * hi; k++) {
    let slope = 0;
    for (let j = 0; j < n; j++) slope += row[j]! * row[j]! * e.curvature[j]!;
    let next = slope > 0 ? x - slackOf(e) / slope : NaN;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    x = next;
    e = at(x);
    const slack = slackOf(e);
    if (slack >= 0) hi = x;
    else lo = x;
    if (slack >= 0 && slack <= 1e-13 * p.bound[r]!) break;
  }
  return hi;
}

/** H′ of a term in net-output units, for KKT checks: d fₚ / d yₚ = wₚ·H′(sₚ)/tₚ. */
export function harmonyMarginal(target: number, weight: number, y: number): number {
  return (weight * harmonySlope((y - target) / target)) / target;
}
