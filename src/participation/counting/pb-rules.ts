// Participatory-budgeting rules: greedy by votes within the budget, and the Method of Equal Shares (Peters and
// Skowron) with its add1 completion. Pure: projects, ballots as utilities and a budget in, a selection out.
// docs/guide/participatory-planning.md works an example of each rule.

export interface PbProject {
  id: string;
  cost: number;
}

/** One ballot as utilities: project id → a positive utility (approval 1, cumulative points, ranked Borda). */
export type PbBallot = Record<string, number>;

export interface PbInstance {
  budget: number;
  projects: PbProject[];
  ballots: PbBallot[];
}

/** What one voter paid towards one selected project under Equal Shares. */
export interface PbPayment {
  voter: number;
  project: string;
  amount: number;
}

export interface PbOutcome {
  /** Selected project ids, in the order the rule chose them. */
  selected: string[];
  /** Total cost of the selection. */
  cost: number;
  /** Per selected project, how it was chosen: by the rule itself or by the completion. */
  steps: { project: string; by: 'greedy' | 'equal-shares' | 'completion'; score: number }[];
  /** Equal Shares only: who paid what in the selection's Equal Shares phase. */
  payments: PbPayment[];
  /** Equal Shares only: each voter's budget share in the run whose selection was kept. */
  share: number | null;
}

/** Relative slack for float comparisons of money: costs are sums of products, never exact. */
const EPS = 1e-9;

/** Total utility of each project over all ballots (for approval: the number of votes). */
export function totals(instance: PbInstance): Map<string, number> {
  const t = new Map(instance.projects.map((p) => [p.id, 0]));
  for (const b of instance.ballots)
    for (const [id, u] of Object.entries(b)) if (t.has(id)) t.set(id, (t.get(id) ?? 0) + u);
  return t;
}

/** Most votes first; equal votes: cheaper first; then by id, so the order never depends on input order. */
function byVotes(projects: PbProject[], votes: Map<string, number>): PbProject[] {
  return [...projects].sort(
    (a, b) => (votes.get(b.id) ?? 0) - (votes.get(a.id) ?? 0) || a.cost - b.cost || (a.id < b.id ? -1 : 1),
  );
}

/**
 * Greedy by votes (the rule most cities use, Pabulib's "greedy"): projects by votes, most first; a project is
 * taken when it fits in what is left of the budget, skipped otherwise, and the walk goes on.
 */
export function greedy(instance: PbInstance): PbOutcome {
  const votes = totals(instance);
  return fill(instance, [], 0, votes, 'greedy');
}

function fill(
  instance: PbInstance,
  chosen: PbOutcome['steps'],
  spent: number,
  votes: Map<string, number>,
  by: 'greedy' | 'completion',
): PbOutcome {
  const steps = [...chosen];
  const taken = new Set(steps.map((s) => s.project));
  let cost = spent;
  for (const p of byVotes(instance.projects, votes)) {
    if (taken.has(p.id) || (votes.get(p.id) ?? 0) <= 0) continue;
    if (cost + p.cost <= instance.budget * (1 + EPS)) {
      steps.push({ project: p.id, by, score: votes.get(p.id) ?? 0 });
      taken.add(p.id);
      cost += p.cost;
    }
  }
  return { selected: steps.map((s) => s.project), cost, steps, payments: [], share: null };
}

/**
 * The Method of Equal Shares with a fixed per-voter share (Peters and Skowron 2020; Peters, Pierczyński and
 * Skowron 2021): every voter starts with `share`. A project c is affordable at ρ when its supporters, each
 * paying min(budgetᵢ, ρ·uᵢ(c)), together pay its cost. Each step selects the project with the least ρ
 * (ties: more votes, then cheaper, then id) and charges its supporters so; it stops when no project is
 * affordable. ρ is computed exactly as the definition gives it: supporters sorted by budgetᵢ/uᵢ, the poorer
 * ones paying all they have while the rest share the remainder in proportion to their utility.
 */
