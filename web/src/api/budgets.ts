// Participatory budgets and priorities votes as the Opsroom reads them.
import type { OpOutput } from './client';

export type Budget = OpOutput<'budget.get'>;
export type BudgetSummary = OpOutput<'budget.list'>['budgets'][number];
export type BudgetPlan = OpOutput<'budget.plan'>;
export type BudgetResult = Extract<NonNullable<Budget['result']>, { selected: string[] }>;
export type PrioritiesResult = Extract<NonNullable<Budget['result']>, { groups: unknown[] }>;

export const BALLOT_WORDS: Record<Budget['settings']['ballot'], string> = {
  approval: 'Approval: tick the projects you want, costing together at most the pool',
  cumulative: 'Cumulative: distribute your points over the projects',
  ranked: 'Ranked: order the projects you want, first choice first',
};

export const RULE_WORDS: Record<Budget['settings']['rule'], string> = {
  greedy: 'Greedy by votes: most-voted projects first, as long as they fit in the pool',
  'equal-shares':
    'Method of Equal Shares: the pool is shared equally among voters; a project is funded when its supporters can pay for it from their shares (completed by add1, then greedy)',
};

export function poolWords(b: Pick<Budget, 'settings'>): string {
  const p = b.settings.pool;
  return p.kind === 'labour-hours'
    ? `${fmt(p.amount)} hours of labour`
    : `${fmt(p.amount)} (money, ${fmt(p.moneyPerHour ?? 0)} per hour)`;
}

export function fmt(x: number): string {
  return x.toLocaleString('en-GB', { maximumFractionDigits: 2 });
}

export function isProjectsResult(r: Budget['result']): r is BudgetResult {
  return r !== null && 'selected' in r;
}
