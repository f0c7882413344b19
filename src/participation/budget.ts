// Participatory budgets and priorities votes: schemas, records and the pure rules of pricing projects.
// A budget's projects are bundles of final demand of an economy; members vote, a rule chooses, and the chosen
// bundle becomes the targets of a plan (budget-scenario.ts). docs/guide/participatory-planning.md.
import { z } from 'zod';
import { DomainError, type FieldIssue } from '../core/errors';
import type { EconomyModel } from '../economy/economy';
import { MAX_PERIOD } from '../economy/economy';

export const BUDGET_BALLOTS = ['approval', 'cumulative', 'ranked'] as const;
/**
 * How a ranked ballot counts. pabutools: Pabulib's tool (Additive_Borda_Sat), the k-th of the L projects a
 * voter ranks scores L − k (the last 0); borda: the k-th scores n − k + 1 over the n projects on the ballot.
 */
export const RANKED_SCORES = ['pabutools', 'borda'] as const;
export type RankedScore = (typeof RANKED_SCORES)[number];
export type BudgetBallotKind = (typeof BUDGET_BALLOTS)[number];
export const BUDGET_RULES = ['greedy', 'equal-shares'] as const;
export type BudgetRule = (typeof BUDGET_RULES)[number];
export const BUDGET_STATUSES = ['proposing', 'voting', 'closed'] as const;
export type BudgetStatus = (typeof BUDGET_STATUSES)[number];

const code = z.string().trim().min(1).max(100);

export const projectItemSchema = z.object({
  product: code.describe('a product code of the economy'),
  quantity: z.number().describe('units of the product, in its unit of measure; positive'),
});
export type ProjectItem = z.infer<typeof projectItemSchema>;

export const newProjectSchema = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(5000).default(''),
  items: z.array(projectItemSchema).min(1).max(500).describe('the final demand the project asks for'),
});
export type NewProject = z.output<typeof newProjectSchema>;

export const poolSchema = z.object({
  kind: z
    .enum(['labour-hours', 'money'])
    .describe("labour-hours: costs are the economy's labour values; money: labour values × moneyPerHour"),
  amount: z.number().positive().describe('the pool: hours, or money'),
  moneyPerHour: z
    .number()
    .positive()
    .optional()
    .describe('money pools only: the price of one hour of labour'),
});
export type Pool = z.infer<typeof poolSchema>;

export const budgetSettingsSchema = z.object({
  pool: poolSchema,
  period: z.number().int().min(1).max(MAX_PERIOD).describe('the plan period the projects are delivered in'),
  ballot: z.enum(BUDGET_BALLOTS),
  points: z
    .number()
    .int()
    .min(1)
    .max(100)
    .nullable()
    .describe('cumulative ballots: the points each voter distributes (null otherwise)'),
  rule: z.enum(BUDGET_RULES),
  rankedScore: z
    .enum(RANKED_SCORES)
    .optional()
    .describe(
      'ranked ballots: pabutools (the k-th of the L ranked scores L − k, as Pabulib’s tool) or borda (n − k + 1 over the n projects); budgets opened before this setting count borda',
    ),
});
export type BudgetSettings = z.infer<typeof budgetSettingsSchema>;

export const budgetProjectSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  items: z.array(projectItemSchema),
  cost: z.number().describe('labour hours or money, as the pool'),
  status: z.enum(['proposed', 'accepted', 'rejected']),
  proposedBy: z.string(),
  review: z.string().nullable().describe("the office's reason when it rejected or changed the project"),
  createdAt: z.date(),
});
export type BudgetProject = z.infer<typeof budgetProjectSchema>;

export const priorityGroupSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and hyphens'),
  name: z.string().trim().min(1).max(200),
  products: z.array(code).min(1).max(10_000).describe('the products of the group'),
});
export type PriorityGroup = z.infer<typeof priorityGroupSchema>;

export const scenarioTargetSchema = z.object({
  product: z.string(),
  period: z.number().int(),
  base: z.number(),
  total: z.number(),
  projects: z.array(z.object({ id: z.string(), name: z.string(), quantity: z.number() })),
});
export type ScenarioTarget = z.infer<typeof scenarioTargetSchema>;