export function equalSharesFixed(instance: PbInstance, share: number): PbOutcome {
  const n = instance.ballots.length;
  const budget = new Float64Array(n).fill(share);
  const supporters = new Map<string, { voter: number; u: number }[]>();
  for (const p of instance.projects) supporters.set(p.id, []);
  instance.ballots.forEach((b, i) => {
    for (const [id, u] of Object.entries(b)) if (u > 0) supporters.get(id)?.push({ voter: i, u });
  });
  const votes = totals(instance);
  const remaining = new Set(instance.projects.filter((p) => p.cost > 0).map((p) => p.id));
  const costOf = new Map(instance.projects.map((p) => [p.id, p.cost]));
  const steps: PbOutcome['steps'] = [];
  const payments: PbPayment[] = [];
  let spent = 0;
  for (;;) {
    let best: { id: string; rho: number } | null = null;
    for (const id of remaining) {
      const rho = affordability(costOf.get(id) ?? 0, supporters.get(id) ?? [], budget);
      if (rho === null) {
        remaining.delete(id);
        continue;
      }
      if (best === null || better(id, rho, best, votes, costOf)) best = { id, rho };
    }
    if (best === null) break;
    const cost = costOf.get(best.id) ?? 0;
    for (const s of supporters.get(best.id) ?? []) {
      const pay = Math.min(budget[s.voter]!, best.rho * s.u);
      if (pay <= 0) continue;
      budget[s.voter] = budget[s.voter]! - pay;
      payments.push({ voter: s.voter, project: best.id, amount: pay });
    }
    steps.push({ project: best.id, by: 'equal-shares', score: best.rho });
    spent += cost;
    remaining.delete(best.id);
  }
  return { selected: steps.map((s) => s.project), cost: spent, steps, payments, share };
}

function better(
  id: string,
  rho: number,
  best: { id: string; rho: number },
  votes: Map<string, number>,
  costOf: Map<string, number>,
): boolean {
  const tol = EPS * Math.max(1, rho, best.rho);
  if (rho < best.rho - tol) return true;
  if (rho > best.rho + tol) return false;
  const dv = (votes.get(id) ?? 0) - (votes.get(best.id) ?? 0);
  if (dv !== 0) return dv > 0;
  const dc = (costOf.get(id) ?? 0) - (costOf.get(best.id) ?? 0);
  if (dc !== 0) return dc < 0;
  return id < best.id;
}

/** The least ρ at which the supporters can pay `cost`, or null when all their money is not enough. */
export function affordability(
  cost: number,
  supporters: { voter: number; u: number }[],
  budget: Float64Array,
): number | null {
  let money = 0;
  let utility = 0;
  for (const s of supporters) {
    money += budget[s.voter]!;
    utility += s.u;
  }
  if (money < cost * (1 - EPS) || utility <= 0) return null;
  const sorted = [...supporters].sort((a, b) => budget[a.voter]! / a.u - budget[b.voter]! / b.u);
  let paid = 0;
  let rest = utility;
  let rho = 0;
  for (const s of sorted) {
    rho = (cost - paid) / rest;
    if (rho * s.u <= budget[s.voter]! * (1 + EPS)) return rho;
    paid += budget[s.voter]!;
    rest -= s.u;
  }
  // Only by rounding: the last supporter's ρ is then what pays the cost with all of their money.
  return rho;
}

/**
 * Equal Shares as used in practice (equalshares.net, pabutools): run with the budget shared equally; then
 * "add1": raise every voter's share step by step and keep the last selection that still fits the real budget;
 * then complete it greedily by votes with what money is left. The step is one unit of the pool per voter, as
 * add1 defines it, kept between 1/10,000 and 1/100 of the starting share: a pool counted in millions then
 * needs at most 10,000 steps to double every share, and one whose projects cost a few units (hours of a
 * small pool) does not leap past the answer.
 */
export function equalShares(instance: PbInstance): PbOutcome & { completion: 'add1+greedy' } {
  const n = instance.ballots.length;
  const votes = totals(instance);
  if (n === 0) return { ...fill(instance, [], 0, votes, 'completion'), completion: 'add1+greedy' };
  const start = instance.budget / n;
  const step = Math.min(Math.max(1, start / 10_000), start / 100);
  const wanted = instance.projects.filter((p) => (votes.get(p.id) ?? 0) > 0);
  const ceiling = wanted.reduce((s, p) => s + p.cost, 0);
  let kept = equalSharesFixed(instance, start);
  for (
    let share = start + step;
    kept.selected.length < wanted.length && share <= ceiling + step;
    share += step
  ) {
    const next = equalSharesFixed(instance, share);
    if (next.cost > instance.budget * (1 + EPS)) break;
    kept = next;
  }
  const completed = fill(instance, kept.steps, kept.cost, votes, 'completion');
  return { ...completed, payments: kept.payments, share: kept.share, completion: 'add1+greedy' };
}