export const budgetResultSchema = z.object({
  rule: z.enum(BUDGET_RULES),
  completion: z.string().nullable().describe('equal-shares: add1+greedy'),
  ballots: z.number().int(),
  votes: z.array(z.object({ project: z.string(), score: z.number() })).describe('total utility per project'),
  selected: z.array(z.string()),
  steps: z.array(
    z.object({
      project: z.string(),
      by: z.enum(['greedy', 'equal-shares', 'completion']),
      score: z.number().describe('greedy: votes; equal-shares: ρ, the most a supporter pays per point'),
    }),
  ),
  cost: z.number(),
  scenario: z.array(scenarioTargetSchema).describe('the targets the chosen projects set'),
});
export type BudgetResult = z.infer<typeof budgetResultSchema>;

export const prioritiesResultSchema = z.object({
  ballots: z.number().int(),
  groups: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      points: z.number(),
      weight: z.number().describe('group count × its share of all points (mean weight 1)'),
      products: z.array(z.string()),
    }),
  ),
});
export type PrioritiesResult = z.infer<typeof prioritiesResultSchema>;

export interface BudgetRecord {
  id: string;
  kind: 'projects' | 'priorities';
  unitId: string;
  economyId: string;
  name: string;
  status: BudgetStatus;
  settings: BudgetSettings;
  groups: PriorityGroup[];
  voteId: string | null;
  result: BudgetResult | PrioritiesResult | null;
  planId: string | null;
  createdBy: string;
  createdAt: Date;
  closedAt: Date | null;
}

function refuse(issues: FieldIssue[], fix: string): DomainError {
  return new DomainError('invalid', `${issues[0]!.field}: ${issues[0]!.message}`, { issues, fix });
}

/**
 * Unit cost of every product: its labour value (hours per unit, v = v·A + l over the economy's first
 * technology of each product), times moneyPerHour for a money pool.
 */
export function unitCosts(values: Map<string, number>, pool: Pool): Map<string, number> {
  const rate = pool.kind === 'money' ? (pool.moneyPerHour ?? 1) : 1;
  return new Map([...values].map(([p, v]) => [p, v * rate]));
}

/** Checks a project against the economy (known products, positive quantities) and prices it. */
export function priceProject(
  model: EconomyModel,
  costs: Map<string, number>,
  items: ProjectItem[],
  field = 'items',
): number {
  const known = new Set(model.products.map((p) => p.code));
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  items.forEach((it, i) => {
    if (!known.has(it.product))
      issues.push({
        field: `${field}[${i}].product`,
        message: `"${it.product}" is not a product of the economy`,
      });
    if (!(Number.isFinite(it.quantity) && it.quantity > 0))
      issues.push({
        field: `${field}[${i}].quantity`,
        message: `must be a positive number, got ${it.quantity}`,
      });
    if (seen.has(it.product))
      issues.push({
        field: `${field}[${i}].product`,
        message: `"${it.product}" is listed twice; add the quantities`,
      });
    seen.add(it.product);
  });
  if (issues.length > 0)
    throw refuse(issues, 'name products of the economy (economy.get lists them) with quantities above zero');
  return items.reduce((s, it) => s + it.quantity * (costs.get(it.product) ?? 0), 0);
}

/** Checks a pool's settings that only make sense together. */
export function assertSettings(s: BudgetSettings): void {
  if (s.ballot === 'cumulative' && s.points === null)
    throw refuse(
      [{ field: 'points', message: 'a cumulative ballot needs the points each voter gives' }],
      'give points, e.g. 10',
    );
  if (s.ballot !== 'cumulative' && s.points !== null)
    throw refuse(
      [{ field: 'points', message: `only cumulative ballots have points, this is ${s.ballot}` }],
      'leave points out',
    );
  if (s.pool.kind === 'money' && s.pool.moneyPerHour === undefined)
    throw refuse(
      [{ field: 'pool.moneyPerHour', message: 'a money pool needs the price of an hour of labour' }],
      'give pool.moneyPerHour, or use a labour-hours pool',
    );
}

/** Weights of the harmony objective from a priorities vote: G × (points of the group ÷ all points). */
export function groupWeights(
  groups: PriorityGroup[],
  points: Map<string, number>,
): PrioritiesResult['groups'] {
  const total = groups.reduce((s, g) => s + (points.get(g.id) ?? 0), 0);
  return groups.map((g) => {
    const p = points.get(g.id) ?? 0;
    return {
      id: g.id,
      name: g.name,
      points: p,
      weight: total > 0 ? (groups.length * p) / total : 1,
      products: g.products,
    };
  });
}
